"""The evaluation suites. Each reads its files from the dataset folder, runs the real components (retriever, risk
assessor, agent assistance, consumer chat) and returns a SuiteResult: every case with its outcome and reason, metrics
from scorable cases only, and the raw series the report plots."""

from __future__ import annotations

import dataclasses
import json
import re
import tempfile
import time
from functools import cached_property
from pathlib import Path
from typing import Any, Callable

from assist.errors import AssistError
from assist.evaluation.harness import CaseOutcome, SuiteResult, mean
from assist.models import Filter
from assist.text import normalize

Progress = Callable[[str, int, int], None]


class EvalContext:
    """Real components, built lazily and once per run, over the active index of ``settings``."""

    def __init__(self, settings: Any, data: Path, risk_split: str | None = None) -> None:
        self.settings = settings
        self.data = Path(data)
        # On the shipped datasets the risk suites default to conversations the model never trained on (dev + held-out
        # writers); on another folder, every conversation counts.
        self.risk_split = risk_split

    def describe(self) -> dict[str, Any]:
        """What this run used (only what was actually built)."""
        out: dict[str, Any] = {"embedder": self.embedder.name}
        if "assessor" in self.__dict__:
            m = self.assessor.model
            out["risk_scorer"] = f"model:{m.data_hash[:12]}" if m is not None else "rules+semantic"
            out["risk_split"] = self.risk_split or ("dev,heldout" if _is_shipped(self.data) else "all")
        return out

    def file(self, name: str) -> Path:
        p = self.data / name
        if not p.exists():
            raise AssistError(f"dataset file missing: {name}", path=str(p))
        return p

    def files(self, pattern: str) -> list[Path]:
        return sorted(self.data.glob(pattern))

    @cached_property
    def embedder(self) -> Any:
        from assist.bootstrap import build_embedder

        return build_embedder(self.settings)

    @cached_property
    def retriever(self) -> Any:
        from assist.bootstrap import open_retriever

        return open_retriever(self.settings, self.embedder)

    @cached_property
    def documents(self) -> dict[str, Any]:
        from assist.bootstrap import knowledge_dirs
        from assist.ingest import load_documents

        docs, _, _ = load_documents(knowledge_dirs(self.settings), int(self.settings.ingest.max_file_mb * 1024 * 1024))
        return {d.id: d for d in docs}

    @cached_property
    def assessor(self) -> Any:
        from assist.bootstrap import build_risk_assessor

        return build_risk_assessor(self.settings, self.embedder)

    @cached_property
    def agent(self) -> Any:
        """The agent service with a throw-away feedback store, so earlier feedback cannot change the ranking."""
        from assist.bootstrap import build_agent

        tmp = Path(tempfile.mkdtemp(prefix="assist-eval-"))
        s = self.settings.model_copy(update={"agent": self.settings.agent.model_copy(
            update={"feedback_url": f"sqlite:///{tmp / 'feedback.sqlite'}"})})
        return build_agent(s, self.embedder)

    @cached_property
    def consumer(self) -> Any:
        from assist.bootstrap import build_consumer_chat

        return build_consumer_chat(self.settings, self.embedder)

    @cached_property
    def conversations(self) -> list[Any]:
        from assist.risk.dataset import load_conversations

        convs = load_conversations(self.file("conversations"))
        split = self.risk_split
        if split is None:
            split = "dev,heldout" if _is_shipped(self.data) else "all"
        if split == "all":
            return convs
        wanted = set(split.split(","))
        return [c for c in convs if c.split in wanted]


SHIPPED_DATASETS = Path(__file__).resolve().parents[2] / "eval" / "datasets"   # in a source checkout


def _is_shipped(data: Path) -> bool:
    return data.resolve() == SHIPPED_DATASETS.resolve()


def read_jsonl(path: Path) -> list[tuple[int, dict[str, Any]]]:
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                rows.append((n, json.loads(line)))
            except json.JSONDecodeError as exc:
                raise AssistError(f"not JSON: {exc.msg}", path=str(path), line=n) from exc
    return rows


# ---------------------------------------------------------------------------------------------------------- retrieval

def suite_retrieval(ctx: EvalContext, progress: Progress) -> SuiteResult:
    from assist.evaluation.retrieval import load_cases, ndcg_at, recall_at, reciprocal_rank

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
        where = Filter.for_audience(c.audience)
        # documents, not passages: with retrieval.max_per_document > 1 a document may fill several places
        ranked = list(dict.fromkeys(h.chunk.doc_id for h in ctx.retriever.search(c.query, k=10, where=where,
                                                                                  floor=False)))
        if not c.relevant:   # out of scope: the floor should leave nothing
            kept = ctx.retriever.search(c.query, k=5, where=where, floor=True)
            ok = not kept
            outcomes.append(CaseOutcome("retrieval", c.id, "pass" if ok else "fail",
                                        "" if ok else f"out-of-scope question kept {len(kept)} passage(s): "
                                        + ", ".join(h.chunk.doc_id for h in kept[:3]),
                                        {"query": c.query, "audience": c.audience, "ranked": ranked[:5]}))
            per_aud.setdefault("out_of_scope", {}).setdefault("rejected", []).append(1.0 if ok else 0.0)
            continue
        m = {"recall@1": recall_at(ranked, c.relevant, 1), "recall@3": recall_at(ranked, c.relevant, 3),
             "recall@5": recall_at(ranked, c.relevant, 5), "mrr": reciprocal_rank(ranked, c.relevant),
             "ndcg@5": ndcg_at(ranked, c.relevant, 5)}
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


