"""Reading a submitted document into positioned lines: text (any Chinese encoding), PDF with a text layer, DOCX,
images and scanned PDFs (offline OCR). Every failure is a DocumentError naming the file."""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from assist.errors import AssistError, KnowledgeError
from assist.review.types import Line, ReadDocument
from assist.text import decode_bytes

if TYPE_CHECKING:
    from PIL.Image import Image

    from assist.review.ocr import OcrEngine

TEXT_TYPES = (".txt", ".md")
IMAGE_TYPES = (".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff")
SUPPORTED = (*TEXT_TYPES, ".pdf", ".docx", *IMAGE_TYPES)
MAX_OCR_PAGES = 30          # a scanned submission longer than this is not a letter; refuse rather than OCR for minutes


class DocumentError(AssistError):
    """A submitted document cannot be read: unsupported type, empty, corrupt, or no text found."""

    exit_code = 1


def read_document(data: bytes, file_name: str, *, ocr: "OcrEngine | None" = None,
                  max_bytes: int = 20 * 2**20) -> ReadDocument:
    """Read one document from its bytes; ``file_name`` picks the format (by extension) and names it in errors.
    ``ocr`` defaults to the process-wide RapidOCR engine, loaded only if an image has to be read."""
    suffix = Path(file_name).suffix.lower()
    if suffix not in SUPPORTED:
        raise DocumentError(f"unsupported file type {suffix or '(none)'!r}; supported: {', '.join(SUPPORTED)}",
                            path=file_name)
    if not data:
        raise DocumentError("empty file", path=file_name)
    if len(data) > max_bytes:
        raise DocumentError(f"file is {len(data) / 2**20:.1f} MB, over the {max_bytes / 2**20:.1f} MB limit",
                            path=file_name)
    ocr_engine = ocr

    def get_ocr() -> "OcrEngine":  # only scans pay for loading the OCR models
        nonlocal ocr_engine
        if ocr_engine is None:
            from assist.review.ocr import default_ocr

            ocr_engine = default_ocr()
        return ocr_engine

    if suffix in TEXT_TYPES:
        doc = _read_text(data, file_name)
    elif suffix == ".docx":
        doc = _read_docx(data, file_name)
    elif suffix == ".pdf":
        doc = _read_pdf(data, file_name, get_ocr)
    else:
        doc = _read_image(data, file_name, get_ocr)
    if not any(ln.text.strip() for ln in doc.lines):
        what = "no text recognised (blank or unreadable scan)" if doc.ocr else "file has no text"
        raise DocumentError(what, path=file_name)
    return doc


def read_path(path: Path, *, ocr: "OcrEngine | None" = None, max_bytes: int = 20 * 2**20) -> ReadDocument:
    """Read a document from disk (see read_document)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(f"cannot read file: {exc.strerror or exc}", path=str(path)) from exc
    return read_document(data, path.name, ocr=ocr, max_bytes=max_bytes)


def _lines(text: str, page: int = 1) -> list[Line]:
    return [Line(page, i, ln.rstrip()) for i, ln in enumerate(text.splitlines(), start=1)]


def _read_text(data: bytes, file_name: str) -> ReadDocument:
    try:
        text, _ = decode_bytes(data, file_name)
    except KnowledgeError as exc:  # binary or undecodable: same message, this package's error type
        raise DocumentError(exc.message, path=file_name) from exc
    return ReadDocument(file_name, "text", tuple(_lines(text.lstrip("\ufeff"))))


def _read_docx(data: bytes, file_name: str) -> ReadDocument:
    import zipfile

    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        d = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise DocumentError(f"not a readable DOCX file: {type(exc).__name__}: {exc}", path=file_name) from exc
    texts: list[str] = []
    # Body order matters (a table of 委托人/受托人 sits between paragraphs), so walk the XML children in order.
    for block in d.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            texts.append(Paragraph(block, d).text)
        elif tag == "tbl":
            for row in Table(block, d).rows:
                cells: list[str] = []
                for cell in row.cells:  # merged cells repeat their text; keep it once per row
                    t = cell.text.strip()
                    if t and (not cells or cells[-1] != t):
                        cells.append(t)
                texts.append("  ".join(cells))
    kept = [t.rstrip() for t in texts if t.strip()]
    return ReadDocument(file_name, "docx", tuple(Line(1, i, t) for i, t in enumerate(kept, start=1)))


def _read_pdf(data: bytes, file_name: str, get_ocr: Callable[[], "OcrEngine"]) -> ReadDocument:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    lines: list[Line] = []
    scanned = 0
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise DocumentError("the PDF is password-protected", path=file_name)
        pages = list(reader.pages)
        texts = [(page.extract_text() or "") for page in pages]
        for n, (page, text) in enumerate(zip(pages, texts), start=1):
            if text.strip():
                lines += _lines(text, n)
                continue
            # No text layer on this page: a scan. The embedded images are the page; OCR each of them.
            images = list(page.images)
            if not images:
                continue
            scanned += 1
            if scanned > MAX_OCR_PAGES:
                raise DocumentError(f"more than {MAX_OCR_PAGES} scanned pages; split the file", path=file_name)
            for img in images:
                lines += _ocr_lines(img.image, n, get_ocr, file_name, start=len([x for x in lines if x.page == n]))
    except DocumentError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        # Malformed PDFs surface as many exception types inside pypdf; all mean "cannot read this file".
        raise DocumentError(f"not a readable PDF: {type(exc).__name__}: {exc}", path=file_name) from exc
    if not lines and scanned == 0:
        raise DocumentError(f"PDF has neither a text layer nor page images ({len(texts)} page(s))", path=file_name)
    return ReadDocument(file_name, "pdf-ocr" if scanned and scanned == len(pages) else "pdf", tuple(lines),
                        pages=len(pages))


def _read_image(data: bytes, file_name: str, get_ocr: Callable[[], "OcrEngine"]) -> ReadDocument:
    from PIL import Image, UnidentifiedImageError

    try:
        img = Image.open(io.BytesIO(data))
        img.load()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise DocumentError(f"not a readable image: {type(exc).__name__}: {exc}", path=file_name) from exc
    lines = _ocr_lines(img, 1, get_ocr, file_name)
    return ReadDocument(file_name, "image", tuple(lines))


def _ocr_lines(img: "Image | None", page: int, get_ocr: Callable[[], "OcrEngine"], file_name: str,
               start: int = 0) -> list[Line]:
    if img is None:
        return []
    try:
        rows = get_ocr().recognise(img)
    except (OSError, ValueError) as exc:
        raise DocumentError(f"OCR failed: {type(exc).__name__}: {exc}", path=file_name) from exc
    return [Line(page, start + i, r.text, r.bbox, round(r.confidence, 4)) for i, r in enumerate(rows, start=1)]
