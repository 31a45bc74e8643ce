"""Loaders: Markdown (with front matter), plain text, HTML, PDF and DOCX into Documents."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from assist.core.text import decode_bytes
from assist.errors import DocumentError, KnowledgeError
from assist.knowledge.schema import split_front_matter, validate_front_matter
from assist.knowledge.types import Document, Problem
from assist.ports import OfficeReader

SUPPORTED = (".md", ".markdown", ".txt", ".html", ".htm", ".pdf", ".docx")
SKIPPED_NAMES = {"README.md", "readme.md", "__init__.py"}
_RESERVED = {"id", "title", "kind", "audience", "tags", "source"}


@dataclass
class LoadResult:
    """What loading one file gave: a document, or the problems that stopped it (and warnings either way)."""

    path: str
    document: Document | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.document is not None and not any(p.severity == "error" for p in self.problems)


def discover(paths: list[Path]) -> list[Path]:
    """Every loadable file under the given files/folders, sorted, skipping hidden files and READMEs."""
    found: set[Path] = set()
    for p in paths:
        if p.is_file():
            found.add(p)
        elif p.is_dir():
            for f in p.rglob("*"):
                rel = f.relative_to(p).parts
                if f.is_file() and not any(part.startswith((".", "__pycache__")) for part in rel) \
                        and f.suffix.lower() in SUPPORTED and f.name not in SKIPPED_NAMES:
                    found.add(f)
        else:
            raise KnowledgeError("no such file or folder", path=p)
    return sorted(found)


def default_id(path: Path) -> str:
    """An id for a file that has no front matter: ASCII part of its name plus a short path hash."""
    stem = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")[:40]
    digest = hashlib.sha1(str(path.as_posix()).encode()).hexdigest()[:8]
    return f"{stem}-{digest}" if stem else f"doc-{digest}"


class KnowledgeLoader:
    """Reads knowledge files of every supported format into validated Documents (PDF and DOCX through ``office``)."""

    def __init__(self, office: OfficeReader, max_bytes: int) -> None:
        self.office = office
        self.max_bytes = max_bytes

    def load_file(self, path: Path) -> LoadResult:
        """Load one file; never raises for bad content, returns problems instead."""
        spath = str(path)
        try:
            size = path.stat().st_size
            if size == 0:
                raise KnowledgeError("empty file", path=spath)
            if size > self.max_bytes:
                raise KnowledgeError(f"file is {size / 2**20:.1f} MB, over the {self.max_bytes / 2**20:.1f} MB limit "
                                     f"(raise ASSIST_INGEST__MAX_FILE_MB to allow it)", path=spath)
            suffix = path.suffix.lower()
            if suffix == ".pdf":
                return self._load_pdf(path)
            if suffix == ".docx":
                return self._load_docx(path)
            loader = _TEXT_LOADERS.get(suffix)
            if loader is None:
                raise KnowledgeError(f"unsupported file type {path.suffix!r}; supported: {', '.join(SUPPORTED)}",
                                     path=spath)
            return loader(path)
        except KnowledgeError as exc:
            return LoadResult(spath, problems=[Problem(spath, exc.message, line=exc.line, field=exc.field)])
        except DocumentError as exc:
            return LoadResult(spath, problems=[Problem(spath, exc.message)])
        except OSError as exc:
            return LoadResult(spath, problems=[Problem(spath, f"cannot read file: {exc.strerror or exc}")])

    def load(self, paths: Sequence[Path]) -> tuple[list[Document], list[Problem], list[str]]:
        """Load and validate every file under ``paths``; returns (good documents, problems, paths that failed)."""
        problems: list[Problem] = []
        try:
            files = discover(list(paths))
        except KnowledgeError as exc:
            return [], [Problem(exc.path or "", exc.message)], []
        docs: list[Document] = []
        failed: list[str] = []
        seen: dict[str, str] = {}
        for f in files:
            res = self.load_file(f)
            problems.extend(res.problems)
            if not res.ok or res.document is None:
                failed.append(str(f))
                continue
            doc = res.document
            if doc.id in seen:
                problems.append(Problem(str(f), f"duplicate id {doc.id!r}: already used by {seen[doc.id]}; this file "
                                                "is skipped", line=2, field="id"))
                failed.append(str(f))
                continue
            seen[doc.id] = str(f)
            docs.append(doc)
        return docs, problems, failed

    def _load_pdf(self, path: Path) -> LoadResult:
        pdf = self.office.open_pdf(path.read_bytes(), str(path))
        pages = [pdf.text(n).strip() for n in range(pdf.pages)]
        if not any(pages):
            raise KnowledgeError(f"PDF has no text layer ({len(pages)} page(s), probably scanned images); "
                                 "OCR it first or provide the text", path=str(path))
        return _from_text(path, "\n\n".join(p for p in pages if p) + "\n", front_matter_required=False,
                          title=pdf.title)

    def _load_docx(self, path: Path) -> LoadResult:
        blocks, title = self.office.read_docx(path.read_bytes(), str(path))
        parts: list[str] = []
        for b in blocks:
            if b.cells:
                parts.append(" | ".join(b.cells))
            elif b.text.strip():
                parts.append(("#" * b.heading + " " + b.text.strip()) if b.heading else b.text.strip())
        return _from_text(path, "\n\n".join(parts) + "\n", front_matter_required=False, title=title)


def _document(path: Path, text: str, body_start: int, meta: dict[str, Any]) -> Document:
    extra = {k: v for k, v in meta.items() if k not in _RESERVED}
    return Document(id=str(meta["id"]), title=str(meta["title"]).strip(), kind=str(meta["kind"]),
                    audience=str(meta["audience"]), path=str(path), text=text, body_start=body_start,
                    tags=tuple(str(t) for t in meta.get("tags") or ()), source=meta.get("source"), meta=extra)


def _defaults(path: Path, title: str | None) -> dict[str, Any]:
    return {"id": default_id(path), "title": title or path.stem, "kind": "guide", "audience": "agent", "tags": []}


def _from_text(path: Path, text: str, *, front_matter_required: bool, title: str | None = None) -> LoadResult:
    spath = str(path)
    if not text.strip():
        return LoadResult(spath, problems=[Problem(spath, "file has no text")])
    fm, problems = split_front_matter(text, spath)
    if problems:
        return LoadResult(spath, problems=problems)
    if fm is None:
        if front_matter_required:
            return LoadResult(spath, problems=[Problem(spath, "missing front matter: a Markdown knowledge file starts with "
                                                       "'---', then id, title, kind, audience, tags, then '---'", line=1)])
        return LoadResult(spath, _document(path, text, 0, _defaults(path, title)))
    body = text[fm.body_start:]
    problems = validate_front_matter(fm, spath, body)
    if any(p.severity == "error" for p in problems):
        return LoadResult(spath, problems=problems)
    return LoadResult(spath, _document(path, text, fm.body_start, fm.data), problems)


def _load_markdown(path: Path) -> LoadResult:
    text, _ = decode_bytes(path.read_bytes(), str(path))
    return _from_text(path, text, front_matter_required=True)


def _load_text(path: Path) -> LoadResult:
    text, _ = decode_bytes(path.read_bytes(), str(path))
    return _from_text(path, text, front_matter_required=False)


class _HTMLText(HTMLParser):
    """HTML to Markdown-ish text: headings become '#' lines, blocks become paragraphs, scripts are dropped."""

    BLOCKS = {"p", "div", "li", "tr", "br", "section", "article", "table", "ul", "ol", "blockquote", "pre"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.title: str | None = None
        self._skip = 0
        self._in_title = False
        self._heading: int | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "noscript", "template"):
            self._skip += 1
        elif tag == "title":
            self._in_title = True
        elif re.fullmatch(r"h[1-6]", tag):
            self._heading = int(tag[1])
            self.out.append("\n\n" + "#" * self._heading + " ")
        elif tag in ("td", "th"):
            self.out.append(" | ")
        elif tag in self.BLOCKS:
            self.out.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "noscript", "template"):
            self._skip = max(0, self._skip - 1)
        elif tag == "title":
            self._in_title = False
        elif re.fullmatch(r"h[1-6]", tag):
            self._heading = None
            self.out.append("\n")
        elif tag in self.BLOCKS:
            self.out.append("\n")

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._in_title:
            self.title = (self.title or "") + data.strip()
            return
        self.out.append(re.sub(r"\s+", " ", data) if self._heading else data)

    def text(self) -> str:
        raw = "".join(self.out)
        lines = [ln.strip() for ln in raw.splitlines()]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


def _load_html(path: Path) -> LoadResult:
    data = path.read_bytes()
    m = re.search(rb'<meta[^>]+charset=["\']?([A-Za-z0-9_-]+)', data[:4096], re.IGNORECASE)
    if m:
        try:
            html = data.decode(m.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            html, _ = decode_bytes(data, str(path))
    else:
        html, _ = decode_bytes(data, str(path))
    parser = _HTMLText()
    parser.feed(html)
    parser.close()
    return _from_text(path, parser.text(), front_matter_required=False, title=parser.title)


_TEXT_LOADERS: dict[str, Callable[[Path], LoadResult]] = {
    ".md": _load_markdown, ".markdown": _load_markdown, ".txt": _load_text, ".html": _load_html, ".htm": _load_html,
}
