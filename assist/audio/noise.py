"""A character-level model of recognition errors, measured from (reference, recognised) pairs, and text passed
through it: used to ask how the risk hint holds up when its input comes from speech recognition rather than typing.

Fitting aligns each pair by edit distance and counts, per reference character, how often it was kept, replaced (by
what), dropped, or followed by an inserted character. Applying draws those events at the measured rates; a character
never seen replaced is replaced by one drawn from everything the recogniser was seen to write instead, which is
harsher than real (real confusions are mostly homophones)."""

from __future__ import annotations

import json
import random
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


def align(ref: str, hyp: str) -> list[tuple[str, str, str]]:
    """Edit-distance alignment as (op, ref char, hyp char) with op in ok | sub | del | ins."""
    n, m = len(ref), len(hyp)
    d = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n + 1):
        d[i][0] = i
    for j in range(m + 1):
        d[0][j] = j
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (ref[i - 1] != hyp[j - 1]))
    ops: list[tuple[str, str, str]] = []
    i, j = n, m
    while i or j:
        if i and j and d[i][j] == d[i - 1][j - 1] + (ref[i - 1] != hyp[j - 1]):
            ops.append(("ok" if ref[i - 1] == hyp[j - 1] else "sub", ref[i - 1], hyp[j - 1]))
            i, j = i - 1, j - 1
        elif i and d[i][j] == d[i - 1][j] + 1:
            ops.append(("del", ref[i - 1], ""))
            i -= 1
        else:
            ops.append(("ins", "", hyp[j - 1]))
            j -= 1
    return ops[::-1]


def cer(ref: str, hyp: str) -> tuple[int, int]:
    """(edits, reference length)."""
    return sum(op != "ok" for op, _, _ in align(ref, hyp)), len(ref)


@dataclass
class ConfusionModel:
    ref_chars: int = 0
    subs: int = 0
    dels: int = 0
    ins: int = 0
    table: dict[str, Counter[str]] = field(default_factory=dict)     # ref char -> what was written instead
    written: Counter[str] = field(default_factory=Counter)           # every substituted or inserted char

    @classmethod
    def fit(cls, pairs: Iterable[tuple[str, str]]) -> "ConfusionModel":
        m = cls()
        for ref, hyp in pairs:
            for op, r, h in align(ref, hyp):
                if op != "ins":
                    m.ref_chars += 1
                if op == "sub":
                    m.subs += 1
                    m.table.setdefault(r, Counter())[h] += 1
                    m.written[h] += 1
                elif op == "del":
                    m.dels += 1
                elif op == "ins":
                    m.ins += 1
                    m.written[h] += 1
        return m

    @property
    def rates(self) -> dict[str, float]:
        n = max(1, self.ref_chars)
        return {"sub": self.subs / n, "del": self.dels / n, "ins": self.ins / n, "cer": (self.subs + self.dels + self.ins) / n}

    def apply(self, text: str, rng: random.Random, scale: float = 1.0) -> str:
        """``text`` with recognition errors drawn at ``scale`` times the measured rates (punctuation is kept: the
        product's normaliser adds it between segments). Chinese characters and digits are affected."""
        r = self.rates
        p_sub, p_del, p_ins = (min(1.0, r[k] * scale) for k in ("sub", "del", "ins"))
        pool = list(self.written.elements()) or ["的"]
        out = []
        for ch in text:
            if not ("\u3400" <= ch <= "\u9fff" or ch.isdigit()):
                out.append(ch)
                continue
            u = rng.random()
            if u < p_del:
                pass
            elif u < p_del + p_sub:
                seen = self.table.get(ch)
                out.append(rng.choice(list(seen.elements())) if seen and rng.random() < 0.8 else rng.choice(pool))
            else:
                out.append(ch)
            if rng.random() < p_ins:
                out.append(rng.choice(pool))
        return "".join(out)

    def to_dict(self) -> dict[str, Any]:
        return {"ref_chars": self.ref_chars, "subs": self.subs, "dels": self.dels, "ins": self.ins,
                "rates": {k: round(v, 4) for k, v in self.rates.items()},
                "table": {k: dict(v) for k, v in sorted(self.table.items())}, "written": dict(self.written)}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "ConfusionModel":
        return cls(int(d["ref_chars"]), int(d["subs"]), int(d["dels"]), int(d["ins"]),
                   {k: Counter(v) for k, v in d["table"].items()}, Counter(d["written"]))

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_dict(), ensure_ascii=False, indent=1), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> "ConfusionModel":
        return cls.from_dict(json.loads(path.read_text(encoding="utf-8")))
