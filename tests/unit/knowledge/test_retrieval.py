from pathlib import Path

import pytest

from assist.bootstrap import build_ingestor, open_retriever
from assist.knowledge.retrieval import rrf
from assist.knowledge.types import Filter
from assist.settings import RetrievalSettings
from testkit.helpers import doc, write


def test_rrf_matches_hand_computed_values():
    fused = rrf([["a", "b", "c"], ["b", "d"]], k=60)
    assert fused["a"] == pytest.approx(1 / 61)
    assert fused["b"] == pytest.approx(1 / 62 + 1 / 61)
    assert fused["d"] == pytest.approx(1 / 62)
    assert max(fused, key=fused.get) == "b"
    assert rrf([], 60) == {}
    weighted = rrf([["a"], ["b"]], k=60, weights=[0.5, 1.0])
    assert weighted["a"] == pytest.approx(0.5 / 61) and weighted["b"] == pytest.approx(1 / 61)


@pytest.fixture
def retriever(hash_settings, small_kb):
    # an agent-only document that matches consumer-style questions word for word
    write(small_kb / "script.md", doc("script-credit", "征信修复来电话术", "## 话术\n\n洗白征信、删除逾期记录都做不到。",
                                      kind="script", tags="[洗白征信]",
                                      extra="situation: x\nwhen_to_use: y\nrests_on: [guide-callback]\n"))
    build_ingestor(hash_settings).ingest([small_kb])
    return open_retriever(hash_settings)


@pytest.mark.parametrize("mode", ["hybrid", "dense", "lexical"])
def test_consumer_audience_never_sees_internal_documents(retriever, mode):
    where = Filter.for_audience("consumer")
    hits = retriever.search("洗白征信 删除逾期记录 话术", k=10, where=where, mode=mode, floor=False)
    assert hits and {h.chunk.audience for h in hits} <= {"consumer", "all"}
    unfiltered = retriever.search("洗白征信 删除逾期记录 话术", k=10, mode=mode, floor=False)
    assert "script-credit" in {h.chunk.doc_id for h in unfiltered}


def test_kind_and_tag_filters(retriever):
    hits = retriever.search("个人信息 第三方", k=10, where=Filter(kinds=("regulation",)), floor=False)
    assert {h.chunk.kind for h in hits} == {"regulation"}
    hits = retriever.search("征信", k=10, where=Filter(tags=("洗白征信",)), floor=False)
    assert {h.chunk.doc_id for h in hits} == {"edu-credit-repair", "script-credit"}


def test_hits_carry_citation_and_offsets(retriever):
    hit = retriever.search("向他人提供个人信息 单独同意", k=1, floor=False)[0]
    c = hit.chunk
    assert c.doc_id == "reg-pipl-23" and c.article == "第二十三条"
    assert c.citation.startswith("《中华人民共和国个人信息保护法》第二十三条")
    text = Path(c.source_path).read_text(encoding="utf-8")
    assert text[c.start:c.end] == c.text


def test_relevance_floor_makes_no_answer_possible(hash_settings, small_kb):
    build_ingestor(hash_settings).ingest([small_kb])
    floored = hash_settings.model_copy(update={"retrieval": RetrievalSettings(min_relevance=0.25)})
    r = open_retriever(floored)
    assert r.search("明天上海下雨吗", k=5) == []
    assert r.search("明天上海下雨吗", k=5, floor=False) != []
    assert r.search("征信修复洗白征信是骗局吗", k=5)[0].chunk.doc_id == "edu-credit-repair"


def test_one_passage_per_document_by_default(hash_settings, tmp_path):
    kb = tmp_path / "kb2"
    long_body = "\n\n".join(f"## 第{i}节\n\n征信异议第{i}种情况的处理方法。" for i in range(6))
    write(kb / "a.md", doc("guide-long", "征信异议处理", long_body))
    write(kb / "b.md", doc("guide-other", "征信异议另一份", "征信异议的另一份说明。"))
    build_ingestor(hash_settings).ingest([kb])
    hits = open_retriever(hash_settings).search("征信异议处理方法", k=5, floor=False)
    assert [h.chunk.doc_id for h in hits].count("guide-long") == 1 and len(hits) == 2


def test_empty_query_returns_nothing(retriever):
    assert retriever.search("   ", k=5) == []


class PreferWordReranker:
    """Scripted reranker: scores 1.0 for passages containing a word, else 0.0."""

    def __init__(self, word):
        self.word = word

    def scores(self, query, texts):
        return [1.0 if self.word in t else 0.0 for t in texts]


def test_reranker_reorders_fused_results(retriever):
    plain = retriever.search("征信 个人信息 核实", k=3, floor=False)
    retriever.reranker = PreferWordReranker("预留手机号")
    try:
        reranked = retriever.search("征信 个人信息 核实", k=3, floor=False)
    finally:
        retriever.reranker = None
    assert reranked[0].chunk.doc_id == "guide-callback" and reranked[0].score == 1.0
    assert {h.chunk.doc_id for h in plain} >= {h.chunk.doc_id for h in reranked} - {"guide-callback"}
