"""Atomic file writes: a reader sees the old file or the new one, never half of either."""

from __future__ import annotations

import os
import re
from pathlib import Path


def atomic_write_bytes(path: Path, data: bytes, *, durable: bool = False) -> None:
    """Write ``data`` to a temporary file beside ``path`` and rename it over ``path`` (one per process, so two
    writers never share a temporary file). ``durable`` also flushes it to disk first (the index manifest)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.tmp{os.getpid()}")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def atomic_write_text(path: Path, text: str, *, durable: bool = False) -> None:
    """``atomic_write_bytes`` of UTF-8 text."""
    atomic_write_bytes(path, text.encode("utf-8"), durable=durable)


def safe_name(text: str) -> str:
    """A name typed by a user, safe as part of a file name (no path separators, no leading dots)."""
    cleaned = re.sub(r"[^\w\-.]+", "_", text).strip("._")
    return cleaned[:60] or "x"
