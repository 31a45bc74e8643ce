"""Narrow interfaces, in our words, for everything outside the package. Adapters implement them."""

from __future__ import annotations

from typing import Any, Protocol, Sequence, runtime_checkable

from assist.models import Filter


@runtime_checkable
class Embedder(Protocol):
    """Turns text into unit-length vectors. Queries and passages may be encoded differently (e5 prefixes)."""

    @property
    def name(self) -> str:
        """Identity of the model and its settings; embeddings are cached under it."""
        ...

    @property
    def dim(self) -> int: ...

    def embed_passages(self, passages: Sequence[str]) -> list[list[float]]:
        """One vector per passage, in order."""
        ...

    def embed_query(self, text: str) -> list[float]: ...


class VectorSearch(Protocol):
    """The read side of a dense index."""

    def query(self, vector: Sequence[float], k: int, where: Filter | None = None) -> list[tuple[str, float]]:
        """Nearest chunks as (chunk id, cosine similarity), best first, filtered inside the store."""
        ...

    def count(self) -> int: ...


class VectorIndex(VectorSearch, Protocol):
    """One generation of the dense index (written once by ingestion, then only read)."""

    def add(self, ids: Sequence[str], vectors: Sequence[Sequence[float]], texts: Sequence[str],
            metas: Sequence[dict[str, Any]]) -> None: ...


class VectorStore(Protocol):
    """Holds dense indexes, one per generation, so a rebuild can be swapped in atomically."""

    def create(self, name: str) -> VectorIndex: ...

    def open(self, name: str) -> VectorIndex: ...

    def drop(self, name: str) -> None: ...

    def names(self) -> list[str]: ...


class Tokenizer(Protocol):
    """Splits text into lexical tokens (words and character n-grams) for BM25."""

    def tokens(self, text: str) -> list[str]: ...

    def words(self, text: str) -> list[str]:
        """Content words only (no character n-grams, no stop words)."""
        ...


class LexicalIndex(Protocol):
    """BM25 over one generation; the filter is applied as a mask inside scoring."""

    def query(self, tokens: Sequence[str], k: int, where: Filter | None = None) -> list[tuple[str, float]]: ...
