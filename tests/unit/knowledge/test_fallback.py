"""The lexical fallback when the vector store is away (a fake vector store that fails, over the real hashing index
otherwise; the real Chroma server is stopped in tests/integration/test_chroma_server.py)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from assist.bootstrap import open_retriever
from assist.errors import DependencyError
from assist.knowledge.fallback import LexicalFallbackRetriever


class DownVectors:
    def __init__(self) -> None:
        self.calls = 0

    def query(self, vector, k, where=None):
        self.calls += 1
        raise DependencyError("the vector store (Chroma) did not answer: ConnectError")

    def count(self) -> int:
        raise DependencyError("down")


def test_dense_failure_falls_back_to_lexical_and_waits_before_asking_again(hash_index):
    inner = open_retriever(hash_index)
    inner.params = replace(inner.params, exact_below=0)             # the engine answers dense searches (large index)
    down = DownVectors()
    inner.vectors = down
    now = [0.0]
    r = LexicalFallbackRetriever(inner, clock=lambda: now[0], cool_down_s=10)
    hits = r.search("征信修复 花钱洗白", k=3)
    assert hits and down.calls == 1 and r.dense_down
    assert r.search("征信修复", k=3) and down.calls == 1          # no new attempt during the cool-down
    with pytest.raises(DependencyError):
        r.search("征信修复", k=3, mode="dense")                   # dense alone cannot be answered: say so
    now[0] = 11
    r.search("征信修复", k=3)
    assert down.calls == 2                                          # tried again after it


def test_a_small_index_is_searched_exactly_in_memory_without_the_engine(hash_index):
    """Below retrieval.exact_below chunks, dense search scores every chunk from the generation's saved vectors: the
    vector engine is not asked (no round trip per turn), and the ranking is the engine's (exact here)."""
    engine = open_retriever(hash_index)
    engine.params = replace(engine.params, exact_below=0)
    exact = open_retriever(hash_index)
    assert exact.params.exact_below >= exact.size
    down = DownVectors()
    exact.vectors = down
    for q in ("征信修复 花钱洗白", "停息挂账 分期", "回拨预留手机号核实身份"):
        qvec = exact.embed(q)
        got = exact.dense_ranking(qvec, 10)
        want = engine.dense_ranking(qvec, 10)
        assert [c for c, _ in got] == [c for c, _ in want] and down.calls == 0
        assert [round(s, 4) for _, s in got] == [round(s, 4) for _, s in want]
        assert [h.chunk.id for h in exact.search(q, k=3)] == [h.chunk.id for h in engine.search(q, k=3)]


def test_the_dense_side_can_embed_only_the_end_of_a_long_query(hash_index):
    """retrieval.dense_query_chars: the dense side embeds the query's last N characters (its cost grows with the
    length), the lexical side still searches all of it."""
    r = open_retriever(hash_index)
    long_query = "我上个月失业了，家里老人生病住院，" * 3 + "征信修复要花钱洗白吗"
    assert r.dense_part(long_query) == long_query                    # unset: all of it
    r.params = replace(r.params, dense_query_chars=10)
    assert r.dense_part(long_query) == "征信修复要花钱洗白吗" and r.dense_part("停息挂账") == "停息挂账"
    seen: list[str] = []
    real = r.embedder.embed_query
    r.embedder = type("Spy", (), {"name": r.embedder.name, "dim": r.embedder.dim,
                                  "embed_query": lambda self, t: seen.append(t) or real(t)})()
    hits = r.search(long_query, k=3, floor=False)
    assert seen == ["征信修复要花钱洗白吗"] and hits
    assert r.lexical_ranking(long_query, 5) != r.lexical_ranking("征信修复要花钱洗白吗", 5)   # lexical: every word
