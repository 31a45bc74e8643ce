"""Integration: a real Chroma server started on 127.0.0.1, used through HttpClient for ingest and search."""

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


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory):
    exe = Path(sys.executable).with_name("chroma")
    if not exe.exists():
        pytest.fail(f"chroma CLI not found beside {sys.executable}; install the project")
    port = free_port()
    path = tmp_path_factory.mktemp("chroma-server")
    log = open(path / "server.log", "w")
    proc = subprocess.Popen([str(exe), "run", "--path", str(path / "db"), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url + "/api/v2/heartbeat", timeout=1)
            break
        except OSError:
            if proc.poll() is not None:
                pytest.fail(f"chroma server exited: {(path / 'server.log').read_text()[-2000:]}")
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("chroma server did not answer within 60 s")
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


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
