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
from assist.knowledge.statutes import ARTICLE_LINE, statute_shape
from assist.knowledge.types import AUDIENCES, KINDS, Document, DocumentDefaults, Problem
from assist.knowledge.yaml_files import read_yaml
from assist.ports import OfficeReader

SUPPORTED = (".md", ".markdown", ".txt", ".html", ".htm", ".pdf", ".docx")
SKIPPED_NAMES = {"README.md", "readme.md", "__init__.py"}
DEFAULTS_FILE = "_defaults.yaml"
_RESERVED = {"id", "title", "kind", "audience", "tags", "source"}
# What a document without front matter may be: scripts need fields only front matter can give (situation, rests_on…).
INFERABLE_KINDS = tuple(k for k in KINDS if k != "script")


@dataclass
class LoadResult:
    """What loading one file gave: a document, or the problems that stopped it (and warnings either way)."""

    path: str
    document: Document | None = None
    problems: list[Problem] = field(default_factory=list)
    inferred: dict[str, str] = field(default_factory=dict)   # field -> how it was filled (no front matter)

    @property
    def ok(self) -> bool:
        return self.document is not None and not any(p.severity == "error" for p in self.problems)


def discover_roots(paths: list[Path]) -> dict[Path, Path]:
    """Every loadable file under the given files/folders (sorted), each with the folder it was found under (a file
    given by itself is its own folder's), skipping hidden files, READMEs and unsupported types."""
    found: dict[Path, Path] = {}
    for p in paths:
        if p.is_file():
            found.setdefault(p, p.parent)
        elif p.is_dir():
            for f in p.rglob("*"):
                rel = f.relative_to(p).parts
                if f.is_file() and not any(part.startswith((".", "__pycache__")) for part in rel) \
                        and f.suffix.lower() in SUPPORTED and f.name not in SKIPPED_NAMES:
                    found.setdefault(f, p)
        else:
            raise KnowledgeError("no such file or folder", path=p)
    return dict(sorted(found.items()))


def discover(paths: list[Path]) -> list[Path]:
    """Every loadable file under the given files/folders, sorted, skipping hidden files and READMEs."""
    return list(discover_roots(paths))


def default_id(path: Path, root: Path | None = None) -> str:
    """An id for a file that has no front matter: ASCII part of its name plus a hash of its path below the folder it
    was ingested from (so the same folder gives the same ids wherever it lies and however it was named)."""
    stem = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")[:40]
    where = path.resolve().relative_to(root.resolve()) if root is not None else path
    base = f"{root.resolve().name}/{where.as_posix()}" if root is not None else path.as_posix()
    digest = hashlib.sha1(base.encode()).hexdigest()[:8]
    return f"{stem}-{digest}" if stem else f"doc-{digest}"


def read_defaults(path: Path) -> tuple[DocumentDefaults, list[Problem]]:
    """A folder's ``_defaults.yaml`` (kind, audience, tags for its files without front matter)."""
    spath = str(path)
    read = read_yaml(path, "cannot read folder defaults", empty={},
                     mapping="folder defaults must be a mapping: kind, audience, tags")
    if isinstance(read, Problem):
        return DocumentDefaults(), [read]
    text, data = read
    lines = {str(k): n + 1 for n, ln in enumerate(text.splitlines()) for k in data if ln.startswith(f"{k}:")}
    problems = [Problem(spath, f"unknown field {k!r}; folder defaults may set kind, audience and tags",
                        line=lines.get(str(k)), field=str(k)) for k in data if k not in ("kind", "audience", "tags")]
    kind, audience, tags = data.get("kind"), data.get("audience"), data.get("tags") or []
    problems += check_defaults(kind, audience, spath, lines)
    if not isinstance(tags, list) or not all(isinstance(t, (str, int)) and str(t).strip() for t in tags):
        problems.append(Problem(spath, "tags must be a list of words, e.g. [催收, 内部制度]", line=lines.get("tags"),
                                field="tags"))
        tags = []
    return DocumentDefaults(kind, audience, tuple(str(t) for t in tags), origin=spath), problems


def check_defaults(kind: object, audience: object, where: str, lines: dict[str, int] | None = None) -> list[Problem]:
    """Problems with a default kind/audience (from a folder's defaults or the command line)."""
    lines = lines or {}
    problems = []
    if kind is not None and kind not in INFERABLE_KINDS:
        problems.append(Problem(where, f"kind {kind!r} cannot be a default; choose one of {', '.join(INFERABLE_KINDS)} "
                                "(a script needs its own front matter)", line=lines.get("kind"), field="kind"))
    if audience is not None and audience not in AUDIENCES:
        problems.append(Problem(where, f"unknown audience {audience!r}; expected one of: {', '.join(AUDIENCES)}",
                                line=lines.get("audience"), field="audience"))
    return problems


@dataclass(frozen=True)
class _Context:
    """Where a file was found and the defaults for its missing fields."""

    root: Path | None
    defaults: DocumentDefaults


