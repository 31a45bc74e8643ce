"""PDF (pypdf) and DOCX (python-docx) reading, for knowledge ingestion and document review alike. Every failure of
either library comes out as a DocumentError naming the file."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from assist.core.documents import DocxBlock
from assist.errors import DocumentError

if TYPE_CHECKING:
    from PIL.Image import Image


class OfficeDocuments:
    """The OfficeReader port: DOCX through python-docx, PDF through pypdf."""

    def read_docx(self, data: bytes, name: str) -> tuple[list[DocxBlock], str | None]:
        return read_docx(data, name)

    def open_pdf(self, data: bytes, name: str) -> "PdfDocument":
        return PdfDocument(data, name)


def read_docx(data: bytes, name: str) -> tuple[list[DocxBlock], str | None]:
    """The blocks of a DOCX file in body order (a table of 委托人/受托人 sits between paragraphs) and its title."""
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
    from pypdf.errors import PdfReadError

    try:
        yield
    except DocumentError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        # Malformed PDFs surface as many exception types inside pypdf; all mean "cannot read this file".
        raise DocumentError(f"not a readable PDF: {type(exc).__name__}: {exc}", path=name) from exc


class PdfDocument:
    """A PDF's pages: their text layer and, for scanned pages, their embedded images."""

    def __init__(self, data: bytes, name: str) -> None:
        from pypdf import PdfReader

        self.name = name
        with _pdf_errors(name):
            self._reader: Any = PdfReader(io.BytesIO(data))
            if self._reader.is_encrypted and not self._reader.decrypt(""):
                raise DocumentError("the PDF is password-protected", path=name)
            self._pages = list(self._reader.pages)
            meta = self._reader.metadata
            self.title: str | None = (meta.title if meta else None) or None

    @property
    def pages(self) -> int:
        return len(self._pages)

    def text(self, page: int) -> str:
        """The text layer of page ``page`` (0-based); empty for a scan."""
        with _pdf_errors(self.name):
            return self._pages[page].extract_text() or ""

    def images(self, page: int) -> list["Image | None"]:
        """The images embedded in page ``page`` (0-based): a scanned page is one or more of them (None where an
        image cannot be decoded)."""
        with _pdf_errors(self.name):
            return [img.image for img in self._pages[page].images]
