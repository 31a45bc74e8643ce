"""Learned layer of the scam check: one logistic regression per scheme over the message's embedding (the bundled
embedder) plus the rule flags, trained by `assist train-scams` from eval/training/scams_train.jsonl, thresholds chosen
by cross-validation on that training data only (the evaluation sets are never used). Saved as JSON (no pickle) with
the training data's hash and the embedder's name; refused when the embedder differs.

Rules catch the wording they know; the model catches paraphrase ("把额度借出来走理赔流程"). A scheme the model flags
without a rule flag is explained by quoting the clause of the message that the model finds most typical of it."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from assist.errors import ConfigError
from assist.scams import LEGIT, SCHEMES, URGENT, WARNING, ScamVerdict, flags, scam_check
from assist.text import normalize

FORMAT = 1
SCHEME_IDS = tuple(s.id for s in SCHEMES)


def rule_features(message: str) -> np.ndarray:
    """Per scheme: core and support flag counts (capped), plus warning and legitimate-setting context."""
    norm = normalize(message)
    out: list[float] = []
    for sc in SCHEMES:
        taken: list[tuple[int, int]] = []
        out.append(min(2, len(flags(norm, sc.core, taken))) / 2)
        out.append(min(3, len(flags(norm, sc.support, taken))) / 3)
    out += [float(bool(WARNING.search(norm))), float(bool(LEGIT.search(norm)))]
    return np.asarray(out, dtype=np.float64)


@dataclass
class ScamModel:
    coef: np.ndarray            # (schemes, features)
    intercept: np.ndarray       # (schemes,)
    thresholds: dict[str, float]
    embedder: str
    data_hash: str
    info: dict[str, Any]

    def probabilities(self, x: np.ndarray) -> dict[str, float]:
        z = self.coef @ x + self.intercept
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -50, 50)))
        return {s: float(v) for s, v in zip(SCHEME_IDS, p)}

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {"format": FORMAT, "schemes": list(SCHEME_IDS), "embedder": self.embedder, "data_hash": self.data_hash,
                "thresholds": self.thresholds, "coef": np.round(self.coef, 6).tolist(),
                "intercept": np.round(self.intercept, 6).tolist(), "info": self.info}
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path, embedder: str) -> "ScamModel":
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise ConfigError(f"cannot read the scam model: {exc}", path=str(path)) from exc
        if data.get("format") != FORMAT or tuple(data.get("schemes", ())) != SCHEME_IDS:
            raise ConfigError("scam model was trained for another scheme list; retrain with `assist train-scams`",
                              path=str(path))
        if data.get("embedder") != embedder:
            raise ConfigError(f"scam model was trained with embedder {data.get('embedder')!r}, not {embedder!r}; "
                              "retrain with `assist train-scams`", path=str(path))
        return cls(np.asarray(data["coef"]), np.asarray(data["intercept"]), dict(data["thresholds"]), data["embedder"],
                   data["data_hash"], dict(data.get("info") or {}))


def _clauses(text: str) -> list[str]:
    parts = [p.strip() for p in re.split(r"[。！？!?；;\n]+|，(?=.{6,})", text) if len(p.strip()) >= 4]
    return parts[:12] or [text]


class ScamClassifier:
    """Rules + the learned layer. Without a model (or embedder) it is the rules alone."""

    def __init__(self, embedder: Any = None, model: ScamModel | None = None) -> None:
        self.embedder = embedder
        self.model = model if embedder is not None else None

    def _x(self, text: str) -> np.ndarray:
        v = np.asarray(self.embedder.embed_query(text[:400]), dtype=np.float64)
        return np.concatenate([v, rule_features(text)])

    def probabilities(self, message: str) -> dict[str, float]:
        return self.model.probabilities(self._x(message)) if self.model is not None else {}

    def check(self, message: str) -> ScamVerdict | None:
        """Verdict of the rules, extended by schemes the model is confident about (with the clause that shows it)."""
        rules = scam_check(message)
        if self.model is None:
            return rules
        probs = self.probabilities(message)
        found = {s["id"]: s for s in (rules.schemes if rules else ())}
        for sc in SCHEMES:
            if sc.id in found or probs[sc.id] < self.model.thresholds.get(sc.id, 0.5):
                continue
            clauses = _clauses(message)
            best = max(clauses, key=lambda c: self.model.probabilities(self._x(c))[sc.id]) if len(clauses) > 1 else clauses[0]  # type: ignore[union-attr]
            found[sc.id] = {"id": sc.id, "name": sc.name, "red_flags": [best[:60]], "by": "model"}
        if not found:
            return None
        order = [s.id for s in SCHEMES]
        schemes = tuple(sorted(found.values(), key=lambda s: order.index(s["id"])))
        actions: list[str] = []
        for s in schemes:
            actions.extend(next(sc.actions for sc in SCHEMES if sc.id == s["id"]))
        norm = normalize(message)
        urgent = any(re.search(p, norm) for p in URGENT)
        return ScamVerdict(schemes, urgent, tuple(dict.fromkeys(actions)))


def data_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def train_scams(rows: Sequence[dict[str, Any]], embedder: Any, source: Path, C: float = 10.0,
                folds: int = 5, seed: int = 0) -> ScamModel:
    """One-vs-rest logistic regressions; each scheme's threshold maximises F1 over out-of-fold predictions."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import KFold

    texts = [normalize(str(r["message"])) for r in rows]
    vecs = np.asarray([embedder.embed_query(t[:400]) for t in texts], dtype=np.float64)
    X = np.concatenate([vecs, np.stack([rule_features(t) for t in texts])], axis=1)
    Y = np.asarray([[s in (r.get("schemes") or []) for s in SCHEME_IDS] for r in rows], dtype=int)
    oof = np.zeros(Y.shape)
    for tr, te in KFold(folds, shuffle=True, random_state=seed).split(X):
        for j in range(len(SCHEME_IDS)):
            if Y[tr, j].min() == Y[tr, j].max():
                oof[te, j] = float(Y[tr, j].max())
                continue
            clf = LogisticRegression(C=C, max_iter=5000, class_weight="balanced").fit(X[tr], Y[tr, j])
            oof[te, j] = clf.predict_proba(X[te])[:, 1]
    thresholds, cv = {}, {}
    for j, s in enumerate(SCHEME_IDS):
        best = (0.0, 0.5)
        for t in np.arange(0.3, 0.96, 0.05):
            pred = oof[:, j] >= t
            tp = int((pred & (Y[:, j] == 1)).sum())
            fp = int((pred & (Y[:, j] == 0)).sum())
            fn = int((~pred & (Y[:, j] == 1)).sum())
            f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
            if f1 > best[0] + 1e-9:
                best = (f1, float(round(t, 2)))
        thresholds[s] = max(0.5, best[1])     # never below 0.5: false alarms scare people off the widget
        cv[s] = round(best[0], 3)
    coef, intercept = [], []
    for j in range(len(SCHEME_IDS)):
        clf = LogisticRegression(C=C, max_iter=5000, class_weight="balanced").fit(X, Y[:, j])
        coef.append(clf.coef_[0])
        intercept.append(clf.intercept_[0])
    info = {"trained": dt.date.today().isoformat(), "messages": len(rows), "C": C, "cv_f1": cv,
            "positives": {s: int(Y[:, j].sum()) for j, s in enumerate(SCHEME_IDS)}, "source": source.name}
    return ScamModel(np.asarray(coef), np.asarray(intercept), thresholds, embedder.name, data_hash(source), info)
