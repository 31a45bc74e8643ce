"""Retrieval: recall@k, MRR and nDCG per audience, and out-of-scope questions turned away by the relevance floor."""

from __future__ import annotations

from assist.evaluation.articles import METRICS, evaluate, load_article_cases, summarize
from assist.evaluation.context import EvalContext, Progress
from assist.evaluation.metrics import recall_at
from assist.evaluation.results import CaseOutcome, SuiteResult, mean
from assist.evaluation.retrieval import load_cases, rank


def suite_articles(ctx: EvalContext, progress: Progress) -> SuiteResult:
    """Article-level retrieval: a question file ({id, question, law, articles}) against a statute collection."""
    assert ctx.questions is not None
    cases = load_article_cases(ctx.questions)
    search = ctx.articles
    rankings = evaluate(search, cases, lambda i, n: progress("retrieval", i, n))
    outcomes: list[CaseOutcome] = []
    for r in rankings:
        if not r.law_known:
            outcomes.append(CaseOutcome("retrieval", r.case.id, "unscorable",
                                        f"law {r.case.law!r} is not in the collection ({len(search.laws)} laws)"))
            continue
        m = r.metrics()
        ok = m["hit@5"] > 0
        outcomes.append(CaseOutcome("retrieval", r.case.id, "pass" if ok else "fail",
                                    "" if ok else "no expected article in the top 5",
                                    {"query": r.case.question, "expected": list(r.relevant), "ranked": list(r.ranked[:5]),
                                     "voice": r.case.voice, "style": r.case.style,
                                     **{k: round(v, 3) for k, v in m.items()}}))
    summary = summarize(rankings)
    metrics: dict[str, float | None] = {f"articles.{m}.all": None for m in METRICS}
    metrics.update({f"articles.{k}": v for k, v in summary.items()})
    scored = [r for r in rankings if r.law_known]
    curve = [mean(recall_at(r.ranked, r.relevant, k) for r in scored) for k in range(1, 11)]
    return SuiteResult("retrieval", metrics, outcomes, {"recall_curve": {"articles": curve}}, dataset=str(ctx.questions))


def suite_retrieval(ctx: EvalContext, progress: Progress) -> SuiteResult:
    if ctx.questions is not None:
        return suite_articles(ctx, progress)
    path = ctx.file("retrieval.jsonl")
    cases = load_cases(path)
    known = set(ctx.documents)
    outcomes: list[CaseOutcome] = []
    per_aud: dict[str, dict[str, list[float]]] = {}
    curves: dict[str, list[list[float]]] = {}
    for i, c in enumerate(cases):
        progress("retrieval", i, len(cases))
        missing = [d for d in c.relevant if d not in known]
        if missing:
            outcomes.append(CaseOutcome("retrieval", c.id, "unscorable",
                                        f"relevant document(s) not in the knowledge base: {', '.join(missing)}"))
            continue
        r = rank(ctx.retriever, c, with_floor=not c.relevant)
        ranked = list(r.ranked)
        if not c.relevant:   # out of scope: the floor should leave nothing
            kept = r.kept or ()
            ok = not kept
            outcomes.append(CaseOutcome("retrieval", c.id, "pass" if ok else "fail",
                                        "" if ok else f"out-of-scope question kept {len(kept)} passage(s): "
                                        + ", ".join(kept[:3]),
                                        {"query": c.query, "audience": c.audience, "ranked": ranked[:5]}))
            per_aud.setdefault("out_of_scope", {}).setdefault("rejected", []).append(1.0 if ok else 0.0)
            continue
        all_m = r.metrics()
        m = {k: all_m[k] for k in ("recall@1", "recall@3", "recall@5", "mrr", "ndcg@5")}
        for aud in (c.audience, "all"):
            for k, v in m.items():
                per_aud.setdefault(aud, {}).setdefault(k, []).append(v)
            curves.setdefault(aud, []).append([recall_at(ranked, c.relevant, k) for k in range(1, 11)])
        ok = m["recall@5"] > 0
        outcomes.append(CaseOutcome("retrieval", c.id, "pass" if ok else "fail",
                                    "" if ok else "no relevant document in the top 5",
                                    {"query": c.query, "audience": c.audience, "expected": list(c.relevant),
                                     "ranked": ranked[:5], **{k: round(v, 3) for k, v in m.items()}}))
    # the overall metrics always exist (None when no case could be scored), so a comparison or the gate sees them go
    metrics: dict[str, float | None] = {f"{k}.all": None for k in ("recall@1", "recall@3", "recall@5", "mrr", "ndcg@5")}
    metrics["rejected.out_of_scope"] = None
    for aud in sorted(per_aud):
        for k, vals in per_aud[aud].items():
            metrics[f"{k}.{aud}"] = mean(vals)
    plots = {"recall_curve": {aud: [mean(col) for col in zip(*rows)] for aud, rows in curves.items()}}
    return SuiteResult("retrieval", metrics, outcomes, plots, dataset=str(path))

