"""Reading a submitted document into positioned lines: text (any Chinese encoding), PDF with a text layer, DOCX,
images and scanned PDFs (offline OCR). Every failure is a DocumentError naming the file."""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

from assist.core.text import decode_bytes
from assist.errors import DocumentError, KnowledgeError
from assist.review.types import Line, ReadDocument

if TYPE_CHECKING:
    from PIL.Image import Image

    from assist.ports import OcrEngine, OfficeReader

TEXT_TYPES = (".txt", ".md")
IMAGE_TYPES = (".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff")
SUPPORTED = (*TEXT_TYPES, ".pdf", ".docx", *IMAGE_TYPES)
MAX_OCR_PAGES = 30          # a scanned submission longer than this is not a letter; refuse rather than OCR for minutes


def read_document(data: bytes, file_name: str, *, ocr: "OcrEngine", office: "OfficeReader",
                  max_bytes: int) -> ReadDocument:
    """Read one document from its bytes; ``file_name`` picks the format (by extension) and names it in errors.
    ``ocr`` is only called when an image or a scanned page has to be read."""
    suffix = Path(file_name).suffix.lower()
    if suffix not in SUPPORTED:
        raise DocumentError(f"unsupported file type {suffix or '(none)'!r}; supported: {', '.join(SUPPORTED)}",
                            path=file_name)
    if not data:
        raise DocumentError("empty file", path=file_name)
    if len(data) > max_bytes:
        raise DocumentError(f"file is {len(data) / 2**20:.1f} MB, over the {max_bytes / 2**20:.1f} MB limit",
                            path=file_name)
    if suffix in TEXT_TYPES:
        doc = _read_text(data, file_name)
    elif suffix == ".docx":
        doc = _read_docx(data, file_name, office)
    elif suffix == ".pdf":
        doc = _read_pdf(data, file_name, office, ocr)
    else:
        doc = _read_image(data, file_name, ocr)
    if not any(ln.text.strip() for ln in doc.lines):
        what = "no text recognised (blank or unreadable scan)" if doc.ocr else "file has no text"
        raise DocumentError(what, path=file_name)
    return doc


def _lines(text: str, page: int = 1) -> list[Line]:
    return [Line(page, i, ln.rstrip()) for i, ln in enumerate(text.splitlines(), start=1)]


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


def _read_pdf(data: bytes, file_name: str, office: "OfficeReader", ocr: "OcrEngine") -> ReadDocument:
    pdf = office.open_pdf(data, file_name)
    lines: list[Line] = []
    scanned = 0
    for n in range(1, pdf.pages + 1):
        text = pdf.text(n - 1)
        if text.strip():
            lines += _lines(text, n)
            continue
        # No text layer on this page: a scan. The embedded images are the page; OCR each of them.
        images = pdf.images(n - 1)
        if not images:
            continue
        scanned += 1
        if scanned > MAX_OCR_PAGES:
            raise DocumentError(f"more than {MAX_OCR_PAGES} scanned pages; split the file", path=file_name)
        for img in images:
            lines += _ocr_lines(img, n, ocr, file_name, start=len([x for x in lines if x.page == n]))
    if not lines and scanned == 0:
        raise DocumentError(f"PDF has neither a text layer nor page images ({pdf.pages} page(s))", path=file_name)
    return ReadDocument(file_name, "pdf-ocr" if scanned and scanned == pdf.pages else "pdf", tuple(lines),
                        pages=pdf.pages)


def _read_image(data: bytes, file_name: str, ocr: "OcrEngine") -> ReadDocument:
    from PIL import Image, UnidentifiedImageError

    try:
        img = Image.open(io.BytesIO(data))
        img.load()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise DocumentError(f"not a readable image: {type(exc).__name__}: {exc}", path=file_name) from exc
    lines = _ocr_lines(img, 1, ocr, file_name)
    return ReadDocument(file_name, "image", tuple(lines))


def _ocr_lines(img: "Image | None", page: int, ocr: "OcrEngine", file_name: str, start: int = 0) -> list[Line]:
    if img is None:
        return []
    try:
        rows = ocr.recognise(img)
    except (OSError, ValueError) as exc:
        raise DocumentError(f"OCR failed: {type(exc).__name__}: {exc}", path=file_name) from exc
    return [Line(page, start + i, r.text, r.bbox, round(r.confidence, 4)) for i, r in enumerate(rows, start=1)]
