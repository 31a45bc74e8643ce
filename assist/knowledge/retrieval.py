"""Hybrid retrieval: dense (Chroma) + BM25 fused by reciprocal rank fusion, filtered inside both stores,
with a relevance floor so that "nothing fits" is a possible answer, and an optional cross-encoder reranker."""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Generic, TypeVar

import numpy as np

from assist.errors import AssistError, ConfigError, DependencyError, IndexNotReadyError
from assist.knowledge.index import GenerationData
from assist.knowledge.types import Chunk, Filter, Hit
from assist.ports import Embedder, LexicalIndex, Reranker, Retriever, Tokenizer, VectorSearch

if TYPE_CHECKING:
    from assist.knowledge.articles import ArticleSearch  # noqa: F401  (a string type argument of a base class below)

T = TypeVar("T")
RECENT_QUERIES = 256       # query vectors kept per loaded generation (a few KB each)

log = logging.getLogger("assist.retrieval")


@dataclass(frozen=True)
class RetrievalParams:
    """How a search is run (values come from RetrievalSettings; see README, "Configuration")."""

    k: int
    candidates: int
    rrf_k: int
    min_relevance: float
    dense_weight: float
    max_per_document: int
    exact_below: int = 0
    dense_query_chars: int | None = None


def rrf(rankings: Sequence[Sequence[str]], k: int = 60, weights: Sequence[float] | None = None) -> dict[str, float]:
    """Weighted reciprocal rank fusion: sum over rankings of weight / (k + rank), rank starting at 1."""
    fused: dict[str, float] = {}
    for i, ranking in enumerate(rankings):
        w = 1.0 if weights is None else weights[i]
        for rank, key in enumerate(ranking, start=1):
            fused[key] = fused.get(key, 0.0) + w / (k + rank)
    return fused


# Audience views: one extra dense collection per audience, holding exactly what that audience may see, so the
# common audience filter is a choice of collection rather than a metadata scan (and the consumer view physically
# contains no internal text).
AUDIENCE_VIEWS: dict[str, tuple[str, ...]] = {"agent": ("agent", "all"), "consumer": ("consumer", "all")}


class AudienceViewIndex:
    """A VectorIndex over the full collection plus per-audience views; picks the view that matches the filter."""

    def __init__(self, full: VectorSearch, views: dict[str, VectorSearch]) -> None:
        self.full = full
        self.views = {frozenset(AUDIENCE_VIEWS[name]): idx for name, idx in views.items()}

    def query(self, vector: Sequence[float], k: int, where: Filter | None = None) -> list[tuple[str, float]]:
        if where is not None and where.audiences is not None and frozenset(where.audiences) in self.views:
            view = self.views[frozenset(where.audiences)]
            rest = replace(where, audiences=None)
            return view.query(vector, k, None if rest == Filter() else rest)
        return self.full.query(vector, k, where)

    def count(self) -> int:
        return self.full.count()


