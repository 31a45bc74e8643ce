"""Document review rules from round twenty-three's held-out misses (L54, L55), table-driven, on letters written here: a
law firm acting for its client names other companies as parties, not as agencies (a false accusation); a 律师事务所's
name on a receipt sealed by a consulting company, and an authorisation that cuts the lender off from the borrower while
demanding a waiver, are high whatever the agent calls itself; a 车贷解押 centre's fee slip is high; terms said as an
event ("拿到回执，这个委托就结束了", "先到过年") or a service period; a blank term line and "委托期间各平台…" are no term."""

from __future__ import annotations

import pytest

from tests.unit.review.conftest import elements, highs


def test_a_law_firms_letter_names_a_gps_vendor_as_a_party(policy):
    text = ("律师函\n致：某某银行股份有限公司南昌分行\n    南昌某安车联科技有限公司\n江西某江律师事务所接受熊国华先生的委托，指派本所邓文斌律师"
            "（执业证号：13601201510276543）就车辆被拖走一事致函如下：贷款金额中扣除“GPS安装及服务费”2,400元，收款方为南昌某安车联科技有限公司。"
            "请贵方说明依据。\n江西某江律师事务所\n2026年12月20日\n")
    assert not highs(policy, text)


def test_a_firms_name_on_a_consulting_companys_receipt_is_high(policy):
    text = ("诚某律师事务所（海南）\n收款收据\n今收到：周秋莲\n交来：律师代理费（首期） ¥6,000.00\n备注：风险代理费每月1,200元，概不退还。\n"
            "（印章：海南诚某法律咨询服务有限公司 财务专用章）\n")
    assert highs(policy, text)


def test_a_firms_own_receipt_is_not(policy):
    text = "某某律师事务所\n收款收据\n今收到：周秋莲\n交来：律师代理费 ¥6,000.00\n（印章：某某律师事务所 财务专用章）\n"
    assert not highs(policy, text)


CUTOFF = ("授权委托书\n委托人：谭建军，身份证号430524197203150011\n受托人：某瑞律师事务所（海南）\n承办律师：王振 执业证号：14601202010356218\n"
          "代理权限为特别授权：代为申请停息挂账、减免罚息及本金。委托期间各机构不得以任何方式直接联系委托人本人及其家属，所有事项统一由受托人对接。\n"
          "委托期限：至全部债务处理完毕之日止。\n委托人（签字并按手印）：谭建军\n日期：2026年11月12日\n")


def test_cutting_the_lender_off_while_demanding_a_waiver_is_high_under_a_firms_name(policy):
    assert "auth.cuts_off_borrower" in highs(policy, CUTOFF)


def test_a_firm_asking_to_be_copied_in_is_not(policy):
    text = CUTOFF.replace("代为申请停息挂账、减免罚息及本金。委托期间各机构不得以任何方式直接联系委托人本人及其家属，所有事项统一由受托人对接。",
                          "代为协商个性化分期。贵行联系委托人时，请同时告知承办律师。")
    assert not highs(policy, text)


def test_a_car_loan_release_centres_fee_slip_is_high(policy):
    text = ("赣某车贷解押服务中心\n收款收据\n今收到：熊国华\n交来：解押服务费 ¥2,800.00 GPS拆除费 ¥700.00\n"
            "备注：已收车辆登记证书原件，由本中心代为保管。\n收款单位：南昌赣某汽车信息咨询有限公司（财务专用章）\n")
    assert highs(policy, text)


BODY = ("授权委托书\n委托人：熊国华，身份证号360102197503150011\n受托人：熊小军（我儿子）\n委托事项：代我把材料交到银行。\n{term}\n"
        "委托人签字：熊国华\n2026年12月28日\n")


@pytest.mark.parametrize(("term", "found"), [("这次交完材料、拿到回执，这个委托就结束了。", True), ("委托期限：先到过年。", True),
                                             ("服务周期：90个工作日", True), ("委托期限：＿＿＿＿＿＿", False),
                                             ("委托期间各平台不要再直接联系本人。", False)])
def test_terms_said_as_an_event_or_a_period(term, found):
    assert elements(BODY.format(term=term))["term"] is found
