"""Searching on when the vector store is away: a Retriever in front of the hybrid one that, when the dense side fails
(a Chroma server stopped or unreachable: DependencyError), answers from the lexical side alone (BM25, with the
relevance floor computed from the generation's own vectors, which need no Chroma) and stops asking Chroma for a
while, so that every request does not wait for a dead server. Only when the lexical side fails too does the error
reach the caller (HTTP 503 with Retry-After)."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from assist.errors import DependencyError
from assist.knowledge.types import Filter, Hit
from assist.ports import Retriever

log = logging.getLogger("assist.retrieval")

COOL_DOWN_S = 15.0      # after a dense failure, lexical only for this long, then try the vector store again


class LexicalFallbackRetriever:
    """The Retriever port over ``inner``; ``degraded`` tells whether the last search had to do without vectors."""

    def __init__(self, inner: Retriever, clock: Callable[[], float] = time.monotonic,
                 cool_down_s: float = COOL_DOWN_S) -> None:
        self.inner = inner
        self.cool_down_s = cool_down_s
        self._clock = clock
        self._down_until = 0.0
        self._lock = threading.Lock()
        self.last_error: str | None = None

    @property
    def dense_down(self) -> bool:
        """Whether the vector store failed within the cool-down (searches are lexical meanwhile)."""
        with self._lock:
            return self._clock() < self._down_until

    def search(self, query: str, *, k: int | None = None, where: Filter | None = None, mode: str = "hybrid",
               floor: bool = True) -> list[Hit]:
        if mode != "lexical":
            if not self.dense_down:
                try:
                    return self.inner.search(query, k=k, where=where, mode=mode, floor=floor)
                except DependencyError as exc:
                    with self._lock:
                        first = self._clock() >= self._down_until
                        self._down_until = self._clock() + self.cool_down_s
                        self.last_error = exc.message
                    if first:
                        log.warning("vector store unavailable, answering from the lexical index for %.0f s: %s",
                                    self.cool_down_s, exc.message)
            if mode == "dense":
                raise DependencyError(f"the vector store is unavailable: {self.last_error}")
        return self.inner.search(query, k=k, where=where, mode="lexical", floor=floor)

    def query_vector(self, query: str) -> tuple[str, bytes]:
        return self.inner.query_vector(query)      # the embedder, not the vector store: works while Chroma is away

    def remember(self, query: str, embedder: str, vector: bytes) -> bool:
        return self.inner.remember(query, embedder, vector)
