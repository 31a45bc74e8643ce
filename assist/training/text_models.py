"""`assist train-scams` / `assist train-attacks`: the consumer side's learned layers, one-vs-rest logistic regressions
(scikit-learn). The attack filter's (assist.consumer.text_model) reads the message embedding and the rules' flags;
the scam check's (assist.consumer.scam_model) reads hashed character n-grams of the evidence and the rules' flags.
Each label's decision threshold is chosen by cross-validation on the training data only (evaluation sets are never
used) and never set below 0.5."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from assist.consumer import attacks, scam_classifier
from assist.consumer.scam_model import DIM, OPENING_CHARS, NamingHead, ScamModel, ngram_buckets, tfidf
from assist.consumer.scams import Evidence, evidence_of
from assist.consumer.schemes import NAMED_BY_HEAD
from assist.consumer.text_model import LinearTextModel, featurize
from assist.core.pii import mask
from assist.evaluation.teleantifraud import Dialogue, as_message
from assist.ports import Embedder


def train_scam_semantic(rows: Sequence[dict[str, Any]], embedder: Embedder, source: Path, C: float) -> LinearTextModel:
    """The scam check's semantic layer: one regression per lender-related scheme over the message embedding and
    those schemes' rule flags (a message may show several)."""
    ids = scam_classifier.SEMANTIC_LABELS
    texts = [str(r["message"]) for r in rows]
    Y = np.asarray([[s in (r.get("schemes") or []) for s in ids] for r in rows], dtype=int)
    return train_linear("scams", texts, Y, ids, embedder, scam_classifier.semantic_rule_features, source, C)


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


# -- the scam check's n-gram model ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ScamExample:
    """One training message: its text as the consumer sends it, whether it shows a scam, which schemes, its weight
    and where it comes from."""

    message: str
    scam: bool
    schemes: tuple[str, ...]
    weight: float
    source: str


def scam_examples(rows: Sequence[dict[str, Any]], source: str, weight: float) -> list[ScamExample]:
    """Hand-written messages (`id`, `message`, `schemes`) as examples."""
    return [ScamExample(str(r["message"]), bool(r.get("schemes")), tuple(r.get("schemes") or ()), weight, source)
            for r in rows]


def dialogue_examples(dialogues: Sequence[Dialogue], max_chars: int, weight: float = 1.0) -> list[ScamExample]:
    """TeleAntiFraud dialogues as the consumer would paste them (each in the shape its id picks)."""
    return [ScamExample(as_message(d, max_chars), d.is_fraud, (d.scheme,) if d.scheme else (), weight, "teleantifraud")
            for d in dialogues]


def _grams(texts: Sequence[str], idf: np.ndarray) -> Any:
    """Sparse n-gram tf-idf rows of normalised texts."""
    from scipy import sparse

    rows, cols, vals = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)], [np.zeros(0)]
    for i, text in enumerate(texts):
        idx, w = tfidf(text, idf)
        rows.append(np.full(len(idx), i))
        cols.append(idx)
        vals.append(w)
    return sparse.csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                             shape=(len(texts), DIM))


def _scam_matrix(evs: Sequence[Evidence], idf: np.ndarray | None = None) -> tuple[Any, np.ndarray]:
    """(sparse n-gram tf-idf + rule features, idf). With ``idf`` None it is fitted on these messages."""
    from scipy import sparse

    if idf is None:
        df = np.zeros(DIM, dtype=np.float64)
        for ev in evs:
            idx, _ = ngram_buckets(ev.text)
            df[idx] += 1
        idf = np.log((1 + len(evs)) / (1 + df)) + 1.0
    dense = sparse.csr_matrix(np.stack([scam_classifier.rule_features(ev) for ev in evs]))
    return sparse.hstack([_grams([ev.text for ev in evs], idf), dense], format="csr"), idf


NAMING_WEIGHTS = (0.0, 0.25, 0.5, 0.75, 1.0)      # the evidence expert's weights tried for the naming head
NAMING_C = 3.0           # the naming head's inverse regularisation (5-fold accuracy on train + validation: C 3 ≈ C 10)


