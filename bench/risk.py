"""Risk-hint latency: cost of assessing one new turn (rules + semantics + learned layer), by position in the call,
to show it does not grow with the call's length. Writes JSON.

    python bench/risk.py [--out bench/results/risk.json]
    ASSIST_RISK__SEMANTIC_EMBEDDER=foundation python bench/risk.py --out bench/results/risk_foundation.json
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

from common import machine, pct, peak_rss_mb, write_result

from assist.bootstrap import build_risk_assessor
from assist.evaluation.conversations import load_conversations
from assist.settings import load_settings

REPO = Path(__file__).resolve().parents[1]



def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "risk.json")
    ap.add_argument("--data", type=Path, default=REPO / "eval" / "datasets" / "conversations")
    args = ap.parse_args()
    settings = load_settings()
    t0 = time.perf_counter()
    assessor = build_risk_assessor(settings)
    startup = time.perf_counter() - t0
    convs = load_conversations(args.data)
    # warm-up
    for c in convs[:10]:
        s = assessor.new_session(c.meta)
        for t in c.turns:
            s.add(t)
    per_turn: list[float] = []
    caller_turn: list[float] = []
    shared: list[float] = []   # the same, when the turn's embedding already exists (the agent embeds it for retrieval)
    # what embeds caller windows: the distilled embedder (default) or the foundation embedder itself
    # (ASSIST_RISK__SEMANTIC_EMBEDDER=foundation), whose query cache the agent shares with retrieval
    embed = assessor.semantic.window_embedder if assessor.semantic else None
    exact = embed is not None and embed is assessor.semantic.embedder
    by_position: dict[str, list[float]] = {"1-5": [], "6-10": [], "11+": []}
    # CPU time as well as wall time: on a shared machine a turn's wall time includes the time other processes held
    # the cores; its CPU time is the cost of the turn itself (the two agree on an idle machine)
    caller_cpu: list[float] = []
    for c in convs:
        s = assessor.new_session(c.meta)
        for i, t in enumerate(c.turns):
            a, a_cpu = time.perf_counter(), time.process_time()
            s.add(t)
            ms = (time.perf_counter() - a) * 1000
            cpu_ms = (time.process_time() - a_cpu) * 1000
            per_turn.append(ms)
            if t.speaker == "caller":
                caller_turn.append(ms)
                caller_cpu.append(cpu_ms)
                key = "1-5" if i < 5 else "6-10" if i < 10 else "11+"
                by_position[key].append(ms)
    if exact:
        for c in convs:
            s = assessor.new_session(c.meta)
            for t in c.turns:
                if t.speaker == "caller":
                    text = t.text + "。"
                    a_, b_ = assessor.semantic.window(text)
                    embed.embed_query(text[a_:b_])   # already embedded: the agent embeds a short turn once for both
                    a = time.perf_counter()
                    s.add({"speaker": "caller", "text": text})
                    shared.append((time.perf_counter() - a) * 1000)
                else:
                    s.add(t)
    # a long call: the same conversation replayed 10 times over (about 100+ turns); the embedder's cache is emptied
    # before each turn so that no embedding is reused (a marker in the text may fall outside the embedded window)
    long_times: list[float] = []
    c = max(convs, key=lambda c: len(c.turns))
    s = assessor.new_session(c.meta)
    clear = getattr(embed, "clear_cache", None)
    for rep in range(10):
        for t in c.turns:
            if clear is not None:
                clear()
            a = time.perf_counter()
            s.add({"speaker": t.speaker, "text": f"{t.text}（{rep}）"})
            if t.speaker == "caller":
                long_times.append((time.perf_counter() - a) * 1000)
    result = {
        "machine": machine(),
        "semantic_window_chars": assessor.semantic.params.window_chars if assessor.semantic else None,
        "window_embedder": embed.name if embed is not None else None,
        "scorer": f"model:{assessor.model.data_hash[:12]}" if assessor.model is not None else "rules+semantic",
        "startup_seconds": round(startup, 2), "conversations": len(convs), "turns": len(per_turn),
        "any_turn_ms": {"p50": pct(per_turn, 0.5), "p95": pct(per_turn, 0.95), "max": pct(per_turn, 1.0)},
        "caller_turn_ms": {"p50": pct(caller_turn, 0.5), "p95": pct(caller_turn, 0.95), "max": pct(caller_turn, 1.0)},
        "caller_turn_cpu_ms": {"p50": pct(caller_cpu, 0.5), "p95": pct(caller_cpu, 0.95), "max": pct(caller_cpu, 1.0)},
        "load_average_1min": round(os.getloadavg()[0], 2),
        "caller_turn_with_shared_embedding_ms": ({"p50": pct(shared, 0.5), "p95": pct(shared, 0.95),
                                                  "max": pct(shared, 1.0)} if shared else None),
        "caller_turn_p50_by_position": {k: round(statistics.median(v), 2) for k, v in by_position.items() if v},
        "long_call": {"caller_turns": len(long_times), "first_10_p50": round(statistics.median(long_times[:10]), 2),
                      "last_10_p50": round(statistics.median(long_times[-10:]), 2)},
        "peak_rss_mb": peak_rss_mb(),
    }
    write_result(args.out, result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
