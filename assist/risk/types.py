"""Data types of the risk hint: turns in, an advisory assessment out."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from assist.errors import ConversationError
from assist.knowledge.signals import SIGNAL_CATEGORIES

CATEGORIES: tuple[str, ...] = (*SIGNAL_CATEGORIES, "none")
# What a labelled conversation is, in the order of the learned model's classes (its coefficients' rows).
LABELS: tuple[str, ...] = ("genuine", "legit_rep", "intermediary", "coached", "victim")

_SPEAKER_ALIASES = {
    "caller": "caller", "customer": "caller", "client": "caller", "user": "caller", "borrower": "caller",
    "客户": "caller", "来电人": "caller", "借款人": "caller", "用户": "caller",
    "agent": "agent", "staff": "agent", "operator": "agent", "坐席": "agent", "客服": "agent", "员工": "agent",
}


def normalize_speaker(value: Any, where: str = "") -> str:
    key = str(value).strip().lower() if value is not None else ""
    if key not in _SPEAKER_ALIASES:
        raise ConversationError(f"unknown speaker {value!r}; use 'caller' or 'agent'", field=where or "speaker")
    return _SPEAKER_ALIASES[key]


@dataclass(frozen=True)
class Turn:
    speaker: str                 # caller | agent
    text: str
    time: float | None = None    # seconds from call start, optional

    @classmethod
    def of(cls, raw: Any, index: int = 0) -> "Turn":
        """Build from a Turn or a mapping {"speaker", "text", "time"?}; clear error on anything else."""
        if isinstance(raw, Turn):
            return raw
        if not isinstance(raw, dict):
            raise ConversationError(f"turn {index} must be an object with speaker and text", field=f"turns[{index}]")
        speaker = normalize_speaker(raw.get("speaker"), f"turns[{index}].speaker")
        text = raw.get("text")
        text = "" if text is None else text
        if not isinstance(text, str):
            raise ConversationError(f"turn {index} text must be a string", field=f"turns[{index}].text")
        t = raw.get("time")
        if t is not None and not isinstance(t, (int, float)):
            raise ConversationError(f"turn {index} time must be a number of seconds", field=f"turns[{index}].time")
        return cls(speaker, text, float(t) if t is not None else None)


@dataclass(frozen=True)
class CallMeta:
    number_matches: str = "unknown"    # yes | no | unknown: calling number is the registered one
    channel: str = "phone"
    verified: bool = False             # the agent has verified identity or authorisation

    @classmethod
    def of(cls, raw: Any) -> "CallMeta":
        if isinstance(raw, CallMeta):
            return raw
        raw = raw or {}
        nm = str(raw.get("number_matches", "unknown")).lower()
        nm = {"true": "yes", "false": "no", "1": "yes", "0": "no"}.get(nm, nm)
        if nm not in ("yes", "no", "unknown"):
            raise ConversationError(f"number_matches must be yes, no or unknown, not {nm!r}", field="meta.number_matches")
        return cls(nm, str(raw.get("channel", "phone")), bool(raw.get("verified", False)))


@dataclass(frozen=True)
class Evidence:
    signal_id: str
    signal_name: str
    category: str
    turn_index: int
    start: int                   # character offsets into that turn's text as given
    end: int
    quote: str
    contribution: float          # how much it moved the score (log-odds units)
    layer: str                   # rule | semantic | discourse
    mode: str = "own"            # own words | reported (quoting someone else) | question (asking about it)


@dataclass(frozen=True)
class RiskAssessment:
    """Advisory, internal hint for the agent. Never a reason to refuse service or a complaint."""

    category: str                            # intermediary | coached | victim | none
    probabilities: dict[str, float]          # over CATEGORIES, sums to 1
    level: str                               # low | medium | high (after hysteresis)
    raw_level: str                           # level this turn alone would give
    evidence: tuple[Evidence, ...]
    actions: tuple[str, ...]
    probes: tuple[str, ...]
    legit_rep: float = 0.0                   # probability the caller is a legitimate representative (within none)
    turns: int = 0
    scorer: str = "rules+semantic"           # or "model:<hash>"
    notes: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        return {
            "category": self.category, "probabilities": {k: round(v, 4) for k, v in self.probabilities.items()},
            "level": self.level, "raw_level": self.raw_level, "legit_rep": round(self.legit_rep, 4),
            "evidence": [e.__dict__ | {"contribution": round(e.contribution, 3)} for e in self.evidence],
            "actions": list(self.actions), "probes": list(self.probes), "turns": self.turns, "scorer": self.scorer,
            "notes": list(self.notes),
        }
