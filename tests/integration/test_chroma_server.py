"""Integration: a real Chroma server started on 127.0.0.1, used through HttpClient for ingest and search."""

import json
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from assist.bootstrap import build_ingestor, build_store, open_retriever
from assist.errors import DependencyError
from assist.knowledge.types import Filter
from assist.settings import ChromaSettings
from testkit.helpers import free_port


def _start(path: Path, port: int) -> subprocess.Popen:
    exe = Path(sys.executable).with_name("chroma")
    if not exe.exists():
        pytest.fail(f"chroma CLI not found beside {sys.executable}; install the project")
    path.mkdir(parents=True, exist_ok=True)
    log = open(path / "server.log", "a")
    proc = subprocess.Popen([str(exe), "run", "--path", str(path / "db"), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=log, stderr=subprocess.STDOUT)
    log.close()
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url + "/api/v2/heartbeat", timeout=1)
            return proc
        except OSError:
            if proc.poll() is not None:
                pytest.fail(f"chroma server exited: {(path / 'server.log').read_text()[-2000:]}")
            time.sleep(0.3)
    proc.kill()
    pytest.fail("chroma server did not answer within 60 s")


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory):
    port = free_port()
    proc = _start(tmp_path_factory.mktemp("chroma-server"), port)
    yield f"http://127.0.0.1:{port}"
    _stop(proc)


def test_ingest_and_search_through_a_chroma_server(hash_settings, small_kb, chroma_url):
    settings = hash_settings.model_copy(update={"chroma": ChromaSettings(url=chroma_url, collection_prefix="srvtest")})
    rep = build_ingestor(settings).ingest([small_kb])
    assert rep.errors == [] and rep.chunks >= 3
    store = build_store(settings)
    assert sorted(store.names()) == sorted([rep.generation, f"{rep.generation}.agent", f"{rep.generation}.consumer"])
    assert store.open(rep.generation).count() == rep.chunks
    r = open_retriever(settings)
    hits = r.search("洗白征信 删除逾期", k=3, where=Filter.for_audience("consumer"), mode="dense", floor=False)
    assert hits and hits[0].chunk.doc_id == "edu-credit-repair"
    # a second ingest replaces the generation on the server and drops the old collection
    rep2 = build_ingestor(settings).ingest([small_kb])
    gens = lambda: sorted({n.split(".")[0] for n in store.names()})  # noqa: E731
    assert gens() == sorted([rep2.generation, rep.generation]) and rep2.embedded == 0
    rep3 = build_ingestor(settings).ingest([small_kb])
    assert gens() == sorted([rep3.generation, rep2.generation])


def test_unreachable_server_is_a_clear_error(hash_settings, small_kb):
    settings = hash_settings.model_copy(update={"chroma": ChromaSettings(url=f"http://127.0.0.1:{free_port()}")})
    with pytest.raises(DependencyError) as exc:
        build_ingestor(settings).ingest([small_kb])
    assert "cannot reach the Chroma server" in exc.value.message


def test_a_stopped_server_degrades_to_lexical_answers_and_503s_then_recovers(hash_settings, small_kb, tmp_path):
    """Stop the Chroma server under a running API: turns and consumer messages are still answered from the lexical
    index, /readyz says 503 with Retry-After and names the vector store, and all is well again after a restart."""
    from fastapi import FastAPI

    from assist.bootstrap import (
        build_consumer_chat,
        build_consumer_sessions,
        build_http_auth,
        build_review_service,
        build_staff_assist,
        readiness_checks,
    )
    from assist.edges.http import consumer
    from assist.edges.http.app import create_api
    from assist.edges.http.ratelimit import RateLimiter
    from testkit.auth import seed_accounts
    from testkit.helpers import serve

    port = free_port()
    proc = _start(tmp_path / "chroma", port)
    settings = hash_settings.model_copy(update={
        "chroma": ChromaSettings(url=f"http://127.0.0.1:{port}", collection_prefix="degrade"),
        "knowledge_dirs": [small_kb],
        # the engine answers every dense search (as for an index over retrieval.exact_below chunks)
        "retrieval": hash_settings.retrieval.model_copy(update={"exact_below": 0})})
    build_ingestor(settings).ingest([small_kb])
    staff = build_staff_assist(settings)
    review = build_review_service(settings)
    headers = seed_accounts(settings).headers
    app: FastAPI = create_api(staff, 64, readiness=readiness_checks(settings, staff.store, review.ping),
                              auth=build_http_auth(settings))
    app.include_router(consumer.router(build_consumer_sessions(settings, build_consumer_chat(settings)), [],
                                       RateLimiter(600, 100), 1000))
    import httpx

    try:
        with serve(app) as url, httpx.Client(base_url=url, headers=headers, timeout=60) as c:
            assert c.get("/readyz").status_code == 200
            sid = c.post("/v1/sessions", json={"meta": {"number_matches": "no"}}).json()["session_id"]
            assert c.post(f"/v1/sessions/{sid}/turns", json={"speaker": "caller", "text": "回拨预留手机号核实身份"}).status_code == 200
            _stop(proc)
            turn = c.post(f"/v1/sessions/{sid}/turns", json={"speaker": "caller", "text": "你们怎么核实身份，要回拨预留手机号吗"})
            assert turn.status_code == 200, turn.text
            assert turn.json()["turn_index"] == 1 and turn.json()["passages"]            # lexical answers
            assert any(p["doc_id"] == "guide-callback" for p in turn.json()["passages"])
            msg = c.post("/v1/consumer/messages", json={"message": "征信修复是不是骗局，能洗白征信吗"})
            assert msg.status_code == 200 and "edu-credit-repair" in json.dumps(msg.json(), ensure_ascii=False)
            ready = c.get("/readyz")
            assert ready.status_code == 503 and ready.headers["retry-after"]
            assert ready.json()["checks"]["vector_store"] != "ok" and ready.json()["checks"]["index"] == "ok"
            assert c.get("/healthz").status_code == 200                                    # alive, not ready
            proc = _start(tmp_path / "chroma", port)
            assert c.get("/readyz").status_code == 200
    finally:
        _stop(proc)
