"""Wall time per component on this machine (p50/p95/max in ms), for trend-watching; targets live in bench/."""

from __future__ import annotations

import time

from assist.evaluation.context import EvalContext, Progress
from assist.evaluation.metrics import percentile
from assist.evaluation.results import SuiteResult
from assist.evaluation.retrieval import load_cases
from assist.knowledge.types import Filter


def suite_latency(ctx: EvalContext, progress: Progress, calls: int = 40) -> SuiteResult:
    """Wall time per component on this machine (p50/p95/max in ms): retrieval search, risk per caller turn, agent
    assistance per turn, consumer answer. Timings are for trend-watching; targets live in bench/."""
    series: dict[str, list[float]] = {"retrieval": [], "risk_turn": [], "agent_turn": [], "consumer": []}
    queries = [c.query for c in load_cases(ctx.file("retrieval.jsonl"))][:80]
    # warm-up: the first call of each path loads models and builds per-audience views; that is start-up, not latency
    for q in queries[:3]:
        ctx.retriever.search(q, k=5, where=Filter.for_audience("agent"))
        ctx.consumer.respond(q)
    if ctx.conversations:
        warm = ctx.assessor.new_session(ctx.conversations[0].meta)
        for t in ctx.conversations[0].turns:
            warm.add(t)
    ctx.staff.on_turn(ctx.staff.start({}), {"speaker": "caller", "text": queries[0] if queries else "你好"})
    for i, q in enumerate(queries):
        progress("latency", i, len(queries) + calls)
        t0 = time.perf_counter()
        ctx.retriever.search(q, k=5, where=Filter.for_audience("agent"))
        series["retrieval"].append((time.perf_counter() - t0) * 1000)
    for i, c in enumerate(ctx.conversations[:calls]):
        progress("latency", len(queries) + i, len(queries) + calls)
        session = ctx.assessor.new_session(c.meta)
        sid = ctx.staff.start({})
        for t in c.turns:
            t0 = time.perf_counter()
            session.add(t)
            if t.speaker == "caller":
                series["risk_turn"].append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            ctx.staff.on_turn(sid, {"speaker": t.speaker, "text": t.text + " "})   # a new text: no embedding reuse
            series["agent_turn"].append((time.perf_counter() - t0) * 1000)
        caller = next((t.text for t in c.turns if t.speaker == "caller"), "")
        t0 = time.perf_counter()
        ctx.consumer.respond(caller)
        series["consumer"].append((time.perf_counter() - t0) * 1000)
    metrics: dict[str, float | None] = {}
    for k, xs in series.items():
        metrics[f"{k}.p50_ms"] = percentile(xs, 0.5)
        metrics[f"{k}.p95_ms"] = percentile(xs, 0.95)
        metrics[f"{k}.max_ms"] = max(xs) if xs else None
    return SuiteResult("latency", metrics, [], {"latency": series})
