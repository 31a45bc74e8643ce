"""Publishing index generations: the data folder's manifest, a database catalog (SQLite here; PostgreSQL and two
processes with a Chroma server in tests/integration/test_shared_index.py), installing a fetched generation, and
readers that follow publications without a restart and never open half a generation."""

import threading

import pytest

from assist.adapters.sql_index_catalog import SqlIndexCatalog
from assist.bootstrap import (
    build_catalog,
    build_ingestor,
    build_retriever,
    build_store,
    lexicon_paths,
    packaged_knowledge_dir,
)
from assist.errors import DependencyError, IndexNotReadyError, KnowledgeError
from assist.knowledge.catalog import COMPLETE, FileCatalog, GenerationFile, generation_files, install_generation
from assist.knowledge.index import GenerationData, IndexLayout
from assist.knowledge.ingest import ensure_vector_views
from assist.knowledge.retrieval import _Reopening
from assist.settings import IndexSettings
from testkit.helpers import doc, write


def _generation(folder, gen="g1", payload=b"x" * 10):
    (folder / "bm25").mkdir(parents=True)
    (folder / "chunks.jsonl").write_text('{"id": "a"}\n', encoding="utf-8")
    (folder / "bm25" / "data.bin").write_bytes(payload)
    (folder / COMPLETE).write_text(gen, encoding="utf-8")
    return folder


# -- installing a generation ----------------------------------------------------------------------------------------

def test_generation_files_list_complete_last_and_refuse_an_incomplete_folder(tmp_path):
    files = generation_files(_generation(tmp_path / "g1"))
    assert [f.path for f in files] == ["bm25/data.bin", "chunks.jsonl", COMPLETE]
    (tmp_path / "g1" / COMPLETE).unlink()
    with pytest.raises(KnowledgeError, match="not complete"):
        generation_files(tmp_path / "g1")


def test_install_checks_every_file_and_leaves_nothing_on_a_bad_copy(tmp_path):
    src = _generation(tmp_path / "src")
    files = generation_files(src)

    def corrupt(f, target):
        data = (src / f.path).read_bytes()
        target.write_bytes(data[:-1] + b"y" if f.path == "bm25/data.bin" else data)

    dst = tmp_path / "gens" / "g1"
    with pytest.raises(KnowledgeError, match="checksum"):
        install_generation(dst, files, corrupt)
    assert not dst.exists() and list((tmp_path / "gens").iterdir()) == []   # no temporary folder left either

    def cut_off(f, target):
        if f.path == COMPLETE:
            raise OSError("connection reset (simulated)")
        target.write_bytes((src / f.path).read_bytes())

    with pytest.raises(OSError):
        install_generation(dst, files, cut_off)
    assert not dst.exists()
    install_generation(dst, files, lambda f, t: t.write_bytes((src / f.path).read_bytes()))
    assert (dst / "bm25" / "data.bin").read_bytes() == b"x" * 10
    install_generation(dst, files, lambda f, t: pytest.fail("a complete copy is not fetched again"))


def test_install_refuses_paths_outside_the_folder(tmp_path):
    bad = [GenerationFile("../escape.txt", 1, "0" * 64)]
    with pytest.raises(KnowledgeError, match="unsafe path"):
        install_generation(tmp_path / "g1", bad, lambda f, t: t.write_bytes(b"x"))
    assert not (tmp_path / "escape.txt").exists()


# -- the manifest file ----------------------------------------------------------------------------------------------

def test_file_catalog_stamp_changes_with_each_publication_and_refuses_a_stale_writer(tmp_path):
    layout = IndexLayout(tmp_path)
    cat = FileCatalog(layout)
    assert cat.stamp() is None and cat.manifest() is None
    cat.publish("g1", {"chunks": 1}, _generation(layout.gen_dir("g1")), replaces=None)
    first = cat.stamp()
    assert cat.manifest() == {"chunks": 1, "active": "g1"}
    cat.publish("g2", {"chunks": 2}, _generation(layout.gen_dir("g2"), "g2"), replaces="g1")
    assert cat.stamp() != first and cat.manifest()["active"] == "g2"
    with pytest.raises(KnowledgeError, match="another ingestion published"):
        cat.publish("g3", {}, _generation(layout.gen_dir("g3"), "g3"), replaces="g1")
    assert cat.manifest()["active"] == "g2"


# -- the database catalog (SQLite) ----------------------------------------------------------------------------------

@pytest.fixture
def sql_catalog(tmp_path):
    return SqlIndexCatalog(f"sqlite:///{tmp_path / 'catalog.sqlite'}", "assist")


