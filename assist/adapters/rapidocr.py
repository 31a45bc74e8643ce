"""The OcrEngine port on RapidOCR (PP-OCR Chinese models shipped inside the rapidocr-onnxruntime wheel), imported and
loaded only when the first image is read, so `assist --help` and text-only reviews stay light."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from assist.core.documents import OcrLine

if TYPE_CHECKING:
    from PIL.Image import Image

# Larger scans are shrunk before recognition: the detector gains nothing past this and time grows with the area.
MAX_SIDE = 2400
PAD = 32


class RapidOcrEngine:
    """RapidOCR (onnxruntime). Loading the models takes about 0.4 s and ~100 MB, so build one engine per process and
    share it: the models are read-only, so calls from several requests need no lock."""

    def __init__(self, prepare: Callable[[Any], Any] | None = None) -> None:
        """``prepare``: an RGB array in, the array to read out (e.g. a phone photo made flat: opencv_pages)."""
        self._engine: Any = None
        self._prepare = prepare
        self._lock = threading.Lock()

    def _load(self) -> Any:
        with self._lock:
            if self._engine is None:
                from rapidocr_onnxruntime import RapidOCR

                self._engine = RapidOCR()
            return self._engine

    def recognise(self, image: "Image") -> list[OcrLine]:
        import numpy as np

        img = image.convert("RGB")
        scale = 1.0
        if max(img.size) > MAX_SIDE:
            scale = MAX_SIDE / max(img.size)
            img = img.resize((max(1, int(img.width * scale)), max(1, int(img.height * scale))))
        arr = np.asarray(img)
        if self._prepare is not None:
            arr = self._prepare(arr)
        # A white margin: without it the detector was seen to drop a full-width line of a page cropped close to
        # its text (a phone photo often is).
        arr = np.pad(arr, ((PAD, PAD), (PAD, PAD), (0, 0)), constant_values=255)
        result, _ = self._load()(arr)
        boxes = []
        for box, text, score in result or []:
            xs = [(float(p[0]) - PAD) / scale for p in box]
            ys = [(float(p[1]) - PAD) / scale for p in box]
            boxes.append(OcrLine(str(text), (min(xs), min(ys), max(xs), max(ys)), float(score)))
        return group_rows(boxes)


def group_rows(boxes: list[OcrLine]) -> list[OcrLine]:
    """Merge detection boxes that sit on the same row (a form's "委托人：… 电话：…" is often cut in two), left to
    right, with a space where the gap is wider than about one character."""
    rows: list[list[OcrLine]] = []
    for b in sorted(boxes, key=lambda b: (b.bbox[1] + b.bbox[3]) / 2):
        yc, h = (b.bbox[1] + b.bbox[3]) / 2, b.bbox[3] - b.bbox[1]
        if rows:
            last = rows[-1]
            ryc = sum((x.bbox[1] + x.bbox[3]) / 2 for x in last) / len(last)
            rh = min(x.bbox[3] - x.bbox[1] for x in last)
            if abs(yc - ryc) < 0.5 * min(h, rh):
                last.append(b)
                continue
        rows.append([b])
    out = []
    for row in rows:
        row.sort(key=lambda b: b.bbox[0])
        text = row[0].text
        for prev, cur in zip(row, row[1:]):
            gap = cur.bbox[0] - prev.bbox[2]
            text += (" " if gap > 1.2 * (cur.bbox[3] - cur.bbox[1]) else "") + cur.text
        box = (min(b.bbox[0] for b in row), min(b.bbox[1] for b in row),
               max(b.bbox[2] for b in row), max(b.bbox[3] for b in row))
        out.append(OcrLine(text, box, sum(b.confidence for b in row) / len(row)))
    return out
