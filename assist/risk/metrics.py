"""Risk metrics: per-category P/R/F1, ROC-AUC for intermediary involvement, precision and genuine-caller FPR at
level high, expected calibration error, and turns from first evidence to detection."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from assist.risk.dataset import LabelledConversation
from assist.risk.types import CATEGORIES


def true_category(label: str) -> str:
    return "none" if label in ("genuine", "legit_rep") else label


def prf(y_true: Sequence[str], y_pred: Sequence[str], labels: Sequence[str] = CATEGORIES) -> dict[str, dict[str, float]]:
    out = {}
    for c in labels:
        tp = sum(t == c and p == c for t, p in zip(y_true, y_pred))
        fp = sum(t != c and p == c for t, p in zip(y_true, y_pred))
        fn = sum(t == c and p != c for t, p in zip(y_true, y_pred))
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        out[c] = {"precision": prec, "recall": rec, "f1": f1, "support": tp + fn}
    return out


def roc_auc(scores: Sequence[float], positives: Sequence[bool]) -> float | None:
    """Probability that a random positive outscores a random negative (ties count half)."""
    pos = [s for s, y in zip(scores, positives) if y]
    neg = [s for s, y in zip(scores, positives) if not y]
    if not pos or not neg:
        return None
    wins = 0.0
    for p in pos:
        for n in neg:
            wins += 1.0 if p > n else 0.5 if p == n else 0.0
    return wins / (len(pos) * len(neg))


def ece(confidences: Sequence[float], correct: Sequence[bool], bins: int = 10) -> float | None:
    if not confidences:
        return None
    total, n = 0.0, len(confidences)
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        idx = [i for i, c in enumerate(confidences) if (lo < c <= hi) or (b == 0 and c == 0)]
        if idx:
            acc = sum(correct[i] for i in idx) / len(idx)
            conf = sum(confidences[i] for i in idx) / len(idx)
            total += len(idx) / n * abs(acc - conf)
    return total


@dataclass
class CaseResult:
    conv: LabelledConversation
    probabilities: dict[str, float]
    level: str
    max_level: str
    history: list[str]
    evidence: list[str]


def run(assessor: Any, convs: Sequence[LabelledConversation]) -> list[CaseResult]:
    results = []
    for c in convs:
        session = assessor.new_session(c.meta)
        r = session.current()
        for t in c.turns:
            r = session.add(t)
        hist = session.state.history
        max_level = max(hist, key=lambda lv: ("low", "medium", "high").index(lv)) if hist else "low"
        results.append(CaseResult(c, r.probabilities, r.level, max_level, list(hist), [e.signal_id for e in r.evidence]))
    return results


def summarize(results: Sequence[CaseResult]) -> dict[str, Any]:
    y_true = [true_category(r.conv.label) for r in results]
    y_pred = [max(CATEGORIES, key=lambda c: r.probabilities[c]) for r in results]
    per = prf(y_true, y_pred)
    involvement = [r.probabilities["intermediary"] + r.probabilities["coached"] for r in results]
    auc = roc_auc(involvement, [r.conv.involved for r in results])
    high = [r for r in results if r.max_level == "high"]
    prec_high = (sum(r.conv.label in ("intermediary", "coached", "victim") for r in high) / len(high)) if high else None
    genuine = [r for r in results if r.conv.label == "genuine"]
    legit = [r for r in results if r.conv.label == "legit_rep"]
    conf = [max(r.probabilities.values()) for r in results]
    correct = [p == t for p, t in zip(y_pred, y_true)]
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
        "ece": ece(conf, correct),
        "detection_rate": detected / positives if positives else None,
        "mean_turns_to_detection": sum(delays) / len(delays) if delays else None,
    }
