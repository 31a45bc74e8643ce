"""Chroma as the dense VectorStore: PersistentClient on disk by default, HttpClient when a server URL is set.

We always pass explicit embeddings (Chroma's default embedding function would download a model), telemetry is off,
and writes are batched within the client's max batch size.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from assist.errors import DependencyError, IndexNotReadyError
from assist.knowledge.types import Filter


def _where(f: Filter | None) -> dict[str, Any] | None:
    if f is None:
        return None
    clauses: list[dict[str, Any]] = []
    if f.audiences is not None:
        clauses.append({"audience": {"$in": list(f.audiences)}})
    if f.kinds is not None:
        clauses.append({"kind": {"$in": list(f.kinds)}})
    if f.tags is not None:
        tag_clauses = [{"tags": {"$contains": t}} for t in f.tags]
        clauses.append(tag_clauses[0] if len(tag_clauses) == 1 else {"$or": tag_clauses})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


class ChromaIndex:
    """One Chroma collection (one index generation). Opened lazily by ``ChromaStore.open``: a server that is down
    when a retriever is loaded fails the first dense query (DependencyError), not the loading, so the lexical side
    of the same generation keeps answering."""

    def __init__(self, collection: Any, max_batch: Callable[[], int]) -> None:
        self._get = collection if callable(collection) else (lambda: collection)
        self._collection: Any = None if callable(collection) else collection
        self._max_batch = max_batch
        self._count: int | None = None  # a generation's collection is written once; counting costs ~5 ms at 50k

    def _col(self) -> Any:
        if self._collection is None:
            self._collection = self._get()
        return self._collection

    @property
    def _c(self) -> Any:
        """The Chroma collection itself (opened now if it was not yet)."""
        return self._col()

    def add(self, ids: Sequence[str], vectors: Sequence[Sequence[float]], texts: Sequence[str],
            metas: Sequence[dict[str, Any]]) -> None:
        step = max(1, self._max_batch())
        for i in range(0, len(ids), step):
            self._col().add(ids=list(ids[i:i + step]), embeddings=[list(v) for v in vectors[i:i + step]],
                            documents=list(texts[i:i + step]), metadatas=list(metas[i:i + step]))
        self._count = None

    def query(self, vector: Sequence[float], k: int, where: Filter | None = None) -> list[tuple[str, float]]:
        n = self.count()
        if n == 0:
            return []
        try:
            res = self._col().query(query_embeddings=[list(vector)], n_results=min(k, n), where=_where(where),
                                    include=["distances"])
        except Exception as exc:  # a stopped server surfaces as several transport and client error types
            raise _unreachable(exc) from exc
        ids, dists = res["ids"][0], res["distances"][0]
        return [(i, 1.0 - float(d)) for i, d in zip(ids, dists)]

    def count(self) -> int:
        if self._count is None:
            try:
                self._count = int(self._col().count())
            except (DependencyError, IndexNotReadyError):
                raise
            except Exception as exc:
                raise _unreachable(exc) from exc
        return self._count


def _unreachable(exc: Exception) -> DependencyError:
    return DependencyError(f"the vector store (Chroma) did not answer: {type(exc).__name__}: {str(exc)[:200]}",
                           field="chroma.url")


class ChromaStore:
    """Collections named ``<prefix>-<generation>``; cosine space; no embedding function attached."""

    def __init__(self, *, path: Path | None = None, url: str | None = None, prefix: str = "assist") -> None:
        self._path, self._url, self._prefix = path, url, prefix
        self._client: Any = None

    def _cl(self) -> Any:
        if self._client is None:
            import chromadb
            from chromadb.config import Settings as ChromaSettings

            cfg = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
            if self._url:
                u = urlparse(self._url)
                try:
                    self._client = chromadb.HttpClient(host=u.hostname or "127.0.0.1", port=u.port or 8000,
                                                       ssl=u.scheme == "https", settings=cfg)
                    self._client.heartbeat()
                except Exception as exc:  # connection errors come in several types across chromadb versions
                    raise DependencyError(f"cannot reach the Chroma server at {self._url}: {exc}") from exc
            else:
                assert self._path is not None
                self._path.mkdir(parents=True, exist_ok=True)
                self._client = chromadb.PersistentClient(path=str(self._path), settings=cfg)
        return self._client

    def _full(self, name: str) -> str:
        return f"{self._prefix}-{name}"

    def _max_batch(self) -> int:
        try:
            return int(self._cl().get_max_batch_size())
        except Exception:  # older servers lack the endpoint; Chroma's documented floor is far above this
            return 1000

    def create(self, name: str) -> ChromaIndex:
        cl = self._cl()
        full = self._full(name)
        if full in self._list():
            cl.delete_collection(full)
        col = cl.create_collection(full, embedding_function=None, metadata={"hnsw:space": "cosine"})
        return ChromaIndex(col, self._max_batch)

    def open(self, name: str) -> ChromaIndex:
        """The generation's collection, reached on first use (see ChromaIndex)."""
        full = self._full(name)

        def get() -> Any:
            client = self._cl()          # DependencyError when the server is down
            try:
                return client.get_collection(full, embedding_function=None)
            except Exception as exc:
                try:
                    client.heartbeat()
                except Exception as down:
                    self._client = None
                    raise _unreachable(down) from exc
                raise IndexNotReadyError(f"vector collection {full!r} not found: run `assist ingest` first") from exc

        return ChromaIndex(get, self._max_batch)

    def drop(self, name: str) -> None:
        full = self._full(name)
        if full in self._list():
            self._cl().delete_collection(full)

    def _list(self) -> list[str]:
        cols = self._cl().list_collections()
        return [c if isinstance(c, str) else c.name for c in cols]

    def ping(self) -> None:
        """Raise DependencyError when the Chroma server (or the embedded store) does not answer (readiness)."""
        try:
            self._cl().heartbeat()
        except DependencyError:
            self._client = None        # reconnect next time
            raise
        except Exception as exc:
            self._client = None
            raise _unreachable(exc) from exc

    def names(self) -> list[str]:
        pre = self._prefix + "-"
        return [n[len(pre):] for n in self._list() if n.startswith(pre)]
