"""A pasted transcript ("客户：……" / "坐席：……", one turn a line) as turns, with the same speaker names the API
accepts (assist.risk.types)."""

from __future__ import annotations

import re

from assist.errors import ConversationError
from assist.risk.types import normalize_speaker

_PREFIX = re.compile(r"^\s*([^:：]{1,8})\s*[:：]\s*")


def parse_transcript(block: str) -> list[dict[str, str]]:
    """One {"speaker", "text"} per non-blank line. A line starts with its speaker and a colon; a line without a
    known speaker is the caller's."""
    turns = []
    for line in block.splitlines():
        if not line.strip():
            continue
        m = _PREFIX.match(line)
        speaker, text = "caller", line.strip()
        if m:
            try:
                speaker, text = normalize_speaker(m.group(1)), line[m.end():].strip()
            except ConversationError:
                pass
        turns.append({"speaker": speaker, "text": text})
    return turns