def test_sql_catalog_publishes_and_another_folder_fetches_the_same_files(sql_catalog, tmp_path):
    assert sql_catalog.stamp() is None and sql_catalog.manifest() is None
    payload = bytes(range(256)) * 40_000                     # 10 MB: stored in three pieces
    src = _generation(tmp_path / "job" / "g1", payload=payload)
    sql_catalog.publish("g1", {"chunks": 1}, src, replaces=None)
    assert sql_catalog.stamp() == ("g1", 1) and sql_catalog.manifest() == {"chunks": 1, "active": "g1"}
    dst = tmp_path / "reader" / "g1"
    sql_catalog.fetch("g1", dst)
    assert (dst / "bm25" / "data.bin").read_bytes() == payload and (dst / COMPLETE).read_text() == "g1"
    # a second index in the same database is kept apart
    other = SqlIndexCatalog(sql_catalog.url, "other")
    assert other.stamp() is None
    with pytest.raises(KnowledgeError, match="not in the index catalog"):
        other.fetch("g1", tmp_path / "x")


def test_a_publication_that_dies_midway_leaves_the_previous_generation_active(sql_catalog, tmp_path, monkeypatch):
    sql_catalog.publish("g1", {"n": 1}, _generation(tmp_path / "g1"), replaces=None)
    before = sql_catalog.stamp()
    real = SqlIndexCatalog._put_piece
    calls = []

    def dies_after_two(self, *a):
        if len(calls) == 2:
            raise OSError("killed (simulated)")
        calls.append(a)
        real(self, *a)

    monkeypatch.setattr(SqlIndexCatalog, "_put_piece", dies_after_two)
    with pytest.raises(OSError):
        sql_catalog.publish("g2", {"n": 2}, _generation(tmp_path / "g2", "g2"), replaces="g1")
    monkeypatch.undo()
    assert sql_catalog.stamp() == before and sql_catalog.manifest()["active"] == "g1"
    with pytest.raises(KnowledgeError):
        sql_catalog.fetch("g2", tmp_path / "reader" / "g2")      # no generation row: readers cannot reach it
    sql_catalog.publish("g3", {"n": 3}, _generation(tmp_path / "g3", "g3"), replaces="g1")
    sql_catalog.retire({"g3", "g1"})
    with sql_catalog.engine.connect() as c:
        gens = {r[0] for r in c.exec_driver_sql("SELECT DISTINCT gen FROM index_piece")}
    assert gens == {"g1", "g3"}                                  # the dead run's pieces are gone


def test_sql_catalog_refuses_a_stale_writer_and_a_second_ingestion(sql_catalog, tmp_path):
    sql_catalog.publish("g1", {}, _generation(tmp_path / "g1"), replaces=None)
    with pytest.raises(KnowledgeError, match="another ingestion published generation g1"):
        sql_catalog.publish("g2", {}, _generation(tmp_path / "g2", "g2"), replaces=None)
    assert sql_catalog.stamp() == ("g1", 1)
    with sql_catalog.ingestion():
        with pytest.raises(KnowledgeError, match="another `assist ingest`"):
            with SqlIndexCatalog(sql_catalog.url, "assist").ingestion():
                pass
    with sql_catalog.ingestion():     # released
        pass


def test_an_unreachable_catalog_is_a_dependency_error(tmp_path):
    cat = SqlIndexCatalog(f"sqlite:///{tmp_path / 'no' / 'such' / 'dir.sqlite'}", "assist", timeout_s=0.2)
    with pytest.raises(DependencyError, match="index catalog"):
        cat.stamp()


# -- readers follow publications ------------------------------------------------------------------------------------

class _Clock:
    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


def test_a_reader_keeps_serving_while_the_catalog_is_away_or_a_new_generation_cannot_be_opened():
    state = {"stamp": 1, "down": False, "broken": False}
    opened = []

    def stamp():
        if state["down"]:
            raise DependencyError("catalog down (simulated)")
        return state["stamp"]

    def open_current():
        if state["broken"]:
            raise KnowledgeError("fetch failed (simulated)")
        opened.append(state["stamp"])
        return f"gen{state['stamp']}"

    clock = _Clock()
    r = _Reopening(stamp, open_current, "test", retry_s=5.0, clock=clock)
    assert r.current() == "gen1" and r.current() == "gen1" and opened == [1]      # opened once
    state["down"] = True
    assert r.current() == "gen1"
    state["down"], state["stamp"], state["broken"] = False, 2, True
    assert r.current() == "gen1"                     # cannot open gen 2: gen 1 serves
    state["broken"] = False
    assert r.current() == "gen1" and opened == [1]   # not retried before retry_s
    clock.t = 6.0
    assert r.current() == "gen2" and opened == [1, 2]
    fresh = _Reopening(lambda: (_ for _ in ()).throw(DependencyError("down")), open_current, "test")
    with pytest.raises(DependencyError):
        fresh.current()                               # nothing open yet: the error is the answer
    with pytest.raises(IndexNotReadyError):
        _Reopening(lambda: None, open_current, "test").current()


