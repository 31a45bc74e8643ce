"""Document review rules from round seventeen's held-out misses (L42, L43), table-driven, on letters written here: a
"互助合作社" that negotiates its members' debts is an agency, while a fishing or farming 专业合作社 acting for a member
is lawful help to verify; membership (成为本社社员, 系…合作社社员) is the relationship; an agreement or a service
slip with a clause granting authority is an authorisation; the chairman named by title (委托社长赵金龙); a lender's
customer-service centre and an addressee line further down the letter are the lender; a 客户姓名 line names the
principal."""

from __future__ import annotations

import pytest

from assist.review.checks import classify, run_checks
from tests.unit.review.conftest import doc, elements, highs

AUTH = ("授权委托书\n委托人（社员）：宝音，身份证号码：152522196812030011\n受托人：赵金龙（{coop}　{title}）\n"
        "委托人系{coop}社员。委托人委托{title}赵金龙代表委托人与贷款银行协商还款事宜。\n委托期限：一年。\n"
        "委托人（签字并按手印）：宝音\n委托日期：2026年12月15日\n")


def test_a_mutual_aid_cooperative_negotiating_debts_is_high(policy):
    text = AUTH.format(coop="锡林郭勒某牧牧民互助合作社", title="社长")
    assert "auth.trustee_company" in highs(policy, text)
    assert elements(text)["relationship"]


def test_a_fishing_cooperative_acting_for_a_member_is_lawful_help(policy):
    text = AUTH.format(coop="霞浦县某镇海丰渔业专业合作社", title="理事长")
    kind, found = run_checks(doc(text), policy)
    assert not [f for f in found if f.severity in ("high", "warn")]
    assert any(f.check == "auth.trustee_employer" for f in found)


COMPLAINT = ("关于本社社员宝音借款问题的协商函\n某某消费金融有限公司（随心借）：\n锡林郭勒某牧牧民互助合作社（以下简称“本社”）是受灾牧民自发组织"
             "成立的互助组织。本社代表社员提出以下要求：停止一切催收，所有事宜统一与本社对接；免除全部利息。\n"
             "锡林郭勒某牧牧民互助合作社（盖章）\n2026年12月17日\n")


def test_a_cooperative_writing_for_its_members_is_high(policy):
    assert "auth.trustee_company" in highs(policy, COMPLAINT)


AGREEMENT = ("社员入社协议\n甲方：锡林郭勒某牧牧民互助合作社（以下简称“本社”）\n乙方（社员）：额尔敦，身份证号152522196812030022\n"
             "第一条 乙方自愿加入本社，成为本社社员。\n第三条 授权委托 乙方授权本社社长赵金龙全权代表乙方，处理乙方在信用社及网贷平台的"
             "全部借款事宜。\n第四条 入社费600元。\n乙方签字（按手印）：额尔敦\n签订日期：2026年12月14日\n")


def test_an_agreement_with_a_clause_granting_authority_is_an_authorisation(policy):
    assert classify(doc(AGREEMENT)) == "authorisation"
    assert elements(AGREEMENT)["relationship"]
    assert highs(policy, AGREEMENT)


def test_an_agreement_without_one_is_other():
    text = ("还款协议\n甲方：某某消费金融有限公司\n乙方：额尔敦\n乙方同意自2027年1月起每月还款1000元。\n乙方签字：额尔敦\n"
            "2026年12月14日\n")
    assert classify(doc(text)) == "other"


@pytest.mark.parametrize("text", [
    "委托书\n本人其木格（身份证152522199001010033）是某牧合作社社员 委托社长赵金龙全权处理我所有网贷欠款\n其木格\n2026.12.16\n",
    "授权书\n本人乌日娜现授权合作社法务专员孙磊为我的债务协商代理人，全权代表本人处理网贷纠纷。\n授权人：乌日娜（按手印）\n2026年12月16日\n"])
def test_a_cooperatives_officer_named_by_title_is_the_agent_and_high(policy, text):
    assert elements(text)["agent"]
    assert highs(policy, text)


@pytest.mark.parametrize("salutation", ["随心借(APP)客户服务中心：", "致：融易借平台（杭州某易网络科技有限公司）"])
def test_the_lender_addressed_is_never_an_agency(policy, salutation):
    text = ("关于协商还款的申请\n" + salutation + "\n我是借款人宝音，今冬白灾牲畜死了一半，申请延期还款半年。\n宝音\n2026年12月18日\n")
    assert highs(policy, text) == []


def test_a_customer_name_line_names_the_principal():
    text = ("某某优抚权益服务中心\n客户服务确认单\n客户姓名：覃志刚　联系电话：15997236048\n身份证号：420624198511070011\n"
            "本人授权本中心政策专员全权代表本人与上述债权方协商处理停催、减免等一切债务事宜。\n客户签字（按手印）：覃志刚\n日期：2026年12月1日\n")
    assert elements(text)["principal"]