class HybridRetriever:
    """Answers queries over one loaded index generation."""

    def __init__(self, embedder: Embedder, vectors: VectorSearch, lexical: LexicalIndex, tokenizer: Tokenizer,
                 data: GenerationData, params: RetrievalParams, reranker: Reranker | None = None) -> None:
        if data.vectors.shape[1] != embedder.dim:
            raise ConfigError(f"the index holds {data.vectors.shape[1]}-dimensional vectors but the embedder gives "
                              f"{embedder.dim}; run `assist ingest` again with the current embedder", field="embedder")
        self.embedder = embedder
        self.vectors = vectors
        self.lexical = lexical
        self.tokenizer = tokenizer
        self.params = params
        self.reranker = reranker
        self._chunks: dict[str, Chunk] = {c.id: c for c in data.chunks}
        self._row: dict[str, int] = {c.id: i for i, c in enumerate(data.chunks)}
        self._ids: list[str] = [c.id for c in data.chunks]
        self._masks: dict[Filter, np.ndarray] = {}
        self._matrix = data.vectors
        self._recent: OrderedDict[str, np.ndarray] = OrderedDict()   # last queries' vectors (a turn searches twice)
        self._recent_lock = threading.Lock()

    @property
    def size(self) -> int:
        return len(self._chunks)

    def chunk(self, chunk_id: str) -> Chunk:
        return self._chunks[chunk_id]

    @property
    def chunks(self) -> list[Chunk]:
        return list(self._chunks.values())

    def embed(self, query: str) -> np.ndarray:
        """The query's vector; the last RECENT_QUERIES are kept, so one turn's script and passage searches (same
        query, different filters) embed it once."""
        with self._recent_lock:
            hit = self._recent.get(query)
            if hit is not None:
                self._recent.move_to_end(query)
                return hit
        vec = np.asarray(self.embedder.embed_query(query), dtype=np.float32)
        vec.setflags(write=False)
        self._keep(query, vec)
        return vec

    def _keep(self, text: str, vec: np.ndarray) -> None:
        with self._recent_lock:
            self._recent[text] = vec
            self._recent.move_to_end(text)
            if len(self._recent) > RECENT_QUERIES:
                self._recent.popitem(last=False)

    def query_vector(self, query: str) -> tuple[str, bytes]:
        return self.embedder.name, self.embed(self.dense_part(query)).tobytes()

    def remember(self, query: str, embedder: str, vector: bytes) -> bool:
        if embedder != self.embedder.name or len(vector) != 4 * self.embedder.dim:
            return False
        self._keep(self.dense_part(query), np.frombuffer(vector, dtype=np.float32))   # read-only, like embed()'s
        return True

    def dense_part(self, query: str) -> str:
        """What the dense side embeds: the query's last ``dense_query_chars`` characters (all of it when unset)."""
        n = self.params.dense_query_chars
        return query if n is None or len(query) <= n else query[-n:]

    def dense_ranking(self, qvec: np.ndarray, n: int, where: Filter | None = None) -> list[tuple[str, float]]:
        """The ``n`` nearest chunks to a query vector: (chunk id, cosine), best first. Exact, from the saved vectors
        in memory, while the generation is small enough (``exact_below``): no round trip to the vector engine on the
        per-turn path; the engine answers for larger indexes."""
        if len(self._ids) <= self.params.exact_below:
            return self.exact_dense_ranking(qvec, n, where)
        return self.vectors.query(qvec.tolist(), n, where)

    def lexical_ranking(self, text: str, n: int, where: Filter | None = None) -> list[tuple[str, float]]:
        """The ``n`` best BM25 chunks for a text: (chunk id, score), best first."""
        return self.lexical.query(self.tokenizer.tokens(text), n, where)

    def exact_dense_ranking(self, qvec: np.ndarray, n: int, where: Filter | None = None) -> list[tuple[str, float]]:
        """Like ``dense_ranking`` but exact and deterministic: every chunk of the generation is scored from its
        saved vector (the vector index is approximate and its graph differs from one build to the next). Article
        search needs this: hundreds of near-equal statute passages, ranked deep."""
        sims = np.asarray(self._matrix @ qvec, dtype=np.float32)
        if where is not None:
            sims = np.where(self._mask(where), sims, -np.inf)
        n = min(n, len(sims))
        top = np.argpartition(-sims, n - 1)[:n]
        top = top[np.argsort(-sims[top], kind="stable")]
        return [(self._ids[i], float(sims[i])) for i in top if np.isfinite(sims[i])]

    def _mask(self, where: Filter) -> np.ndarray:
        if where not in self._masks:
            chunks = [self._chunks[i] for i in self._ids]
            self._masks[where] = np.array([
                (where.audiences is None or c.audience in where.audiences)
                and (where.kinds is None or c.kind in where.kinds)
                and (where.tags is None or bool(set(where.tags) & set(c.tags))) for c in chunks], dtype=bool)
        return self._masks[where]

    def similarity(self, chunk_id: str, qvec: np.ndarray) -> float:
        return float(self._matrix[self._row[chunk_id]] @ qvec)

    def search(self, query: str, *, k: int | None = None, where: Filter | None = None,
               mode: str = "hybrid", floor: bool = True) -> list[Hit]:
        """Ranked passages for a query. mode: hybrid | dense | lexical. floor=False keeps irrelevant results.
        Each document appears at most ``max_per_document`` times; each article of a statute text counts as a
        document of its own."""
        k = k or self.params.k
        if not query.strip():
            return []
        n = self.params.candidates
        use_floor = floor and self.params.min_relevance > -1
        # BM25-only search without the floor needs no query embedding; everything else does.
        qvec = self.embed(self.dense_part(query)) if mode != "lexical" or use_floor else None
        dense = self.dense_ranking(qvec, n, where) if qvec is not None and mode != "lexical" else []
        lexical = self.lexical_ranking(query, n, where) if mode in ("hybrid", "lexical") else []
        d_rank = {cid: r for r, (cid, _) in enumerate(dense, start=1)}
        l_rank = {cid: r for r, (cid, _) in enumerate(lexical, start=1)}
        fused = rrf([[c for c, _ in dense], [c for c, _ in lexical]], self.params.rrf_k, (self.params.dense_weight, 1.0))
        order = sorted(fused, key=lambda c: -fused[c])
        hits: list[Hit] = []
        for cid in order:
            chunk = self._chunks.get(cid)
            if chunk is None:
                continue
            rel = float(self._matrix[self._row[cid]] @ qvec) if qvec is not None else float("nan")
            hits.append(Hit(chunk, fused[cid], rel, d_rank.get(cid), l_rank.get(cid)))
        if self.reranker is not None and hits:
            pool = hits[: max(k * 4, 20)]
            scores = self.reranker.scores(query, [h.chunk.context_text() for h in pool])
            hits = [Hit(h.chunk, s, h.relevance, h.dense_rank, h.lexical_rank)
                    for h, s in sorted(zip(pool, scores), key=lambda x: -x[1])]
        if use_floor:
            hits = [h for h in hits if h.relevance >= self.params.min_relevance]
        per_doc: dict[str, int] = {}
        out: list[Hit] = []
        for h in hits:
            unit = h.chunk.unit
            if per_doc.get(unit, 0) >= self.params.max_per_document:
                continue
            per_doc[unit] = per_doc.get(unit, 0) + 1
            out.append(h)
            if len(out) >= k:
                break
        return out



