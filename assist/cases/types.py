"""Plain data of a case, the roles that may work on one, and the hashing that makes a package verifiable.

Everything a case holds is masked (assist.core.pii) before it reaches the store; identifiers and borrowers are kept
as keyed hashes (the watchlist's HMAC), never as raw values."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any

CASE_ROLES = ("reviewer", "admin")
"""Who may open a case, add to it, export it and verify a package (the 案件 tab, `/v1/cases`, `assist case`)."""

UNMASKED_ROLES = ("admin",)
"""Who may export an unmasked copy (for the police), always with a written reason that goes into the case log."""

ORIGINS = ("phone", "name", "company", "cluster", "call")
ITEM_KINDS = ("call", "letter", "sighting")


@dataclass(frozen=True)
class Actor:
    """Who does something to a case: the signed-in account (or the CLI operator) and the role it acts in."""

    name: str
    role: str


def canonical(value: Any) -> bytes:
    """The one byte form hashed everywhere: sorted keys, no spaces, UTF-8 (so a hash can be recomputed later)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def entry_hash(prev: str, entry: dict[str, Any]) -> str:
    """A log entry's hash chains it to the one before: changing or removing any earlier entry breaks every later
    hash."""
    return sha256(prev.encode("ascii") + canonical(entry))


GENESIS = "0" * 64      # the "previous hash" of a case's first log entry


@dataclass(frozen=True)
class Identifier:
    """An identifier the case is about: its kind, keyed hash, and the label shown (masked for phones and names)."""

    kind: str
    id_hash: str
    label: str


@dataclass(frozen=True)
class CaseRecord:
    case_id: str
    title: str
    origin: str                         # one of ORIGINS
    origin_label: str                   # masked
    identifiers: tuple[Identifier, ...]
    created_at: str
    created_by: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def of(cls, d: dict[str, Any]) -> "CaseRecord":
        return cls(d["case_id"], d["title"], d["origin"], d["origin_label"],
                   tuple(Identifier(**i) for i in d["identifiers"]), d["created_at"], d["created_by"])


@dataclass(frozen=True)
class Item:
    """One gathered piece (a call, a letter, a sighting): masked content, its hash, and the hash of the raw source it
    was made from (so an unmasked copy can be matched to it)."""

    item_id: str
    kind: str                           # one of ITEM_KINDS
    at: str                             # ISO time (or date) on the timeline
    content: dict[str, Any]
    source_sha256: str
    content_sha256: str = ""
    added_by: str = ""
    added_at: str = ""

    def __post_init__(self) -> None:
        if not self.content_sha256:
            object.__setattr__(self, "content_sha256", sha256(canonical(self.content)))

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class LogEntry:
    seq: int
    case_id: str
    at: str
    actor: str
    role: str
    action: str                         # open | add | export | export_unmasked | verify
    detail: dict[str, Any]
    prev_hash: str
    hash: str

    def body(self) -> dict[str, Any]:
        """What the hash covers (everything but the hashes)."""
        return {"seq": self.seq, "case_id": self.case_id, "at": self.at, "actor": self.actor, "role": self.role,
                "action": self.action, "detail": self.detail}

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Amount:
    """A sum of money or a rate mentioned in a call or a letter."""

    text: str                           # as written (masked context)
    yuan: float | None                  # the amount in yuan (None for a rate)
    kind: str                           # fee | amount | rate
    exhibit: str = ""
    where: str = ""                     # 第N轮 / 第N行


@dataclass(frozen=True)
class Provision:
    """A legal provision the conduct may touch, from the knowledge base's article search."""

    citation: str
    law: str
    article: str
    excerpt: str
    conduct: str                        # which suspected conduct it was looked up for


@dataclass(frozen=True)
class TimelineEntry:
    at: str
    exhibit: str
    kind: str
    summary: str


@dataclass
class CaseFile:
    """A case assembled for reading or export: exhibits in timeline order and what they add up to."""

    case: CaseRecord
    exhibits: list[tuple[str, Item]]                  # (exhibit number, item)
    timeline: list[TimelineEntry]
    borrowers: int
    borrower_sources: dict[str, int]
    amounts: list[Amount]
    conduct: list[str]
    provisions: list[Provision]
    log: list[LogEntry]
    masked: bool = True
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"case": self.case.to_dict(), "masked": self.masked, "borrowers": self.borrowers,
                "borrower_sources": self.borrower_sources,
                "counts": {k: sum(1 for _, i in self.exhibits if i.kind == k) for k in ITEM_KINDS},
                "amounts": [asdict(a) for a in self.amounts], "conduct": list(self.conduct),
                "provisions": [asdict(p) for p in self.provisions],
                "timeline": [asdict(t) for t in self.timeline],
                "exhibits": [{"exhibit": n, **i.to_dict()} for n, i in self.exhibits],
                "log": [e.to_dict() for e in self.log], "notes": list(self.notes)}
