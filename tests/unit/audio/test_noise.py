"""The recognition-noise model: alignment, measured rates, and the rule that garbled text never makes a high."""

import random

from assist.audio.noise import ConfusionModel, align, cer
from assist.bootstrap import shipped_datasets
from assist.evaluation.conversations import load_conversations
from assist.risk.types import Turn


def test_alignment_counts_edits():
    assert cer("我想还款", "我想换款") == (1, 4)
    assert cer("我想还款", "我还款了") == (2, 4)
    assert [op for op, _, _ in align("abc", "abxc")] == ["ok", "ok", "ins", "ok"]


def test_fitted_rates_come_back_when_applied():
    m = ConfusionModel.fit([("我想还款请问怎么办", "我想换款请问怎办"), ("今天天气很好", "今天天气很好啊")] * 5)
    assert m.rates["sub"] == 1 / 15 and m.rates["del"] == 1 / 15 and m.rates["ins"] == 1 / 15
    assert ConfusionModel.from_dict(m.to_dict()).table["还"]["换"] == 5
    rng = random.Random(0)
    text = "我想还款请问怎么办" * 200
    noisy = m.apply(text, rng)
    edits, n = cer(text[:300], noisy[:300])
    assert 0.05 < edits / n < 0.5 and noisy != text


def test_garbled_genuine_calls_never_reach_high(rules_assessor):
    """Genuine callers' words garbled at up to five times a telephone recogniser's error rate: no high hint."""
    genuine = [c for c in load_conversations(shipped_datasets() / "conversations") if c.label == "genuine"]
    m = ConfusionModel(ref_chars=100, subs=30, dels=10, ins=5)
    m.written.update("的了是在我有他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年过发后作里")
    rng = random.Random(7)
    for scale in (1.0, 3.0, 5.0):
        for c in genuine[:40]:
            turns = [Turn(t.speaker, m.apply(t.text, rng, scale), t.time) for t in c.turns]
            assert rules_assessor.assess(turns, c.meta).level != "high", (c.id, scale)