def train_naming_head(examples: Sequence[ScamExample], evs: Sequence[Evidence], idf: np.ndarray, C: float,
                      folds: int = 5, seed: int = 0) -> tuple[NamingHead | None, dict[str, Any]]:
    """The naming head: multinomial regressions over the NAMED_BY_HEAD schemes, one on the opening's n-grams and
    one on the whole evidence's, fitted on the examples that show exactly one of those schemes (the schemes with at
    least ``folds`` such examples). The evidence expert's weight maximises out-of-fold accuracy on these examples.
    (None, {}) when fewer than two schemes have enough examples."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    mine = [[s for s in e.schemes if s in NAMED_BY_HEAD] for e in examples]
    counts = {s: sum(m == [s] for m in mine) for s in NAMED_BY_HEAD}
    labels = tuple(s for s in NAMED_BY_HEAD if counts[s] >= folds)
    if len(labels) < 2:
        return None, {}
    keep = [i for i, m in enumerate(mine) if len(m) == 1 and m[0] in labels]
    y = np.asarray([labels.index(mine[i][0]) for i in keep])
    w = np.asarray([examples[i].weight for i in keep])
    Xo = _grams([evs[i].text[:OPENING_CHARS] for i in keep], idf)
    Xe = _grams([evs[i].text for i in keep], idf)

    def fit(X: Any, rows: np.ndarray) -> Any:
        return LogisticRegression(C=C, max_iter=3000).fit(X[rows], y[rows], sample_weight=w[rows])

    lo, le = np.zeros((len(keep), len(labels))), np.zeros((len(keep), len(labels)))
    for tr, te in StratifiedKFold(folds, shuffle=True, random_state=seed).split(Xo, y):
        lo[te] = fit(Xo, tr).predict_log_proba(Xo[te])
        le[te] = fit(Xe, tr).predict_log_proba(Xe[te])
    acc = {wt: float(np.mean((lo + wt * le).argmax(1) == y)) for wt in NAMING_WEIGHTS}
    weight = max(NAMING_WEIGHTS, key=lambda wt: (acc[wt], -wt))
    every = np.arange(len(keep))
    ho, he = fit(Xo, every), fit(Xe, every)
    head = NamingHead(labels, ho.coef_.astype(np.float32), ho.intercept_.astype(np.float64),
                      he.coef_.astype(np.float32), he.intercept_.astype(np.float64), float(weight))
    return head, {"messages": len(keep), "weight": weight, "cv_accuracy": {str(k): round(v, 3) for k, v in acc.items()}}


def train_scam_model(examples: Sequence[ScamExample], data_hashes: dict[str, str], C: float, folds: int = 5,
                     seed: int = 0, log: Callable[[str], None] = lambda _m: None) -> ScamModel:
    """The "is it a scam" head and one head per scheme, logistic regressions over hashed character n-grams of the
    evidence and the rules' flags. Each head's threshold maximises its out-of-fold F1 on these examples (floor
    0.5); evaluation data is never used."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    labels = scam_classifier.LABELS
    log(f"features for {len(examples)} messages")
    evs = [evidence_of(mask(e.message)) for e in examples]
    X, idf = _scam_matrix(evs)
    Y = np.asarray([[e.scam] + [s in e.schemes for s in labels[1:]] for e in examples], dtype=int)
    w = np.asarray([e.weight for e in examples], dtype=np.float64)

    def fit(rows: np.ndarray, j: int) -> Any:
        clf = LogisticRegression(C=C, solver="liblinear", class_weight="balanced", max_iter=2000)
        return clf.fit(X[rows], Y[rows, j], sample_weight=w[rows])

    oof = np.zeros(Y.shape)
    strata = np.asarray([0 if not e.scam else 1 + labels.index(e.schemes[0]) for e in examples])
    for k, (tr, te) in enumerate(StratifiedKFold(folds, shuffle=True, random_state=seed).split(X, strata)):
        log(f"fold {k + 1}/{folds}")
        for j in range(Y.shape[1]):
            if Y[tr, j].min() == Y[tr, j].max():
                oof[te, j] = float(Y[tr, j].max())
                continue
            oof[te, j] = fit(tr, j).predict_proba(X[te])[:, 1]
    thresholds, cv = {}, {}
    for j, s in enumerate(labels):
        best = (0.0, 0.5)
        for t in np.arange(0.5, 0.995, 0.01):
            pred = oof[:, j] >= t
            tp = float((w * (pred & (Y[:, j] == 1))).sum())
            fp = float((w * (pred & (Y[:, j] == 0))).sum())
            fn = float((w * (~pred & (Y[:, j] == 1))).sum())
            f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
            if f1 > best[0] + 1e-9:
                best = (f1, float(round(t, 2)))
        thresholds[s], cv[s] = best[1], round(best[0], 3)
    log("final fit")
    every = np.arange(len(examples))
    coefs, intercepts = [], []
    for j in range(Y.shape[1]):
        if Y[:, j].min() == Y[:, j].max():      # a label without examples (or without counter-examples): constant
            coefs.append(np.zeros(X.shape[1]))
            intercepts.append(10.0 if Y[0, j] else -10.0)
            continue
        h = fit(every, j)
        coefs.append(h.coef_[0])
        intercepts.append(float(h.intercept_[0]))
    coef = np.stack(coefs)
    log("naming head")
    naming, naming_info = train_naming_head(examples, evs, idf, NAMING_C)
    by_source: dict[str, int] = {}
    for e in examples:
        by_source[e.source] = by_source.get(e.source, 0) + 1
    info = {"trained": dt.date.today().isoformat(), "messages": by_source, "C": C, "cv_f1": cv,
            "positives": {s: int(Y[:, j].sum()) for j, s in enumerate(labels)}, "data": data_hashes,
            "naming": naming_info}
    data_hash = hashlib.sha256(json.dumps(data_hashes, sort_keys=True).encode()).hexdigest()
    return ScamModel(labels, coef[:, :DIM].astype(np.float32), coef[:, DIM:], np.asarray(intercepts), idf, thresholds,
                     data_hash, info, naming)
