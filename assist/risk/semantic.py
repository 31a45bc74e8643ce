"""Layer (b): semantic matching of caller turns against each signal's examples and innocent look-alikes.

A turn supports a signal when it is close to the signal's examples *and* closer to them than to the look-alikes
(what a genuine borrower says that resembles the signal): that margin is what catches paraphrase without
accusing the upset borrower who happens to use similar words."""

from __future__ import annotations

import dataclasses
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from assist.core.text import normalize, normalize_aligned
from assist.knowledge.signals import Signal
from assist.ports import Embedder


@dataclass(frozen=True)
class SemanticHit:
    signal: Signal
    strength: float          # 0..1
    example_sim: float
    lookalike_sim: float
    start: int = 0           # the part of the turn that was embedded (SemanticMatcher.window)
    end: int = 0


@dataclass(frozen=True)
class SemanticParams:
    window_chars: int                # longest text embedded per turn, its most signal-like window (setting
                                     # risk.semantic_window_chars; the learned model depends on it)
    min_similarity: float = 0.93     # closeness to the nearest example (e5-small similarities are compressed)
    min_margin: float = 0.02         # example similarity minus nearest look-alike similarity
    softness: float = 0.01           # width of the sigmoid ramps


def _sig(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, x))))


class SemanticMatcher:
    def __init__(self, embedder: Embedder, signals: Sequence[Signal], params: SemanticParams,
                 vectors: dict[str, list[float]] | None = None, window_embedder: Embedder | None = None) -> None:
        """``embedder`` embeds the examples and look-alikes (``vectors`` holds those already known);
        ``window_embedder`` embeds caller turns: the same one, or a distilled approximation of it (risk.distilled)."""
        self.embedder = embedder
        self.window_embedder = window_embedder or embedder
        self.signals = list(signals)
        self.params = params
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
        self._bigrams = _shared_bigrams(self.signals)

    def window(self, text: str) -> tuple[int, int]:
        """Offsets of the part of ``text`` that is embedded: all of it when short enough, else the window of
        ``window_chars`` characters holding the most bigrams shared by the signals' examples and look-alikes
        (filler excluded), the earliest on ties."""
        size = self.params.window_chars
        if len(text) <= size:
            return 0, len(text)
        norm = normalize_aligned(text)
        hit = [1 if norm[i:i + 2] in self._bigrams else 0 for i in range(len(norm) - 1)]
        run = sum(hit[:size - 1])
        best, best_score = 0, run
        for start in range(1, len(norm) - size + 1):
            run += hit[start + size - 2] - hit[start - 1]
            if run > best_score:
                best, best_score = start, run
        return best, best + size

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
        """Scores of one turn, embedded through its window; each hit carries the window's offsets."""
        if not text.strip():
            return []
        a, b = self.window(text)
        v = np.asarray(self.window_embedder.embed_query(text[a:b]), dtype=np.float32)
        return [dataclasses.replace(h, start=a, end=b) for h in self.scores_vector(v)]

    @property
    def approximate(self) -> bool:
        """Turns are embedded by an approximation of the examples' embedder (the distilled one)."""
        return self.window_embedder is not self.embedder

    @property
    def embedder_name(self) -> str:
        """The embedding a trained model's features depend on (stored with the model, checked when it is loaded)."""
        w = self.window_embedder
        return self.embedder.name if w is self.embedder else f"{w.name}|examples:{self.embedder.name}"

    def describe(self) -> dict[str, int]:
        """What the learned layer's features depend on besides the embedder (stored with a trained model)."""
        return {"window_chars": self.params.window_chars}

    def match(self, text: str) -> list[SemanticHit]:
        """Signals this turn supports (strength >= 0.5)."""
        return [h for h in self.scores(text) if h.strength >= 0.5]


# Characters and bigrams of spoken filler that say nothing about a signal; a window full of them is not chosen.
_FILLER_CHARS = frozenset("嗯啊呢吧哦呀嘛哈噢喔诶欸唉哎")
_FILLER_BIGRAMS = frozenset(
    "那个 就是 然后 这个 我们 你们 他们 什么 怎么 是说 一下 的话 现在 今天 知道 可以 没有 不是".split())


def _shared_bigrams(signals: Sequence[Signal]) -> frozenset[str]:
    """Character bigrams found in at least two of the signals' examples and look-alikes, filler and punctuation
    excluded: the shared phrasing a window is chosen by (a rare bigram is usually incidental)."""
    refs = [normalize(t, simplify=True) for s in signals for t in (*s.examples, *s.lookalikes)]
    df = Counter(g for r in refs for g in {r[i:i + 2] for i in range(len(r) - 1)})
    return frozenset(g for g, c in df.items()
                     if c >= 2 and g not in _FILLER_BIGRAMS and all(ch.isalnum() and ch not in _FILLER_CHARS for ch in g))
