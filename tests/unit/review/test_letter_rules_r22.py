"""Document review rules from round twenty-two's held-out misses (L52, L53), table-driven, on letters written here: an
organisation of any name entrusted to act (委托和信联调中心全权…, 同时委托某某服务中心调解员代为…, 授权【某某协商团队】作为本人代理人)
is high, a court, a legal-aid centre or a law firm is not; "如需撤销…" is no revocation; a debt app's bill (上岸VIP,
协商服务预付款, 成功费) is the paid-agent sign; 申请人 names the principal of an application that entrusts."""

from __future__ import annotations

import pytest

from assist.review.checks.evidence import REVOKED
from tests.unit.review.conftest import elements, highs


@pytest.mark.parametrize("org", ["和信联调中心", "某某债务优化平台"])
def test_an_organisation_of_any_name_entrusted_to_act_is_high(policy, org):
    text = f"委托书\n本人赵海波委托{org}全权处理我所有网贷欠款，费用已交，期间我不接催收电话。\n赵海波  2027.1.12\n"
    assert highs(policy, text)


@pytest.mark.parametrize("org", ["延吉市法律援助中心", "延吉市人民法院诉前调解中心"])
def test_a_legal_aid_centre_or_a_courts_mediation_is_not(policy, org):
    text = (f"委托书\n本人赵海波，身份证号222401198309020011，委托{org}代为与贷款公司协商还款。\n委托期限：三个月。\n委托人签字：赵海波\n"
            "2027年1月12日\n")
    assert not highs(policy, text)


APPLICATION = ("诉前调解申请书\n申请人：崔明玉，女，身份证号222401198309020022，电话15604438170。\n被申请人：某某网络小额贷款有限公司\n"
               "申请事项：请求组织诉前调解，按借款本金的30%结清全部欠款。\n申请人同时委托延边和信诉前调解服务中心调解员代为参加调解、签署调解协议。\n"
               "申请人：崔明玉（签字按印）\n2027年1月9日\n")


def test_an_application_entrusting_a_private_mediation_centre_is_high(policy):
    assert highs(policy, APPLICATION)


def test_its_applicant_is_the_principal():
    assert elements("授权委托书\n" + APPLICATION)["principal"]


APP = ("一键委托\n授权委托\n本人罗小雯授权【某某管家协商团队】作为本人代理人，全权代本人与全部债权机构沟通、谈判、申请减免及停催。\n"
       "授权有效期：长期\n（如需撤销，可在“我的—委托管理”中申请，需人工审核3-5个工作日）\n开通上岸会员 ¥199/月\n")


def test_an_apps_authority_screen_is_high_and_its_revocation_notice_no_revocation(policy):
    assert REVOKED.search("（如需撤销，可在“我的—委托管理”中申请）") is None
    assert highs(policy, APP)


def test_a_debt_apps_bill_is_high(policy):
    text = ("某某管家 · 我的账单\n用户：柯蔓\n会员等级：上岸VIP（月付）\n2026-11-03 开通上岸会员（首月） ¥99.00\n"
            "2026-11-03 协商服务预付款 ¥600.00\n2026-11-21 成功费（快银花·罚息减免¥2,228） ¥401.00\n")
    assert highs(policy, text)


def test_a_shopping_apps_bill_is_not(policy):
    text = "某某商城 · 我的账单\n用户：柯蔓\n会员等级：VIP（月付）\n2026-11-03 开通会员 ¥99.00\n2026-11-21 运费 ¥12.00\n"
    assert not highs(policy, text)
