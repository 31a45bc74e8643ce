"""What the staff assistant hands to the call-centre platform and the sidebar, turn by turn."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Citation:
    """A regulation digest or guide an approved script rests on."""

    doc_id: str
    title: str
    article: str
    snippet: str


@dataclass(frozen=True, kw_only=True)
class Suggestion:
    """One suggested reply: an approved script with its slots filled (possibly adapted by the language model)."""

    id: str
    script_id: str
    title: str
    text: str
    reason: str
    citations: tuple[Citation, ...]
    score: float
    family: str = "need"           # need | verification | representative | victim | intermediary (knowledge/README.md)
    adapted: bool = False          # text was adapted by the language model (and passed the guard)
    original: str = ""             # the approved script, when adapted
    note: str = ""                 # why an adaptation was not used


@dataclass(frozen=True, kw_only=True)
class Assistance:
    """Everything shown to staff after one turn."""

    session_id: str
    turn_index: int
    risk: dict[str, Any]
    suggestions: tuple[Suggestion, ...]
    actions: tuple[dict[str, str], ...]
    probes: tuple[str, ...]
    passages: tuple[dict[str, Any], ...]
    message: str = ""
    needs: tuple[str, ...] = ()    # what the caller's latest turn asks for (knowledge/needs.yaml ids)

    def to_dict(self) -> dict[str, Any]:
        return {"session_id": self.session_id, "turn_index": self.turn_index, "risk": self.risk,
                "suggestions": [asdict(s) for s in self.suggestions], "actions": list(self.actions),
                "probes": list(self.probes), "passages": list(self.passages), "message": self.message,
                "needs": list(self.needs)}
