"""Chinese text as it arrives: decoding bytes of unknown encoding (UTF-8, GBK/GB18030, UTF-16), the matching form
(full-width, traditional and case folded), clause boundaries and negation cues. Every room uses these; none of them
keeps its own copy."""

from __future__ import annotations

import hashlib
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


def _plain_share(text: str) -> float:
    """Share of the non-space characters that letters are written in: ASCII, CJK ideographs, CJK and full-width
    punctuation."""
    chars = [c for c in text if not c.isspace()]
    plain = sum(c.isascii() or "\u4e00" <= c <= "\u9fff" or "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef"
                or c in "“”‘’…—·" for c in chars)
    return plain / len(chars) if chars else 1.0


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
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        pass
    else:
        # Big5 (traditional characters saved on a Hong Kong or Taiwan machine) also decodes as GB18030, into kana,
        # Greek and symbols: when that is what came out and Big5 reads it cleanly, it was Big5.
        if _plain_share(text) < 0.9:
            try:
                big5 = data.decode("big5hkscs")
            except UnicodeDecodeError:
                pass
            else:
                if _plain_share(big5) > _plain_share(text):
                    return big5, "big5hkscs"
        return text, "gb18030"
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


@lru_cache(maxsize=1)
def _hk2s():  # type: ignore[no-untyped-def]
    try:
        import opencc
    except ImportError:  # pragma: no cover - opencc is a dependency
        return None
    return opencc.OpenCC("hk2s")


def simplify_aligned(text: str) -> str:
    """``text`` with traditional characters (Hong Kong and Taiwan variants too: 衞, 粧) converted to simplified and
    every offset kept: converted whole when the conversion keeps the length (it does for CJK text), else line by line,
    else character by character."""
    conv = _hk2s()
    if conv is None or text.isascii():
        return text
    out: str = conv.convert(text)
    if len(out) == len(text):
        return out
    parts = []
    for part in text.split("\n"):
        line = conv.convert(part)
        parts.append(line if len(line) == len(part)
                     else "".join(c if len(c := conv.convert(ch)) == 1 else ch for ch in part))
    return "\n".join(parts)


def text_key(text: str) -> str:
    """A stable key of a text (SHA-256 hex), for caches of what was computed from it."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def fold_width(text: str) -> str:
    """Full-width digits, letters and punctuation folded to their ASCII forms (NFKC), character by character, so that
    every offset into the result is an offset into ``text``. A character whose NFKC form is longer stays as it is."""
    folded = unicodedata.normalize("NFKC", text)
    if len(folded) == len(text):
        return folded
    out = []
    for ch in text:
        f = unicodedata.normalize("NFKC", ch)
        out.append(f if len(f) == 1 else ch)
    return "".join(out)


# -- clauses --------------------------------------------------------------------------------------------------------

# What ends a clause in speech and in letters. Letters use LETTER_CLAUSE_BREAKS: there a full stop sits inside dates
# (2024.01.05) and amounts, and must not cut a quote in two.
CLAUSE_BREAKS = "，。！？；,.!?;\n"
LETTER_CLAUSE_BREAKS = "。！？；!?;，,\n"
SENTENCE_BREAKS = "。！？!?\n"


@lru_cache(maxsize=16)
def _breaks(chars: str) -> re.Pattern[str]:
    return re.compile("[" + re.escape(chars) + "]")


def clause_bounds(text: str, start: int, end: int, breaks: str = CLAUSE_BREAKS) -> tuple[int, int]:
    """(left, right) offsets of the clause around ``text[start:end]``: from after the last break before ``start``
    to the first break at or after ``end``."""
    pat = _breaks(breaks)
    left = max((m.end() for m in pat.finditer(text, 0, start)), default=0)
    m = pat.search(text, end)
    return left, (m.start() if m else len(text))


def split_clauses(text: str, breaks: str = SENTENCE_BREAKS) -> list[tuple[int, int]]:
    """(start, end) of every non-empty run of ``text`` between breaks."""
    return [(m.start(), m.end()) for m in re.finditer("[^" + re.escape(breaks) + "]+", text)]


# -- negation -------------------------------------------------------------------------------------------------------

# Cue lists by what they cancel. They differ on purpose: a caller's denial (我不是代理) is not a notice's prohibition
# (切勿转账), and the risk hint's learned model was trained with DENIAL's exact list.
DENIAL = ("不是", "没有", "没", "并非", "从没", "从来没有?", "不会", "绝对不", "并没有", "才不是", "哪是")
LETTER_DENIAL = ("不是", "没有", "没", "并非", "从未", "从没", "并未", "未曾")
PROHIBITION = ("切勿", "不要", "请勿", "不会", "别", "勿")
NEGATED_PROMISE = ("不", "无法", "不能", "没法", "没有办法", "不会", "不可能", "并不", "从不", "不承诺", "不保证", "不存在",
                   "没有", "绝不")


_STOPS = "，。！？；,.!?;"


@lru_cache(maxsize=32)
def _negation(cues: tuple[str, ...], gap: int | None, stops: str) -> re.Pattern[str]:
    between = r"\s*" if gap is None else f"[^{re.escape(stops)}]{{0,{gap}}}"
    return re.compile("(" + "|".join(cues) + ")" + between + "$")


def negated(text: str, start: int, cues: tuple[str, ...], *, lookback: int, gap: int | None = None,
            stops: str = _STOPS) -> bool:
    """A cue ends within ``lookback`` characters before ``start``, followed by at most ``gap`` characters that are
    not in ``stops`` (``gap=None``: by white space only)."""
    return _negation(cues, gap, stops).search(text[max(0, start - lookback):start]) is not None


# Sentence ends for cutting passages: closing quotes and brackets stay with their sentence, and a line break ends one.
_SENTENCE_END = re.compile(r"[。！？；!?;…]+[”’」』）)]*|\n+")


def sentence_spans(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """(start, end) of every non-blank sentence of ``text``, shifted by ``offset``."""
    spans, last = [], 0
    for m in _SENTENCE_END.finditer(text):
        if m.end() > last:
            spans.append((offset + last, offset + m.end()))
            last = m.end()
    if last < len(text):
        spans.append((offset + last, offset + len(text)))
    return [(a, b) for a, b in spans if text[a - offset:b - offset].strip()]


_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_text(text: str) -> str:
    """``text`` with lone surrogates (U+D800-U+DFFF, which a JSON client can send as escapes but no encoder, database
    or tokenizer accepts) replaced by U+FFFD; every other character as it is."""
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


def has_surrogates(text: str) -> bool:
    """Whether ``text`` holds a lone surrogate (see ``clean_text``)."""
    return _SURROGATE.search(text) is not None