def test_with_a_check_interval_the_catalog_is_asked_at_most_that_often():
    asked = []
    state = {"stamp": 1}

    def stamp():
        asked.append(1)
        return state["stamp"]

    clock = _Clock()
    r = _Reopening(stamp, lambda: f"gen{state['stamp']}", "test", clock=clock, check_s=0.5)
    assert r.current() == "gen1"
    state["stamp"] = 2
    clock.t = 0.2
    assert [r.current() for _ in range(10)] == ["gen1"] * 10 and len(asked) == 1   # asked once, when opening
    clock.t = 0.8
    assert r.current() == "gen2" and len(asked) == 2


def test_concurrent_queries_during_a_swap_are_served_by_the_open_generation():
    gate = threading.Event()
    state = {"stamp": 1}

    def open_current():
        if state["stamp"] == 2:
            gate.wait(5)                 # a slow fetch of the new generation
        return f"gen{state['stamp']}"

    r = _Reopening(lambda: state["stamp"], open_current, "test")
    assert r.current() == "gen1"
    state["stamp"] = 2
    t = threading.Thread(target=r.current)
    t.start()
    seen = [r.current() for _ in range(3)]          # while the other thread fetches
    gate.set()
    t.join(5)
    assert seen == ["gen1"] * 3 and r.current() == "gen2"


# -- two instances, two data folders, one database catalog, each its own embedded Chroma --------------------------

def test_an_instance_on_another_folder_follows_ingestion_through_the_catalog(hash_settings, small_kb, tmp_path):
    url = f"sqlite:///{tmp_path / 'catalog.sqlite'}"
    lexicon = (packaged_knowledge_dir() / "lexicon.yaml").read_bytes()
    (small_kb / "lexicon.yaml").write_bytes(lexicon)
    job = hash_settings.model_copy(update={"index": IndexSettings(catalog_url=url)})
    other = job.model_copy(update={"data_dir": tmp_path / "other-host"})
    reader = build_retriever(other)
    with pytest.raises(IndexNotReadyError):
        reader.search("洗白征信")
    first = build_ingestor(job).ingest([small_kb])
    assert not (other.data_dir / "manifest.json").exists()  # nothing on the other host but what the catalog says
    assert reader.search("洗白征信", k=1, floor=False)[0].chunk.doc_id == "edu-credit-repair"
    store = build_store(other)
    assert first.generation in store.names()                # its own embedded Chroma got the vectors
    store.create(first.generation + ".consumer")              # as if killed while writing one of them: empty
    gen_data = GenerationData.load(IndexLayout(other.data_dir).gen_dir(first.generation))
    assert ensure_vector_views(store, first.generation, gen_data, tmp_path / "vectors.lock") is True
    assert store.open(first.generation + ".consumer").count() > 0
    assert ensure_vector_views(store, first.generation, gen_data, tmp_path / "vectors.lock") is False
    travelled = [p for p in lexicon_paths(other) if p.is_relative_to(other.data_dir.resolve())]
    assert [p.read_bytes() for p in travelled] == [lexicon]  # the indexed folder's lexicon came with the generation
    write(small_kb / "new.md", doc("guide-new", "新增文档", "全新的内容：声纹核验流程。"))
    second = build_ingestor(job).ingest([small_kb])
    assert reader.search("声纹核验流程", k=1, floor=False, mode="lexical")[0].chunk.doc_id == "guide-new"
    assert reader.search("声纹核验流程", k=1, floor=False, mode="dense")[0].chunk.doc_id == "guide-new"
    assert build_catalog(other).manifest()["active"] == second.generation
    build_ingestor(job).ingest([small_kb])
    reader.search("声纹核验流程", k=1)
    assert len(IndexLayout(other.data_dir).generations()) <= 2       # fetched copies do not pile up
    assert {n.split(".")[0] for n in build_store(other).names()} <= set(IndexLayout(other.data_dir).generations())
    assert not (job.data_dir / "manifest.json").exists()    # the job publishes to the catalog, not to its folder