# --------------------------------------------------------------------------------------------------------------- risk

def suite_risk(ctx: EvalContext, progress: Progress) -> SuiteResult:
    from assist.risk import metrics as rm
    from assist.risk.types import CATEGORIES

    convs = ctx.conversations
    results = []
    for i, c in enumerate(convs):
        progress("risk", i, len(convs))
        results.extend(rm.run(ctx.assessor, [c]))
    summary = rm.summarize(results) if results else {}
    metrics: dict[str, float | None] = {k: summary.get(k) for k in (
        "macro_f1", "accuracy", "auc_involvement", "precision_at_high", "fpr_high_genuine", "fpr_medium_or_high_genuine",
        "legit_rep_flagged_high", "ece", "ece_noise_floor", "turn_ece", "turn_ece_noise_floor", "detection_rate",
        "mean_turns_to_detection")}
    predicted = [max(CATEGORIES, key=lambda c: r.probabilities[c]) for r in results]
    for cat, v in (summary.get("per_category") or {}).items():
        # 0/0 is not a score: precision needs a prediction of the category, recall and F1 a call that truly is one
        metrics[f"precision.{cat}"] = v["precision"] if cat in predicted else None
        metrics[f"recall.{cat}"] = v["recall"] if v["support"] else None
        metrics[f"f1.{cat}"] = v["f1"] if v["support"] else None
    outcomes = []
    signal_hits: dict[str, list[int]] = {}
    for r in results:
        truth = rm.true_category(r.conv.label)
        pred = max(CATEGORIES, key=lambda c: r.probabilities[c])
        reasons = []
        if pred != truth:
            reasons.append(f"expected {truth} ({r.conv.label}), got {pred} (p={r.probabilities[pred]:.2f})")
        if r.conv.label in ("genuine", "legit_rep") and r.max_level == "high":
            reasons.append(f"{r.conv.label} caller reached level high: a false accusation")
        for sid in r.conv.signals:
            signal_hits.setdefault(sid, []).append(int(sid in r.evidence))
        outcomes.append(CaseOutcome("risk", r.conv.id, "fail" if reasons else "pass", "; ".join(reasons), {
            "label": r.conv.label, "expected": truth, "predicted": pred, "split": r.conv.split, "hard": r.conv.hard,
            "probabilities": {k: round(v, 3) for k, v in r.probabilities.items()}, "levels": r.history,
            "evidence": r.evidence, "signals_expected": list(r.conv.signals),
            "transcript": [{"speaker": t.speaker, "text": t.text} for t in r.conv.turns]}))
    involvement = [r.probabilities["intermediary"] + r.probabilities["coached"] for r in results]
    truths = [rm.true_category(r.conv.label) for r in results]
    preds = [max(CATEGORIES, key=lambda c: r.probabilities[c]) for r in results]
    plots = {
        "pr": {"scores": involvement, "positives": [r.conv.involved for r in results]},
        "confusion": {"labels": list(CATEGORIES),
                      "matrix": [[sum(t == a and p == b for t, p in zip(truths, preds)) for b in CATEGORIES]
                                 for a in CATEGORIES]},
        "calibration": {"confidence": [max(r.probabilities.values()) for r in results],
                        "correct": [p == t for p, t in zip(preds, truths)]},
        "signal_hit_rate": {sid: sum(v) / len(v) for sid, v in sorted(signal_hits.items(), key=lambda kv: int(kv[0][1:]))},
    }
    return SuiteResult("risk", metrics, outcomes, plots, dataset=f"{ctx.data / 'conversations'} ({len(convs)} calls)")


# ------------------------------------------------------------------------------------------------------------ replies

