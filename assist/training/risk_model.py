"""`assist train-risk`: features from every caller-turn prefix of the labelled conversations, a logistic regression
on the train split (scikit-learn), temperature on the dev split, metrics on dev. The test, held-out and fresh splits
are never touched here."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from assist.errors import ConfigError
from assist.evaluation.conversations import LabelledConversation, load_conversations
from assist.evaluation.risk_metrics import run, summarize
from assist.risk.assessor import RiskAssessor
from assist.risk.model import RiskModel, feature_names, features
from assist.risk.types import LABELS


def data_hash(paths: list[Path]) -> str:
    """SHA-256 over the files' names and contents, in name order."""
    h = hashlib.sha256()
    for p in sorted(paths):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()


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
          data_hash_: str, embedder: str | None, C: float,
          semantic: Mapping[str, Any] | None = None) -> RiskModel:
    from sklearn.linear_model import LogisticRegression

    missing = [LABELS[i] for i in range(len(LABELS)) if not (y == i).any()]
    if missing:
        raise ConfigError(f"the training data has no conversations labelled {', '.join(missing)}")
    clf = LogisticRegression(C=C, max_iter=5000, class_weight="balanced")
    clf.fit(X, y, sample_weight=w)
    order = np.argsort(clf.classes_)  # y holds indices into LABELS; keep that order
    coef, intercept = clf.coef_[order], clf.intercept_[order]
    logits = X_dev @ coef.T + intercept
    temperature = fit_temperature(logits, y_dev) if len(y_dev) else 1.0
    return RiskModel(coef, intercept, temperature, names, data_hash_, embedder,
                     {"trained_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "C": C,
                      "train_rows": int(len(y)), "dev_rows": int(len(y_dev))}, dict(semantic or {}))




def prefix_rows(assessor: RiskAssessor, conv: LabelledConversation) -> list[tuple[np.ndarray, int, float]]:
    """One row per caller turn: before the first evidence the honest label is 'genuine' (nothing seen yet)."""
    session = assessor.new_session(conv.meta)
    rows: list[tuple[np.ndarray, int]] = []
    for i, t in enumerate(conv.turns):
        session.add(t)
        if t.speaker != "caller":
            continue
        seen = conv.label == "genuine" or (conv.first_evidence_turn is not None and i >= conv.first_evidence_turn)
        label = conv.label if seen else "genuine"
        rows.append((features(session.state, session.meta, assessor.signals), LABELS.index(label)))
    if not rows:
        return []
    # Each conversation weighs 2 in total: half spread over its prefixes, half on its final state.
    w = 1.0 / len(rows)
    out = [(x, y, w) for x, y in rows]
    out[-1] = (out[-1][0], out[-1][1], w + 1.0)
    return out


# Splits a model learns from: the first team's train split and the writer-diverse set (whose writers the protocol
# leaves out one at a time). dev calibrates; test, heldout, fresh and final are never trained on.
TRAIN_SPLITS = ("train", "writers")

Rows = list[tuple[np.ndarray, int, float]]


def feature_rows(assessor: RiskAssessor, convs: list[LabelledConversation], progress: bool = False,
                 desc: str = "features") -> dict[str, Rows]:
    """Every conversation's prefix rows, by id (they depend on the rules and semantics only, not on a model)."""
    it: Any = convs
    if progress:
        from tqdm import tqdm

        it = tqdm(convs, desc=desc, unit="call")
    return {c.id: prefix_rows(assessor, c) for c in it}


def fit_model(assessor: RiskAssessor, rows: Mapping[str, Rows], train_set: list[LabelledConversation],
              dev_set: list[LabelledConversation], C: float, data_hash_: str) -> RiskModel:
    """A model on ``train_set``'s rows, its temperature on ``dev_set``'s final rows."""
    train_rows = [r for c in train_set for r in rows[c.id]]
    X = np.stack([r[0] for r in train_rows])
    y = np.asarray([r[1] for r in train_rows])
    w = np.asarray([r[2] for r in train_rows])
    dev_rows = [rows[c.id][-1] for c in dev_set if rows.get(c.id)]
    X_dev = np.stack([r[0] for r in dev_rows]) if dev_rows else np.zeros((0, X.shape[1]))
    y_dev = np.asarray([r[1] for r in dev_rows])
    model = train(X, y, w, X_dev, y_dev, feature_names(list(assessor.signals)), data_hash_,
                  assessor.semantic.embedder_name if assessor.semantic is not None else None, C,
                  assessor.semantic.describe() if assessor.semantic is not None else None)
    model.info.update({"train_conversations": len(train_set), "dev_conversations": len(dev_set)})
    return model


def train_risk(assessor: RiskAssessor, folder: Path, out: Path, C: float,
               progress: bool = False) -> tuple[RiskModel, dict[str, Any]]:
    if assessor.model is not None:
        raise ValueError("train with an assessor that has no model (rules + semantic features only)")
    convs = load_conversations(folder)
    train_set = [c for c in convs if c.split in TRAIN_SPLITS]
    dev_set = [c for c in convs if c.split == "dev"]
    rows = feature_rows(assessor, train_set + dev_set, progress)
    model = fit_model(assessor, rows, train_set, dev_set, C, data_hash(sorted(folder.glob("*.jsonl"))))
    scored = assessor.with_model(model)
    dev_metrics = summarize(run(scored, dev_set)) if dev_set else {}
    model.info["dev_metrics"] = {k: v for k, v in dev_metrics.items() if k not in ("per_category", "calibration_by_level")}
    model.save(out)
    return model, dev_metrics
