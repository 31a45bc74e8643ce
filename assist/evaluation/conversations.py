"""Labelled conversations (eval/datasets/conversations/*.jsonl) and their fixed train/dev/test split."""

from __future__ import annotations

import hashlib
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


def split_of(conv_id: str) -> str:
    """Fixed split by id: 70 % train, 15 % dev, 15 % test (stable when cases are added); ids starting with a
    held-out prefix form the 'heldout' split (other writers, never trained on: a check against learning style), and
    ids starting with a fresh prefix the 'fresh' split (never trained or tuned on)."""
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

    @property
    def split(self) -> str:
        return split_of(self.id)

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
    return LabelledConversation(str(row["id"]), label, tuple(Turn.of(t, i) for i, t in enumerate(turns)),
                                CallMeta.of(row.get("meta")), int(fet) if fet is not None else None,
                                tuple(row.get("signals") or ()), bool(row.get("hard")), bool(row.get("asr")))


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
