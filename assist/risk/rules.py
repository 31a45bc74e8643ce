"""Layer (a): rules from signals.yaml — regex patterns and jieba-token keyword groups on caller turns, with
negation and question guards (不是代理 / 我没委托任何人 / 停息挂账是什么意思 are not evidence)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Sequence

from assist.risk.signals import Signal
from assist.text import normalize_aligned

_NEGATION = re.compile(r"(不是|没有|没|并非|从没|从来没有?|不会|绝对不|并没有|才不是|哪是)\s*$")
_CLAUSE = re.compile(r"[，。！？；,.!?;\n]")


@dataclass(frozen=True)
class RuleHit:
    signal: Signal
    start: int       # offsets into the turn's text as given
    end: int


def _clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    left = max((m.end() for m in _CLAUSE.finditer(text, 0, start)), default=0)
    m = _CLAUSE.search(text, end)
    return left, (m.start() if m else len(text))


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
                    if _NEGATION.search(target[max(0, m.start() - 6):m.start()]):
                        continue
                    a, b = _clause_bounds(target, m.start(), m.end())
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
                        if not _NEGATION.search(target[max(0, first - 6):first]):
                            found = RuleHit(sig, first, first + len(group[0]))
                            break
            if found is not None:
                hits.append(found)
        return hits
