"""JSON Lines: one reader for every file of the project (datasets, conversations, watchlist exchanges, demo calls)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assist.errors import AssistError


@dataclass(frozen=True)
class JsonLine:
    """One non-blank line: its 1-based number and its value, or why it is not JSON."""

    line: int
    value: Any = None
    error: str | None = None


def iter_jsonl(text: str) -> Iterator[JsonLine]:
    """Every non-blank line of ``text``; a line that is not JSON comes with its error instead of a value."""
    for n, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            yield JsonLine(n, json.loads(raw))
        except json.JSONDecodeError as exc:
            yield JsonLine(n, error=f"not JSON ({exc.msg} at column {exc.colno})")


def read_jsonl(path: Path) -> list[tuple[int, Any]]:
    """(line number, value) of every non-blank line of a UTF-8 file; the first bad line is an error naming file and
    line."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise AssistError(f"cannot read: {exc}", path=str(path)) from exc
    rows = []
    for item in iter_jsonl(text):
        if item.error is not None:
            raise AssistError(item.error, path=str(path), line=item.line)
        rows.append((item.line, item.value))
    return rows
