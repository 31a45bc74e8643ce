"""Layer (b): semantic matching of caller turns against each signal's examples and innocent look-alikes.

A turn supports a signal when it is close to the signal's examples *and* closer to them than to the look-alikes
(what a genuine borrower says that resembles the signal): that margin is what catches paraphrase without
accusing the upset borrower who happens to use similar words."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from assist.ports import Embedder
from assist.risk.signals import Signal

MAX_CHARS = 200   # long ASR turns are cut for the embedder; rules still see the whole text


@dataclass(frozen=True)
class SemanticHit:
    signal: Signal
    strength: float          # 0..1
    example_sim: float
    lookalike_sim: float


@dataclass(frozen=True)
class SemanticParams:
    min_similarity: float = 0.93     # closeness to the nearest example (e5-small similarities are compressed)
    min_margin: float = 0.02         # example similarity minus nearest look-alike similarity
    softness: float = 0.01           # width of the sigmoid ramps


def _sig(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, x))))


class SemanticMatcher:
    def __init__(self, embedder: Embedder, signals: Sequence[Signal], params: SemanticParams | None = None,
                 vectors: dict[str, list[float]] | None = None) -> None:
        self.embedder = embedder
        self.signals = list(signals)
        self.params = params or SemanticParams()
        cache = dict(vectors or {})

        def embed(texts: Sequence[str]) -> np.ndarray:
            rows = []
            for t in texts:
                if t not in cache:
                    cache[t] = embedder.embed_query(t)
                rows.append(cache[t])
            return np.asarray(rows, dtype=np.float32).reshape(len(rows), -1)

        self._ex = [embed(s.examples) for s in self.signals]
        self._la = [embed(s.lookalikes) for s in self.signals]
        self.vectors = cache

    def embed_turn(self, text: str) -> np.ndarray:
        return np.asarray(self.embedder.embed_query(text[:MAX_CHARS]), dtype=np.float32)

    def scores_vector(self, v: np.ndarray) -> list[SemanticHit]:
        """For every signal: similarity to its nearest example and look-alike, and the resulting strength."""
        p = self.params
        out = []
        for sig, ex, la in zip(self.signals, self._ex, self._la):
            es = float((ex @ v).max()) if ex.size else -1.0
            ls = float((la @ v).max()) if la.size else -1.0
            strength = _sig((es - p.min_similarity) / p.softness) * _sig((es - ls - p.min_margin) / p.softness)
            out.append(SemanticHit(sig, strength, es, ls))
        return out

    def scores(self, text: str) -> list[SemanticHit]:
        return self.scores_vector(self.embed_turn(text)) if text.strip() else []

    def match(self, text: str) -> list[SemanticHit]:
        """Signals this turn supports (strength >= 0.5)."""
        return [h for h in self.scores(text) if h.strength >= 0.5]
