"""Decoding bytes of unknown encoding (UTF-8, GBK/GB18030, UTF-16) and normalising Chinese text for matching."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from assist.errors import KnowledgeError

_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


def looks_binary(data: bytes) -> bool:
    """True when the bytes are not text: NUL bytes or many control characters early on."""
    head = data[:8192]
    if not head:
        return False
    if any(head.startswith(b) for b, _ in _BOMS[1:]):
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return controls / len(head) > 0.05


def decode_bytes(data: bytes, path: str = "<bytes>") -> tuple[str, str]:
    """Return (text, encoding). Tries BOMs, strict UTF-8, strict GB18030 (covers GBK/GB2312), then detection."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data.decode(enc), enc
    if looks_binary(data):
        raise KnowledgeError("binary file, not text (no loader for this content)", path=path)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes  # lazy: only for unusual files

    best = from_bytes(data).best()
    if best is None:
        raise KnowledgeError("cannot determine the text encoding (tried UTF-8, GB18030 and detection)", path=path)
    return str(best), best.encoding


@lru_cache(maxsize=1)
def _t2s():  # type: ignore[no-untyped-def]
    try:
        import opencc
    except ImportError:  # pragma: no cover - opencc is a dependency; degrade to NFKC only
        return None
    return opencc.OpenCC("t2s")


_SPACE = re.compile(r"\s+")


def normalize(text: str, *, simplify: bool = True) -> str:
    """Matching form of a text: NFKC (full-width letters, digits and punctuation become half-width),
    lower case, traditional characters converted to simplified, runs of whitespace collapsed.

    Used for indexing and queries only; documents are always shown as written.
    """
    out = unicodedata.normalize("NFKC", text).lower()
    if simplify:
        conv = _t2s()
        if conv is not None:
            out = conv.convert(out)
    return _SPACE.sub(" ", out).strip()


def normalize_aligned(text: str) -> str:
    """``normalize`` when it keeps every character's offset (NFKC does for CJK and most punctuation), else just
    lower case: matches found in the result can be quoted from ``text`` at the same offsets."""
    norm = normalize(text, simplify=True)
    return norm if len(norm) == len(text) else text.lower()
