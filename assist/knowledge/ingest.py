"""Incremental, atomic ingestion: load -> validate -> chunk -> embed (cached) -> new generation -> swap."""

from __future__ import annotations

import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from assist.core.text import text_key
from assist.errors import AssistError
from assist.knowledge.catalog import COMPLETE, file_lock
from assist.knowledge.chunking import Chunker
from assist.knowledge.index import GenerationData, IndexLayout
from assist.knowledge.lexicon import LEXICON_FILE
from assist.knowledge.loaders import KnowledgeLoader
from assist.knowledge.retrieval import AUDIENCE_VIEWS
from assist.knowledge.terms import domain_terms
from assist.knowledge.types import Chunk, DocumentDefaults, Problem
from assist.ports import Embedder, EmbeddingCache, IndexCatalog, LexicalStore, VectorStore

LEXICONS_DIR = "lexicons"        # in a generation folder: the lexicon.yaml files of the folders it was built from


@dataclass
class IngestReport:
    """What an ingestion run did, for the console and for benchmarks."""

    generation: str | None = None
    files: int = 0
    documents: int = 0
    chunks: int = 0
    embedded: int = 0                # chunks embedded in this run
    reused: int = 0                  # chunks whose embedding came from the cache
    carried: int = 0                 # chunks kept from the previous index because their file failed this time
    tokens_embedded: int = 0
    seconds: float = 0.0
    embed_seconds: float = 0.0
    problems: list[Problem] = field(default_factory=list)
    inferred: dict[str, dict[str, str]] = field(default_factory=dict)   # file -> field -> how (no front matter)
    statutes: int = 0                # documents read as statutes (split into articles)
    articles: int = 0                # their articles

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def skipped(self) -> list[str]:
        """Files not indexed this run (each has at least one error in ``problems``)."""
        return list(dict.fromkeys(p.path for p in self.errors))


def write_vector_views(store: VectorStore, gen: str, data: GenerationData) -> None:
    """The generation's dense collections: the full one and one per audience view (AUDIENCE_VIEWS)."""
    chunks = data.chunks
    vectors = data.vectors.tolist()
    views = {"": None, **{f".{name}": set(auds) for name, auds in AUDIENCE_VIEWS.items()}}
    for suffix, auds in views.items():
        rows = [i for i, c in enumerate(chunks) if auds is None or c.audience in auds]
        index = store.create(gen + suffix)
        index.add([chunks[i].id for i in rows], [vectors[i] for i in rows], [chunks[i].text for i in rows],
                  [chunks[i].to_meta() for i in rows])


def ensure_vector_views(store: VectorStore, gen: str, data: GenerationData, lock_path: Path) -> bool:
    """Write the generation's dense collections into a store of this host's own (embedded Chroma) when they are not
    there yet: an instance that fetched the generation from a shared catalog. Processes of one data folder take
    turns (``lock_path``); True when this call wrote them."""
    import fcntl

    sizes = {gen: len(data.chunks), **{f"{gen}.{name}": sum(c.audience in auds for c in data.chunks)
                                       for name, auds in AUDIENCE_VIEWS.items()}}

    def whole() -> bool:   # present and complete: a process killed while writing them leaves a short collection
        names = set(store.names())
        return all(name in names and store.open(name).count() == n for name, n in sizes.items())

    if whole():
        return False
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)          # wait: another process of this folder may be writing them now
        try:
            if whole():
                return False
            write_vector_views(store, gen, data)
            return True
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


