"""Bring your own documents: colloquial questions -> the right statute article. Indexes the raw law texts of
../shared/corpus/regulations (no front matter) together with the shipped knowledge, then measures article retrieval on
question files, method by method (what each part of ArticleSearch adds), and the latency of one article search.

    python bench/statutes.py --questions dev=../staging/questions22/dev.jsonl [--questions test=…] \
        [--shared ../shared] [--out bench/results/statutes.json]

The question files and the corpus are read at run time and never copied into the repository. Every method runs the
same ArticleSearch with some rankings switched off, so the rows differ only in what they use:
  dense only / lexical only / RRF (dense + BM25, equal weights: the baseline of ../shared/notes/retrieval-gap.md)
  + lexicon (everyday phrasing -> statutory terms, misspellings fixed, filler words dropped from the BM25 query)
  + digests (regulation digests that match bring the articles they cite)
  full (+ law prior: the default configuration)
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from common import machine, pct, peak_rss_mb, write_result

from assist.bootstrap import article_params, build_embedder, build_lexicon, index_corpus, open_retriever
from assist.evaluation.articles import evaluate, load_article_cases, summarize
from assist.knowledge.articles import ArticleSearch
from assist.settings import load_settings

REPO = Path(__file__).resolve().parents[1]
OFF = dict(dense=0.0, lexical=0.0, dense_expanded=0.0, lexical_expanded=0.0, bridge=0.0, law_prior=0.0, law_named=0.0)


def methods(base: Any) -> dict[str, tuple[Any, dict[str, bool]]]:
    plain = dict(expand=False, bridge=False)
    return {
        "dense only": (replace(base, **{**OFF, "dense": 1.0}), plain),
        "lexical only (BM25: jieba words + characters + bigrams)": (replace(base, **{**OFF, "lexical": 1.0}), plain),
        "RRF dense + lexical (equal weights)": (replace(base, **{**OFF, "dense": 1.0, "lexical": 1.0}), plain),
        "+ lexicon": (replace(base, bridge=0.0, law_prior=0.0, law_named=0.0), dict(bridge=False)),
        "+ digests as bridge": (replace(base, law_prior=0.0, law_named=0.0), {}),
        "full (default)": (base, {}),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=str(REPO.parent / "shared"))
    ap.add_argument("--questions", action="append", required=True, help="name=path of a question file (repeatable)")
    ap.add_argument("--out", default=str(REPO / "bench" / "results" / "statutes.json"))
    ap.add_argument("--latency-only", action="store_true", help="skip the quality table (keeps the questions for timing)")
    args = ap.parse_args()
    corpus = Path(args.shared) / "corpus" / "regulations"
    settings = load_settings()
    embedder = build_embedder(settings)
    t0 = time.perf_counter()
    s = index_corpus(settings, corpus, embedder)
    index_s = time.perf_counter() - t0
    retriever = open_retriever(s, embedder)
    lexicon = build_lexicon(s)
    base = article_params(s)
    result: dict[str, Any] = {"machine": machine(), "corpus": str(corpus), "embedder": embedder.name,
                              "passages": retriever.size, "index_seconds_incremental": round(index_s, 1),
                              "params": base.__dict__, "sets": {}}
    for spec in [] if args.latency_only else args.questions:
        name, _, path = spec.partition("=")
        cases = load_article_cases(Path(path))
        rows: dict[str, Any] = {}
        for label, (params, options) in methods(base).items():
            search = ArticleSearch(retriever, lexicon, params)
            summary = summarize(evaluate(search, cases, **options))
            rows[label] = {k: (round(v, 3) if isinstance(v, float) else v) for k, v in summary.items()}
            print(f"{name:6s} {label:55s} R@5 {summary['recall@5.all']:.3f}  MRR {summary['mrr.all']:.3f}  "
                  f"law@5 {summary['law@5.all']:.3f}", flush=True)
        result["sets"][name] = {"file": path, "questions": len(cases), "methods": rows}
    # latency of one search, the full configuration, each question once after a warm-up; beside it the plain
    # hybrid passage search of the same index (what `assist search` does), measured in the same run
    search = ArticleSearch(retriever, lexicon, base)
    questions = [c.question for spec in args.questions for c in load_article_cases(Path(spec.partition("=")[2]))]
    for q in questions[:5]:
        search.search(q)
    # wall time suffers when other jobs share the 2 cores; CPU time of this process (all its threads) much less so
    wall: dict[str, list[float]] = {"article": [], "hybrid": []}
    cpu: dict[str, list[float]] = {"article": [], "hybrid": []}
    forget = getattr(embedder, "clear_cache", lambda: None)     # every search pays for its query embedding
    runs = {"article": lambda q: search.search(q, k=5), "hybrid": lambda q: retriever.search(q, k=5, floor=False)}
    for q in questions:
        for name, run in runs.items():
            forget()
            t, c = time.perf_counter(), time.process_time()
            run(q)
            wall[name].append((time.perf_counter() - t) * 1000)
            cpu[name].append((time.process_time() - c) * 1000)
    # the ranking alone (query embedding already cached): what article search adds to one query embedding
    for name, run in runs.items():
        key = f"ranking_{name}"
        wall[key], cpu[key] = [], []
        for q in questions:
            run(q)                                      # embeds (and caches) the query
            t, c = time.perf_counter(), time.process_time()
            run(q)
            wall[key].append((time.perf_counter() - t) * 1000)
            cpu[key].append((time.process_time() - c) * 1000)
    result["latency_ms"] = {
        f"{kind}_{name}": {"p50": pct(xs[name], 0.5), "p95": pct(xs[name], 0.95), "n": len(xs[name])}
        for kind, xs in (("wall", wall), ("cpu", cpu)) for name in xs}
    result["latency_ms"]["cpu_ratio_p50_article_to_hybrid"] = round(
        pct(cpu["article"], 0.5) / max(pct(cpu["hybrid"], 0.5), 1e-6), 2)
    result["load_average_1min"] = round(__import__("os").getloadavg()[0], 1)
    result["peak_rss_mb"] = peak_rss_mb()
    write_result(Path(args.out), result)


if __name__ == "__main__":
    main()
