"""The learned letter kind model (assist.review.kind_model, fitted by assist.training.letter_kind): served features are
the fitted ones (a saved and loaded model gives the same probabilities), a broken file is a clear error, and with the
rules it never turns a complaint into an authorisation (a lawful complaint must not be warned about missing parts)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from assist.errors import ConfigError
from assist.review.checks import classify, document_kind
from assist.review.kind_model import KindModel
from assist.review.policy import ReviewPolicy
from assist.training.letter_kind import LabelledLetter, fit, held_out_report, read_letters
from tests.unit.review.conftest import doc

AUTH = ["授权委托书\n委托人：王{0}\n受托人：李{0}，系委托人之夫\n委托事项：代为协商还款\n委托期限：一年\n委托人签名：王{0}\n",
        "委托书\n本人张{0}现委托我女儿张小{0}替我跟贵行商量分期\n委托人：张{0}\n"]
COMPLAINT = ["投诉信\n你们的催收员半夜给我打电话{0}次，要求停止骚扰，按规定协商分期。\n王{0}\n",
             "关于减免罚息的申请\n本人因病住院{0}个月，申请减免罚息、分期还款，请贵司考虑。\n"]
CERT = ["证明\n兹证明王{0}系我村村民，家庭困难，情况属实。\n特此证明。\n某某村民委员会（盖章）\n"]
OTHER = ["还款计划\n1月 还{0}百\n2月 还{0}百\n"]


def _letters():
    out = []
    for kind, forms in (("authorisation", AUTH), ("complaint", COMPLAINT), ("certificate", CERT), ("other", OTHER)):
        for i, f in enumerate(forms * 3):
            out.append(LabelledLetter(f"W{i % 3}", f"W{i % 3}/{kind}{i}.txt", kind, f.format("一二三四五六"[i % 6])))
    return out


def test_a_saved_model_serves_what_was_fitted(tmp_path):
    letters = _letters()
    model = fit(letters)
    assert sum(model.predict(lt.text) == lt.kind for lt in letters) / len(letters) >= 0.9
    model.save(tmp_path / "kind.npz")
    back = KindModel.load(tmp_path / "kind.npz")
    for lt in letters:
        a, b = model.probabilities(lt.text), back.probabilities(lt.text)
        assert a.keys() == b.keys() and np.allclose(list(a.values()), list(b.values()), atol=1e-4)
    assert back.data_hash == model.data_hash and back.predict("") in back.labels
    report = held_out_report(letters, ["W2"])
    assert report["W2"]["letters"] == len([lt for lt in letters if lt.writer == "W2"])


def test_a_broken_model_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "kind.npz"
    bad.write_bytes(b"not a model")
    with pytest.raises(ConfigError) as err:
        KindModel.load(bad)
    assert "kind.npz" in str(err.value.path)


class _Sure:
    """A kind model that reads every paper as ``kind`` with probability ``p`` (the rest spread over the others)."""

    labels = ("authorisation", "complaint", "certificate", "other")

    def __init__(self, kind, p):
        self.kind, self.p = kind, p

    def probabilities(self, text):
        return {k: self.p if k == self.kind else (1 - self.p) / 3 for k in self.labels}


COMPLAINT = "投诉信\n你们的催收员半夜打电话，要求停止骚扰。\n王五\n"


@pytest.mark.parametrize("text, rules, learned, p, read", [
    (COMPLAINT, "complaint", "authorisation", 0.45, "complaint"),    # unsure: the rules read it
    (COMPLAINT, "complaint", "authorisation", 0.59, "complaint"),
    (COMPLAINT, "complaint", "other", 0.6, "other"),                 # sure: the model reads it
    (COMPLAINT, "complaint", "authorisation", 0.9, "authorisation"),
    ("还款计划\n1月 还三百\n", "other", "complaint", 0.8, "complaint"),
    ("还款计划\n1月 还三百\n", "other", "complaint", 0.5, "other"),
])
def test_the_model_decides_only_when_it_is_sure(text, rules, learned, p, read, policy):
    assert classify(doc(text)) == rules
    with_model = ReviewPolicy.of(policy.signals, policy.matcher, _Sure(learned, p), 0.6)
    assert document_kind(doc(text), with_model) == read


def test_the_confidence_bar_is_a_setting():
    from assist.settings import Settings

    assert Settings().documents.kind_model_min_confidence == 0.55
    assert Settings(documents={"kind_model_min_confidence": 1.0}).documents.kind_model_min_confidence == 1.0
    with pytest.raises(ValueError, match="kind_model_min_confidence"):
        Settings(documents={"kind_model_min_confidence": 1.5})


def test_labelled_letters_are_read_with_errors_naming_file_and_line(tmp_path):
    folder = tmp_path / "L01"
    folder.mkdir()
    (folder / "a.txt").write_text("投诉信\n要求停止骚扰。\n", encoding="utf-8")
    (folder / "labels.jsonl").write_text(json.dumps({"file": "a.txt", "kind": "complaint"}) + "\n"
                                         + json.dumps({"file": "b.txt", "kind": "letter"}) + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        read_letters(tmp_path)
    assert err.value.line == 2 and err.value.field == "kind"


def test_the_shipped_model_loads_and_reads_plain_papers():
    from assist.bootstrap import letter_model
    from assist.settings import Settings

    model = letter_model(Settings(), "kind")
    assert model is not None and set(model.labels) == {"authorisation", "complaint", "certificate", "other"}
    assert model.predict("授权委托书\n委托人：王芳\n受托人：李强，系委托人丈夫\n委托事项：代为协商还款\n") == "authorisation"
    assert model.predict("诊断证明书\n患者王芳，诊断为肺炎，建议休息两周。\n某某人民医院（盖章）\n") == "certificate"
    assert letter_model(Settings(documents={"kind_rules_only": True}), "kind") is None
