"""Article search: a colloquial question -> the statute articles that answer it, each cited as 《law》第X条 with the
article's own text.

A question as people ask it has few words in common with a statute's wording, so one ranking is not enough. Several rankings of the
index's passages are fused (weighted reciprocal rank fusion) at the level of articles:
- the question itself, dense (embedder) and lexical (BM25);
- the question expanded by the domain lexicon (everyday phrasing -> statutory terms), dense and lexical;
- the bridge: the knowledge base's regulation digests are written the way people talk and cite exact articles, so
  a digest that matches the question brings the articles it cites;
- a law prior: articles of the laws that the fused evidence (or the question, by name) points to move up.
The weights live in ArticleParams and were chosen on the development questions only (README, "Bring your own
documents")."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np

from assist.knowledge.lexicon import Expansion, Lexicon
from assist.knowledge.statutes import article_key, article_number, canonical_article, law_key
from assist.knowledge.types import Chunk, Filter


@dataclass(frozen=True)
class ArticleParams:
    """How the rankings are fused (weights of weighted RRF; ``rrf_k`` its constant). Values come from
    ArticleSettings (assist/settings.py), where each is described."""

    candidates: int
    rrf_k: int
    dense: float
    lexical: float
    dense_expanded: float
    lexical_expanded: float
    bridge: float
    bridge_depth: int
    law_prior: float
    law_depth: int
    law_named: float


@dataclass(frozen=True)
class ArticleHit:
    """One article: which law and article, its citation and its own text, and why it was found."""

    key: str                        # statutes.article_key
    law: str
    article: str
    citation: str
    text: str
    doc_id: str
    source_path: str
    start: int
    end: int
    score: float
    audience: str
    headings: tuple[str, ...] = ()
    digests: tuple[str, ...] = ()   # ids of the digests that cite it and matched the question
    evidence: dict[str, int] = field(default_factory=dict)   # ranking -> rank of the article in it


@dataclass(frozen=True)
class DigestHit:
    """A regulation digest that matched the question (shown beside the articles on the staff search page)."""

    doc_id: str
    title: str
    citation: str
    text: str
    audience: str
    cites: tuple[str, ...]
    score: float


@dataclass
class _Article:
    key: str
    law: str
    article: str
    chunks: list[Chunk]

    def text(self) -> str:
        """The article as written: its passages joined where they overlap."""
        out, end = "", -1
        for c in sorted(self.chunks, key=lambda c: c.start):
            if c.end <= end:
                continue
            skip = max(0, end - c.start)
            out += ("" if not out or skip else "\n") + c.text[skip:]
            end = c.end
        return out


class Retrieval(Protocol):
    """What article search needs from the hybrid retriever (assist.knowledge.retrieval.HybridRetriever)."""

    @property
    def chunks(self) -> list[Chunk]: ...

    def embed(self, query: str) -> np.ndarray: ...

    def exact_dense_ranking(self, qvec: np.ndarray, n: int, where: Filter | None = None) -> list[tuple[str, float]]: ...

    def lexical_ranking(self, text: str, n: int, where: Filter | None = None) -> list[tuple[str, float]]: ...


class ArticleSearch:
    """Ranks the statute articles of one index generation for a question (see the module docstring)."""

    def __init__(self, retriever: Retrieval, lexicon: Lexicon, params: ArticleParams) -> None:
        self.r = retriever
        self.lexicon = lexicon
        self.params = params
        self._unit_of: dict[str, str] = {}          # chunk id -> article key (statute passages)
        self._articles: dict[str, _Article] = {}
        self._digests: dict[str, list[Chunk]] = defaultdict(list)
        self._law_names: dict[str, str] = {}        # law_key of a title or file name -> law name
        for c in retriever.chunks:
            if c.cites:
                self._digests[c.doc_id].append(c)
            elif c.law and c.article:
                key = article_key(c.law, c.article)
                self._unit_of[c.id] = key
                self._articles.setdefault(key, _Article(key, c.law, c.article, [])).chunks.append(c)
                self._law_names.setdefault(law_key(c.law), c.law)
                self._law_names.setdefault(law_key(Path(c.source_path).stem), c.law)

    # -- what is indexed -------------------------------------------------------------------------------------------

    @property
    def laws(self) -> list[str]:
        """Names of the statutes in the index, each once, sorted."""
        return sorted({a.law for a in self._articles.values()})

    def __len__(self) -> int:
        return len(self._articles)

    def resolve_law(self, name: str) -> str | None:
        """The indexed law a name (title, file name, with or without 中华人民共和国 or 《》) refers to; a distinctive
        part of a long title (the subject of a judicial interpretation, 侵犯公民个人信息刑事案件) names the one law
        whose title contains it."""
        key = law_key(name)
        if key in self._law_names:
            return self._law_names[key]
        if len(key) >= 6:
            found = {law for k, law in self._law_names.items() if key in k}
            if len(found) == 1:
                return found.pop()
        return None

    def key(self, law: str, article: str) -> str:
        """The article key of (law, article) as a question file or a digest writes them."""
        return article_key(self.resolve_law(law) or law, article)

    # -- search ----------------------------------------------------------------------------------------------------

    def search(self, query: str, k: int = 5, *, laws: Sequence[str] | None = None, audience: str | None = None,
               expand: bool = True, bridge: bool = True) -> list[ArticleHit]:
        """The ``k`` best articles for ``query``; ``laws`` keeps only these laws, ``audience`` what that audience may
        see; ``expand`` / ``bridge`` switch the lexicon and the digests off (to measure what each brings)."""
        if not query.strip() or not self._articles:
            return []
        p = self.params
        where = Filter.for_audience(audience)
        exp = self.lexicon.expand(query) if expand else Expansion(fixed=query, content=query)
        qvec = self.r.embed(exp.fixed)
        chunk_lists: dict[str, list[str]] = {
            "dense": [c for c, _ in self.r.exact_dense_ranking(qvec, p.candidates, where)],
            "lexical": [c for c, _ in self.r.lexical_ranking(exp.content or exp.fixed, p.candidates, where)],
        }
        if exp.terms and p.dense_expanded > 0:
            xvec = self.r.embed(exp.fixed + " " + exp.text())
            chunk_lists["dense_expanded"] = [c for c, _ in self.r.exact_dense_ranking(xvec, p.candidates, where)]
        if exp.terms and p.lexical_expanded > 0:
            chunk_lists["lexical_expanded"] = [c for c, _ in self.r.lexical_ranking(exp.text(), p.candidates, where)]
        weights = {"dense": p.dense, "lexical": p.lexical, "dense_expanded": p.dense_expanded,
                   "lexical_expanded": p.lexical_expanded}
        scores: dict[str, float] = defaultdict(float)
        evidence: dict[str, dict[str, int]] = defaultdict(dict)
        for name, ids in chunk_lists.items():
            for rank, key in enumerate(self._article_order(ids), start=1):
                scores[key] += weights[name] / (p.rrf_k + rank)
                evidence[key][name] = rank
        via: dict[str, list[str]] = defaultdict(list)
        if bridge:
            for rank, (doc_id, _) in enumerate(self._digest_order(chunk_lists)[:p.bridge_depth], start=1):
                cites = [k for k in (self._cited_key(c) for c in self._digests[doc_id][0].cites) if k is not None]
                for key in cites:
                    # a digest citing many articles says less about each of them
                    scores[key] += p.bridge / (p.rrf_k + rank) / len(cites) ** 0.5
                    evidence[key].setdefault("bridge", rank)
                    via[key].append(doc_id)
        self._law_prior(scores, evidence, exp)
        keep = {law_key(self.resolve_law(x) or x) for x in laws} if laws else None
        order = [key for key in sorted(scores, key=lambda key: -scores[key])
                 if keep is None or law_key(self._articles[key].law) in keep]
        hits: list[ArticleHit] = []
        for key in order:
            art = self._articles[key]
            first = min(art.chunks, key=lambda c: c.start)
            last = max(art.chunks, key=lambda c: c.end)
            hits.append(ArticleHit(key, art.law, art.article, f"《{art.law}》{art.article}", art.text(), first.doc_id,
                                   first.source_path, first.start, last.end, scores[key], first.audience,
                                   first.headings, tuple(dict.fromkeys(via.get(key, []))), evidence[key]))
            if len(hits) >= k:
                break
        return hits

    def digests(self, query: str, k: int = 3, audience: str | None = None) -> list[DigestHit]:
        """The regulation digests that match ``query`` best (each once)."""
        where = Filter.for_audience(audience)
        qvec = self.r.embed(query)
        exp = self.lexicon.expand(query)
        lists = {"dense": [c for c, _ in self.r.exact_dense_ranking(qvec, self.params.candidates, where)],
                 "lexical": [c for c, _ in self.r.lexical_ranking(query, self.params.candidates, where)]}
        if exp.terms:
            lists["lexical_expanded"] = [c for c, _ in self.r.lexical_ranking(exp.text(), self.params.candidates, where)]
        out = []
        for doc_id, score in self._digest_order(lists)[:k]:
            chunks = sorted(self._digests[doc_id], key=lambda c: c.start)
            c = chunks[0]
            out.append(DigestHit(doc_id, c.title, c.citation, "\n".join(x.text for x in chunks), c.audience, c.cites,
                                 score))
        return out

    # -- internals -------------------------------------------------------------------------------------------------

    def _article_order(self, chunk_ids: list[str]) -> list[str]:
        return list(dict.fromkeys(self._unit_of[c] for c in chunk_ids if c in self._unit_of))

    def _digest_order(self, lists: dict[str, list[str]]) -> list[tuple[str, float]]:
        """Digests fused over the rankings (RRF on each digest's best passage)."""
        fused: dict[str, float] = defaultdict(float)
        for ids in lists.values():
            seen: set[str] = set()
            rank = 0
            for cid in ids:
                doc = cid.split(":", 1)[0]
                if doc in self._digests and doc not in seen:
                    seen.add(doc)
                    rank += 1
                    fused[doc] += 1.0 / (self.params.rrf_k + rank)
        return sorted(fused.items(), key=lambda x: -x[1])

    def _cited_key(self, cited: str) -> str | None:
        law, _, article = cited.partition("#")
        name = self._law_names.get(law)
        if name is None:
            return None
        key = article_key(name, article)
        return key if key in self._articles else None

    def _law_prior(self, scores: dict[str, float], evidence: dict[str, dict[str, int]], exp: Expansion) -> None:
        """Articles of the laws the best-scored articles belong to (and of laws the question names) move up."""
        p = self.params
        top = sorted(scores, key=lambda key: -scores[key])[:p.law_depth]
        votes: dict[str, float] = defaultdict(float)
        for key in top:
            votes[self._articles[key].law] += scores[key]
        ranked_laws = sorted(votes, key=lambda law: -votes[law])
        law_rank = {law: r for r, law in enumerate(ranked_laws, start=1)}
        named = {law_key(self.resolve_law(x) or x) for x in exp.laws}
        for key in list(scores):
            art = self._articles[key]
            r = law_rank.get(art.law)
            if r is not None and p.law_prior:
                scores[key] += p.law_prior / (p.rrf_k + r)
            if named and law_key(art.law) in named:
                scores[key] += p.law_named / (p.rrf_k + 1)
                evidence[key]["law_named"] = 1


def sort_articles(keys: list[str]) -> list[str]:
    """Article keys in statute order (by law, then number)."""
    return sorted(keys, key=lambda k: (k.split("#")[0], article_number(k.split("#")[1])))


def mentioned_article(query: str) -> str | None:
    """An article number the question names itself (第253条, 第二百五十三条)."""
    return canonical_article(query)