class KnowledgeLoader:
    """Reads knowledge files of every supported format into validated Documents (PDF and DOCX through ``office``)."""

    def __init__(self, office: OfficeReader, max_bytes: int, defaults: DocumentDefaults | None = None) -> None:
        """``defaults`` (from settings) fill the fields of documents without front matter that neither the command
        line nor a folder's ``_defaults.yaml`` gives."""
        self.office = office
        self.max_bytes = max_bytes
        self.defaults = defaults or DocumentDefaults()

    def load_file(self, path: Path, root: Path | None = None, defaults: DocumentDefaults | None = None) -> LoadResult:
        """Load one file; never raises for bad content, returns problems instead. ``root``: the folder it was found
        under (ids of files without front matter come from the path below it)."""
        spath = str(path)
        ctx = _Context(root, defaults or self.defaults)
        try:
            size = path.stat().st_size
            if size == 0:
                raise KnowledgeError("empty file", path=spath)
            if size > self.max_bytes:
                raise KnowledgeError(f"file is {size / 2**20:.1f} MB, over the {self.max_bytes / 2**20:.1f} MB limit "
                                     f"(raise ASSIST_INGEST__MAX_FILE_MB to allow it)", path=spath)
            suffix = path.suffix.lower()
            if suffix == ".pdf":
                return self._load_pdf(path, ctx)
            if suffix == ".docx":
                return self._load_docx(path, ctx)
            loader = _TEXT_LOADERS.get(suffix)
            if loader is None:
                raise KnowledgeError(f"unsupported file type {path.suffix!r}; supported: {', '.join(SUPPORTED)}",
                                     path=spath)
            return loader(path, ctx)
        except KnowledgeError as exc:
            return LoadResult(spath, problems=[Problem(spath, exc.message, line=exc.line, field=exc.field)])
        except DocumentError as exc:
            return LoadResult(spath, problems=[Problem(spath, exc.message)])
        except OSError as exc:
            return LoadResult(spath, problems=[Problem(spath, f"cannot read file: {exc.strerror or exc}")])

    def load(self, paths: Sequence[Path], defaults: DocumentDefaults | None = None,
             inferred: dict[str, dict[str, str]] | None = None) -> tuple[list[Document], list[Problem], list[str]]:
        """Load and validate every file under ``paths``; returns (good documents, problems, paths that failed).
        ``defaults`` (the command line's) win over folders' ``_defaults.yaml``, which win over settings; the fields
        inferred for each file without front matter are added to ``inferred`` (path -> field -> how)."""
        problems: list[Problem] = []
        try:
            files = discover_roots(list(paths))
        except KnowledgeError as exc:
            return [], [Problem(exc.path or "", exc.message)], []
        given = defaults or DocumentDefaults()
        folder_cache: dict[Path, tuple[DocumentDefaults, list[Problem]]] = {}
        docs: list[Document] = []
        failed: list[str] = []
        seen: dict[str, str] = {}
        for f, root in files.items():
            folder, bad = self._folder_defaults(f, root, folder_cache, problems)
            if bad:
                problems.append(Problem(str(f), f"skipped: the folder defaults {bad} have errors (listed above)"))
                failed.append(str(f))
                continue
            res = self.load_file(f, root, given.over(folder).over(self.defaults))
            problems.extend(res.problems)
            if res.inferred and inferred is not None and res.ok:
                inferred[str(f)] = res.inferred
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

    def _folder_defaults(self, f: Path, root: Path, cache: dict[Path, tuple[DocumentDefaults, list[Problem]]],
                         problems: list[Problem]) -> tuple[DocumentDefaults, str | None]:
        """The merged ``_defaults.yaml`` of the folders from ``root`` down to ``f``'s (deeper wins); the path of a
        bad one instead, when there is one (each problem is reported once)."""
        out = DocumentDefaults()
        try:
            rel = f.parent.resolve().relative_to(root.resolve()).parts
        except ValueError:
            rel = ()
        folders = [root.joinpath(*rel[:i]) for i in range(len(rel) + 1)]
        for folder in reversed(folders):       # deepest first: it wins
            path = folder / DEFAULTS_FILE
            if not path.is_file():
                continue
            if path not in cache:
                cache[path] = read_defaults(path)
                problems.extend(cache[path][1])
            d, bad = cache[path]
            if bad:
                return out, str(path)
            out = out.over(d)
        return out, None

    def _load_pdf(self, path: Path, ctx: _Context) -> LoadResult:
        pdf = self.office.open_pdf(path.read_bytes(), str(path))
        pages = [pdf.text(n).strip() for n in range(pdf.pages)]
        if not any(pages):
            raise KnowledgeError(f"PDF has no text layer ({len(pages)} page(s), probably scanned images); "
                                 "OCR it first or provide the text", path=str(path))
        return _from_text(path, "\n\n".join(p for p in pages if p) + "\n", ctx, title=pdf.title)

    def _load_docx(self, path: Path, ctx: _Context) -> LoadResult:
        blocks, title = self.office.read_docx(path.read_bytes(), str(path))
        parts: list[str] = []
        for b in blocks:
            if b.cells:
                parts.append(" | ".join(b.cells))
            elif b.text.strip():
                parts.append(("#" * b.heading + " " + b.text.strip()) if b.heading else b.text.strip())
        return _from_text(path, "\n\n".join(parts) + "\n", ctx, title=title)


