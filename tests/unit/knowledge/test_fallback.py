"""The lexical fallback when the vector store is away (a fake vector store that fails, over the real hashing index
otherwise; the real Chroma server is stopped in tests/integration/test_chroma_server.py)."""

from __future__ import annotations

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
