"""The honest protocol for the risk hint (`assist train-risk --protocol writers`): leave one writer out.

For every writer of the writer-diverse set (split 'writers'), a model is trained on everything trainable except that
writer's calls (the first team's train split and the other writers), calibrated on dev, and scored on the left-out
writer. The headline is the mean over writers and the worst writer. Beside it, the old splits are scored by a model
trained on everything trainable. The 'final' split (two further writers) is scored only when asked for, once."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from assist.evaluation.conversations import LabelledConversation
from assist.evaluation.results import lower_is_better
from assist.evaluation.risk_metrics import CaseResult, right_at_high, run, summarize
from assist.risk.assessor import RiskAssessor
from assist.training.risk_model import TRAIN_SPLITS, Rows, feature_rows, fit_model

# What the protocol reports per fold, and aggregates (mean and worst writer).
HEADLINE = ("auc_involvement", "precision_at_high", "high_flags", "genuine_at_high", "fpr_high_genuine",
            "fpr_medium_or_high_genuine", "recall.victim", "victim_tagged_high", "third_party_recall",
            "legit_rep_flagged_high", "macro_f1", "accuracy", "ece", "detection_rate")
OLD_SPLITS = ("dev", "test", "heldout", "fresh")


def flat(summary: dict[str, Any], results: Sequence[CaseResult]) -> dict[str, Any]:
    """The headline numbers of one scored set."""
    out: dict[str, Any] = {k: summary.get(k) for k in HEADLINE if "." not in k and k in summary}
    for cat, v in (summary.get("per_category") or {}).items():
        out[f"recall.{cat}"] = v["recall"] if v["support"] else None
        out[f"precision.{cat}"] = v["precision"]
    out["genuine_at_high"] = sum(r.conv.label == "genuine" and r.max_level == "high" for r in results)
    out["calls"] = len(results)
    out["confusion"] = confusion(results)
    out["calibration_by_level"] = summary.get("calibration_by_level")
    return out


OUTCOMES = ("low", "medium", "high:intermediary", "high:coached", "high:victim")


def outcome(r: CaseResult) -> str:
    """What staff saw at the call's highest level: low, medium, or high with the first category shown at high."""
    if r.max_level == "high" and r.high_categories:
        return f"high:{r.high_categories[0]}"
    return "medium" if r.max_level in ("medium", "high") else "low"


def confusion(results: Sequence[CaseResult]) -> dict[str, dict[str, Any]]:
    """Per true label: how many calls ended at each outcome (OUTCOMES), and the category the call ended on (the
    most probable one)."""
    out: dict[str, dict[str, Any]] = {}
    for r in results:
        row = out.setdefault(r.conv.label, {"calls": 0, **{o: 0 for o in OUTCOMES}, "top": {}})
        row["calls"] += 1
        row[outcome(r)] += 1
        top = max(r.probabilities, key=r.probabilities.__getitem__)
        row["top"][top] = row["top"].get(top, 0) + 1
    return out


def aggregate(folds: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Mean over folds and the worst fold's value (lowest, or highest where lower is better) per metric."""
    mean: dict[str, Any] = {}
    worst: dict[str, Any] = {}
    for k in HEADLINE:
        vals = {w: float(f[k]) for w, f in folds.items() if isinstance(f.get(k), (int, float)) and math.isfinite(f[k])}
        if not vals:
            mean[k] = worst[k] = None
            continue
        mean[k] = sum(vals.values()) / len(vals)
        lower = lower_is_better(k) or k in ("genuine_at_high", "high_flags")
        wk = (max if lower else min)(vals, key=vals.__getitem__)
        worst[k] = {"value": folds[wk][k], "writer": wk}
    return {"mean": mean, "worst": worst}


def leave_one_writer_out(assessor: RiskAssessor, convs: Sequence[LabelledConversation], C: float, *,
                         final: bool = False, progress: bool = False,
                         on_fold: Callable[[str, dict[str, Any]], None] | None = None) -> dict[str, Any]:
    """The protocol's report: per-writer folds, their mean and worst, the old splits, and (``final``) the final
    writers. Also returns the per-call results of the folds under "results" for failure listings."""
    if assessor.model is not None:
        raise ValueError("the protocol trains its own models: pass an assessor without one")
    trainable = [c for c in convs if c.split in TRAIN_SPLITS]
    dev = [c for c in convs if c.split == "dev"]
    writers = sorted({c.writer for c in convs if c.split == "writers"})
    rows: dict[str, Rows] = feature_rows(assessor, trainable + dev, progress)
    folds: dict[str, dict[str, Any]] = {}
    fold_results: list[CaseResult] = []
    for w in writers:
        train = [c for c in trainable if c.writer != w]
        test = [c for c in convs if c.split == "writers" and c.writer == w]
        model = fit_model(assessor, rows, train, dev, C, data_hash_=f"lowo-{w}")
        results = run(assessor.with_model(model), test)
        fold_results.extend(results)
        folds[w] = flat(summarize(results), results)
        if on_fold is not None:
            on_fold(w, folds[w])
    report: dict[str, Any] = {"C": C, "writers": writers, "folds": folds, **aggregate(folds)}
    if fold_results:
        report["pooled"] = flat(summarize(fold_results), fold_results)
    full = fit_model(assessor, rows, trainable, dev, C, data_hash_="all-trainable")
    scored = assessor.with_model(full)
    report["old_splits"] = {}
    for split in OLD_SPLITS:
        part = [c for c in convs if c.split == split]
        if part:
            res = run(scored, part)
            report["old_splits"][split] = flat(summarize(res), res)
    if final:
        part = [c for c in convs if c.split == "final"]
        if part:
            res = run(scored, part)
            report["final"] = flat(summarize(res), res)
            report["final_results"] = res
    report["results"] = fold_results
    return report


def failures(results: Sequence[CaseResult]) -> list[dict[str, Any]]:
    """Every call the targets count against: genuine or legitimate callers at medium or high, victims shown as
    intermediary or coached at high, third parties left at low, and involved calls left at low."""
    out = []
    for r in results:
        why = []
        c = r.conv
        if c.label in ("genuine", "legit_rep") and r.max_level == "high":
            why.append(f"{c.label} at high")
        elif c.label == "genuine" and r.max_level == "medium":
            why.append("genuine at medium")
        if c.label == "victim" and set(r.high_categories) & {"intermediary", "coached"}:
            why.append("victim tagged at high as " + "/".join(r.high_categories))
        elif c.label in ("intermediary", "coached") and r.max_level == "high" and not right_at_high(r):
            why.append(f"{c.label} shown at high as " + "/".join(r.high_categories))
        if c.label == "victim" and max(r.probabilities, key=r.probabilities.__getitem__) != "victim":
            why.append("victim not called victim")
        if c.third_party and r.max_level == "low":
            why.append(f"third party ({c.caller_role}) left at low")
        if c.involved and r.max_level == "low":
            why.append(f"{c.label} left at low")
        if why:
            out.append({"id": c.id, "writer": c.writer, "label": c.label, "role": c.caller_role, "why": why,
                        "levels": "/".join(r.history), "evidence": r.evidence, "tags": list(c.tags)})
    return out
