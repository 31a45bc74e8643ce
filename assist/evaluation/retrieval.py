"""Retrieval over a question set: the one evaluator the retrieval suite, the quality tests and bench/retrieval.py all
use. Ranking quality is measured with the relevance floor off (documents, each once, top 10); the floor's effect
with it on (what would be shown: the top 5, or nothing)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assist.core.jsonl import read_jsonl
from assist.errors import KnowledgeError
from assist.evaluation.metrics import hit_at, ndcg_at, recall_at, reciprocal_rank
from assist.evaluation.results import mean
from assist.knowledge.types import Filter
from assist.ports import Retriever

DEPTH = 10          # documents ranked per question
SHOWN = 5           # what a user would see with the floor on


@dataclass(frozen=True)
class RetrievalCase:
    id: str
    query: str
    audience: str                   # agent | consumer (or any)
    relevant: tuple[str, ...]       # empty: out of scope, the floor should leave nothing
    style: str = ""


@dataclass(frozen=True)
class Ranking:
    case: RetrievalCase
    ranked: tuple[str, ...]         # document ids, floor off, each once, best first
    kept: tuple[str, ...] | None    # document ids shown with the floor on (None: not asked)

    def metrics(self) -> dict[str, float]:
        """The case's ranking metrics (in-scope cases only)."""
        r, rel = self.ranked, self.case.relevant
        out = {"recall@1": recall_at(r, rel, 1), "recall@3": recall_at(r, rel, 3), "recall@5": recall_at(r, rel, 5),
               "hit@1": hit_at(r, rel, 1), "hit@5": hit_at(r, rel, 5), "mrr": reciprocal_rank(r, rel),
               "ndcg@5": ndcg_at(r, rel, 5)}
        if self.kept is not None:
            out["kept_relevant"] = hit_at(self.kept, rel, SHOWN)
        return out


def load_cases(path: Path) -> list[RetrievalCase]:
    """Read eval/datasets/retrieval.jsonl; a bad line is an error naming file and line."""
    cases = []
    for n, row in read_jsonl(path):
        try:
            cases.append(RetrievalCase(str(row["id"]), str(row["query"]), str(row["audience"]),
                                       tuple(row.get("relevant") or ()), str(row.get("style", ""))))
        except (KeyError, TypeError, AttributeError) as exc:
            raise KnowledgeError(f"bad case: {exc}", path=str(path), line=n) from exc
    return cases


def rank(retriever: Retriever, case: RetrievalCase, mode: str = "hybrid", with_floor: bool = True) -> Ranking:
    """The documents found for one case, with the floor off (and, ``with_floor``, on)."""
    where = Filter.for_audience(case.audience)
    hits = retriever.search(case.query, k=DEPTH, where=where, mode=mode, floor=False)
    ranked = tuple(dict.fromkeys(h.chunk.doc_id for h in hits))   # a document may fill several places
    kept = None
    if with_floor:
        kept = tuple(h.chunk.doc_id for h in retriever.search(case.query, k=SHOWN, where=where, mode=mode, floor=True))
    return Ranking(case, ranked, kept)


def rank_all(retriever: Retriever, cases: Iterable[RetrievalCase], mode: str = "hybrid",
             with_floor: bool = True) -> Iterator[Ranking]:
    for c in cases:
        yield rank(retriever, c, mode, with_floor)


def summarize(rankings: Sequence[Ranking]) -> dict[str, Any]:
    """Mean metrics over in-scope cases and the share of out-of-scope cases turned away, for all cases and per
    audience."""

    def one(rows: Sequence[Ranking]) -> dict[str, Any]:
        scored = [r for r in rows if r.case.relevant]
        oos = [r for r in rows if not r.case.relevant]
        per = [r.metrics() for r in scored]
        out: dict[str, Any] = {"cases": len(scored), "out_of_scope": len(oos)}
        for m in sorted({k for p in per for k in p}):
            out[m] = mean(p[m] for p in per)
        out["out_of_scope_rejected"] = mean(1.0 if not r.kept else 0.0 for r in oos if r.kept is not None)
        return out

    result = {"all": one(rankings)}
    for aud in sorted({r.case.audience for r in rankings}):
        result[aud] = one([r for r in rankings if r.case.audience == aud])
    return result