class _Reopening(Generic[T]):
    """Something opened on the active index generation, reopened when `assist ingest` publishes a new one.

    ``stamp`` is asked before every use (a stat() of the manifest, or one primary-key read of a shared catalog) and
    changes with every publication. The previous generation stays available for one round, so searches in flight
    during a swap still succeed. While the catalog does not answer, or a new generation cannot be opened (its files
    cannot be fetched, its vectors are not there), the generation already open keeps serving and opening is tried
    again after ``retry_s``; only a process that has nothing open yet gets the error."""

    def __init__(self, stamp: Callable[[], object | None], open_current: Callable[[], T], where: str,
                 retry_s: float = 5.0, clock: Callable[[], float] = time.monotonic, check_s: float = 0.0) -> None:
        """``check_s`` > 0 asks ``stamp`` at most that often (a query within ``check_s`` of the last check uses the
        open generation without asking); 0 asks before every query."""
        self._check_s = check_s
        self._checked_at = float("-inf")
        self._stamp_of = stamp
        self._open = open_current
        self._where = where
        self._retry_s = retry_s
        self._clock = clock
        self._stamp: object | None = None
        self._current: T | None = None
        self._retry_at = 0.0
        self._warned_at = float("-inf")
        self._opening = threading.Lock()

    def current(self) -> T:
        current = self._current
        now = self._clock()
        if current is not None and now - self._checked_at < self._check_s:
            return current
        self._checked_at = now
        try:
            stamp = self._stamp_of()
        except DependencyError as exc:
            if current is None:
                raise
            self._warn(f"the index catalog does not answer; serving the generation already open: {exc.message}")
            return current
        if stamp is None:
            raise IndexNotReadyError(f"no index in {self._where}: run `assist ingest` first")
        if current is not None and stamp == self._stamp:
            return current
        if current is not None and self._clock() < self._retry_at:
            return current
        # One thread opens; the others keep using the open generation meanwhile (or wait when there is none).
        if not self._opening.acquire(blocking=current is None):
            assert current is not None      # only a process with a generation open does not wait
            return current
        try:
            if self._current is not None and self._stamp == stamp:
                return self._current
            try:
                opened = self._open()
            except AssistError as exc:
                if self._current is None:
                    raise
                self._retry_at = self._clock() + self._retry_s
                self._warn(f"a new index generation could not be opened; serving the previous one: {exc.message}")
                return self._current
            self._current, self._stamp = opened, stamp
            return opened
        finally:
            self._opening.release()

    def _warn(self, message: str) -> None:
        now = self._clock()
        if now >= self._warned_at + 60:
            self._warned_at = now
            log.warning("%s", message)


class ReloadingRetriever(_Reopening[Retriever]):
    """A retriever for long-running processes: picks up a new index generation after `assist ingest`."""

    def search(self, query: str, *, k: int | None = None, where: Filter | None = None, mode: str = "hybrid",
               floor: bool = True) -> list[Hit]:
        return self.current().search(query, k=k, where=where, mode=mode, floor=floor)

    def query_vector(self, query: str) -> tuple[str, bytes]:
        return self.current().query_vector(query)

    def remember(self, query: str, embedder: str, vector: bytes) -> bool:
        return self.current().remember(query, embedder, vector)


class ReloadingArticleSearch(_Reopening["ArticleSearch"]):
    """Article search for long-running processes (the staff search page): reopens after `assist ingest`."""
