"""Metric functions, each checked against hand-computed values in the tests: ranking (recall, hit, reciprocal rank,
nDCG), classification (precision / recall / F1, ROC-AUC), calibration (ECE and its noise floor) and percentiles."""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Sequence


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


def prf(y_true: Sequence[str], y_pred: Sequence[str], labels: Sequence[str]) -> dict[str, dict[str, float]]:
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


def ece_noise_floor(confidences: Sequence[float], bins: int = 10, draws: int = 1000, seed: int = 0) -> float | None:
    """Expected ECE of a *perfectly calibrated* scorer with these confidences on this many cases.

    ECE is biased upwards on small samples: with ~100 calls a perfect model still shows about 0.08. A measured ECE
    near this floor means the sample cannot tell the model from a perfectly calibrated one."""
    if not confidences:
        return None
    rng = random.Random(seed)
    total = 0.0
    for _ in range(draws):
        outcome = [rng.random() < c for c in confidences]
        total += ece(confidences, outcome, bins) or 0.0
    return total / draws


def percentile(xs: Sequence[float], q: float) -> float | None:
    """The q-quantile, nearest rank (rounded), of ``xs``; None when empty."""
    if not xs:
        return None
    s = sorted(xs)
    return s[min(len(s) - 1, int(round(q * (len(s) - 1))))]
