"""Loaders: Markdown (with front matter), plain text, HTML, PDF and DOCX into Documents."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Callable

from assist.errors import KnowledgeError, Problem
from assist.models import Document
from assist.schema import split_front_matter, validate_front_matter
from assist.text import decode_bytes

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


def load_file(path: Path, *, max_bytes: int) -> LoadResult:
    """Load one file; never raises for bad content, returns problems instead."""
    spath = str(path)
    try:
        size = path.stat().st_size
        if size == 0:
            raise KnowledgeError("empty file", path=spath)
        if size > max_bytes:
            raise KnowledgeError(f"file is {size / 2**20:.1f} MB, over the {max_bytes / 2**20:.1f} MB limit "
                                 f"(raise ASSIST_INGEST__MAX_FILE_MB to allow it)", path=spath)
        loader = _LOADERS.get(path.suffix.lower())
        if loader is None:
            raise KnowledgeError(f"unsupported file type {path.suffix!r}; supported: {', '.join(SUPPORTED)}", path=spath)
        return loader(path)
    except KnowledgeError as exc:
        return LoadResult(spath, problems=[Problem(spath, exc.message, line=exc.line, field=exc.field)])
    except OSError as exc:
        return LoadResult(spath, problems=[Problem(spath, f"cannot read file: {exc.strerror or exc}")])


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


def _load_pdf(path: Path) -> LoadResult:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        pages = [(page.extract_text() or "").strip() for page in reader.pages]
        title = (reader.metadata.title if reader.metadata else None) or None
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError) as exc:
        # Malformed PDFs surface as many exception types inside pypdf; all mean "cannot read this file".
        raise KnowledgeError(f"not a readable PDF: {type(exc).__name__}: {exc}", path=str(path)) from exc
    if not any(pages):
        raise KnowledgeError(f"PDF has no text layer ({len(pages)} page(s), probably scanned images); "
                             "OCR it first or provide the text", path=str(path))
    return _from_text(path, "\n\n".join(p for p in pages if p) + "\n", front_matter_required=False, title=title)


def _load_docx(path: Path) -> LoadResult:
    import zipfile

    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        d = docx.Document(str(path))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError) as exc:
        raise KnowledgeError(f"not a readable DOCX file: {exc}", path=str(path)) from exc
    parts: list[str] = []
    for block in d.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            para = Paragraph(block, d)
            text = para.text.strip()
            if not text:
                continue
            style = (para.style.name if para.style is not None else "") or ""
            m = re.search(r"(?:Heading|标题)\s*(\d)", style)
            parts.append(("#" * int(m.group(1)) + " " + text) if m else text)
        elif tag == "tbl":
            for row in Table(block, d).rows:
                cells: list[str] = []
                for cell in row.cells:  # merged cells repeat; keep each text once per row
                    t = cell.text.strip()
                    if t and (not cells or cells[-1] != t):
                        cells.append(t)
                if cells:
                    parts.append(" | ".join(cells))
    title = d.core_properties.title or None
    return _from_text(path, "\n\n".join(parts) + "\n", front_matter_required=False, title=title)


_LOADERS: dict[str, Callable[[Path], LoadResult]] = {
    ".md": _load_markdown, ".markdown": _load_markdown, ".txt": _load_text,
    ".html": _load_html, ".htm": _load_html, ".pdf": _load_pdf, ".docx": _load_docx,
}
