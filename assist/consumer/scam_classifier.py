"""Learned layer of the scam check (assist.consumer.text_model): catches paraphrase the rules do not know ("把额度借出来
走理赔流程"). A scheme the model flags without a rule flag is explained by quoting the clause of the message that the
model finds most typical of it."""

from __future__ import annotations

import numpy as np

from assist.consumer.scams import (
    ACTOR,
    LEGIT,
    OFFICIAL_NOTICE,
    SCHEMES,
    WARNING,
    ScamVerdict,
    flags,
    scam_check,
    verdict,
)
from assist.consumer.text_model import LinearTextModel, featurize
from assist.core.text import CLAUSE_BREAKS, normalize, split_clauses
from assist.ports import Embedder

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


def _clauses(text: str) -> list[str]:
    """The message's clauses (at most 12, of four or more characters): the red flag the model quotes is one of them."""
    parts = [text[a:b].strip() for a, b in split_clauses(text, CLAUSE_BREAKS.replace(".", ""))]
    return [p for p in parts if len(p) >= 4][:12] or [text]


class ScamClassifier:
    """Rules + the learned layer. Without a model (or embedder) it is the rules alone."""

    def __init__(self, embedder: Embedder | None, model: LinearTextModel | None) -> None:
        self.embedder = embedder
        self.model = model if embedder is not None else None

    def probabilities(self, message: str) -> dict[str, float]:
        if self.model is None or self.embedder is None:
            return {}
        return self.model.probabilities(featurize(self.embedder, message, rule_features))

    def check(self, message: str) -> ScamVerdict | None:
        """Verdict of the rules, extended by schemes the model is confident about (with the clause that shows it)."""
        rules = scam_check(message)
        model, embedder = self.model, self.embedder
        if model is None or embedder is None:
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
                clauses, key=lambda c: model.probabilities(featurize(embedder, c, rule_features))[sc.id])
            found[sc.id] = {"id": sc.id, "name": sc.name, "red_flags": [best[:60]], "by": "model"}
        return verdict(list(found.values()), norm)
