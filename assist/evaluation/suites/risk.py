"""Risk hint: the learned model over labelled calls (by default those it never trained on): AUC, precision and
genuine-caller FPR at high, calibration, detection, per-category P/R/F1, and the plots."""

from __future__ import annotations

from assist.evaluation import risk_metrics as rm
from assist.evaluation.context import EvalContext, Progress
from assist.evaluation.results import CaseOutcome, SuiteResult
from assist.risk.types import CATEGORIES


def suite_risk(ctx: EvalContext, progress: Progress) -> SuiteResult:
    convs = ctx.conversations
    results = []
    for i, c in enumerate(convs):
        progress("risk", i, len(convs))
        results.extend(rm.run(ctx.assessor, [c]))
    summary = rm.summarize(results) if results else {}
    metrics: dict[str, float | None] = {k: summary.get(k) for k in (
        "macro_f1", "accuracy", "auc_involvement", "precision_at_high", "fpr_high_genuine", "fpr_medium_or_high_genuine",
        "legit_rep_flagged_high", "victim_tagged_high", "third_party_recall", "ece", "ece_noise_floor", "turn_ece",
        "turn_ece_noise_floor", "detection_rate", "mean_turns_to_detection")}
    for level, cal in (summary.get("calibration_by_level") or {}).items():
        metrics[f"calibration.{level}.mean_probability"] = cal["mean_probability"]
        metrics[f"calibration.{level}.accuracy"] = cal["accuracy"]
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
        if r.conv.label == "victim" and set(r.high_categories) & {"intermediary", "coached"}:
            reasons.append("victim shown at level high as " + "/".join(r.high_categories) + ": a false accusation")
        if r.conv.third_party and r.max_level == "low":
            reasons.append(f"the caller says they are not the borrower ({r.conv.caller_role}) but the hint stayed low")
        for sid in r.conv.signals:
            signal_hits.setdefault(sid, []).append(int(sid in r.evidence))
        outcomes.append(CaseOutcome("risk", r.conv.id, "fail" if reasons else "pass", "; ".join(reasons), {
            "label": r.conv.label, "expected": truth, "predicted": pred, "split": r.conv.split, "hard": r.conv.hard,
            "writer": r.conv.writer, "caller_role": r.conv.caller_role, "tags": list(r.conv.tags),
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
