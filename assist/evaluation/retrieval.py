"""Retrieval metrics over a JSONL question set: Recall@k, hit@k, MRR, nDCG@5, and the relevance floor's behaviour."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

from assist.errors import KnowledgeError
from assist.models import Filter


@dataclass(frozen=True)
class RetrievalCase:
    id: str
    query: str
    audience: str
    relevant: tuple[str, ...]
    style: str = ""


def load_cases(path: Path) -> list[RetrievalCase]:
    """Read eval/datasets/retrieval.jsonl; a bad line is an error naming file and line."""
    cases = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            cases.append(RetrievalCase(str(row["id"]), str(row["query"]), str(row["audience"]),
                                       tuple(row.get("relevant") or ()), str(row.get("style", ""))))
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise KnowledgeError(f"bad case: {exc}", path=str(path), line=n) from exc
    return cases


def recall_at(ranked: Sequence[str], relevant: Iterable[str], k: int) -> float:
    rel = set(relevant)
    return len(rel & set(ranked[:k])) / len(rel) if rel else 0.0


def hit_at(ranked: Sequence[str], relevant: Iterable[str], k: int) -> float:
    return 1.0 if set(relevant) & set(ranked[:k]) else 0.0


def reciprocal_rank(ranked: Sequence[str], relevant: Iterable[str], k: int = 10) -> float:
    rel = set(relevant)
    for i, d in enumerate(ranked[:k], start=1):
        if d in rel:
            return 1.0 / i
    return 0.0


def ndcg_at(ranked: Sequence[str], relevant: Iterable[str], k: int = 5) -> float:
    """Binary-gain nDCG@k; a relevant document counts once (at its first place), so the value never exceeds 1."""
    rel = set(relevant)
    seen: set[str] = set()
    dcg = 0.0
    for i, d in enumerate(ranked[:k], start=1):
        if d in rel and d not in seen:
            seen.add(d)
            dcg += 1.0 / math.log2(i + 1)
    ideal = sum(1.0 / math.log2(i + 1) for i in range(1, min(len(rel), k) + 1))
    return dcg / ideal if ideal else 0.0


def _mean(xs: list[float]) -> float | None:
    return sum(xs) / len(xs) if xs else None


def evaluate(retriever: Any, cases: Sequence[RetrievalCase], mode: str = "hybrid", k: int = 10) -> dict[str, Any]:
    """Ranking metrics with the floor off (ranking quality), then the floor's effect with it on."""
    per_case: list[dict[str, Any]] = []
    for c in cases:
        where = Filter.for_audience(c.audience)
        ranked = [h.chunk.doc_id for h in retriever.search(c.query, k=k, where=where, mode=mode, floor=False)]
        kept = [h.chunk.doc_id for h in retriever.search(c.query, k=k, where=where, mode=mode, floor=True)]
        row: dict[str, Any] = {"id": c.id, "audience": c.audience, "style": c.style, "relevant": list(c.relevant),
                               "ranked": ranked[:5], "kept": len(kept)}
        if c.relevant:
            row.update({"recall@1": recall_at(ranked, c.relevant, 1), "recall@5": recall_at(ranked, c.relevant, 5),
                        "hit@1": hit_at(ranked, c.relevant, 1), "hit@5": hit_at(ranked, c.relevant, 5),
                        "mrr": reciprocal_rank(ranked, c.relevant), "ndcg@5": ndcg_at(ranked, c.relevant, 5),
                        "kept_relevant": hit_at(kept, c.relevant, 5)})
        per_case.append(row)

    def summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
        scored = [r for r in rows if r["relevant"]]
        oos = [r for r in rows if not r["relevant"]]
        out: dict[str, Any] = {"cases": len(scored)}
        for m in ("recall@1", "recall@5", "hit@1", "hit@5", "mrr", "ndcg@5", "kept_relevant"):
            out[m] = _mean([r[m] for r in scored])
        out["out_of_scope"] = len(oos)
        out["out_of_scope_rejected"] = _mean([1.0 if r["kept"] == 0 else 0.0 for r in oos])
        return out

    result = {"mode": mode, "all": summary(per_case), "cases": per_case}
    for aud in sorted({c.audience for c in cases}):
        result[aud] = summary([r for r in per_case if r["audience"] == aud])
    return result
