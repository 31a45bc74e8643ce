"""Masking for reviewed documents, with the map back to the original offsets (findings quote the original's
positions). The rules are assist.core.pii's (the one masker), with two choices for documents: numbers garbled by OCR
("0" read as "O", "1" as "l", split by spaces or a line break) are masked as 【号码】 too, because a scan would let a
garbled ID slip through the checks; shorter runs of digits (contract numbers, amounts) stay readable.
"""

from __future__ import annotations

from assist.core.pii import GARBLED as RESIDUAL
from assist.core.pii import storage_spans

__all__ = ["RESIDUAL", "MaskedText", "mask_name", "mask_text", "spans"]


def spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, placeholder) of everything to mask, sorted and non-overlapping."""
    return storage_spans(text, ocr=True, long_runs=False)


def mask_text(text: str) -> str:
    """``text`` with personal numbers (and garbled long numbers) replaced by placeholders."""
    return MaskedText(text).text


def mask_name(name: str) -> str:
    """A file name or relative path with personal numbers masked; each part without its extension, so that a number
    cannot run into it."""
    parts = []
    for part in name.split("/"):
        stem, dot, ext = part.rpartition(".")
        parts.append(mask_text(stem) + dot + ext if stem else mask_text(part))
    return "/".join(parts)


class MaskedText:
    """A text masked as above, remembering how to map an offset in the masked text back to the original."""

    def __init__(self, text: str) -> None:
        self.original = text
        parts: list[str] = []
        self._segments: list[tuple[int, int, int]] = []   # (masked start, original start, length) of copied runs
        last = pos = 0
        for start, end, placeholder in spans(text):
            self._segments.append((pos, last, start - last))
            parts.append(text[last:start])
            pos += start - last
            parts.append(placeholder)
            pos += len(placeholder)
            last = end
        self._segments.append((pos, last, len(text) - last))
        parts.append(text[last:])
        self.text = "".join(parts)

    def to_original(self, offset: int) -> int:
        """Original offset of a masked offset (a position inside a placeholder maps to the masked number's start)."""
        for m0, o0, n in reversed(self._segments):
            if offset >= m0:
                return o0 + min(offset - m0, n)
        return 0
