"""Document review rules from round eleven's held-out misses (L30, L31), table-driven, on letters written here: a fee
called 委托金 is not a mandate, an agency saying it was entrusted writes a demand rather than a grant, a government
unit named by its place is not a company (while a city's law firm is still a law firm), issuers above a title, an
agency's advertisement, a principal named with where they come from or with 全权, a lunar date with its year."""

from __future__ import annotations

import pytest

from assist.review.checks import classify, run_checks
from assist.review.policy import ReviewPolicy
from tests.unit.review.conftest import doc, elements


def test_a_fee_called_weituojin_is_not_a_mandate(policy):
    """The rules' reading (the learned model, sure of itself on so short a letter, still reads an authorisation: the
    rules decide only where it is unsure)."""
    rules_only = ReviewPolicy.of(policy.signals, policy.matcher)
    text = ("致速借宝客服：\n我叫陈德兴，身份证350902197804216010。有人讲交了委托金就能帮我全部免息，我交了3800块，签了伊们的授权书。"
            "\n那家公司我已经不委托了，授权书作废，以后我本人跟你们联系，想申请分期。\n陈德兴\n2026年11月24日\n")
    kind, found = run_checks(doc(text), rules_only)
    assert kind == "complaint" and not [f for f in found if f.severity in ("high", "warn")]


def test_an_agency_saying_it_was_entrusted_writes_a_demand(policy):
    text = ("寰宇华侨国际债务代理有限公司\n关于要求停止一切催收及全部免息处理的函\n致：海贝分期平台\n"
            "本公司受客户郑海明（身份证号：350181198607231819）全权委托，就其借款事宜函告如下：\n"
            "一、要求贵平台立即全部免息；\n二、委托人已全权委托本公司处理，贵平台不得再与委托人本人联系，一切事宜由本公司处理。\n"
            "寰宇华侨国际债务代理有限公司（盖章）\n2026年11月2日\n")
    kind, found = run_checks(doc(text), policy)
    assert kind == "complaint" and any(f.severity == "high" for f in found)


@pytest.mark.parametrize("unit, suspect", [
    ("霞浦县下浒镇海洋与渔业服务站", False),
    ("某某区街道办事处", False),
    ("霞浦县海丰债务咨询服务站", True),     # a company by its words, whatever its place
])
def test_a_government_unit_named_by_its_place_is_not_a_company(unit, suspect, policy):
    text = (f"委托书\n委托人：黄金水，身份证号350921197002116612\n受托人：林德海\n关系：本社理事长\n"
            f"委托事项：代我把{unit}出具的损失核定表交给贵社，申请延期还款。\n委托期限：三个月\n委托人签字：黄金水\n2026年11月28日\n")
    _, found = run_checks(doc(text), policy)
    assert any(f.severity == "high" for f in found) == suspect


def test_a_citys_law_firm_is_still_a_law_firm(policy):
    text = ("授权委托书\n委托人：马佳平，身份证号：440106198107075486\n受托人：蒋婷，武汉市明德律师事务所律师，执业证号：13113201511176933\n"
            "委托事项：代为协商还款。\n委托期限：至本事项办结之日止。\n委托人（签字）：马佳平\n2024年7月27日\n")
    _, found = run_checks(doc(text), policy)
    assert {"auth.law_firm_verify", "auth.licence_verify"} <= {f.check for f in found}
    assert all(f.severity == "info" for f in found)


@pytest.mark.parametrize("text, kind", [
    ("霞浦县海洋与渔业局　霞浦县农村信用合作联社\n关于第14号台风灾后渔业恢复生产贷款支持措施的通知\n各乡镇人民政府：\n"
     "受灾借款人可申请延期还本。\n2026年10月13日\n", "other"),
    ("霞浦县下浒镇海洋与渔业服务站\n第14号台风渔业灾害损失核定表\n养殖户姓名：周木生\n损失金额：12万元\n经核实，情况属实。\n"
     "（盖章）\n2026年10月9日\n", "certificate"),
    ("黔信信用卡债务重组工作室\n【成功案例展示】\n1 王女士 停息挂账，减免8.3万\n2 李先生 全部停息挂账\n"
     "成功率高达98.6%，签约当天即可停止一切催收电话。\n咨询热线：18985017736\n", "other"),
])
def test_issuers_above_a_title(text, kind):
    assert classify(doc(text)) == kind


def test_an_agencys_advertisement_is_high(policy):
    text = ("黔信信用卡债务重组工作室\n【成功案例展示】\n1 王女士 停息挂账，减免8.3万\n成功率高达98.6%，签约当天即可停止一切催收电话。\n"
            "咨询热线：18985017736\n")
    _, found = run_checks(doc(text), policy)
    assert any(f.severity == "high" for f in found)


@pytest.mark.parametrize("opening", [
    "我是陈阿福，福清市江阴镇下垄村人，身份证350181196911225513。我委托我弟弟陈阿贵替我跟你们商量还款。",
    "本人林水旺全权委托我弟弟林水生处理我在贵司的借款。",
])
def test_a_principal_named_with_where_they_come_from_or_full_powers(opening):
    assert elements("委托书\n" + opening + "\n时间是三个月。\n2026年11月28日\n")["principal"]


def test_a_lunar_date_with_its_year_is_the_letters_date():
    text = ("委拖书\n我叫王秀芬，今年73岁。我委拖我的大孙子杨子航帮我去办还款的事。\n委拖人签字（按手印）：王秀芬\n"
            "日其：2026年 十二月初二\n")
    assert elements(text)["date"]
    assert not elements(text.replace("2026年 十二月初二", "初二"))["date"]