def suite_replies(ctx: EvalContext, progress: Progress) -> SuiteResult:
    from assist import guard

    scripts = {d.id: d for d in ctx.documents.values() if d.kind == "script"}
    by_signal: dict[str, set[str]] = {}
    for d in scripts.values():
        for sid in d.meta.get("signals") or []:
            by_signal.setdefault(str(sid), set()).add(d.id)
    convs = ctx.conversations
    outcomes: list[CaseOutcome] = []
    shown = passed_guard = cites = valid_cites = 0
    for i, c in enumerate(convs):
        progress("replies", i, len(convs))
        expected = set().union(*(by_signal.get(s, set()) for s in c.signals)) if c.signals else set()
        sid = ctx.agent.start(dataclasses.asdict(c.meta))
        seen_top3: list[str] = []
        start = c.first_evidence_turn or 0
        for j, t in enumerate(c.turns):
            a = ctx.agent.on_turn(sid, {"speaker": t.speaker, "text": t.text})
            for s in a.suggestions:
                shown += 1
                passed_guard += guard.check(s.text).ok
                for ci in s.citations:
                    cites += 1
                    doc = ctx.documents.get(ci.doc_id)
                    valid_cites += bool(doc is not None and _snippet_in(ci.snippet, doc.body))
            if t.speaker == "caller" and j >= start:
                seen_top3.extend(s.script_id for s in a.suggestions[:3])
        if not expected:
            # its suggestions still count for the guard and citation rates above; the script hit cannot be scored
            outcomes.append(CaseOutcome("replies", c.id, "unscorable",
                                        "no script is written for this call's signals: " + (", ".join(c.signals)
                                                                                          or "none labelled"),
                                        {"label": c.label, "signals": list(c.signals)}))
            continue
        hit = sorted(expected & set(seen_top3))
        outcomes.append(CaseOutcome("replies", c.id, "pass" if hit else "fail",
                                    "" if hit else "none of the scripts written for this call's signals was among the top 3",
                                    {"label": c.label, "signals": list(c.signals), "expected_any_of": sorted(expected),
                                     "suggested": list(dict.fromkeys(seen_top3))[:6]}))
    metrics = {"expected_script_in_top3": mean(1.0 if o.outcome == "pass" else 0.0 for o in outcomes
                                               if o.outcome != "unscorable"),
               "guard_pass_rate": passed_guard / shown if shown else None,
               "citation_validity": valid_cites / cites if cites else None,
               "suggestions_shown": float(shown)}
    return SuiteResult("replies", metrics, outcomes, dataset=f"{ctx.data / 'conversations'} ({len(convs)} calls)")


def _letters(text: str) -> str:
    """Text without whitespace, punctuation and Markdown markers: snippets join lines and drop headings' '#'."""
    return re.sub(r"[\W_]+", "", normalize(text))


def _snippet_in(snippet: str, body: str) -> bool:
    s = _letters(snippet.rstrip("…"))
    return bool(s) and s[:40] in _letters(body)


# ----------------------------------------------------------------------------------------------------------- consumer

def _pct(xs: list[float], q: float) -> float | None:
    if not xs:
        return None
    s = sorted(xs)
    return s[min(len(s) - 1, int(round(q * (len(s) - 1))))]


def suite_latency(ctx: EvalContext, progress: Progress, calls: int = 40) -> SuiteResult:
    """Wall time per component on this machine (p50/p95/max in ms): retrieval search, risk per caller turn, agent
    assistance per turn, consumer answer. Timings are for trend-watching; targets live in bench/."""
    from assist.evaluation.retrieval import load_cases

    series: dict[str, list[float]] = {"retrieval": [], "risk_turn": [], "agent_turn": [], "consumer": []}
    queries = [c.query for c in load_cases(ctx.file("retrieval.jsonl"))][:80]
    # warm-up: the first call of each path loads models and builds per-audience views; that is start-up, not latency
    for q in queries[:3]:
        ctx.retriever.search(q, k=5, where=Filter.for_audience("agent"))
        ctx.consumer.respond(q)
    if ctx.conversations:
        warm = ctx.assessor.new_session(ctx.conversations[0].meta)
        for t in ctx.conversations[0].turns:
            warm.add(t)
    ctx.agent.on_turn(ctx.agent.start({}), {"speaker": "caller", "text": queries[0] if queries else "你好"})
    for i, q in enumerate(queries):
        progress("latency", i, len(queries) + calls)
        t0 = time.perf_counter()
        ctx.retriever.search(q, k=5, where=Filter.for_audience("agent"))
        series["retrieval"].append((time.perf_counter() - t0) * 1000)
    for i, c in enumerate(ctx.conversations[:calls]):
        progress("latency", len(queries) + i, len(queries) + calls)
        session = ctx.assessor.new_session(c.meta)
        sid = ctx.agent.start({})
        for t in c.turns:
            t0 = time.perf_counter()
            session.add(t)
            if t.speaker == "caller":
                series["risk_turn"].append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            ctx.agent.on_turn(sid, {"speaker": t.speaker, "text": t.text + " "})   # a new text: no embedding reuse
            series["agent_turn"].append((time.perf_counter() - t0) * 1000)
        caller = next((t.text for t in c.turns if t.speaker == "caller"), "")
        t0 = time.perf_counter()
        ctx.consumer.respond(caller)
        series["consumer"].append((time.perf_counter() - t0) * 1000)
    metrics: dict[str, float | None] = {}
    for k, xs in series.items():
        metrics[f"{k}.p50_ms"] = _pct(xs, 0.5)
        metrics[f"{k}.p95_ms"] = _pct(xs, 0.95)
        metrics[f"{k}.max_ms"] = max(xs) if xs else None
    return SuiteResult("latency", metrics, [], {"latency": series})