def _document(path: Path, text: str, body_start: int, meta: dict[str, Any]) -> Document:
    extra = {k: v for k, v in meta.items() if k not in _RESERVED}
    return Document(id=str(meta["id"]), title=str(meta["title"]).strip(), kind=str(meta["kind"]),
                    audience=str(meta["audience"]), path=str(path), text=text, body_start=body_start,
                    tags=tuple(str(t) for t in meta.get("tags") or ()), source=meta.get("source"), meta=extra)


_MD_TITLE = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$")
_NOT_TITLE = re.compile(r"[。；;！？!?]|^\s*[（(]")


def _title_of(text: str, given: str | None, statute: bool) -> tuple[str | None, str]:
    """(title, how) from the file's own metadata, its first heading, or (a statute) its first short line."""
    if given and given.strip():
        return given.strip(), "document metadata"
    lines = [ln.strip() for ln in text.splitlines()[:60] if ln.strip()]
    for ln in lines:
        m = _MD_TITLE.match(ln)
        if m:
            return m.group(1).strip(), "first heading"
    if statute and lines:
        first = lines[0]
        if len(first) <= 60 and not _NOT_TITLE.search(first) and not ARTICLE_LINE.match(first):
            return first, "first line"
    return None, ""


def _inferred(path: Path, text: str, ctx: _Context, title: str | None) -> tuple[dict[str, Any], dict[str, str], list[Problem]]:
    """Fields of a document without front matter: id from the path, title from the text or the file name, kind and
    audience from the defaults (else: a statute is a regulation, anything else a guide; staff-only), and, when the
    text is split into articles, the law's name and its articles."""
    shape = statute_shape(text)
    how: dict[str, str] = {}
    d = ctx.defaults
    title, title_how = _title_of(text, title, shape.is_statute)
    if title is None:
        title, title_how = path.stem, "file name"
    how["id"] = "from the path"
    how["title"] = title_how
    if d.kind:
        kind, how["kind"] = d.kind, d.where("kind") or "defaults"
    elif shape.is_statute:
        kind, how["kind"] = "regulation", "regulation: split into articles (第X条)"
    else:
        kind, how["kind"] = "guide", "guide: no articles recognised"
    if d.audience:
        audience, how["audience"] = d.audience, d.where("audience") or "defaults"
    else:
        audience, how["audience"] = "agent", "staff-only when not specified"
    meta: dict[str, Any] = {"id": default_id(path, ctx.root), "title": title, "kind": kind, "audience": audience,
                            "tags": list(d.tags)}
    if shape.is_statute:
        meta["law"] = title
        meta["articles"] = len(shape.articles)
        how["law"] = f"{title}: {len(shape.articles)} articles, {shape.chapters} chapter/section headings"
    problems: list[Problem] = []
    if kind in ("guide", "script") and audience == "consumer":
        problems.append(Problem(str(path), f"a {kind} is internal and cannot have audience 'consumer' (audience from "
                                           f"{how['audience']}); give the file front matter or another default kind",
                                field="audience"))
    return meta, how, problems


def _from_text(path: Path, text: str, ctx: _Context, *, title: str | None = None) -> LoadResult:
    spath = str(path)
    if not text.strip():
        return LoadResult(spath, problems=[Problem(spath, "file has no text")])
    fm, problems = split_front_matter(text, spath)
    if problems:
        return LoadResult(spath, problems=problems)
    if fm is None:
        meta, how, problems = _inferred(path, text, ctx, title)
        if problems:
            return LoadResult(spath, problems=problems)
        return LoadResult(spath, _document(path, text, 0, meta), inferred=how)
    body = text[fm.body_start:]
    problems = validate_front_matter(fm, spath, body)
    if any(p.severity == "error" for p in problems):
        return LoadResult(spath, problems=problems)
    return LoadResult(spath, _document(path, text, fm.body_start, fm.data), problems)


def _load_markdown(path: Path, ctx: _Context) -> LoadResult:
    text, _ = decode_bytes(path.read_bytes(), str(path))
    return _from_text(path, text, ctx)


def _load_text(path: Path, ctx: _Context) -> LoadResult:
    text, _ = decode_bytes(path.read_bytes(), str(path))
    return _from_text(path, text, ctx)


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


def _load_html(path: Path, ctx: _Context) -> LoadResult:
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
    return _from_text(path, parser.text(), ctx, title=parser.title)


_TEXT_LOADERS: dict[str, Callable[[Path, _Context], LoadResult]] = {
    ".md": _load_markdown, ".markdown": _load_markdown, ".txt": _load_text, ".html": _load_html, ".htm": _load_html,
}
