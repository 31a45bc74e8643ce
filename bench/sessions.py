"""Idle sessions: what 100,000 idle call sessions cost in memory and in request time, in this process (memory
state, agent.max_sessions raised to 100,000) and in the shared database (live_state = database; SQLite file here,
PostgreSQL with --pg). Request time is measured as a ratio in one run: the same turn on a call when 0 and when
100,000 other sessions are idle (the old expiry scanned every session on every request).

    python bench/sessions.py [--n 100000] [--pg URL] [--out bench/results/sessions.json]
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from common import machine, write_result

from assist.bootstrap import build_ingestor, build_staff_assist, knowledge_dirs
from assist.settings import EmbedderSettings, Settings

REPO = Path(__file__).resolve().parents[1]
TURN = {"speaker": "caller", "text": "我帮同事问一下，他那笔欠款能不能停息挂账"}


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def turn_ms(staff: Any, sid: str, repeat: int = 30) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        staff.on_turn(sid, TURN)
        times.append((time.perf_counter() - t) * 1000)
        # keep the call short of its turn budget
        with staff._sessions.hold(sid) as s:
            s.turns.clear()
    return statistics.median(times)


def measure(name: str, settings: Settings, n: int) -> dict[str, Any]:
    staff = build_staff_assist(settings)
    probe = staff.start({"number_matches": "no"})
    turn_ms(staff, probe, 5)                                   # warm
    before_ms = turn_ms(staff, probe)
    gc.collect()
    rss0 = rss_mb()
    t = time.perf_counter()
    for i in range(n):
        sid = staff.start({"number_matches": "unknown"}, {"客户称呼": "王女士"})
        if i % 10 == 0:                                       # some calls said something before going idle
            staff.on_turn(sid, {"speaker": "agent", "text": "您好，请问有什么可以帮您？"})
    fill_s = time.perf_counter() - t
    gc.collect()
    rss1 = rss_mb()
    after_ms = turn_ms(staff, probe)
    return {"name": name, "live_state": settings.live_state, "idle_sessions": n, "fill_s": round(fill_s, 1),
            "rss_growth_mb": round(rss1 - rss0, 1), "per_session_kb": round((rss1 - rss0) * 1024 / n, 2),
            "turn_ms_median_empty": round(before_ms, 2), "turn_ms_median_full": round(after_ms, 2),
            "ratio_full_to_empty": round(after_ms / before_ms, 2), "machine_load_1min": round(os.getloadavg()[0], 1)}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--pg", default=os.environ.get("ASSIST_TEST_PG_URL"))
    ap.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "sessions.json")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="assist-sessions-") as tmp:
        base = Settings(data_dir=Path(tmp) / "data", embedder=EmbedderSettings(kind="hash"))
        build_ingestor(base).ingest(knowledge_dirs(base))
        mem = base.model_copy(update={"agent": base.agent.model_copy(update={
            "max_sessions": args.n + 10, "feedback_url": f"sqlite:///{Path(tmp) / 'fb.sqlite'}"})})
        runs = [measure("in process", mem, args.n)]
        url = args.pg or f"sqlite:///{Path(tmp) / 'shared.sqlite'}"
        if args.pg:
            from sqlalchemy import create_engine, text

            engine = create_engine(args.pg)
            with engine.begin() as c:
                c.execute(text("DROP TABLE IF EXISTS live_sessions"))
            engine.dispose()
        db = mem.model_copy(update={"live_state": "database", "database_url": url})
        runs.append(measure("shared database (" + url.split(":")[0] + ")", db, args.n))
    result = {"bench": "sessions", "machine": machine(), "embedder": "hash", "runs": runs,
              "note": "turn time excludes the embedder's cost (hash embedder); memory is this process's RSS"}
    write_result(args.out, result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
