"""The learned posing reading (a two-class model fitted by assist.training.letter_kind with target "posing", served by
checks._learned_posing): the two-class model points the right way, it adds a high finding only where the rules found
none, and never on a letter whose writer left an agency, on a public body's paper, or without a model."""

from __future__ import annotations

from dataclasses import replace

import pytest

from assist.review.checks import run_checks
from assist.training.letter_kind import POSING_LABELS, LabelledLetter, fit
from tests.unit.review.conftest import doc

AGENCY = ["致贵司：本{0}受借款人委托，全权处理其债务，要求停息挂账、只还本金，请勿直接联系借款人，一切事宜与本{0}对接。\n",
          "委托书\n本人委托{0}全权代理我所有网贷，停止催收，减免利息罚息，服务费已交。\n"]
LAWFUL = ["授权委托书\n委托人：王明\n受托人：王芳，系委托人之妹\n委托事项：代为与贵行协商分期还款\n委托期限：三个月\n委托人签名：王明\n",
          "投诉信\n你们的催收员半夜给我打电话，要求停止骚扰，我想按规定协商分期还款。\n李强\n"]
NAMES = ("协会", "联盟", "中心", "工作室", "委员会", "服务站")


def _letters() -> list[LabelledLetter]:
    out = []
    for i, name in enumerate(NAMES * 2):
        for j, form in enumerate(AGENCY):
            out.append(LabelledLetter(f"W{i % 3}", f"W{i % 3}/a{i}{j}.txt", "posing", form.format(name)))
        for j, form in enumerate(LAWFUL):
            out.append(LabelledLetter(f"W{i % 3}", f"W{i % 3}/l{i}{j}.txt", "not_posing", form + f"第{i}封"))
    return out


def test_the_two_class_model_points_the_right_way():
    model = fit(_letters(), labels=POSING_LABELS)
    assert model.labels == POSING_LABELS
    assert model.probabilities(AGENCY[0].format("基金会"))["posing"] > 0.5
    assert model.probabilities(LAWFUL[0])["posing"] < 0.5


UNSEEN = ("关于停止催收的函\n某某消费金融有限公司：\n本处受当事人委托，根据监管要求组织协商：请立即停止一切催收，停息挂账，只还本金，"
          "分60期偿还；协商期间请勿直接联系当事人本人，一切事宜与本处协商员对接。\n某某金融纠纷协调处\n2027年1月3日\n")


def test_the_shipped_model_flags_an_agency_the_rules_do_not_name(policy):
    assert policy.posing_model is not None
    found = run_checks(doc(UNSEEN), policy)[1]
    assert any(f.check == "review.learned_posing" and f.severity == "high" for f in found)
    without = run_checks(doc(UNSEEN), replace(policy, posing_model=None))[1]
    assert not any(f.severity == "high" for f in without)     # the rules alone miss this one


@pytest.mark.parametrize("text", [
    UNSEEN.replace("协商期间请勿直接联系当事人本人，一切事宜与本办协商员对接。", "") + "我已经撤销对该办的委托，以后我自己跟你们谈。\n",
    "情况说明\n某某金融纠纷协商办公室向村民收取备案费、协商服务费，承诺停息挂账。特此说明。\n某某镇司法所（盖章）\n2027年1月5日\n",
    LAWFUL[0] + "2027年1月3日\n", LAWFUL[1] + "2027年1月3日\n"])
def test_never_on_a_withdrawal_a_public_bodys_paper_or_a_lawful_letter(policy, text):
    assert not any(f.check == "review.learned_posing" for f in run_checks(doc(text), policy)[1])


def test_the_shipped_posing_model_loads_and_a_missing_one_is_named(tmp_path):
    from assist.bootstrap import letter_model
    from assist.errors import ConfigError
    from assist.settings import Settings

    model = letter_model(Settings(), "posing")
    assert model is not None and model.labels == POSING_LABELS
    assert letter_model(Settings(documents={"kind_rules_only": True}), "posing") is None
    with pytest.raises(ConfigError) as err:
        letter_model(Settings(documents={"posing_model": str(tmp_path / "absent.npz")}), "posing")
    assert "documents.posing_model" in str(err.value)
