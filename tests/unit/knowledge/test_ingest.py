import json
from pathlib import Path

import pytest

from assist.adapters.embedders import HashEmbedder
from assist.bootstrap import build_ingestor, build_store, open_retriever
from assist.knowledge.index import IndexLayout
from testkit.helpers import doc, write


class CountingEmbedder(HashEmbedder):
    """HashEmbedder that records how many passages it was asked to embed."""

    def __init__(self) -> None:
        super().__init__(384)
        self.passages = 0

    def embed_passages(self, texts):
        self.passages += len(texts)
        return super().embed_passages(texts)


def _doc_ids(settings, query, mode="hybrid", where=None):
    r = open_retriever(settings)
    return [h.chunk.doc_id for h in r.search(query, k=10, mode=mode, where=where, floor=False)]


def test_ingest_then_search(hash_settings, small_kb):
    rep = build_ingestor(hash_settings).ingest([small_kb])
    assert rep.errors == [] and rep.documents == 3 and rep.chunks >= 3 and rep.embedded + rep.reused == rep.chunks
    assert _doc_ids(hash_settings, "洗白征信")[0] == "edu-credit-repair"


def test_unchanged_chunks_are_not_reembedded(hash_settings, small_kb):
    own_cache = hash_settings.embedder.model_copy(update={"cache_path": None})   # data_dir/embeddings.sqlite
    hash_settings = hash_settings.model_copy(update={"embedder": own_cache})
    emb = CountingEmbedder()
    first = build_ingestor(hash_settings, emb).ingest([small_kb])
    assert emb.passages == first.chunks
    second = build_ingestor(hash_settings, emb).ingest([small_kb])
    assert emb.passages == first.chunks and second.embedded == 0 and second.reused == second.chunks
    p = small_kb / "guide.md"
    p.write_text(p.read_text(encoding="utf-8").replace("先挂断", "礼貌说明后挂断"), encoding="utf-8")
    third = build_ingestor(hash_settings, emb).ingest([small_kb])
    assert third.embedded == 1 and emb.passages == first.chunks + 1


def test_removed_document_disappears_from_both_indexes(hash_settings, small_kb):
    build_ingestor(hash_settings).ingest([small_kb])
    assert "guide-callback" in _doc_ids(hash_settings, "回拨预留手机号", mode="lexical")
    (small_kb / "guide.md").unlink()
    rep = build_ingestor(hash_settings).ingest([small_kb])
    assert rep.documents == 2
    for mode in ("lexical", "dense", "hybrid"):
        assert "guide-callback" not in _doc_ids(hash_settings, "回拨预留手机号", mode=mode)
    gen = IndexLayout(hash_settings.data_dir).read_manifest()["active"]
    assert build_store(hash_settings).open(gen).count() == rep.chunks


def test_crash_midway_leaves_previous_index_serving(hash_settings, small_kb, monkeypatch):
    build_ingestor(hash_settings).ingest([small_kb])
    layout = IndexLayout(hash_settings.data_dir)
    before = layout.read_manifest()
    write(small_kb / "new.md", doc("guide-new", "新增文档", "全新的内容：声纹核验流程。"))

    ingestor = build_ingestor(hash_settings)
    real_create = ingestor.store.create

    def exploding_create(name):
        index = real_create(name)

        def boom(*a, **k):
            raise RuntimeError("disk full (simulated)")

        index.add = boom
        return index

    monkeypatch.setattr(ingestor.store, "create", exploding_create)
    with pytest.raises(RuntimeError):
        ingestor.ingest([small_kb])
    assert layout.read_manifest() == before
    ids = _doc_ids(hash_settings, "洗白征信")
    assert "edu-credit-repair" in ids and "guide-new" not in _doc_ids(hash_settings, "声纹核验流程")
    # the next good run swaps in and removes the crashed run's leftovers
    rep = build_ingestor(hash_settings).ingest([small_kb])
    assert "guide-new" in _doc_ids(hash_settings, "声纹核验流程")
    assert sorted(layout.generations()) == sorted([rep.generation, before["active"]])
    assert sorted({n.split(".")[0] for n in build_store(hash_settings).names()}) == sorted([rep.generation, before["active"]])


