"""`assist train-risk`: features from every caller-turn prefix of the labelled conversations, a logistic regression
on the train split, temperature on the dev split, metrics on dev. The test split is never touched here."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from assist.risk.assessor import RiskAssessor
from assist.risk.dataset import LabelledConversation, load_conversations
from assist.risk.metrics import run, summarize
from assist.risk.model import CLASSES, RiskModel, data_hash, feature_names, features, train


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
        rows.append((features(session.state, session.meta, assessor.signals), CLASSES.index(label)))
    if not rows:
        return []
    # Each conversation weighs 2 in total: half spread over its prefixes, half on its final state.
    w = 1.0 / len(rows)
    out = [(x, y, w) for x, y in rows]
    out[-1] = (out[-1][0], out[-1][1], w + 1.0)
    return out


def train_risk(assessor: RiskAssessor, folder: Path, out: Path, embedder_name: str | None, C: float = 1.0,
               progress: bool = False) -> tuple[RiskModel, dict[str, Any]]:
    if assessor.model is not None:
        raise ValueError("train with an assessor that has no model (rules + semantic features only)")
    convs = load_conversations(folder)
    train_set = [c for c in convs if c.split == "train"]
    dev_set = [c for c in convs if c.split == "dev"]
    it = train_set
    if progress:
        from tqdm import tqdm

        it = tqdm(train_set, desc="features", unit="call")
    rows = [r for c in it for r in prefix_rows(assessor, c)]
    X = np.stack([r[0] for r in rows])
    y = np.asarray([r[1] for r in rows])
    w = np.asarray([r[2] for r in rows])
    dev_rows = [prefix_rows(assessor, c)[-1] for c in dev_set if c.turns]
    X_dev = np.stack([r[0] for r in dev_rows]) if dev_rows else np.zeros((0, X.shape[1]))
    y_dev = np.asarray([r[1] for r in dev_rows])
    names = feature_names(list(assessor.signals))
    model = train(X, y, w, X_dev, y_dev, names, data_hash(sorted(folder.glob("*.jsonl"))), embedder_name, C,
                  assessor.semantic.describe() if assessor.semantic is not None else None)
    model.info.update({"train_conversations": len(train_set), "dev_conversations": len(dev_set)})
    scored = RiskAssessor(list(assessor.signals.values()), assessor.rules, assessor.semantic, model)
    dev_metrics = summarize(run(scored, dev_set)) if dev_set else {}
    model.info["dev_metrics"] = {k: v for k, v in dev_metrics.items() if k != "per_category"}
    model.save(out)
    return model, dev_metrics
