"""Reading a YAML knowledge file (signals, needs, discourse, lexicon, folder defaults): its text, UTF-8 or GBK, and
what it parses to, or the one problem that stops it (cannot be read, not valid YAML at a line)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from assist.core.text import decode_bytes
from assist.errors import KnowledgeError
from assist.knowledge.types import Problem


def read_yaml(path: Path, what: str = "cannot read", *, mapping: str | None = None,
              empty: Any = None) -> tuple[str, Any] | Problem:
    """(text, parsed data) of the file, or a Problem naming the file (and the line, for a YAML error). ``what``
    starts the message when the file cannot be read (e.g. "cannot read the lexicon"). An empty file parses as
    ``empty``. With ``mapping``, anything but a mapping is that problem, at line 1."""
    sp = str(path)
    try:
        text, _ = decode_bytes(path.read_bytes(), sp)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return Problem(sp, f"not valid YAML: {getattr(exc, 'problem', None) or exc}",
                       line=mark.line + 1 if mark is not None else None)
    except (OSError, KnowledgeError) as exc:
        return Problem(sp, f"{what}: {exc}")
    data = empty if data is None else data
    if mapping is not None and not isinstance(data, dict):
        return Problem(sp, mapping, line=1)
    return text, data
