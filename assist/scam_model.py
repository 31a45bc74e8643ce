"""Learned layer of the scam check (see assist/textclf.py): catches paraphrase the rules do not know ("把额度借出来
走理赔流程"). A scheme the model flags without a rule flag is explained by quoting the clause of the message that the
model finds most typical of it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from assist.scams import ACTOR, LEGIT, OFFICIAL_NOTICE, SCHEMES, URGENT, WARNING, ScamVerdict, flags, scam_check
from assist.text import normalize
from assist.textclf import LinearTextModel, featurize, train_linear

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


def load_scam_model(path: Path, embedder: str) -> LinearTextModel:
    return LinearTextModel.load(path, "scams", SCHEME_IDS, embedder)


def train_scams(rows: Sequence[dict[str, Any]], embedder: Any, source: Path, C: float = 10.0) -> LinearTextModel:
    texts = [str(r["message"]) for r in rows]
    Y = np.asarray([[s in (r.get("schemes") or []) for s in SCHEME_IDS] for r in rows], dtype=int)
    return train_linear("scams", texts, Y, SCHEME_IDS, embedder, rule_features, source, C)


def _clauses(text: str) -> list[str]:
    parts = [p.strip() for p in re.split(r"[。！？!?；;\n]+|，(?=.{6,})", text) if len(p.strip()) >= 4]
    return parts[:12] or [text]


class ScamClassifier:
    """Rules + the learned layer. Without a model (or embedder) it is the rules alone."""

    def __init__(self, embedder: Any = None, model: LinearTextModel | None = None) -> None:
        self.embedder = embedder
        self.model = model if embedder is not None else None

    def probabilities(self, message: str) -> dict[str, float]:
        if self.model is None:
            return {}
        return self.model.probabilities(featurize(self.embedder, message, rule_features))

    def check(self, message: str) -> ScamVerdict | None:
        """Verdict of the rules, extended by schemes the model is confident about (with the clause that shows it)."""
        rules = scam_check(message)
        model = self.model
        if model is None:
            return rules
        norm = normalize(message)
        # The model knows topics; a scam also needs someone acting on the consumer, and official notices or news
        # that warn about a scheme are not that scheme.
        if not ACTOR.search(norm) or OFFICIAL_NOTICE.search(norm):
            return rules
        probs = self.probabilities(message)
        found = {s["id"]: s for s in (rules.schemes if rules else ())}
        for sc in SCHEMES:
            if sc.id in found or probs[sc.id] < model.thresholds.get(sc.id, 0.5):
                continue
            clauses = _clauses(message)
            best = clauses[0] if len(clauses) == 1 else max(
                clauses, key=lambda c: model.probabilities(featurize(self.embedder, c, rule_features))[sc.id])
            found[sc.id] = {"id": sc.id, "name": sc.name, "red_flags": [best[:60]], "by": "model"}
        if not found:
            return None
        order = list(SCHEME_IDS)
        schemes = tuple(sorted(found.values(), key=lambda s: order.index(s["id"])))
        actions: list[str] = []
        for s in schemes:
            actions.extend(next(sc.actions for sc in SCHEMES if sc.id == s["id"]))
        urgent = any(re.search(p, norm) for p in URGENT)
        return ScamVerdict(schemes, urgent, tuple(dict.fromkeys(actions)))
