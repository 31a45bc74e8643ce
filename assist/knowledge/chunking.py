"""Chunking aware of Chinese document structure: headings, 第X编/章/节 and 第X条 markers, then sentence ends.

Sizes are counted in tokens (tiktoken, passed in as a TokenCounter). Offsets always refer to the text as written.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace

from assist.core.text import sentence_spans
from assist.knowledge.statutes import ARTICLE_LINE, NUM, article_key, canonical_article, int_to_cn, paragraphs_of
from assist.knowledge.types import Chunk, Document
from assist.ports import TokenCounter

_MD_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_CN_HEADING = re.compile(rf"^\s*第{NUM}([编章节])(?:\s+|$)(.*)$")
_ARTICLE = re.compile(ARTICLE_LINE.pattern)
_COMMENT = re.compile(r"^\s*<!--.*-->\s*$")
_CN_LEVEL = {"编": 7, "章": 8, "节": 9}


@dataclass
class _Unit:
    start: int
    end: int
    headings: tuple[str, ...]
    article: str | None


def _units(body: str, base: int) -> list[_Unit]:
    """Split a body into structural units: one per article, or one per paragraph outside articles."""
    units: list[_Unit] = []
    stack: dict[int, str] = {}
    cur: _Unit | None = None
    pos = 0

    def close(at: int) -> None:
        nonlocal cur
        if cur is not None:
            cur.end = at
            if body[cur.start - base:cur.end - base].strip():
                units.append(cur)
        cur = None

    for line in body.splitlines(keepends=True):
        start, text = pos, line.rstrip("\r\n")
        pos += len(line)
        if _COMMENT.match(text):       # e.g. <!-- INFO END --> in law databases' Markdown
            text = ""
        md = _MD_HEADING.match(text)
        cn = None if md else _CN_HEADING.match(text)
        if md or cn:
            close(base + start)
            level = len(md.group(1)) if md else _CN_LEVEL[cn.group(1)]  # type: ignore[union-attr]
            title = md.group(2).strip() if md else text.strip()
            for lv in [lv for lv in stack if lv >= level]:
                del stack[lv]
            stack[level] = re.sub(r"\s+", " ", title)
            continue
        heads = tuple(stack[k] for k in sorted(stack))
        art = _ARTICLE.match(text)
        if art:
            close(base + start)
            cur = _Unit(base + start, base + pos, heads, canonical_article(art.group(1)) or art.group(1))
            continue
        if not text.strip():
            if cur is not None and cur.article is None:
                close(base + start)
            continue
        if cur is None:
            cur = _Unit(base + start, base + pos, heads, None)
        cur.end = base + pos
    close(base + len(body))
    return units


class Chunker:
    """Cuts documents into token-bounded chunks along their structure."""

    def __init__(self, counter: TokenCounter, max_tokens: int, overlap_tokens: int) -> None:
        if overlap_tokens >= max_tokens:
            raise ValueError("overlap_tokens must be smaller than max_tokens")
        self.counter = counter
        self.max_tokens = max_tokens
        self.overlap_tokens = overlap_tokens

    def _hard_split(self, text: str, a: int, b: int) -> list[tuple[int, int]]:
        """Split one over-long sentence into pieces that fit, by characters."""
        pieces, s = [], a
        while s < b:
            e = b
            while self.counter.count(text[s:e]) > self.max_tokens and e - s > 1:
                e = s + max(1, (e - s) * 3 // 4)
            pieces.append((s, e))
            s = e
        return pieces

    def _pack(self, text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Greedily pack sentence spans into windows of max_tokens, with sentence-granular overlap."""
        sents: list[tuple[int, int, int]] = []
        for a, b in spans:
            n = self.counter.count(text[a:b])
            if n > self.max_tokens:
                sents.extend((x, y, self.counter.count(text[x:y])) for x, y in self._hard_split(text, a, b))
            else:
                sents.append((a, b, n))
        windows: list[tuple[int, int]] = []
        i = 0
        while i < len(sents):
            j, total = i, 0
            while j < len(sents) and (total + sents[j][2] <= self.max_tokens or j == i):
                total += sents[j][2]
                j += 1
            windows.append((sents[i][0], sents[j - 1][1]))
            if j >= len(sents):
                break
            back, carried = j, 0
            while back - 1 > i and carried + sents[back - 1][2] <= self.overlap_tokens:
                back -= 1
                carried += sents[back][2]
            i = back
        return windows

    def chunk(self, doc: Document) -> list[Chunk]:
        text = doc.text
        units = _units(doc.body, doc.body_start)
        # Pack consecutive paragraph units of one section together; articles stay on their own.
        groups: list[tuple[list[tuple[int, int]], tuple[str, ...], str | None, _Unit]] = []
        for u in units:
            spans = sentence_spans(text[u.start:u.end], u.start)
            prev = groups[-1] if groups else None
            if (u.article is None and prev is not None and prev[2] is None and prev[1] == u.headings):
                prev[0].extend(spans)
            else:
                groups.append((spans, u.headings, u.article, u))
        citation = _citation(doc)
        law, cites = _law_and_cites(doc)
        statute = bool(doc.meta.get("law"))
        chunks: list[Chunk] = []
        for spans, heads, article, unit in groups:
            windows = self._pack(text, spans)
            for a, b in windows:
                raw = text[a:b]
                a += len(raw) - len(raw.lstrip())
                b -= len(raw) - len(raw.rstrip())
                if b <= a:
                    continue
                body = text[a:b]
                digest = hashlib.sha256("\x1f".join([doc.id, *heads, article or "", body]).encode()).hexdigest()[:16]
                if statute and article:
                    cite = f"《{law}》{article}"
                    if len(windows) > 1:      # part of a long article: name the paragraphs (款) it covers
                        first, last = paragraphs_of(text[unit.start:unit.end], a - unit.start, b - unit.start)
                        cite += f"第{int_to_cn(first)}款" + (f"至第{int_to_cn(last)}款" if last > first else "")
                else:
                    cite = citation or (f"{doc.title} {article}" if article else "")
                chunks.append(Chunk(id=f"{doc.id}:{digest}", doc_id=doc.id, title=doc.title, kind=doc.kind,
                                    audience=doc.audience, text=body, start=a, end=b, source_path=doc.path,
                                    headings=heads, article=article, tags=doc.tags, citation=cite, law=law,
                                    cites=cites))
        # Identical passages inside one document would collide: number the repeats (still stable across runs).
        seen: dict[str, int] = {}
        out: list[Chunk] = []
        for c in chunks:
            n = seen.get(c.id, 0)
            seen[c.id] = n + 1
            out.append(c if n == 0 else replace(c, id=f"{c.id}~{n}"))
        return out


def _law_and_cites(doc: Document) -> tuple[str, tuple[str, ...]]:
    """A statute text's law name; or the law a digest cites and its cited articles (statutes.article_key)."""
    if doc.meta.get("law"):
        return str(doc.meta["law"]), ()
    src = doc.source
    if isinstance(src, dict) and isinstance(src.get("law"), str) and src["law"]:
        arts = src.get("articles") or []
        arts = [arts] if isinstance(arts, str) else arts
        return src["law"], tuple(article_key(src["law"], str(a)) for a in arts if canonical_article(str(a)))
    return "", ()


def _citation(doc: Document) -> str:
    src = doc.source
    if isinstance(src, dict) and src.get("law"):
        arts = src.get("articles")
        arts_s = "、".join(arts) if isinstance(arts, list) else str(arts or "")
        ver = src.get("version") or src.get("effective")
        return f"《{src['law']}》{arts_s}" + (f"（{ver}）" if ver else "")
    return ""
