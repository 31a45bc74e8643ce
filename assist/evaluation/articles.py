"""Article-level retrieval over a statute collection: does the question find the right law and article?

A question file has one JSON object per line: ``id``, ``question``, ``law`` (the law's name or its file name without
the extension), ``articles`` (["第X条", ...]) and optionally ``voice`` and ``style``. The one evaluator that
`assist eval --suite retrieval --corpus DIR --questions FILE`, bench/statutes.py and the tests use."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assist.core.jsonl import read_jsonl
from assist.errors import KnowledgeError
from assist.evaluation.metrics import hit_at, recall_at, reciprocal_rank
from assist.evaluation.results import mean
from assist.knowledge.articles import ArticleSearch
from assist.knowledge.statutes import canonical_article

DEPTH = 10


@dataclass(frozen=True)
class ArticleCase:
    id: str
    question: str
    law: str
    articles: tuple[str, ...]
    voice: str = ""
    style: str = ""


def load_article_cases(path: Path) -> list[ArticleCase]:
    """Read a question file; a bad line is an error naming the file, line and field."""
    cases: list[ArticleCase] = []
    seen: set[str] = set()
    for n, row in read_jsonl(path):
        for fld in ("id", "question", "law", "articles"):
            if fld not in row or row[fld] in (None, "", []):
                raise KnowledgeError(f"missing '{fld}'", path=str(path), line=n, field=fld)
        arts = row["articles"] if isinstance(row["articles"], list) else [row["articles"]]
        for a in arts:
            if not isinstance(a, str) or canonical_article(a) is None:
                raise KnowledgeError(f"{a!r} is not an article number like 第十三条", path=str(path), line=n,
                                     field="articles")
        if str(row["id"]) in seen:
            raise KnowledgeError(f"duplicate id {row['id']!r}", path=str(path), line=n, field="id")
        seen.add(str(row["id"]))
        cases.append(ArticleCase(str(row["id"]), str(row["question"]), str(row["law"]),
                                 tuple(canonical_article(a) or a for a in arts), str(row.get("voice", "")),
                                 str(row.get("style", ""))))
    return cases


@dataclass(frozen=True)
class ArticleRanking:
    case: ArticleCase
    relevant: tuple[str, ...]       # article keys
    ranked: tuple[str, ...]         # article keys, best first (DEPTH)
    laws: tuple[str, ...]           # the law of each ranked article
    law_known: bool                 # the question's law is in the collection

    def metrics(self) -> dict[str, float]:
        r, rel = self.ranked, self.relevant
        law = self.relevant[0].split("#")[0]
        return {"recall@1": recall_at(r, rel, 1), "recall@3": recall_at(r, rel, 3), "recall@5": recall_at(r, rel, 5),
                "recall@10": recall_at(r, rel, 10), "hit@5": hit_at(r, rel, 5), "mrr": reciprocal_rank(r, rel, DEPTH),
                "law@5": 1.0 if law in self.laws[:5] else 0.0}


def rank_case(search: ArticleSearch, case: ArticleCase, **options: Any) -> ArticleRanking:
    law = search.resolve_law(case.law)
    relevant = tuple(search.key(case.law, a) for a in case.articles)
    hits = search.search(case.question, k=DEPTH, **options)
    return ArticleRanking(case, relevant, tuple(h.key for h in hits), tuple(h.key.split("#")[0] for h in hits),
                          law is not None)


def evaluate(search: ArticleSearch, cases: Sequence[ArticleCase], progress: Callable[[int, int], None] | None = None,
             **options: Any) -> list[ArticleRanking]:
    out = []
    for i, c in enumerate(cases):
        if progress is not None:
            progress(i, len(cases))
        out.append(rank_case(search, c, **options))
    return out


METRICS = ("recall@1", "recall@3", "recall@5", "recall@10", "hit@5", "mrr", "law@5")


def summarize(rankings: Sequence[ArticleRanking]) -> dict[str, float | None]:
    """Mean metrics over the scorable questions (law in the collection): all, per voice and per style."""
    scored = [r for r in rankings if r.law_known]
    out: dict[str, float | None] = {"questions": float(len(scored)), "unscorable": float(len(rankings) - len(scored))}
    groups: dict[str, list[ArticleRanking]] = {"all": scored}
    for r in scored:
        if r.case.voice:
            groups.setdefault(f"voice_{r.case.voice}", []).append(r)
        if r.case.style:
            groups.setdefault(f"style_{r.case.style}", []).append(r)
    for name, rows in groups.items():
        per = [r.metrics() for r in rows]
        for m in METRICS:
            out[f"{m}.{name}"] = mean(p[m] for p in per) if per else None
    return out