def test_a_long_running_reader_survives_a_swap_and_then_sees_the_new_index(hash_settings, small_kb):
    from assist.bootstrap import build_retriever

    build_ingestor(hash_settings).ingest([small_kb])
    reader = build_retriever(hash_settings)
    stale = reader.current()
    assert reader.search("声纹核验流程", k=5, floor=False)[0].chunk.doc_id != "guide-new"
    write(small_kb / "new.md", doc("guide-new", "新增文档", "全新的内容：声纹核验流程。"))
    build_ingestor(hash_settings).ingest([small_kb])
    assert stale.search("洗白征信", k=1, floor=False)  # the old generation still answers during the swap
    assert reader.search("声纹核验流程", k=5, floor=False)[0].chunk.doc_id == "guide-new"
    build_ingestor(hash_settings).ingest([small_kb])
    assert len(IndexLayout(hash_settings.data_dir).generations()) == 2  # never more than active + previous


def test_bad_files_do_not_stop_good_ones_and_nothing_indexed_is_lost(hash_settings, small_kb):
    build_ingestor(hash_settings).ingest([small_kb])
    # a previously good file breaks, a new bad file appears, a new good file appears
    (small_kb / "guide.md").write_text("---\nid: guide-callback\ntitle: [broken\n---\n正文\n", encoding="utf-8")
    (small_kb / "empty.md").write_bytes(b"")
    (small_kb / "blob.txt").write_bytes(b"\x00\xff" * 500)
    write(small_kb / "gbk.md", doc("guide-gbk", "声纹核验", "来电声纹与本人不一致时，回拨核实。"), encoding="gbk")
    rep = build_ingestor(hash_settings).ingest([small_kb])
    messages = {Path(p.path).name: p.message for p in rep.problems}
    assert "YAML" in messages["guide.md"] or "kept the previously indexed" in messages["guide.md"]
    assert "empty" in messages["empty.md"] and "binary" in messages["blob.txt"]
    assert len(rep.errors) == 3 and rep.carried >= 1
    ids = _doc_ids(hash_settings, "回拨预留手机号")
    assert "guide-callback" in ids                      # kept from the previous index
    assert "guide-gbk" in _doc_ids(hash_settings, "声纹核验")  # the good new file went in


def test_duplicate_ids_are_reported_with_both_files(hash_settings, small_kb):
    write(small_kb / "zz-dup.md", doc("guide-callback", "重复", "重复的文档。"))
    rep = build_ingestor(hash_settings).ingest([small_kb])
    dup = [p for p in rep.errors if "duplicate id" in p.message]
    assert len(dup) == 1 and dup[0].path.endswith("zz-dup.md") and "guide.md" in dup[0].message
    assert rep.documents == 3


def test_a_run_with_nothing_readable_keeps_the_previous_index(hash_settings, small_kb, tmp_path):
    first = build_ingestor(hash_settings).ingest([small_kb])
    bad = tmp_path / "bad"
    write(bad / "x.md", "---\nid: x\n---\nbroken front matter")
    rep = build_ingestor(hash_settings).ingest([bad])
    assert rep.generation is None and rep.errors
    assert IndexLayout(hash_settings.data_dir).read_manifest()["active"] == first.generation


def test_manifest_records_sources_and_embedder(hash_settings, small_kb):
    build_ingestor(hash_settings).ingest([small_kb])
    m = json.loads((hash_settings.data_dir / "manifest.json").read_text(encoding="utf-8"))
    assert m["sources"] == [str(small_kb.resolve())] and m["embedder"] == "hash-bigram-384" and m["documents"] == 3


def test_search_with_another_embedder_than_the_index_is_refused(hash_settings, small_kb):
    from assist.errors import ConfigError

    build_ingestor(hash_settings).ingest([small_kb])
    with pytest.raises(ConfigError):
        open_retriever(hash_settings, HashEmbedder(128))


def test_consumer_view_collection_holds_no_internal_text(hash_settings, small_kb):
    rep = build_ingestor(hash_settings).ingest([small_kb])
    store = build_store(hash_settings)
    consumer = store.open(f"{rep.generation}.consumer")._c.get(include=["metadatas"])
    agent = store.open(f"{rep.generation}.agent")._c.get(include=["metadatas"])
    assert {m["audience"] for m in consumer["metadatas"]} == {"consumer", "all"}
    assert {m["audience"] for m in agent["metadatas"]} == {"agent", "all"}
    assert store.open(rep.generation).count() == rep.chunks
