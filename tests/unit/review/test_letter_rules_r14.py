"""Document review rules from round fourteen's held-out misses (L36, L37), table-driven, on letters written here:
Shaanxi speech (额 for "I", 嫑 for "don't"), a borrower disowning an agency ("跟那个公司说了不要她们管了"), a debt
company's receipt for its fee, a registry's extract as a certificate, 甲方 with a role in brackets, an agent "hired
by" the principal, a relative's own debts and an ex-spouse in the story, a made-up certificate number with a
province in brackets."""

from __future__ import annotations

import pytest

from assist.review.checks import classify, run_checks
from assist.review.checks.elements import find_elements
from assist.review.checks.reading import reading_text
from tests.unit.review.conftest import doc, elements


def quotes(text: str) -> dict[str, str | None]:
    """What review quotes for each part of an authorisation (None: not found)."""
    return {k: v.quote if v.found else None for k, v in find_elements(doc(text)).items()}


@pytest.mark.parametrize(("written", "read"), [("额是王建军", "我是王建军"), ("委托额姐王芳", "委托我姐王芳"),
                                               ("嫑再打了", "别再打了"), ("借款金额:5000元", "借款金额:5000元"),
                                               ("网络小额贷款", "网络小额贷款"), ("授信额度", "授信额度"),
                                               ("营业额为零", "营业额为零"), ("等额本息", "等额本息"), ("金 额:300", "金 额:300")])
def test_shaanxi_first_person_is_read_as_mandarin_but_amounts_stay(written, read):
    assert reading_text(written) == read


def test_a_shaanxi_sister_is_the_relationship():
    text = ("委托书\n额王建军 身份证610104199001011234 委托额姐王芳替额去平台谈还款的事 分几期她定 嫑替额签新的借款\n"
            "委托人签字：王建军\n2026年12月2日\n")
    e = elements(text)
    assert e["relationship"] and e["agent"] and e["principal"]


COMPLAINT = ("某某贷客服：\n额是王建军，借款编号A100200。上个月额在网上碰到一个“秦安家事债务咨询有限公司”，收了额2000块钱服务费，"
             "叫额签了个全权委托。\n{withdrawal}\n从今天起这笔账额自己跟你们对接，给额发个明细，罚息能不能少收点。\n"
             "额电话13800001111，有事直接打给额。\n王建军\n12/22\n")


@pytest.mark.parametrize("withdrawal", ["额已经跟那个公司说了不要她们管了，钱额自己去要。",
                                        "那个公司再代表额说啥，你们都嫑认。"])
def test_a_borrower_who_left_the_agency_is_not_warned(policy, withdrawal):
    kind, found = run_checks(doc(COMPLAINT.format(withdrawal=withdrawal)), policy)
    assert kind == "complaint"
    assert not [f for f in found if f.severity in ("high", "warn")]
    assert any(f.check == "auth.revoked_agency" for f in found)


def test_without_the_withdrawal_the_agency_is_still_flagged(policy):
    text = COMPLAINT.format(withdrawal="以后还款的事都由该公司全权代理，请与该公司对接。")
    _, found = run_checks(doc(text), policy)
    assert any(f.severity == "high" for f in found)


RECEIPT = ("收  据\n日期：2026年11月16日\n今收到：王建军\n交来：家事服务费（标准版）\n人民币（大写）：贰仟元整 ¥2,000.00\n"
           "备注：服务启动后费用概不退还。\n收款单位（盖章）：{payee}\n经手人：李某\n")


def test_a_debt_companys_receipt_for_its_fee_is_high(policy):
    kind, found = run_checks(doc(RECEIPT.format(payee="秦安家事债务咨询有限公司")), policy)
    assert kind == "other"
    assert any(f.severity == "high" and f.check == "auth.trustee_company" for f in found)


def test_a_shops_receipt_is_not(policy):
    _, found = run_checks(doc(RECEIPT.replace("家事服务费", "货款").format(payee="西安长安百货商贸有限公司")), policy)
    assert not [f for f in found if f.severity in ("high", "warn")]


