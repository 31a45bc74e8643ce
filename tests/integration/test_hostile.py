"""The hostile-input suite, against `assist serve` running as its own process (the `served` fixture): bombs and huge
files generated at test time, bodies that never end, server paths named to Gradio functions, lone surrogates, races,
long turns, and a schema-driven fuzzer over the OpenAPI document. Each refusal is a clean 4xx (or 503) naming the
limit, the server answers normally afterwards, and its peak memory stays within a budget. The long version, with
bigger inputs and more fuzzing, is bench/hostile.py."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from testkit import hostile

MEMORY_BUDGET_MB = 250          # growth of the server's peak RSS over its warmed-up peak, across this whole file
FUZZ_EXAMPLES = 12              # per operation and generation mode (bench/hostile.py runs many more)


@pytest.fixture(scope="module")
def server(served):
    """The served app, warmed up (every route used once normally), with its peak memory at that point."""
    with httpx.Client(base_url=served.url, timeout=60) as c:
        sid = c.post("/v1/sessions", json={"meta": {"number_matches": "no"}}).json()["session_id"]
        assert c.post(f"/v1/sessions/{sid}/turns", json={"speaker": "caller", "text": "我是他委托的法务"}).status_code == 200
        assert c.post("/v1/consumer/messages", json={"message": "征信能花钱修复吗"}).status_code == 200
        body, ctype = hostile.multipart("file", "letter.txt", "投诉信\n请贵司核实处理。\n".encode())
        assert c.post("/v1/documents/review", content=body, headers={"content-type": ctype}).status_code == 200
    return served, hostile.peak_rss_mb(served.pid)


def _healthy(url: str) -> None:
    with httpx.Client(base_url=url, timeout=60) as c:
        assert c.get("/healthz").json() == {"status": "ok"}
        ready = c.get("/readyz")
        assert ready.status_code == 200, ready.text
        sid = c.post("/v1/sessions", json={}).json()["session_id"]
        a = c.post(f"/v1/sessions/{sid}/turns", json={"speaker": "caller", "text": "我想申请延期还款"})
        assert a.status_code == 200 and a.json()["turn_index"] == 0


def _within_memory(server) -> None:
    served, baseline = server
    grew = hostile.peak_rss_mb(served.pid) - baseline
    assert grew < MEMORY_BUDGET_MB, f"peak RSS grew {grew:.0f} MB (budget {MEMORY_BUDGET_MB} MB)"


BOMBS = [
    ("docx of 300 MB unpacked", lambda: hostile.docx_bomb(300), "bomb.docx", "documents.max_unpacked_mb"),
    ("docx packed 300 times", lambda: hostile.docx_bomb(40), "dense.docx", "documents.max_compression_ratio"),
    ("docx of 20,000 parts", lambda: hostile.zip_of_many_entries(20_000), "parts.docx", "documents.max_archive_entries"),
    ("png 12,000 x 12,000", lambda: hostile.png_bomb(12_000, 12_000), "scan.png", "documents.max_image_pixels"),
    ("png 20,000 x 20,000", lambda: hostile.png_bomb(20_000, 20_000), "scan.png", "documents.max_image_pixels"),
    ("pdf with a 20,000 x 20,000 image", lambda: hostile.pdf_with_huge_image(20_000), "scan.pdf",
     "documents.max_image_pixels"),
    ("pdf of 5,000 pages", lambda: hostile.pdf_of_pages(5000), "long.pdf", "documents.max_pages"),
    ("pdf of 30 blank scans", lambda: hostile.pdf_of_blank_scans(30), "blank.pdf", "documents.max_ocr_pages"),
    ("11 MB upload", lambda: b"%PDF-1.7\n" + b"0" * (11 * 2**20), "big.pdf", "documents.max_upload_mb"),
]


def test_bombs_and_huge_files_get_413_naming_the_limit(server):
    served, _ = server
    with httpx.Client(base_url=served.url, timeout=120) as c:
        for what, make, name, limit in BOMBS:
            body, ctype = hostile.multipart("file", name, make())
            r = c.post("/v1/documents/review", content=body, headers={"content-type": ctype})
            assert r.status_code == 413, (what, r.status_code, r.text[:300])
            assert r.json()["limit"] == limit, what
    _healthy(served.url)
    _within_memory(server)


def test_huge_and_chunked_bodies_are_cut_off_at_the_limit(server):
    served, _ = server
    assert hostile.send_declared(served.url, "/v1/sessions", 300 * 2**20) == 413     # refused before any byte
    assert hostile.send_declared(served.url, "/trainer/gradio_api/upload", 500 * 2**20) == 413
    status, sent = hostile.send_endless_chunked(served.url, "/v1/sessions", total_mb=300)
    assert status == 413 and sent < 64 * 2**20, sent          # stopped long before 300 MB (kernel buffers aside)
    for path in ("/trainer/gradio_api/upload", "/v1/documents/review"):
        status, sent = hostile.send_endless_chunked(served.url, path, total_mb=500, upload=True)
        assert status == 413 and sent < 80 * 2**20, (path, sent)
    _healthy(served.url)
    _within_memory(server)


def _gradio_call(url: str, api: str, data: list) -> tuple[str, str]:
    """Call a Gradio function the way any HTTP client can (no upload first); returns (event, data) of its answer."""
    with httpx.Client(base_url=url, timeout=60) as c:
        r = c.post(f"/trainer/gradio_api/call/{api}", content=json.dumps({"data": data}).encode(),   # escapes as sent
                   headers={"content-type": "application/json"})
        assert r.status_code == 200, r.text
        stream = c.get(f"/trainer/gradio_api/call/{api}/{r.json()['event_id']}").text
    event = next((ln.split(":", 1)[1].strip() for ln in stream.splitlines() if ln.startswith("event:")), "")
    payload = "\n".join(ln.split(":", 1)[1] for ln in stream.splitlines() if ln.startswith("data:"))
    return event, payload


def test_no_server_path_reaches_a_console_function(server, tmp_path):
    served, _ = server
    secret = tmp_path / "secret.txt"
    secret.write_text("投诉信\n机密：服务器上的文件，不该被读到。\n", encoding="utf-8")
    jsonl = tmp_path / "scams_server.jsonl"
    jsonl.write_text('{"id": "s1", "message": "机密数据集", "schemes": [], "urgent": false}\n', encoding="utf-8")
    for path in [*hostile.traversal_paths(secret), str(jsonl)]:
        file = {"path": path, "meta": {"_type": "gradio.FileData"}}
        event, payload = _gradio_call(served.url, "review_documents", [[file]])
        assert event == "error" and "机密" not in payload and "root:" not in payload, (path, payload[:200])
        assert "not uploaded by a user" in payload          # Gradio's own check runs on the mounted console
        event, payload = _gradio_call(served.url, "validate_dataset", [file, "自动识别"])
        assert event == "error" and "机密" not in payload, (path, payload[:200])
    custom = served.data_dir / "trainer" / "datasets-custom"
    assert not any("scams_server" in p.name for p in custom.rglob("*"))
    r = httpx.get(f"{served.url}/trainer/gradio_api/file={secret}", timeout=30)
    assert r.status_code in (403, 404) and "机密" not in r.text
    _healthy(served.url)


def test_lone_surrogates_get_422_naming_the_field(server):
    served, _ = server
    with httpx.Client(base_url=served.url, timeout=60) as c:
        sid = c.post("/v1/sessions", json={}).json()["session_id"]
        bad = {f"/v1/sessions/{sid}/turns": b'{"speaker": "caller", "text": "\\ud800\xe6\x88\x91"}',
               "/v1/feedback": b'{"session_id": "\\udfff", "suspected_intermediary": true}',
               "/v1/consumer/messages": b'{"message": "\\ud83d\xe5\xbe\x81\xe4\xbf\xa1"}',
               "/v1/sessions": b'{"slots": {"\\ud800": "x"}}'}
        for path, raw in bad.items():
            r = c.post(path, content=raw, headers={"content-type": "application/json"})
            assert r.status_code == 422, (path, r.status_code, r.text)
            assert r.json()["fields"] and "\\ud8" not in r.text and "\\udf" not in r.text and "\ufffd" not in r.text
    event, _ = _gradio_call(served.url, "practice_start", ["学员\ud800", "随机"])   # the consoles: no crash either
    assert event in ("complete", "error")
    _healthy(served.url)


def test_races_on_shared_and_fresh_sessions(server):
    served, _ = server
    with httpx.Client(base_url=served.url, timeout=120, limits=httpx.Limits(max_connections=32)) as c:
        shared = c.post("/v1/consumer/messages", json={"message": "征信能花钱修复吗"}).json()["session_id"]

        def consumer(i: int) -> int:
            sid = shared if i % 3 == 0 else None        # fresh sessions overflow the store (max_sessions 200)
            return c.post("/v1/consumer/messages", json={"session_id": sid, "message": f"第{i}问：有人让我交钱洗白征信"}).status_code

        with ThreadPoolExecutor(16) as pool:
            codes = list(pool.map(consumer, range(300)))
        assert codes.count(200) == 300, {code: codes.count(code) for code in set(codes)}

        sid = c.post("/v1/sessions", json={"meta": {"number_matches": "no"}}).json()["session_id"]
        barrier = threading.Barrier(12)

        def turns(k: int) -> list[int]:
            barrier.wait()
            return [c.post(f"/v1/sessions/{sid}/turns", json={"speaker": "caller", "text": f"线程{k}第{j}句"}).json()
                    ["turn_index"] for j in range(5)]

        with ThreadPoolExecutor(12) as pool:
            got = sorted(i for batch in pool.map(turns, range(12)) for i in batch)
        assert got == list(range(60))
    _healthy(served.url)
    _within_memory(server)


def test_turn_length_is_a_budget_not_a_cost(server):
    served, _ = server
    with httpx.Client(base_url=served.url, timeout=60) as c:
        sid = c.post("/v1/sessions", json={}).json()["session_id"]
        ok = c.post(f"/v1/sessions/{sid}/turns", json={"speaker": "caller", "text": "我想问一下还款。" * 500})
        assert ok.status_code == 200
        long = c.post(f"/v1/sessions/{sid}/turns", json={"speaker": "caller", "text": "字" * 4001})
        assert long.status_code == 413 and long.json()["limit"] == "agent.max_turn_chars"
        after = c.post(f"/v1/sessions/{sid}/turns", json={"speaker": "caller", "text": "嗯"})
        assert after.status_code == 200 and after.json()["turn_index"] == 1


def test_fuzzer_over_the_openapi_finds_no_server_error(server):
    import schemathesis
    from hypothesis import HealthCheck, given, settings
    from hypothesis.errors import Unsatisfiable
    from schemathesis import GenerationMode

    served, _ = server
    schema = schemathesis.openapi.from_url(served.url + "/openapi.json")
    statuses: dict[int, int] = {}
    failures: list[str] = []
    operations = [op.ok() for op in schema.get_all_operations()]
    assert len(operations) >= 7
    for op in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            @given(case=op.as_strategy(generation_mode=mode))
            @settings(max_examples=FUZZ_EXAMPLES, deadline=None, derandomize=True, database=None,
                      suppress_health_check=list(HealthCheck))
            def run(case) -> None:
                r = case.call(base_url=served.url, timeout=60)
                statuses[r.status_code] = statuses.get(r.status_code, 0) + 1
                if r.status_code >= 500:
                    failures.append(f"{case.method} {case.formatted_path} -> {r.status_code}: {r.text[:200]}")

            try:
                run()
            except Unsatisfiable:        # no invalid input exists for an operation without parameters (GET /healthz)
                assert mode == GenerationMode.NEGATIVE
    assert sum(statuses.values()) >= 100, statuses
    assert failures == [], json.dumps(failures[:5], ensure_ascii=False)
    _healthy(served.url)
    _within_memory(server)
