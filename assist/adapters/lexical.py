"""Lexical retrieval: jieba words plus character unigrams/bigrams, scored by BM25 (bm25s), persisted on disk."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Iterable, Sequence

import numpy as np

from assist.models import Filter
from assist.text import normalize

# Domain terms jieba would otherwise cut apart; the knowledge base adds its own tags on top (see domain_terms).
BASE_TERMS = (
    "停息挂账", "个性化分期", "反催收", "征信修复", "征信洗白", "代理维权", "债务优化", "代理退保", "全额退保",
    "非恶意逾期", "不可抗力", "授权委托书", "执业证号", "律师执业证", "疑似代理", "协商还款", "停催停诉", "上岸",
    "安全账户", "验证码", "帮信罪", "高利贷", "暴力催收", "砍头息", "金融消费者保护服务平台", "国家反诈中心",
    "反诈中心", "预留手机号", "逾期记录", "征信异议", "精神损失费", "名誉损失费", "法务咨询公司", "律师助理",
    "债务规划师", "内部渠道", "服务费", "协商费", "校园贷", "注销校园贷", "手续费", "保证金", "解冻费",
    "电话卡", "身份证", "银行卡", "敲诈勒索", "寻衅滋事", "催收非法债务", "侵犯公民个人信息", "个人信息",
    "单独同意", "委托代理", "无权代理", "表见代理", "借款合同", "委托合同", "信用卡", "分期还款", "减免利息",
    "罚息", "违约金", "12378", "12363", "96110", "12381", "12321", "12377", "12315", "12345",
)

_PUNCT = re.compile(r"^[\W_]+$", re.UNICODE)
_CJK = re.compile(r"[\u3400-\u9fff]+")
_STOP = frozenset("的 了 是 吗 呢 啊 吧 呀 嘛 么 和 与 及 或 在 有 我 你 他 她 它 们 这 那 就 都 也 还 又 被 把 给 对 从 "
                  "为 以 之 而 请问 一下 什么 怎么 怎么办 如何 可以 能 会 要 想 说 问 个 一个 这个 那个 吗？".split())


def domain_terms(tags: Iterable[str]) -> list[str]:
    """Terms for the jieba user dictionary: base terms plus knowledge-base tags that look like terms."""
    terms = set(BASE_TERMS)
    for t in tags:
        t = normalize(t)
        if 2 <= len(t) <= 12 and not _PUNCT.match(t) and " " not in t:
            terms.add(t)
    return sorted(terms)


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
        norm = normalize(text)
        return [w for w in self._tk().lcut(norm) if w.strip() and not _PUNCT.match(w) and w not in _STOP]

    def tokens(self, text: str) -> list[str]:
        norm = normalize(text)
        toks = [w for w in self._tk().lcut(norm) if w.strip() and not _PUNCT.match(w) and w not in _STOP]
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
