"""Labelled conversations (eval/datasets/conversations/*.jsonl) and their fixed train/dev/test split."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assist.core.jsonl import iter_jsonl
from assist.errors import ConversationError, KnowledgeError
from assist.risk.types import LABELS, CallMeta, Turn

HELDOUT_PREFIXES = ("mx",)   # conversations by writers who wrote none of the training data
# Written by four further writers after the scorer's design was frozen (2026-12-02); never fitted or tuned on. The
# 'test' split had by then been read for two designs. What reading 'fresh' decided is in README, "Risk hint".
FRESH_PREFIXES = ("fr-",)
# The writer-diverse set (issue 17): every line names its writer. Ids "wNN-…" are the writers the protocol leaves out
# one at a time (split 'writers'); ids "fNN-…" are the final writers, scored once at the end and never trained or
# tuned on (split 'final').
WRITER_ID = re.compile(r"^(w\d{2})-")
FINAL_ID = re.compile(r"^(f\d{2})-")
CALLER_ROLES = ("self", "relative", "friend", "colleague", "assistant", "company", "lawyer", "unknown")
THIRD_PARTY_ROLES = frozenset(CALLER_ROLES) - {"self", "unknown"}


def split_of(conv_id: str) -> str:
    """Fixed split by id: 70 % train, 15 % dev, 15 % test (stable when cases are added); ids starting with a
    held-out prefix form the 'heldout' split (other writers, never trained on: a check against learning style), and
    ids starting with a fresh prefix the 'fresh' split (never trained or tuned on). The writer-diverse set has its own
    two splits: 'writers' (wNN-…, used leave-one-writer-out) and 'final' (fNN-…, scored once)."""
    if WRITER_ID.match(conv_id):
        return "writers"
    if FINAL_ID.match(conv_id):
        return "final"
    if conv_id.startswith(HELDOUT_PREFIXES):
        return "heldout"
    if conv_id.startswith(FRESH_PREFIXES):
        return "fresh"
    bucket = int(hashlib.sha1(conv_id.encode("utf-8")).hexdigest(), 16) % 100
    return "train" if bucket < 70 else "dev" if bucket < 85 else "test"


@dataclass(frozen=True)
class LabelledConversation:
    id: str
    label: str
    turns: tuple[Turn, ...]
    meta: CallMeta
    first_evidence_turn: int | None
    signals: tuple[str, ...]
    hard: bool
    asr: bool
    writer: str = ""
    caller_role: str | None = None      # who speaks relative to the borrower (writer-diverse set), else None
    tags: tuple[str, ...] = ()

    @property
    def split(self) -> str:
        return split_of(self.id)

    @property
    def third_party(self) -> bool | None:
        """The caller says they are not the borrower (None when the line does not say who speaks)."""
        return None if self.caller_role is None else self.caller_role in THIRD_PARTY_ROLES

    @property
    def involved(self) -> bool:
        """An intermediary is involved: the caller is one, or is coached by one."""
        return self.label in ("intermediary", "coached")


def parse_line(row: dict[str, Any]) -> LabelledConversation:
    label = row.get("label")
    if label not in LABELS:
        raise ConversationError(f"label must be one of {', '.join(LABELS)}", field="label")
    turns = row.get("turns")
    if not isinstance(turns, list):
        raise ConversationError("turns must be a list", field="turns")
    fet = row.get("first_evidence_turn")
    role = row.get("caller_role")
    if role is not None and role not in CALLER_ROLES:
        raise ConversationError(f"caller_role must be one of {', '.join(CALLER_ROLES)}", field="caller_role")
    tags = row.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise ConversationError("tags must be a list of strings", field="tags")
    conv_id = str(row["id"])
    writer = row.get("writer")
    if writer is not None and not isinstance(writer, str):
        raise ConversationError("writer must be a string", field="writer")
    return LabelledConversation(conv_id, label, tuple(Turn.of(t, i) for i, t in enumerate(turns)),
                                CallMeta.of(row.get("meta")), int(fet) if fet is not None else None,
                                tuple(row.get("signals") or ()), bool(row.get("hard")), bool(row.get("asr")),
                                writer or writer_of(conv_id), role, tuple(tags))


def writer_of(conv_id: str) -> str:
    """Who wrote a line that does not say: the id's prefix names the writer (the first team's files share one)."""
    for rx in (WRITER_ID, FINAL_ID):
        m = rx.match(conv_id)
        if m:
            return m.group(1)
    if conv_id.startswith("fr-"):
        return conv_id[:4]
    head = conv_id.split("-", 1)[0]
    return "team" if head in ("gen", "int", "coa", "vic", "rep") else head


def load_conversations(folder: Path) -> list[LabelledConversation]:
    """Every *.jsonl file in the folder; a bad line names file and line."""
    out: list[LabelledConversation] = []
    seen: dict[str, str] = {}
    files = sorted(folder.glob("*.jsonl"))
    if not files:
        raise KnowledgeError("no *.jsonl conversation files here", path=str(folder))
    for f in files:
        for item in iter_jsonl(f.read_text(encoding="utf-8")):
            n = item.line
            try:
                if item.error is not None:
                    raise ConversationError(item.error)
                if not isinstance(item.value, dict):
                    raise ConversationError("each line must be a JSON object")
                conv = parse_line(item.value)
            except (KeyError, ConversationError) as exc:
                msg = exc.message if isinstance(exc, ConversationError) else f"missing field {exc}"
                raise KnowledgeError(f"bad conversation: {msg}", path=str(f), line=n) from exc
            if conv.id in seen:
                raise KnowledgeError(f"duplicate conversation id {conv.id!r} (also in {seen[conv.id]})", path=str(f), line=n)
            seen[conv.id] = f"{f.name}:{n}"
            out.append(conv)
    return out
