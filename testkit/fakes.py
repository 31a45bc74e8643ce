"""Hand-written fakes for the ports, for fast unit tests beside the real adapters' integration tests."""

from __future__ import annotations

from typing import Any

from assist.core.documents import OcrLine


class ScriptedOcr:
    """The OcrEngine port: every image reads as the given lines (and the calls are counted)."""

    def __init__(self, lines: list[str], confidence: float = 0.95) -> None:
        self.lines = lines
        self.confidence = confidence
        self.calls = 0

    def recognise(self, image: Any) -> list[OcrLine]:
        self.calls += 1
        return [OcrLine(t, (0.0, 30.0 * i, 400.0, 30.0 * i + 24), self.confidence) for i, t in enumerate(self.lines)]
