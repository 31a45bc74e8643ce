"""A small learned text classifier shared by the consumer side's scam check and attack filter: one logistic
regression per label over the message's embedding (the bundled embedder) plus hand-made rule features. Trained from
a JSONL file; each label's decision threshold is chosen by cross-validation on the training file only (evaluation
sets are never used) and never set below 0.5. Saved as JSON (no pickle) with the training data's hash and the
embedder's name; loading refuses a model trained with another embedder or label list."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np

from assist.errors import ConfigError
from assist.text import normalize

FORMAT = 1
MAX_CHARS = 400


@dataclass
class LinearTextModel:
    kind: str                   # "scams" or "attacks"
    labels: tuple[str, ...]
    coef: np.ndarray            # (labels, features)
    intercept: np.ndarray       # (labels,)
    thresholds: dict[str, float]
    embedder: str
    data_hash: str
    info: dict[str, Any]

    def probabilities(self, x: np.ndarray) -> dict[str, float]:
        z = self.coef @ x + self.intercept
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -50, 50)))
        return {s: float(v) for s, v in zip(self.labels, p)}

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {"format": FORMAT, "kind": self.kind, "labels": list(self.labels), "embedder": self.embedder,
                "data_hash": self.data_hash, "thresholds": self.thresholds, "coef": np.round(self.coef, 6).tolist(),
                "intercept": np.round(self.intercept, 6).tolist(), "info": self.info}
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path, kind: str, labels: Sequence[str], embedder: str) -> "LinearTextModel":
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise ConfigError(f"cannot read the {kind} model: {exc}", path=str(path)) from exc
        if data.get("format") != FORMAT or data.get("kind") != kind or tuple(data.get("labels", ())) != tuple(labels):
            raise ConfigError(f"not a {kind} model for labels {list(labels)}; retrain with `assist train-{kind}`",
                              path=str(path))
        if data.get("embedder") != embedder:
            raise ConfigError(f"{kind} model was trained with embedder {data.get('embedder')!r}, not {embedder!r}; "
                              f"retrain with `assist train-{kind}`", path=str(path))
        return cls(kind, tuple(labels), np.asarray(data["coef"]), np.asarray(data["intercept"]),
                   dict(data["thresholds"]), data["embedder"], data["data_hash"], dict(data.get("info") or {}))


def featurize(embedder: Any, text: str, extra: Callable[[str], np.ndarray]) -> np.ndarray:
    v = np.asarray(embedder.embed_query(normalize(text)[:MAX_CHARS]), dtype=np.float64)
    return np.concatenate([v, extra(text)])


def train_linear(kind: str, texts: Sequence[str], Y: np.ndarray, labels: Sequence[str], embedder: Any,
                 extra: Callable[[str], np.ndarray], source: Path, C: float = 10.0, folds: int = 5,
                 seed: int = 0, min_precision: float | None = None) -> LinearTextModel:
    """One-vs-rest logistic regressions. Thresholds maximise out-of-fold F1 (floor 0.5), or, with
    ``min_precision``, are the lowest whose out-of-fold precision reaches it (for layers where a false positive costs
    more than a miss)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import KFold

    X = np.stack([featurize(embedder, t, extra) for t in texts])
    oof = np.zeros(Y.shape)
    for tr, te in KFold(folds, shuffle=True, random_state=seed).split(X):
        for j in range(Y.shape[1]):
            if Y[tr, j].min() == Y[tr, j].max():
                oof[te, j] = float(Y[tr, j].max())
                continue
            clf = LogisticRegression(C=C, max_iter=5000, class_weight="balanced").fit(X[tr], Y[tr, j])
            oof[te, j] = clf.predict_proba(X[te])[:, 1]
    thresholds, cv = {}, {}
    for j, s in enumerate(labels):
        best = (0.0, 0.99 if min_precision is not None else 0.5)
        for t in np.arange(0.5, 0.995, 0.01):
            pred = oof[:, j] >= t
            tp = int((pred & (Y[:, j] == 1)).sum())
            fp = int((pred & (Y[:, j] == 0)).sum())
            fn = int((~pred & (Y[:, j] == 1)).sum())
            f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
            if min_precision is not None:
                if tp and tp / (tp + fp) >= min_precision:
                    best = (f1, float(round(t, 2)))
                    break
            elif f1 > best[0] + 1e-9:
                best = (f1, float(round(t, 2)))
        thresholds[s] = best[1]
        cv[s] = round(best[0], 3)
    coef, intercept = [], []
    for j in range(Y.shape[1]):
        clf = LogisticRegression(C=C, max_iter=5000, class_weight="balanced").fit(X, Y[:, j])
        coef.append(clf.coef_[0])
        intercept.append(clf.intercept_[0])
    info = {"trained": dt.date.today().isoformat(), "messages": len(texts), "C": C, "cv_f1": cv,
            "positives": {s: int(Y[:, j].sum()) for j, s in enumerate(labels)}, "source": source.name}
    return LinearTextModel(kind, tuple(labels), np.asarray(coef), np.asarray(intercept), thresholds, embedder.name,
                           hashlib.sha256(source.read_bytes()).hexdigest(), info)
