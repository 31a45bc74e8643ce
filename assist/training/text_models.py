"""`assist train-scams` / `assist train-attacks`: the consumer side's learned layers (assist.consumer.text_model),
one-vs-rest logistic regressions (scikit-learn) over the message embedding and the rules' flags. Each label's
decision threshold is chosen by cross-validation on the training file only (evaluation sets are never used) and never
set below 0.5."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from assist.consumer import attacks, scam_classifier
from assist.consumer.text_model import LinearTextModel, featurize
from assist.ports import Embedder


def train_scams(rows: Sequence[dict[str, Any]], embedder: Embedder, source: Path, C: float) -> LinearTextModel:
    """One regression per scheme (a message may show several)."""
    ids = scam_classifier.SCHEME_IDS
    texts = [str(r["message"]) for r in rows]
    Y = np.asarray([[s in (r.get("schemes") or []) for s in ids] for r in rows], dtype=int)
    return train_linear("scams", texts, Y, ids, embedder, scam_classifier.rule_features, source, C)


def train_attacks(rows: Sequence[dict[str, Any]], embedder: Embedder, source: Path, C: float) -> LinearTextModel:
    """One regression: should the message be refused."""
    texts = [str(r["message"]) for r in rows]
    Y = np.asarray([[r.get("expect", "refuse") == "refuse" and r.get("type") != "benign"] for r in rows], dtype=int)
    # a wrongly refused consumer (often a scam victim asking for help) costs more than a missed refusal, which
    # still gets consumer-only material: the threshold is set for 98 % precision out of fold
    return train_linear("attacks", texts, Y, attacks.LABELS, embedder, attacks.rule_features, source, C,
                        min_precision=0.98)


def train_linear(kind: str, texts: Sequence[str], Y: np.ndarray, labels: Sequence[str], embedder: Embedder,
                 extra: Callable[[str], np.ndarray], source: Path, C: float, folds: int = 5,
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
