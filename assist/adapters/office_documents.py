"""PDF (pypdf) and DOCX (python-docx) reading, for knowledge ingestion and document review alike. Every failure of
either library comes out as a DocumentError naming the file; a file over a reading budget (DocumentBudgets: unpacked
size, entries and compression ratio of a DOCX's archive, pages of a PDF, pixels of an image inside it) as
DocumentOverBudget, before the work it would cost. pypdf's own decompression limits (LimitReachedError) count as a
budget too."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from assist.core.documents import RATIO_FLOOR, DocumentBudgets, DocxBlock
from assist.errors import DocumentError, DocumentOverBudget

if TYPE_CHECKING:
    from PIL.Image import Image


class OfficeDocuments:
    """The OfficeReader port: DOCX through python-docx, PDF through pypdf, within ``budgets`` (the composition root
    always passes them; None reads without limits, for files the operator trusts, such as test fixtures)."""

    def __init__(self, budgets: DocumentBudgets | None = None) -> None:
        self.budgets = budgets

    def read_docx(self, data: bytes, name: str) -> tuple[list[DocxBlock], str | None]:
        if self.budgets is not None:
            check_archive(data, name, self.budgets)
        return read_docx(data, name)

    def open_pdf(self, data: bytes, name: str) -> "PdfDocument":
        return PdfDocument(data, name, self.budgets)


def check_archive(data: bytes, name: str, budgets: DocumentBudgets) -> None:
    """Refuse a ZIP archive (a DOCX) whose directory promises more than the budgets allow: too many entries, too many
    unpacked bytes, or a part packed far tighter than any real document (a zip bomb). Python's zipfile never unpacks
    more than an entry's declared size, so the declared sizes bound what reading it can cost."""
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise DocumentError(f"not a readable DOCX file: {type(exc).__name__}: {exc}", path=name) from exc
    if len(infos) > budgets.max_archive_entries:
        raise DocumentOverBudget(f"the DOCX holds {len(infos)} parts, more than the {budgets.max_archive_entries} "
                                 "allowed", limit="documents.max_archive_entries", path=name)
    total = sum(i.file_size for i in infos)
    if total > budgets.max_unpacked_bytes:
        raise DocumentOverBudget(f"the DOCX unpacks to {total / 2**20:.0f} MB, more than the "
                                 f"{budgets.max_unpacked_bytes / 2**20:.0f} MB allowed",
                                 limit="documents.max_unpacked_mb", path=name)
    for i in infos:
        ratio = i.file_size / max(i.compress_size, 1)
        if i.file_size > RATIO_FLOOR and ratio > budgets.max_compression_ratio:
            raise DocumentOverBudget(f"part {i.filename!r} of the DOCX unpacks {ratio:.0f} times its packed size "
                                     f"(at most {budgets.max_compression_ratio:.0f} allowed): a zip bomb",
                                     limit="documents.max_compression_ratio", path=name)


