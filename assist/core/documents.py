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
