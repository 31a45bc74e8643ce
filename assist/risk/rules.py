"""Layer (a): rules from signals.yaml — regex patterns and jieba-token keyword groups on caller turns, with
negation and question guards (不是代理 / 我没委托任何人 / 停息挂账是什么意思 are not evidence)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assist.core.text import DENIAL, clause_bounds, negated, normalize_aligned
from assist.knowledge.signals import Signal


@dataclass(frozen=True)
class RuleHit:
    signal: Signal
    start: int       # offsets into the turn's text as given
    end: int


class RuleMatcher:
    """Finds rule hits in one caller turn. ``words`` splits text into jieba tokens (for keyword groups)."""

    def __init__(self, signals: Sequence[Signal], words: Callable[[str], list[str]] | None = None) -> None:
        self.signals = list(signals)
        self.words = words

    def match(self, text: str) -> list[RuleHit]:
        target = normalize_aligned(text)
        hits: list[RuleHit] = []
        tokens: set[str] | None = None
        for sig in self.signals:
            found: RuleHit | None = None
            for pat in sig.patterns:
                for m in pat.finditer(target):
                    if negated(target, m.start(), DENIAL, lookback=6):
                        continue
                    a, b = clause_bounds(target, m.start(), m.end())
                    if any(u.search(target[a:b]) for u in sig.unless):
                        continue
                    found = RuleHit(sig, m.start(), m.end())
                    break
                if found:
                    break
            if found is None and sig.keywords and self.words is not None:
                if tokens is None:
                    tokens = set(self.words(text))
                for group in sig.keywords:
                    if all(w in tokens for w in group):
                        first = min((target.find(w) for w in group if target.find(w) >= 0), default=0)
                        if not negated(target, first, DENIAL, lookback=6):
                            found = RuleHit(sig, first, first + len(group[0]))
                            break
            if found is not None:
                hits.append(found)
        return hits
