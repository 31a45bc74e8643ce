"""Reading a submitted document into positioned lines: text (any Chinese encoding), PDF with a text layer, DOCX,
images and scanned PDFs (offline OCR). Every failure is a DocumentError naming the file; a document over one of the
reading budgets (DocumentBudgets) is DocumentOverBudget, raised before the work: the pixels of an image from its
header, the scanned pages of a PDF counted before any OCR, the OCR time checked before each page."""

from __future__ import annotations

import io
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from assist.core.documents import DocumentBudgets
from assist.core.text import decode_bytes
from assist.errors import DocumentError, DocumentOverBudget, KnowledgeError
from assist.review.types import Line, ReadDocument

if TYPE_CHECKING:
    from PIL.Image import Image

    from assist.ports import OcrEngine, OfficeReader

TEXT_TYPES = (".txt", ".md")
IMAGE_TYPES = (".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff")
SUPPORTED = (*TEXT_TYPES, ".pdf", ".docx", *IMAGE_TYPES)


@dataclass
class _Ocr:
    """OCR within a document's budget: pages counted, time checked before each call."""

    engine: "OcrEngine"
    budgets: DocumentBudgets
    file_name: str
    clock: Callable[[], float]
    deadline: float = 0.0

    def start(self) -> None:
        self.deadline = self.clock() + self.budgets.max_ocr_seconds

    def lines(self, img: "Image | None", page: int, start: int = 0) -> list[Line]:
        if img is None:
            return []
        if self.clock() > self.deadline:
            raise DocumentOverBudget(f"OCR took more than {self.budgets.max_ocr_seconds:.0f} s; split the file or "
                                     "send fewer pages", limit="documents.max_ocr_seconds", path=self.file_name)
        try:
            rows = self.engine.recognise(img)
        except (OSError, ValueError) as exc:
            raise DocumentError(f"OCR failed: {type(exc).__name__}: {exc}", path=self.file_name) from exc
        return [Line(page, start + i, r.text, r.bbox, round(r.confidence, 4)) for i, r in enumerate(rows, start=1)]


def read_document(data: bytes, file_name: str, *, ocr: "OcrEngine", office: "OfficeReader", max_bytes: int,
                  budgets: DocumentBudgets, clock: Callable[[], float] = time.monotonic) -> ReadDocument:
    """Read one document from its bytes; ``file_name`` picks the format (by extension) and names it in errors.
    ``ocr`` is only called when an image or a scanned page has to be read."""
    suffix = Path(file_name).suffix.lower()
    if suffix not in SUPPORTED:
        raise DocumentError(f"unsupported file type {suffix or '(none)'!r}; supported: {', '.join(SUPPORTED)}",
                            path=file_name)
    if not data:
        raise DocumentError("empty file", path=file_name)
    if len(data) > max_bytes:
        raise DocumentOverBudget(f"file is {len(data) / 2**20:.1f} MB, over the {max_bytes / 2**20:.1f} MB limit",
                                 limit="documents.max_upload_mb", path=file_name)
    reader = _Ocr(ocr, budgets, file_name, clock)
    reader.start()
    if suffix in TEXT_TYPES:
        doc = _read_text(data, file_name)
    elif suffix == ".docx":
        doc = _read_docx(data, file_name, office)
    elif suffix == ".pdf":
        doc = _read_pdf(data, file_name, office, reader)
    else:
        doc = _read_image(data, file_name, reader)
    if not any(ln.text.strip() for ln in doc.lines):
        what = "no text recognised (blank or unreadable scan)" if doc.ocr else "file has no text"
        raise DocumentError(what, path=file_name)
    return doc


def _lines(text: str, page: int = 1) -> list[Line]:
    return [Line(page, i, ln.rstrip()) for i, ln in enumerate(text.splitlines(), start=1)]


def read_text_document(data: bytes, file_name: str) -> ReadDocument:
    """A plain-text document (UTF-8, GBK, Big5 … detected) as review reads it."""
    return _read_text(data, file_name)


def _read_text(data: bytes, file_name: str) -> ReadDocument:
    try:
        text, _ = decode_bytes(data, file_name)
    except KnowledgeError as exc:  # binary or undecodable: same message, this package's error type
        raise DocumentError(exc.message, path=file_name) from exc
    return ReadDocument(file_name, "text", tuple(_lines(text.lstrip("\ufeff"))))


def _read_docx(data: bytes, file_name: str, office: "OfficeReader") -> ReadDocument:
    blocks, _ = office.read_docx(data, file_name)
    texts = ["  ".join(b.cells) if b.cells else b.text for b in blocks]
    kept = [t.rstrip() for t in texts if t.strip()]
    return ReadDocument(file_name, "docx", tuple(Line(1, i, t) for i, t in enumerate(kept, start=1)))


def _read_pdf(data: bytes, file_name: str, office: "OfficeReader", ocr: _Ocr) -> ReadDocument:
    pdf = office.open_pdf(data, file_name)          # refuses more than documents.max_pages
    texts = [pdf.text(n) for n in range(pdf.pages)]
    # Pages without a text layer but with images are scans; count them before reading any, so that a file of blank
    # scans is refused at once instead of after minutes of OCR.
    scans = [n for n, t in enumerate(texts) if not t.strip() and pdf.image_sizes(n)]
    if len(scans) > ocr.budgets.max_ocr_pages:
        raise DocumentOverBudget(f"{len(scans)} scanned pages, more than the {ocr.budgets.max_ocr_pages} read by OCR "
                                 "in one document; split the file", limit="documents.max_ocr_pages", path=file_name)
    lines: list[Line] = []
    for n, text in enumerate(texts, start=1):
        if text.strip():
            lines += _lines(text, n)
        elif n - 1 in scans:      # a scan: the embedded images are the page; OCR each of them
            for img in pdf.images(n - 1):
                lines += ocr.lines(img, n, start=len([x for x in lines if x.page == n]))
    if not lines and not scans:
        raise DocumentError(f"PDF has neither a text layer nor page images ({pdf.pages} page(s))", path=file_name)
    return ReadDocument(file_name, "pdf-ocr" if scans and len(scans) == pdf.pages else "pdf", tuple(lines),
                        pages=pdf.pages)


def _read_image(data: bytes, file_name: str, ocr: _Ocr) -> ReadDocument:
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():             # PIL warns past 89 M pixels; our own budget decides below
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data))      # reads the header only
    except Image.DecompressionBombError as exc:
        raise DocumentOverBudget(f"the image is too large to open: {exc}", limit="documents.max_image_pixels",
                                 path=file_name) from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise DocumentError(f"not a readable image: {type(exc).__name__}: {exc}", path=file_name) from exc
    try:
        w, h = img.size
        if w * h > ocr.budgets.max_image_pixels:
            raise DocumentOverBudget(f"the image is {w}x{h}, more than the {ocr.budgets.max_image_pixels:,} pixels "
                                     "allowed; scan at a lower resolution", limit="documents.max_image_pixels",
                                     path=file_name)
        img.load()
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise DocumentError(f"not a readable image: {type(exc).__name__}: {exc}", path=file_name) from exc
    lines = ocr.lines(img, 1)
    return ReadDocument(file_name, "image", tuple(lines))
