"""Reading a YAML knowledge file (signals, needs, discourse, lexicon, folder defaults): its text, UTF-8 or GBK, and
what it parses to, or the one problem that stops it (cannot be read, not valid YAML at a line)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from assist.core.text import decode_bytes
from assist.errors import KnowledgeError
from assist.knowledge.types import Problem


def read_yaml(path: Path, what: str = "cannot read") -> tuple[str, Any] | Problem:
    """(text, parsed data) of the file, or a Problem naming the file (and the line, for a YAML error). ``what``
    starts the message when the file cannot be read (e.g. "cannot read the lexicon")."""
    sp = str(path)
    try:
        text, _ = decode_bytes(path.read_bytes(), sp)
        return text, yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return Problem(sp, f"not valid YAML: {getattr(exc, 'problem', None) or exc}",
                       line=mark.line + 1 if mark is not None else None)
    except (OSError, KnowledgeError) as exc:
        return Problem(sp, f"{what}: {exc}")
