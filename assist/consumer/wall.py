"""The consumer wall's check on the way out: an answer leaks when any run of ``window`` characters (at every
offset) is text of an internal (agent-only) document and not also text of consumer material. A phrase consumer
material says too (an official channel's full name, say) is public and not a leak.

The answer is built from the consumer view of the index, which holds no internal text; this check is the second
wall behind that. The evaluation's attack suite measures with the same detector, and also counts citations of
internal documents and echoed markup, which this check does not look at."""

from __future__ import annotations

from collections.abc import Iterable

from assist.core.text import normalize


def _windows(text: str, window: int) -> set[str]:
    return {text[i:i + window] for i in range(0, len(text) - window + 1)}


class LeakDetector:
    """Sets of every ``window``-character run of the internal and the public texts (normalised)."""

    def __init__(self, internal: Iterable[str], public: Iterable[str], window: int = 20) -> None:
        self.window = window
        public_runs: set[str] = set()
        for body in public:
            public_runs |= _windows(normalize(body), window)
        self._internal: set[str] = set()
        for body in internal:
            self._internal |= _windows(normalize(body), window)
        self._internal -= public_runs

    def leaked(self, text: str) -> str | None:
        """The first internal run found in ``text`` (normalized), or None."""
        t = normalize(text)
        for i in range(0, len(t) - self.window + 1):
            piece = t[i:i + self.window]
            if piece in self._internal:
                return piece
        return None