class Ingestor:
    """Builds a new index generation from source files and publishes it (``catalog``) only when complete."""

    def __init__(self, layout: IndexLayout, loader: KnowledgeLoader, embedder: Embedder, store: VectorStore,
                 lexical: LexicalStore, cache: EmbeddingCache, chunker: Chunker, token_count: Callable[[str], int],
                 batch_size: int, catalog: IndexCatalog) -> None:
        """``batch_size`` passages are embedded and written to ``cache`` at a time, so an interrupted run resumes
        where it stopped. The generation is built in ``layout``'s folder and then published to ``catalog``: the
        folder's own manifest (one host) or a database every instance reads."""
        self.layout = layout
        self.catalog = catalog
        self.loader = loader
        self.embedder = embedder
        self.store = store
        self.lexical = lexical
        self.cache = cache
        self.chunker = chunker
        self.token_count = token_count
        self.batch_size = batch_size

    def ingest(self, paths: Sequence[Path], *, progress: bool = False,
               defaults: DocumentDefaults | None = None) -> IngestReport:
        """Index ``paths``; ``defaults`` (the command line's kind/audience/tags) fill the fields of files without
        front matter and are remembered in the manifest, so a bare re-run applies them again."""
        t0 = time.perf_counter()
        report = IngestReport()
        with file_lock(self.layout.root / "ingest.lock", "this data directory"), self.catalog.ingestion():
            manifest = self.catalog.manifest()
            docs, problems, failed = self.loader.load(paths, defaults, report.inferred)
            statutes = [d for d in docs if d.meta.get("law")]
            report.statutes, report.articles = len(statutes), sum(int(d.meta.get("articles", 0)) for d in statutes)
            report.problems.extend(problems)
            report.files = len(docs) + len(failed)
            chunks: list[Chunk] = [c for d in docs for c in self.chunker.chunk(d)]
            carried_vecs: dict[str, np.ndarray] = {}
            old_gen = manifest.get("active") if manifest else None
            if old_gen and failed and manifest and manifest.get("embedder") == self.embedder.name:
                carried_vecs = self._carry_over(old_gen, failed, {d.id for d in docs}, chunks, report)
            report.documents = len({c.doc_id for c in chunks})
            report.chunks = len(chunks)
            if not chunks:
                report.problems.append(Problem(", ".join(map(str, paths)), "nothing to index: no readable documents; "
                                               "the previous index (if any) is left as it was"))
                report.seconds = time.perf_counter() - t0
                return report
            vectors = self._embed(chunks, carried_vecs, report, progress)
            gen = self.layout.new_generation()
            terms = domain_terms(t for c in chunks for t in c.tags)
            data = GenerationData(chunks, vectors, terms)
            self._build(gen, data)
            self._keep_lexicons(paths, self.layout.gen_dir(gen))
            self.catalog.publish(gen, {
                "active": gen, "embedder": self.embedder.name, "dim": int(vectors.shape[1]),
                "sources": [str(Path(p).resolve()) for p in paths], "chunks": len(chunks),
                "documents": report.documents, "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                **({"defaults": {"kind": defaults.kind, "audience": defaults.audience, "tags": list(defaults.tags)}}
                   if defaults is not None and (defaults.kind or defaults.audience or defaults.tags) else {}),
            }, self.layout.gen_dir(gen), replaces=old_gen)
            report.generation = gen
            # The previous generation stays one more round: processes that opened it keep answering until they
            # notice the new manifest (see ReloadingRetriever); anything older, and crashed runs' leftovers, go.
            self._cleanup(keep={gen, old_gen} if old_gen else {gen})
        report.seconds = time.perf_counter() - t0
        return report

    def _carry_over(self, old_gen: str, failed: list[str], new_ids: set[str], chunks: list[Chunk],
                    report: IngestReport) -> dict[str, np.ndarray]:
        """Keep the previous version of files that fail now, so nothing already indexed is lost."""
        try:
            self.catalog.fetch(old_gen, self.layout.gen_dir(old_gen))   # a shared catalog: maybe built elsewhere
            old = GenerationData.load(self.layout.gen_dir(old_gen))
        except AssistError:
            return {}
        by_path: dict[str, list[int]] = defaultdict(list)
        for i, c in enumerate(old.chunks):
            by_path[str(Path(c.source_path).resolve())].append(i)
        vecs: dict[str, np.ndarray] = {}
        for f in failed:
            rows = [i for i in by_path.get(str(Path(f).resolve()), []) if old.chunks[i].doc_id not in new_ids]
            if not rows:
                continue
            for i in rows:
                chunks.append(old.chunks[i])
                vecs[old.chunks[i].id] = np.asarray(old.vectors[i], dtype=np.float32)
            report.carried += len(rows)
            report.problems.append(Problem(f, f"kept the previously indexed version ({len(rows)} passages) "
                                              "until this file is fixed", severity="warning"))
        return vecs

    def _embed(self, chunks: list[Chunk], known: dict[str, np.ndarray], report: IngestReport,
               progress: bool) -> np.ndarray:
        texts = [c.context_text() for c in chunks]
        keys = [text_key(t) for t in texts]
        cached = self.cache.get_many(self.embedder.name, keys)
        todo = sorted({k: i for i, k in enumerate(keys) if k not in cached and chunks[i].id not in known}.values())
        report.reused = len(chunks) - len(todo)
        bar = None
        if progress and todo:
            from tqdm import tqdm

            bar = tqdm(total=len(todo), desc="embedding", unit="chunk", file=sys.stderr)
        t0 = time.perf_counter()
        for s in range(0, len(todo), self.batch_size):
            idx = todo[s:s + self.batch_size]
            vecs = self.embedder.embed_passages([texts[i] for i in idx])
            self.cache.put_many(self.embedder.name, [(keys[i], v) for i, v in zip(idx, vecs)])
            for i, v in zip(idx, vecs):
                cached[keys[i]] = np.asarray(v, dtype=np.float32)
            report.tokens_embedded += sum(self.token_count(texts[i]) for i in idx)
            if bar is not None:
                bar.update(len(idx))
        if bar is not None:
            bar.close()
        report.embed_seconds = time.perf_counter() - t0
        report.embedded = len(todo)
        dim = self.embedder.dim
        out = np.zeros((len(chunks), dim), dtype=np.float32)
        for i, c in enumerate(chunks):
            out[i] = known[c.id] if c.id in known else cached[keys[i]]
        return out

    def _build(self, gen: str, data: GenerationData) -> None:
        folder = self.layout.gen_dir(gen)
        data.save(folder)
        tokenizer = self.lexical.tokenizer(data.terms)
        chunks = data.chunks
        self.lexical.build(folder / "bm25", [c.id for c in chunks], [tokenizer.tokens(c.context_text()) for c in chunks],
                           [c.audience for c in chunks], [c.kind for c in chunks], [list(c.tags) for c in chunks])
        write_vector_views(self.store, gen, data)
        (folder / COMPLETE).write_text(gen, encoding="utf-8")

    @staticmethod
    def _keep_lexicons(paths: Sequence[Path], folder: Path) -> None:
        """Copy the lexicon.yaml of each indexed folder into the generation (``lexicons/``), so that instances on
        other hosts, which fetch the generation from a shared catalog, read the same lexicons as this one."""
        for i, p in enumerate(paths):
            src = Path(p) / LEXICON_FILE
            if src.is_file():
                dst = folder / LEXICONS_DIR / f"{i:02d}-{LEXICON_FILE}"
                dst.parent.mkdir(parents=True, exist_ok=True)
                dst.write_bytes(src.read_bytes())

    def _cleanup(self, keep: set[str]) -> None:
        """Drop every generation not in ``keep`` (including leftovers of crashed runs)."""
        for gen in self.layout.generations():
            if gen not in keep:
                self.layout.remove_generation(gen)
        for name in self.store.names():
            if name.split(".")[0] not in keep and name.startswith("g"):
                self.store.drop(name)
        self.catalog.retire(keep)