def test_a_borrower_telling_of_the_fee_they_paid_is_their_story(policy):
    text = ("某某银行：\n我去年在秦安债务咨询有限公司交了3000元服务费，后来发现他们什么也没做，我已经不找他们了。\n"
            "现在请贵行给我一个分期方案。\n王建军\n2026年12月2日\n")
    _, found = run_checks(doc(text), policy)
    assert not [f for f in found if f.check == "auth.trustee_company"]


def test_a_registrys_extract_is_a_certificate():
    text = ("婚姻登记档案查询结果\n（离婚登记记录摘要）\n经查询本机关婚姻登记档案，记录如下：\n男方：王建军\n女方：李娜\n"
            "离婚登记日期：2026年11月12日\n登记机关：某区民政局\n某区民政局婚姻登记处（婚姻登记专用章）\n2026年12月14日\n")
    assert classify(doc(text)) == "certificate"


AGREEMENT = ("委托代理协议\n甲方（委托方）：王建军\n身份证号：610104199001011234\n乙方（受托方）：秦安企业纾困服务有限公司\n"
             "甲方因火锅店停业，名下经营贷款逾期，自愿委托乙方提供纾困服务。\n"
             "第一条 委托事项\n甲方委托乙方全权代理甲方处理其在某银行的经营贷款及甲方配偶李娜在某消费金融公司的借款逾期事宜。\n"
             "第二条 协议期限 本协议有效期十二个月。\n甲方（签字按手印）：王建军\n乙方（盖章）：秦安企业纾困服务有限公司\n"
             "签订日期：2026年10月9日\n")


def test_a_party_a_with_its_role_in_brackets_is_the_principal_and_a_spouses_loan_no_relationship():
    e = quotes(AGREEMENT)
    assert e["principal"] and "王建军" in e["principal"]
    assert e["relationship"] is None


def test_an_ex_spouse_in_the_story_is_no_relationship():
    text = AGREEMENT.replace("及甲方配偶李娜在某消费金融公司的借款逾期事宜", "逾期事宜，协助甲方将婚内债务转由前配偶承担")
    assert not elements(text)["relationship"]


def test_a_spouse_line_before_the_story_is_still_the_relationship():
    text = ("授权委托书\n委托人：王建军\n受托人：李娜，身份证号 610104199202021234，受托人系委托人配偶\n\n"
            "委托人在某银行信用卡中心的信用卡出现逾期。受托人可代为办理：协商分期。\n本授权至2027年3月31日失效。\n"
            "委托人签名：王建军\n2026年12月2日\n")
    assert elements(text)["relationship"]


def test_hired_by_the_principal_is_a_relationship_and_a_bracketed_number_a_licence(policy):
    text = ("授权委托书\n本人李娜（身份证号：610104199202021234），现特委托秦安企业纾困服务有限公司纾困专员孙婷作为本人的代理人。\n"
            "受托人：孙婷\n执业证书编号：QASK（陕）2026-0417\n孙婷系受本人聘请，代表本人处理借款逾期相关事宜，代为协商停息挂账。\n"
            "委托期限：一年。\n委托人（签字）：李娜\n二〇二六年十月十日\n")
    e = quotes(text)
    assert e["relationship"] and "聘请" in e["relationship"]
    assert e["licence"] and "2026" in e["licence"]
    _, found = run_checks(doc(text), policy)
    assert any(f.severity == "high" for f in found)


def test_a_lawyer_entrusted_by_the_principal_needs_no_relationship():
    text = ("授权委托书\n委托人：李娜\n受托人：赵明，某某律师事务所律师，执业证号：16101201610234567\n"
            "赵明律师系受本人委托，代为协商还款。\n委托期限：三个月。\n委托人（签字）：李娜\n2026年12月2日\n")
    assert not elements(text)["relationship"]
