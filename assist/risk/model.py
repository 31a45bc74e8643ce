"""Layer (c): a calibrated multinomial logistic regression over rule, semantic and conversation features.

Trained by `assist train-risk` from labelled conversations; saved as plain JSON (no pickle) with the hash of the
training data and the embedder it was trained with, and loaded at start-up. Calibration: temperature scaling fitted
on the dev split."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import numpy as np

from assist.errors import ConfigError
from assist.risk.signals import Signal
from assist.risk.types import SIGNAL_CATEGORIES, CallMeta

CLASSES: tuple[str, ...] = ("genuine", "legit_rep", "intermediary", "coached", "victim")
FORMAT = 1


def feature_names(signal_ids: list[str]) -> list[str]:
    names = [f"rule:{s}" for s in signal_ids] + [f"sem:{s}" for s in signal_ids]
    names += [f"sim:{s}" for s in signal_ids] + [f"margin:{s}" for s in signal_ids]
    names += [f"cat:{c}" for c in SIGNAL_CATEGORIES]
    names += ["num:yes", "num:no", "num:unknown", "verified", "log_caller_turns", "n_signals"]
    return names


def features(state: Any, meta: CallMeta, signals: Mapping[str, Signal]) -> np.ndarray:
    """Feature vector of a RiskState (order = feature_names(list(signals)))."""
    ids = list(signals)
    rule = [state.signals[s].rule if s in state.signals else 0.0 for s in ids]
    sem = [state.signals[s].semantic if s in state.signals else 0.0 for s in ids]
    cat = {c: 0.0 for c in SIGNAL_CATEGORIES}
    for sid, st in state.signals.items():
        cat[signals[sid].category] += signals[sid].weight_value * st.activation
    # similarities of e5-small live in a narrow band: rescale the useful part of it to about 0..1
    sim = [min(1.0, max(0.0, (state.signals[s].similarity - 0.85) / 0.1)) if s in state.signals else 0.0 for s in ids]
    mar = [min(1.0, max(0.0, (state.signals[s].margin + 0.05) / 0.1)) if s in state.signals else 0.0 for s in ids]
    vec = rule + sem + sim + mar + [cat[c] for c in SIGNAL_CATEGORIES]
    vec += [meta.number_matches == "yes", meta.number_matches == "no", meta.number_matches == "unknown"]
    vec += [float(meta.verified), math.log1p(state.caller_turns), float(sum(st.activation > 0.3 for st in state.signals.values()))]
    return np.asarray(vec, dtype=np.float64)


def data_hash(paths: list[Path]) -> str:
    h = hashlib.sha256()
    for p in sorted(paths):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()


@dataclass
class RiskModel:
    coef: np.ndarray            # (classes, features)
    intercept: np.ndarray       # (classes,)
    temperature: float
    feature_names: list[str]
    data_hash: str
    embedder: str | None
    info: dict[str, Any]
    semantic: dict[str, Any] = field(default_factory=dict)   # SemanticMatcher.describe() at training time

    def predict_features(self, x: np.ndarray) -> dict[str, float]:
        z = (self.coef @ x + self.intercept) / self.temperature
        z = z - z.max()
        p = np.exp(z)
        p /= p.sum()
        return {c: float(v) for c, v in zip(CLASSES, p)}

    def predict(self, state: Any, meta: CallMeta, signals: Mapping[str, Signal]) -> dict[str, float]:
        return self.predict_features(features(state, meta, signals))

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        doc = {"format": FORMAT, "classes": list(CLASSES), "feature_names": self.feature_names,
               "coef": self.coef.tolist(), "intercept": self.intercept.tolist(), "temperature": self.temperature,
               "data_hash": self.data_hash, "embedder": self.embedder, "semantic": self.semantic, "info": self.info}
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path, signal_ids: list[str], embedder: str | None,
             semantic: Mapping[str, Any] | None = None) -> "RiskModel":
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise ConfigError(f"cannot read the risk model: {exc}", path=str(path)) from exc
        if doc.get("format") != FORMAT or doc.get("classes") != list(CLASSES):
            raise ConfigError("risk model file has an unknown format; retrain with `assist train-risk`", path=str(path))
        if doc["feature_names"] != feature_names(signal_ids):
            raise ConfigError("risk model was trained on a different signal taxonomy; retrain with `assist train-risk`",
                              path=str(path))
        if doc.get("embedder") != embedder:
            raise ConfigError(f"risk model was trained with embedder {doc.get('embedder')!r}, not {embedder!r}; "
                              "retrain with `assist train-risk`", path=str(path))
        trained = doc.get("semantic") or {"window_chars": 200}   # files from before the window was recorded
        if semantic is not None and dict(semantic) != trained:
            raise ConfigError(f"risk model was trained with semantic settings {trained}, not {dict(semantic)}; "
                              "retrain with `assist train-risk`", path=str(path))
        return cls(np.asarray(doc["coef"]), np.asarray(doc["intercept"]), float(doc["temperature"]),
                   doc["feature_names"], doc["data_hash"], doc.get("embedder"), doc.get("info", {}), trained)


def fit_temperature(logits: np.ndarray, y: np.ndarray) -> float:
    """Temperature minimising negative log-likelihood on held-out data (grid then refine)."""
    def nll(t: float) -> float:
        z = logits / t
        z = z - z.max(axis=1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        return float(-logp[np.arange(len(y)), y].mean())
    grid = np.exp(np.linspace(np.log(0.2), np.log(5.0), 61))
    best = min(grid, key=nll)
    fine = np.linspace(best * 0.9, best * 1.1, 21)
    return float(min(fine, key=nll))


def train(X: np.ndarray, y: np.ndarray, w: np.ndarray, X_dev: np.ndarray, y_dev: np.ndarray, names: list[str],
          data_hash_: str, embedder: str | None, C: float = 1.0,
          semantic: Mapping[str, Any] | None = None) -> RiskModel:
    from sklearn.linear_model import LogisticRegression

    missing = [CLASSES[i] for i in range(len(CLASSES)) if not (y == i).any()]
    if missing:
        raise ConfigError(f"the training data has no conversations labelled {', '.join(missing)}")
    clf = LogisticRegression(C=C, max_iter=5000, class_weight="balanced")
    clf.fit(X, y, sample_weight=w)
    order = np.argsort(clf.classes_)  # y holds indices into CLASSES; keep that order
    coef, intercept = clf.coef_[order], clf.intercept_[order]
    logits = X_dev @ coef.T + intercept
    temperature = fit_temperature(logits, y_dev) if len(y_dev) else 1.0
    return RiskModel(coef, intercept, temperature, names, data_hash_, embedder,
                     {"trained_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), "C": C,
                      "train_rows": int(len(y)), "dev_rows": int(len(y_dev))}, dict(semantic or {}))
