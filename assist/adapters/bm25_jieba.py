"""Lexical retrieval (the LexicalStore port): jieba words plus character unigrams/bigrams, scored by BM25 (bm25s),
persisted on disk beside each index generation."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from assist.core.text import normalize
from assist.knowledge.types import Filter

_PUNCT = re.compile(r"^[\W_]+$", re.UNICODE)
_CJK = re.compile(r"[\u3400-\u9fff]+")
_STOP = frozenset("的 了 是 吗 呢 啊 吧 呀 嘛 么 和 与 及 或 在 有 我 你 他 她 它 们 这 那 就 都 也 还 又 被 把 给 对 从 "
                  "为 以 之 而 请问 一下 什么 怎么 怎么办 如何 可以 能 会 要 想 说 问 个 一个 这个 那个 吗？".split())


class JiebaTokenizer:
    """jieba (precise mode) words, plus CJK character unigrams and bigrams, on normalised text."""

    def __init__(self, user_terms: Sequence[str] = (), cache_dir: Path | None = None) -> None:
        self._terms = list(user_terms)
        self._cache_dir = cache_dir
        self._jieba: Any = None

    def _tk(self) -> Any:
        if self._jieba is None:
            import logging

            import jieba

            jieba.setLogLevel(logging.WARNING)
            tk = jieba.Tokenizer()
            if self._cache_dir is not None:
                self._cache_dir.mkdir(parents=True, exist_ok=True)
                tk.tmp_dir = str(self._cache_dir)
            for term in self._terms:
                tk.add_word(term, freq=20000)
            self._jieba = tk
        return self._jieba

    def words(self, text: str) -> list[str]:
        return self._words(normalize(text))

    def _words(self, norm: str) -> list[str]:
        return [w for w in self._tk().lcut(norm) if w.strip() and not _PUNCT.match(w) and w not in _STOP]

    def tokens(self, text: str) -> list[str]:
        norm = normalize(text)
        toks = self._words(norm)
        for run in _CJK.findall(norm):
            toks.extend("c:" + ch for ch in run if ch not in _STOP)
            toks.extend("b:" + run[i:i + 2] for i in range(len(run) - 1))
        return toks


class BM25Index:
    """bm25s over pre-tokenised chunks; metadata kept beside it so filters become a scoring mask."""

    def __init__(self, retriever: Any, ids: list[str], audiences: list[str], kinds: list[str],
                 tags: list[list[str]]) -> None:
        self._r = retriever
        self.ids = ids
        self._aud = np.array(audiences, dtype=object)
        self._kind = np.array(kinds, dtype=object)
        self._tags = tags
        self._mask_cache: dict[Filter, np.ndarray] = {}

    @classmethod
    def build(cls, ids: list[str], token_lists: list[list[str]], audiences: list[str], kinds: list[str],
              tags: list[list[str]]) -> "BM25Index":
        import bm25s

        retriever = bm25s.BM25()
        # An empty token list would make bm25s drop the document; a sentinel keeps ids aligned.
        retriever.index([t or ["<empty>"] for t in token_lists], show_progress=False)
        return cls(retriever, ids, audiences, kinds, tags)

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self._r.save(str(folder))
        meta = {"ids": self.ids, "audiences": list(self._aud), "kinds": list(self._kind), "tags": self._tags}
        (folder / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> "BM25Index":
        import bm25s

        retriever = bm25s.BM25.load(str(folder))
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        return cls(retriever, meta["ids"], meta["audiences"], meta["kinds"], meta["tags"])

    def _mask(self, where: Filter) -> np.ndarray:
        if where not in self._mask_cache:
            m = np.ones(len(self.ids), dtype=bool)
            if where.audiences is not None:
                m &= np.isin(self._aud, list(where.audiences))
            if where.kinds is not None:
                m &= np.isin(self._kind, list(where.kinds))
            if where.tags is not None:
                wanted = set(where.tags)
                m &= np.array([bool(wanted & set(t)) for t in self._tags], dtype=bool)
            self._mask_cache[where] = m
        return self._mask_cache[where]

    def query(self, tokens: Sequence[str], k: int, where: Filter | None = None) -> list[tuple[str, float]]:
        ids = self._r.get_tokens_ids(list(tokens))
        if not ids or not self.ids:
            return []
        mask = self._mask(where).astype("float32") if where is not None else None
        scores = self._r.get_scores_from_ids(ids, weight_mask=mask)
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(self.ids[i], float(scores[i])) for i in top if scores[i] > 0]


class Bm25JiebaStore:
    """The LexicalStore port over bm25s and jieba; jieba's dictionary cache lives in ``cache_dir``."""

    def __init__(self, cache_dir: Path | None = None) -> None:
        self.cache_dir = cache_dir

    def tokenizer(self, terms: Sequence[str]) -> JiebaTokenizer:
        return JiebaTokenizer(terms, cache_dir=self.cache_dir)

    def build(self, folder: Path, ids: Sequence[str], token_lists: Sequence[list[str]], audiences: Sequence[str],
              kinds: Sequence[str], tags: Sequence[list[str]]) -> None:
        BM25Index.build(list(ids), list(token_lists), list(audiences), list(kinds), list(tags)).save(folder)

    def load(self, folder: Path) -> BM25Index:
        return BM25Index.load(folder)
