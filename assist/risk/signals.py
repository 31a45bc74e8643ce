"""The signal taxonomy (knowledge/signals.yaml) compiled for matching."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from assist.errors import KnowledgeError

WEIGHTS = {"high": 2.0, "medium": 1.0, "low": 0.5}


@dataclass(frozen=True)
class Signal:
    id: str
    name: str
    category: str                       # intermediary | coached | victim
    weight: str                         # high | medium | low
    examples: tuple[str, ...]
    lookalikes: tuple[str, ...]
    patterns: tuple[re.Pattern[str], ...] = ()
    keywords: tuple[tuple[str, ...], ...] = ()
    unless: tuple[re.Pattern[str], ...] = ()
    channels: tuple[str, ...] = field(default_factory=tuple)
    alone_at_most: str = "high"         # highest level this signal may justify without another signal's evidence

    @property
    def weight_value(self) -> float:
        return WEIGHTS[self.weight]


def load_signal_set(path: Path) -> list[Signal]:
    """Parse signals.yaml; a bad regex names the signal and the pattern."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise KnowledgeError(f"cannot read the signal taxonomy: {exc}", path=str(path)) from exc
    out = []
    for raw in data.get("signals", []):
        sid = raw.get("id", "?")
        try:
            pats = tuple(re.compile(p) for p in raw.get("patterns") or ())
            unless = tuple(re.compile(p) for p in raw.get("unless") or ())
        except re.error as exc:
            raise KnowledgeError(f"signal {sid}: bad pattern: {exc}", path=str(path), field="patterns") from exc
        alone = raw.get("alone_at_most", "high")
        if alone not in ("medium", "high"):
            raise KnowledgeError(f"signal {sid}: alone_at_most must be medium or high, not {alone!r}", path=str(path),
                                 field="alone_at_most")
        out.append(Signal(id=sid, name=raw["name"], category=raw["category"], weight=raw["weight"],
                          examples=tuple(raw.get("examples") or ()), lookalikes=tuple(raw.get("lookalikes") or ()),
                          patterns=pats, keywords=tuple(tuple(k) for k in raw.get("keywords") or ()), unless=unless,
                          channels=tuple(raw.get("channel") or ()), alone_at_most=alone))
    return out
