"""Integration: the index on shared engines. A real Chroma server on 127.0.0.1 holds the vectors, a database
(PostgreSQL when ASSIST_TEST_PG_URL is set, as .ci/run does; else a SQLite file) holds the published generations,
and separate processes play the hosts: `assist ingest` jobs, each with its own data folder, and two search instances
(testkit/index_worker.py: the services' retriever) that never share a folder with anyone."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from assist.adapters.chroma import ChromaStore
from assist.adapters.sql_index_catalog import SqlIndexCatalog
from testkit.helpers import REPO, chroma_server, doc, write

PG = os.environ.get("ASSIST_TEST_PG_URL")


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory):
    with chroma_server(tmp_path_factory.mktemp("chroma-shared")) as url:
        yield url


@pytest.fixture
def shared(tmp_path, chroma_url, embedding_cache, small_kb):
    """Environment of every process of one deployment: the Chroma server, the catalog database, one index name."""
    if PG:
        url = PG
    elif os.environ.get("CI"):
        pytest.fail("CI must provide PostgreSQL (ASSIST_TEST_PG_URL): .ci/run sets it up")
    else:
        url = f"sqlite:///{tmp_path / 'catalog.sqlite'}"     # by hand without PostgreSQL: still two processes
    prefix = "shared-" + uuid.uuid4().hex[:8]
    env = {"ASSIST_EMBEDDER__KIND": "hash", "ASSIST_EMBEDDER__CACHE_PATH": str(embedding_cache),
           "ASSIST_CHROMA__URL": chroma_url, "ASSIST_CHROMA__COLLECTION_PREFIX": prefix,
           "ASSIST_INDEX__CATALOG_URL": url, "ASSIST_RETRIEVAL__MIN_RELEVANCE": "-1"}
    return {"env": env, "url": url, "prefix": prefix, "root": tmp_path, "kb": small_kb, "chroma": chroma_url}


def _env(shared, host):
    return {**os.environ, **shared["env"], "ASSIST_DATA_DIR": str(shared["root"] / host), "HF_HUB_OFFLINE": "1",
            "ANONYMIZED_TELEMETRY": "False", "PYTHONPATH": str(REPO)}


def _ingest(shared, host):
    exe = Path(sys.executable).with_name("assist")
    return subprocess.run([str(exe), "ingest", "--quiet", str(shared["kb"])], env=_env(shared, host), cwd=REPO,
                          capture_output=True, text=True, timeout=300)


class Worker:
    """A search instance in its own process (its own data folder: another host)."""

    def __init__(self, shared, host):
        self.proc = subprocess.Popen([sys.executable, "-m", "testkit.index_worker"], env=_env(shared, host), cwd=REPO,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                     text=True)
        assert json.loads(self.proc.stdout.readline()) == {"ready": True}

    def ask(self, **req):
        self.proc.stdin.write(json.dumps(req, ensure_ascii=False) + "\n")
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())

    def top(self, q, mode="hybrid"):
        out = self.ask(q=q, k=3, mode=mode)
        assert "ids" in out, out
        return out["ids"]

    def close(self):
        self.proc.stdin.close()
        self.proc.wait(timeout=20)


@pytest.fixture
def workers(shared):
    made = []

    def start(host):
        made.append(Worker(shared, host))
        return made[-1]

    yield start
    for w in made:
        w.close()


def _catalog(shared):
    return SqlIndexCatalog(shared["url"], shared["prefix"])


def test_an_ingest_on_one_host_is_seen_by_instances_on_others_without_restart(shared, workers):
    a, b = workers("host-a"), workers("host-b")
    assert a.ask(q="洗白征信")["error"].startswith("IndexNotReadyError")
    first = _ingest(shared, "job-1")
    assert first.returncode == 0, first.stderr
    assert shared["url"].split("@")[-1] in first.stdout or "sqlite" in first.stdout   # says where it published
    for w in (a, b):
        assert w.top("洗白征信")[0] == "edu-credit-repair"
        assert "guide-new" not in w.top("声纹核验流程")
    write(shared["kb"] / "new.md", doc("guide-new", "新增文档", "全新的内容：声纹核验流程。"))
    second = _ingest(shared, "host-a")          # the job runs beside instance A; B shares nothing but the engines
    assert second.returncode == 0, second.stderr
    for w in (b, a):
        assert w.top("声纹核验流程", mode="lexical")[0] == "guide-new"     # BM25 of the new generation
        assert w.top("声纹核验流程", mode="dense")[0] == "guide-new"       # vectors from the Chroma server
        assert w.top("声纹核验流程")[0] == "guide-new"
    gen = _catalog(shared).manifest()["active"]
    assert (shared["root"] / "host-b" / "generations" / gen / "COMPLETE").is_file()
    assert not (shared["root"] / "host-b" / "manifest.json").exists()
    assert not (shared["root"] / "host-b" / "chroma").exists()          # vectors stay on the server


CRASHING_JOB = """
import os, signal, sys
from pathlib import Path
from assist.adapters.sql_index_catalog import SqlIndexCatalog
from assist.bootstrap import build_ingestor
from assist.settings import load_settings

real, stored = SqlIndexCatalog._put_piece, []
def put_then_die(self, *a):
    real(self, *a)
    stored.append(a)
    if len(stored) == 3:                       # three pieces committed, the head not yet moved
        os.kill(os.getpid(), signal.SIGKILL)
SqlIndexCatalog._put_piece = put_then_die
build_ingestor(load_settings()).ingest([Path(sys.argv[1])])
"""


def test_a_job_killed_mid_publish_leaves_the_old_generation_serving(shared, workers):
    assert _ingest(shared, "job-1").returncode == 0
    b = workers("host-b")
    assert b.top("洗白征信")[0] == "edu-credit-repair"
    catalog = _catalog(shared)
    before = catalog.stamp()
    write(shared["kb"] / "new.md", doc("guide-new", "新增文档", "全新的内容：声纹核验流程。"))
    dead = subprocess.run([sys.executable, "-c", CRASHING_JOB, str(shared["kb"])], env=_env(shared, "job-2"),
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    assert dead.returncode == -9, dead.stderr                            # killed, not a clean failure
    with catalog.engine.connect() as c:
        orphans = {r[0] for r in c.exec_driver_sql(
            f"SELECT DISTINCT gen FROM index_piece WHERE name = '{shared['prefix']}'")} - {before[0]}
    assert len(orphans) == 1                                             # it did die in the middle of publishing
    assert catalog.stamp() == before
    assert b.top("声纹核验流程", mode="lexical")[0] != "guide-new"        # still the old generation, whole
    assert b.top("洗白征信")[0] == "edu-credit-repair"
    c_ = workers("host-c")                                               # an instance started now gets it too
    assert c_.top("洗白征信")[0] == "edu-credit-repair" and c_.top("声纹核验流程", mode="lexical")[0] != "guide-new"
    # the dead run's locks went with it: the next run publishes, and removes what the dead one left
    again = _ingest(shared, "job-2")
    assert again.returncode == 0, again.stderr
    assert b.top("声纹核验流程")[0] == "guide-new" and c_.top("声纹核验流程")[0] == "guide-new"
    with catalog.engine.connect() as c:
        left = {r[0] for r in c.exec_driver_sql(
            f"SELECT DISTINCT gen FROM index_piece WHERE name = '{shared['prefix']}'")}
    assert not (orphans & left)
    names = {n.split(".")[0] for n in ChromaStore(url=shared["chroma"], prefix=shared["prefix"]).names()}
    assert not (orphans & names) and names == left
