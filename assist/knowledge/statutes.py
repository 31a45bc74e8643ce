"""Statute structure: article numbers (第X条, 第X条之一) in one canonical form, law names that match however they are
written, and recognising a text as a statute (a law, regulation or judicial interpretation split into articles)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assist.core.text import normalize

_DIGITS = "零一二三四五六七八九"
_CN_NUM = r"[一二三四五六七八九十百千零〇两]+"
NUM = r"[一二三四五六七八九十百千零〇两\d]+"
# An article starts a line: "第十三条 …", "第二百五十三条之一 …", "**第5条**：…" (bold and Arabic numbers are tolerated).
ARTICLE_LINE = re.compile(rf"^\s*(?:\*\*)?(第{NUM}条(?:之{NUM})?)(?:\*\*)?(?=[\s：:，,]|$)", re.MULTILINE)
ARTICLE_REF = re.compile(rf"第\s*({NUM})\s*条(?:\s*之\s*({NUM}))?")
MIN_ARTICLES = 3          # a text with at least this many distinct article lines is read as a statute


def cn_to_int(s: str) -> int:
    """A Chinese (or Arabic) numeral as an int: 二百五十三 -> 253, 十 -> 10, 一千零三十二 -> 1032."""
    s = s.strip()
    if s.isdigit():
        return int(s)
    total, section, digit = 0, 0, 0
    units = {"十": 10, "百": 100, "千": 1000}
    for ch in s:
        if ch in units:
            section += (digit or 1) * units[ch]
            digit = 0
        elif ch == "万":
            total += (section + digit) * 10000
            section, digit = 0, 0
        elif ch in "零〇":
            digit = 0
        elif ch == "两":
            digit = 2
        elif ch in _DIGITS:
            digit = _DIGITS.index(ch)
        else:
            raise ValueError(f"not a Chinese numeral: {s!r}")
    return total + section + digit


def int_to_cn(n: int) -> str:
    """The form statutes use: 10 -> 十, 13 -> 十三, 105 -> 一百零五, 1032 -> 一千零三十二, 110 -> 一百一十."""
    if n <= 0 or n >= 10000:
        raise ValueError(f"article number out of range: {n}")
    parts: list[str] = []
    zero = False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = n // value % 10
        if d == 0:
            if parts:
                zero = True
            continue
        if zero:
            parts.append("零")
            zero = False
        parts.append(_DIGITS[d] + unit)
    out = "".join(parts)
    return out[1:] if out.startswith("一十") else out


def canonical_article(text: str) -> str | None:
    """'第253条之1', '第二百五十三条之一', '第 13 条' -> the statute's own form ('第二百五十三条之一'); None if none."""
    m = ARTICLE_REF.search(text)
    if m is None:
        return None
    try:
        out = f"第{int_to_cn(cn_to_int(m.group(1)))}条"
        if m.group(2):
            out += f"之{int_to_cn(cn_to_int(m.group(2)))}"
    except ValueError:
        return None
    return out


def article_number(article: str) -> tuple[int, int]:
    """Sort key of a canonical article: (number, 之 number)."""
    m = ARTICLE_REF.search(article)
    if m is None:
        return (0, 0)
    return (cn_to_int(m.group(1)), cn_to_int(m.group(2)) if m.group(2) else 0)


_LAW_NOISE = re.compile(r"[《》〈〉“”\"'\s（）()]|中华人民共和国")


def law_key(name: str) -> str:
    """A law name's matching form: 《中华人民共和国民法典》 and 民法典 match; so do a file name and the law's heading."""
    return _LAW_NOISE.sub("", normalize(name))


def article_key(law: str, article: str) -> str:
    """The one key of an article across digests, statute texts and question files."""
    return f"{law_key(law)}#{canonical_article(article) or article}"


def article_lines(text: str) -> list[str]:
    """Canonical article numbers that start a line, in order, each once."""
    seen: dict[str, None] = {}
    for m in ARTICLE_LINE.finditer(text):
        art = canonical_article(m.group(1))
        if art:
            seen.setdefault(art, None)
    return list(seen)


@dataclass(frozen=True)
class StatuteShape:
    """What the text says about itself: its articles (in order) and whether it reads as a statute."""

    articles: tuple[str, ...]
    chapters: int

    @property
    def is_statute(self) -> bool:
        return len(self.articles) >= MIN_ARTICLES


_CHAPTER = re.compile(rf"^\s*(?:#+\s*)?第{NUM}[编章节](?:\s|$)", re.MULTILINE)


def statute_shape(text: str) -> StatuteShape:
    return StatuteShape(tuple(article_lines(text)), len(_CHAPTER.findall(text)))


_ITEM = re.compile(rf"^\s*[（(]{_CN_NUM}[）)]")


def paragraph_starts(article_text: str) -> list[int]:
    """Offsets (into ``article_text``) where each paragraph (款) of an article starts. Numbered items （一）（二）…
    belong to the paragraph before them, as in a statute's own numbering."""
    starts = [0]
    pos = 0
    for line in article_text.splitlines(keepends=True):
        here = pos
        pos += len(line)
        if here == 0 or not line.strip() or _ITEM.match(line):
            continue
        starts.append(here)
    return starts


def paragraphs_of(article_text: str, a: int, b: int) -> tuple[int, int]:
    """The 1-based paragraphs (first, last) that the span [a, b) of an article covers."""
    starts = paragraph_starts(article_text)
    first = max(i for i, s in enumerate(starts) if s <= a) + 1
    last = max(i for i, s in enumerate(starts) if s < b) + 1
    return first, last
