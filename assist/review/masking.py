"""Masking for reviewed documents: assist.core.pii, plus long numbers that OCR garbled past its checks.

assist.core.pii recognises an 身份证号 only with a valid check digit and a phone number only in its exact shape, which is
right for typed text. A scan turns "0" into "O", "1" into "l" and splits numbers with spaces, so a garbled ID would
slip through and be stored. Here any remaining run of 11 or more digit-like characters with at least 8 real digits
is masked as 【号码】 as well, also when a line break cuts it in two: losing a contract number from the stored
text costs nothing, storing an ID does.
"""

from __future__ import annotations

import re

from assist.core.pii import PLACEHOLDER, find
from assist.core.text import fold_width

RESIDUAL = "【号码】"
# A line break may sit inside a number too: OCR and PDF text wrap long lines wherever the page ended.
_RUN = re.compile(r"(?<![0-9A-Za-z])[0-9][0-9OolI| \-\n]{9,24}[0-9OolIxX](?![0-9A-Za-z])")


def spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, placeholder) of everything to mask, sorted and non-overlapping."""
    out = [(s.start, s.end, PLACEHOLDER[s.type]) for s in find(text)]
    folded = fold_width(text)
    for m in _RUN.finditer(folded):
        body = re.sub(r"[ \-\n]", "", m.group(0))
        if len(body) >= 11 and sum(c.isdigit() for c in body) >= 8 \
                and not any(s < m.end() and m.start() < e for s, e, _ in out):
            # keep the line count: a number wrapped over two lines leaves its line break behind the placeholder
            out.append((m.start(), m.end(), RESIDUAL + "\n" * m.group(0).count("\n")))
    return sorted(out)


def mask_text(text: str) -> str:
    """``text`` with personal numbers (and garbled long numbers) replaced by placeholders."""
    return MaskedText(text).text


def mask_name(name: str) -> str:
    """A file name or relative path with personal numbers masked. Each part is masked without its extension, because
    assist.core.pii leaves a number followed by '.' alone (it could be an amount)."""
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
