"""Plain data read out of office documents and scans (what the document and OCR adapters return)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DocxBlock:
    """A body paragraph (with its heading level, when its style is a heading) or a table row, in reading order."""

    text: str
    heading: int | None = None
    cells: tuple[str, ...] = ()         # a table row's cells, merged cells once


@dataclass(frozen=True)
class OcrLine:
    """One recognised line: text, box (x0, y0, x1, y1) in pixels of the image given, mean confidence."""

    text: str
    bbox: tuple[float, float, float, float]
    confidence: float


@dataclass(frozen=True)
class DocumentBudgets:
    """How much reading one submitted document may cost, checked before the work (DocumentSettings; README,
    "Limits"). ``max_pages`` None: no page limit (knowledge ingestion, where long laws are expected)."""

    max_unpacked_bytes: int
    max_archive_entries: int
    max_compression_ratio: float
    max_image_pixels: int
    max_pages: int | None
    max_ocr_pages: int
    max_ocr_seconds: float


RATIO_FLOOR = 2**20          # archive parts smaller than this unpacked are not judged by their compression ratio
