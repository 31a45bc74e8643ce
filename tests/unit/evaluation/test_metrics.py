"""Every metric function against hand-computed values, with ties and empty inputs (assist.evaluation.metrics)."""

import math

import pytest

from assist.evaluation.metrics import (
    ece,
    ece_noise_floor,
    hit_at,
    ndcg_at,
    percentile,
    prf,
    recall_at,
    reciprocal_rank,
    roc_auc,
)


def test_ranking_metrics_by_hand():
    assert recall_at(["a", "b", "c"], ["b", "x"], 1) == 0.0
    assert recall_at(["a", "b", "c"], ["b", "x"], 2) == 0.5
    assert recall_at([], ["a"], 5) == 0.0 and recall_at(["a"], [], 5) == 0.0
    assert hit_at(["a", "b"], ["b", "x"], 1) == 0.0 and hit_at(["a", "b"], ["b", "x"], 2) == 1.0
    assert reciprocal_rank(["a", "b"], ["b"]) == 0.5
    assert reciprocal_rank([], ["b"]) == 0.0
    assert ndcg_at(["x", "a"], ["a"], 5) == pytest.approx(1 / math.log2(3))
    assert ndcg_at(["a", "b"], ["a", "b"], 5) == pytest.approx(1.0)
    assert ndcg_at(["a"], [], 5) == 0.0
    assert ndcg_at([], ["a"], 5) == 0.0
    # two relevant documents, found at 1 and 4: (1 + 1/log2 5) / (1 + 1/log2 3)
    assert ndcg_at(["a", "x", "y", "b"], ["a", "b"], 5) == pytest.approx((1 + 1 / math.log2(5)) / (1 + 1 / math.log2(3)))
    # a document repeated in the ranking (several passages) counts once: nDCG never exceeds 1
    assert ndcg_at(["a", "a", "b"], ["a", "b"], 5) == pytest.approx((1 + 1 / math.log2(4)) / (1 + 1 / math.log2(3)))
    assert ndcg_at(["a", "a"], ["a"], 5) == 1.0


def test_prf_by_hand_with_empty_and_missing_classes():
    res = prf(["a", "a", "b", "b"], ["a", "b", "b", "b"], labels=["a", "b"])
    assert res["a"] == {"precision": 1.0, "recall": 0.5, "f1": pytest.approx(2 / 3), "support": 2}
    assert res["b"]["precision"] == pytest.approx(2 / 3) and res["b"]["recall"] == 1.0
    out = prf([], [], labels=["a", "b"])
    assert out["a"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0}
    out = prf(["a", "a", "b"], ["a", "b", "b"], labels=["a", "b"])
    assert out["b"]["precision"] == 0.5 and out["b"]["f1"] == pytest.approx(2 / 3)


def test_auc_counts_ties_as_half_and_is_none_without_both_classes():
    assert roc_auc([0.9, 0.8, 0.3, 0.1], [True, True, False, False]) == 1.0
    assert roc_auc([0.2, 0.9, 0.4], [True, False, False]) == 0.0
    assert roc_auc([0.9, 0.5, 0.5, 0.1], [True, True, False, False]) == pytest.approx(3.5 / 4)
    assert roc_auc([0.5, 0.5], [True, False]) == 0.5
    assert roc_auc([0.3], [True]) is None and roc_auc([], []) is None


def test_ece_by_hand():
    # two bins: (0.9, correct), (0.9, wrong) -> acc 0.5 vs conf 0.9 -> 0.4
    assert ece([0.9, 0.9], [True, False]) == pytest.approx(0.4)
    assert ece([1.0, 0.55], [True, True]) == pytest.approx(0.5 * 0 + 0.5 * 0.45)
    assert ece([0.9, 0.9, 0.6, 0.6], [True, False, True, True]) == pytest.approx(0.5 * 0.4 + 0.5 * 0.4)
    assert ece([], []) is None


def test_ece_noise_floor_is_zero_for_certain_scores_and_shrinks_with_more_cases():
    assert ece_noise_floor([1.0] * 50) == 0.0
    assert ece_noise_floor([]) is None
    small, large = ece_noise_floor([0.7] * 50), ece_noise_floor([0.7] * 2000, draws=200)
    # one bin, |mean(Bernoulli(0.7)) - 0.7|: about sqrt(0.21 / n) * 0.8
    assert 0.035 < small < 0.09 and large < 0.015


def test_percentile_is_the_nearest_rank():
    xs = [5.0, 1.0, 3.0, 2.0, 4.0]
    assert percentile(xs, 0.5) == 3.0 and percentile(xs, 0.95) == 5.0 and percentile(xs, 0.0) == 1.0
    assert percentile([], 0.5) is None
