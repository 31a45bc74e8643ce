"""Retrieval: recall@k, MRR and nDCG per audience, and out-of-scope questions turned away by the relevance floor."""

from __future__ import annotations

from assist.evaluation.context import EvalContext, Progress
from assist.evaluation.metrics import recall_at
from assist.evaluation.results import CaseOutcome, SuiteResult, mean
from assist.evaluation.retrieval import load_cases, rank


def suite_retrieval(ctx: EvalContext, progress: Progress) -> SuiteResult:
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