def read_docx(data: bytes, name: str) -> tuple[list[DocxBlock], str | None]:
    """The blocks of a DOCX file in body order (a table of 委托人/受托人 sits between paragraphs) and its title.
    Call ``check_archive`` first for anything a client sent."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        d = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise DocumentError(f"not a readable DOCX file: {type(exc).__name__}: {exc}", path=name) from exc
    blocks: list[DocxBlock] = []
    for block in d.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            para = Paragraph(block, d)
            style = (para.style.name if para.style is not None else "") or ""
            m = re.search(r"(?:Heading|标题)\s*(\d)", style)
            blocks.append(DocxBlock(para.text, int(m.group(1)) if m else None))
        elif tag == "tbl":
            for row in Table(block, d).rows:
                cells: list[str] = []
                for cell in row.cells:  # merged cells repeat their text; keep it once per row
                    t = cell.text.strip()
                    if t and (not cells or cells[-1] != t):
                        cells.append(t)
                blocks.append(DocxBlock("", None, tuple(cells)))
    return blocks, d.core_properties.title or None


@contextmanager
def _pdf_errors(name: str) -> Iterator[None]:
    from pypdf.errors import LimitReachedError, PyPdfError

    try:
        yield
    except DocumentError:
        raise
    except LimitReachedError as exc:
        raise DocumentOverBudget(f"the PDF holds a stream or array past pypdf's safety limits: {exc}",
                                 limit="pypdf decompression limit (75 MB a stream)", path=name) from exc
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError, RecursionError,
            ZeroDivisionError, IndexError) as exc:
        # Malformed PDFs surface as many exception types inside pypdf; all mean "cannot read this file".
        raise DocumentError(f"not a readable PDF: {type(exc).__name__}: {exc}", path=name) from exc


def _page_count(reader: Any) -> int | None:
    """The page count the PDF declares (cheap; the page tree itself is walked only when that count fits)."""
    try:
        return int(reader.trailer["/Root"]["/Pages"]["/Count"])
    except Exception:  # a broken tree is found when the pages are read
        return None


class PdfDocument:
    """A PDF's pages: their text layer and, for scanned pages, their embedded images."""

    def __init__(self, data: bytes, name: str, budgets: DocumentBudgets | None) -> None:
        from pypdf import PdfReader

        self.name = name
        self.budgets = budgets
        limit = budgets.max_pages if budgets is not None else None
        with _pdf_errors(name):
            self._reader: Any = PdfReader(io.BytesIO(data))
            if self._reader.is_encrypted and not self._reader.decrypt(""):
                raise DocumentError("the PDF is password-protected", path=name)
            declared = _page_count(self._reader)
            if limit is not None and declared is not None and declared > limit:
                raise self._too_many(declared)
            self._pages = list(self._reader.pages)
            if limit is not None and len(self._pages) > limit:
                raise self._too_many(len(self._pages))
            meta = self._reader.metadata
            self.title: str | None = (meta.title if meta else None) or None

    def _too_many(self, n: int) -> DocumentOverBudget:
        allowed = self.budgets.max_pages if self.budgets is not None else None
        return DocumentOverBudget(f"the PDF has {n} pages, more than the {allowed} allowed; split it",
                                  limit="documents.max_pages", path=self.name)

    @property
    def pages(self) -> int:
        return len(self._pages)

    def text(self, page: int) -> str:
        """The text layer of page ``page`` (0-based); empty for a scan."""
        with _pdf_errors(self.name):
            return self._pages[page].extract_text() or ""

    def image_sizes(self, page: int) -> list[tuple[int, int]]:
        """(width, height) of every image XObject on page ``page`` (0-based, forms searched too), read from the
        dictionaries without decoding anything."""
        with _pdf_errors(self.name):
            return list(_xobject_sizes(self._pages[page].get("/Resources"), 0))

    def images(self, page: int) -> list["Image | None"]:
        """The images embedded in page ``page`` (0-based): a scanned page is one or more of them (None where an
        image cannot be decoded). An image over documents.max_image_pixels is refused before it is decoded."""
        most = self.budgets.max_image_pixels if self.budgets is not None else 0
        for w, h in self.image_sizes(page) if most else ():
            if w * h > most:
                raise DocumentOverBudget(f"page {page + 1} holds a {w}x{h} image, more than the {most:,} pixels "
                                         "allowed", limit="documents.max_image_pixels", path=self.name)
        with _pdf_errors(self.name):
            return [img.image for img in self._pages[page].images]


def _xobject_sizes(resources: Any, depth: int) -> Iterator[tuple[int, int]]:
    if resources is None or depth > 4:
        return
    resources = resources.get_object()
    xobjects = resources.get("/XObject") if hasattr(resources, "get") else None
    if xobjects is None:
        return
    for ref in xobjects.get_object().values():
        obj = ref.get_object()
        subtype = obj.get("/Subtype")
        if subtype == "/Image":
            yield int(obj.get("/Width", 0)), int(obj.get("/Height", 0))
        elif subtype == "/Form":
            yield from _xobject_sizes(obj.get("/Resources"), depth + 1)
