"""The risk hint over labelled conversations: every call replayed turn by turn, then per-category P/R/F1, ROC-AUC
for intermediary involvement, precision and genuine-caller FPR at level high, expected calibration error (per call
and per caller turn, each with its noise floor), and turns from first evidence to detection."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from assist.evaluation.conversations import LabelledConversation
from assist.evaluation.metrics import ece, ece_noise_floor, prf, roc_auc
from assist.risk.assessor import RiskAssessor
from assist.risk.types import CATEGORIES


def true_category(label: str) -> str:
    return "none" if label in ("genuine", "legit_rep") else label


@dataclass
class CaseResult:
    conv: LabelledConversation
    probabilities: dict[str, float]
    level: str
    max_level: str
    history: list[str]
    evidence: list[str]
    turn_probabilities: list[dict[str, float]] = field(default_factory=list)   # after each caller turn
    turn_truth: list[str] = field(default_factory=list)   # what the caller turn shows: label once evidence began
    high_categories: list[str] = field(default_factory=list)   # categories shown while the level was high
    turn_shown: list[tuple[str, str, float]] = field(default_factory=list)   # (level, category, its probability)


_FAMILY = {"intermediary": {"intermediary", "coached", "victim"}, "coached": {"intermediary", "coached", "victim"},
           "victim": {"victim"}}


def right_at_high(r: CaseResult) -> bool:
    """A call at level high was right when every category shown at high fits its label: an intermediary shown as
    coached (or the reverse, or as a victim: a coached borrower has often paid the agency) is still a case where an
    intermediary is involved; a victim shown as intermediary or coached is a false accusation of a victim; a genuine
    caller or legitimate representative at high is wrong whatever is shown."""
    allowed = _FAMILY.get(r.conv.label, set())
    return bool(r.high_categories) and all(c in allowed for c in r.high_categories)


def run(assessor: RiskAssessor, convs: Sequence[LabelledConversation]) -> list[CaseResult]:
    results = []
    for c in convs:
        session = assessor.new_session(c.meta)
        r = session.current()
        turn_probs: list[dict[str, float]] = []
        turn_truth: list[str] = []
        high: list[str] = []
        shown: list[tuple[str, str, float]] = []
        for i, t in enumerate(c.turns):
            r = session.add(t)
            if r.level == "high" and r.category not in high:
                high.append(r.category)
            if t.speaker == "caller" and t.text.strip():
                seen = c.first_evidence_turn is None or i >= c.first_evidence_turn
                turn_probs.append(dict(r.probabilities))
                turn_truth.append(true_category(c.label) if seen else "none")
                shown.append((r.level, r.category, r.probabilities[r.category]))
        hist = session.state.history
        max_level = max(hist, key=lambda lv: ("low", "medium", "high").index(lv)) if hist else "low"
        results.append(CaseResult(c, r.probabilities, r.level, max_level, list(hist), [e.signal_id for e in r.evidence],
                                  turn_probs, turn_truth, high, shown))
    return results


def summarize(results: Sequence[CaseResult]) -> dict[str, Any]:
    y_true = [true_category(r.conv.label) for r in results]
    y_pred = [max(CATEGORIES, key=lambda c: r.probabilities[c]) for r in results]
    per = prf(y_true, y_pred, CATEGORIES)
    involvement = [r.probabilities["intermediary"] + r.probabilities["coached"] for r in results]
    auc = roc_auc(involvement, [r.conv.involved for r in results])
    high = [r for r in results if r.max_level == "high"]
    prec_high = (sum(right_at_high(r) for r in high) / len(high)) if high else None
    victims = [r for r in results if r.conv.label == "victim"]
    third = [r for r in results if r.conv.third_party]
    genuine = [r for r in results if r.conv.label == "genuine"]
    legit = [r for r in results if r.conv.label == "legit_rep"]
    conf = [max(r.probabilities.values()) for r in results]
    correct = [p == t for p, t in zip(y_pred, y_true)]
    # Per caller turn (the hint is read turn by turn): truth is "none" until the labelled first evidence.
    t_conf = [max(p.values()) for r in results for p in r.turn_probabilities]
    t_ok = [max(CATEGORIES, key=lambda c: p[c]) == t for r in results
            for p, t in zip(r.turn_probabilities, r.turn_truth)]
    delays, detected, positives = [], 0, 0
    for r in results:
        if r.conv.label in ("intermediary", "coached", "victim") and r.conv.first_evidence_turn is not None:
            positives += 1
            hit = next((i for i, lv in enumerate(r.history) if lv != "low"), None)
            if hit is not None:
                detected += 1
                delays.append(max(0, hit - r.conv.first_evidence_turn))
    return {
        "cases": len(results),
        "per_category": per,
        "macro_f1": sum(v["f1"] for v in per.values()) / len(per),
        "accuracy": sum(correct) / len(correct) if correct else None,
        "auc_involvement": auc,
        "precision_at_high": prec_high,
        "high_flags": len(high),
        "fpr_high_genuine": (sum(r.max_level == "high" for r in genuine) / len(genuine)) if genuine else None,
        "fpr_medium_or_high_genuine": (sum(r.max_level != "low" for r in genuine) / len(genuine)) if genuine else None,
        "legit_rep_flagged_high": (sum(r.max_level == "high" for r in legit) / len(legit)) if legit else None,
        "victim_tagged_high": (sum(bool(set(r.high_categories) & {"intermediary", "coached"}) for r in victims)
                               / len(victims)) if victims else None,
        "third_party_recall": (sum(r.max_level != "low" for r in third) / len(third)) if third else None,
        "calibration_by_level": calibration_by_level(results),
        "ece": ece(conf, correct),
        "ece_noise_floor": ece_noise_floor(conf),
        "turn_ece": ece(t_conf, t_ok),
        "turn_ece_noise_floor": ece_noise_floor(t_conf, draws=200),
        "scored_turns": len(t_conf),
        "detection_rate": detected / positives if positives else None,
        "mean_turns_to_detection": sum(delays) / len(delays) if delays else None,
    }


def calibration_by_level(results: Sequence[CaseResult]) -> dict[str, dict[str, float | int | None]]:
    """Per level shown, over caller turns: how many, the mean probability of the category shown, and how often that
    category was what the turn truly showed so far (at low the category shown is "none")."""
    out: dict[str, dict[str, float | int | None]] = {}
    for level in ("low", "medium", "high"):
        rows = [(p, cat == truth) for r in results for (lv, cat, p), truth in zip(r.turn_shown, r.turn_truth)
                if lv == level]
        out[level] = {"turns": len(rows),
                      "mean_probability": sum(p for p, _ in rows) / len(rows) if rows else None,
                      "accuracy": sum(ok for _, ok in rows) / len(rows) if rows else None}
    return out
