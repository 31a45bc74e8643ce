"""Document review rules from round sixteen's held-out misses (L40, L41), table-driven, on letters written here: the
lender named in the salutation and the other side of the borrower's dispute are never the agent (two false
accusations); "撤销对委托人的征信上报" is no withdrawal; a 律师团 speaking for its client; the letter's own date where
a run-on letter ends, after a date label without a year, or under the signer's name above a staff note; a relative in
the story ("我老妈岁数大了") and people the lender is told not to call are not the relationship."""

from __future__ import annotations

import pytest

from assist.review.checks import classify, run_checks
from assist.review.checks.evidence import REVOKED
from assist.review.checks.reading import reading_view
from tests.unit.review.conftest import doc, elements, serious


def test_the_lender_in_the_salutation_is_not_an_agency(policy):
    text = ("金桔分期客户服务中心：\n您好！\n我是贵平台借款人赵德胜的胞妹赵德芳，受家兄书面委托，就其借款事宜与贵方联系。每期扣款另有"
            "“平台服务费”186元，请书面说明依据。\n赵德芳\n2026年12月12日\n")
    assert serious(policy, text) == []


def test_an_agency_in_the_salutation_of_its_own_letter_is_still_named(policy):
    text = ("金桔分期客户服务中心：\n铁盾法务咨询有限公司受赵德胜全权委托，代为处理其借款，请与我公司对接。\n2026年12月12日\n")
    assert any(c.startswith("auth.trustee") for c in serious(policy, text))


LAWYER = ("授权委托书\n委托人：彭雨欣，身份证号430104199601010011\n受托人：周振华，湖南某衡律师事务所律师，执业证号：14301201810234567\n"
          "委托人因与长沙某颜医疗美容门诊部有限公司（已于2026年10月停业）之间的医疗美容服务合同纠纷，特委托上列受托人作为本人的委托代理人。\n"
          "代理权限：特别授权，代为与贷款公司交涉，协商暂停扣款。\n委托期限：自2026年12月5日起至本案一审终结之日止。\n委托人（签字）：彭雨欣\n"
          "2026年12月5日\n")


def test_the_other_side_of_the_dispute_is_not_the_agent(policy):
    assert serious(policy, LAWYER) == []


def test_no_withdrawal_in_a_demand_to_withdraw_a_credit_report():
    assert REVOKED.search("2. 立即撤销对委托人的征信逾期上报；") is None
    assert REVOKED.search("本人撤销对该公司的委托。") is not None


TEAM = ("铁盾律师团\n律师函\n致：广州某享网络小额贷款有限公司\n本律师团依法接受赵德胜先生（身份证号：210106197003150011）的委托，由首席律师"
        "王振邦就贵司违规催收事宜致函如下：\n一、请立即停止催收；\n二、立即撤销对委托人的征信逾期上报。\n铁盾律师团\n首席律师：王振邦（签名）\n"
        "2026年10月12日\n")


def test_a_lawyer_team_writing_for_its_client_is_a_high_complaint(policy):
    kind, found = run_checks(doc(TEAM), policy)
    assert kind == "complaint"
    assert any(f.severity == "high" for f in found)


def test_a_team_entrusted_by_a_borrower_with_an_id_in_brackets_speaks_as_the_agent(policy):
    text = ("铁盾律师团\n关于立即停止违规催收的函\n致：某借平台\n本律师团受借款人周淑琴（身份证号：210104197911280011）委托，全权代理其在贵平台"
            "的借款纠纷。请贵平台停息挂账，仅还本金。\n铁盾律师团（盖章）\n2026年10月9日\n")
    assert classify(reading_view(doc(text))) == "complaint"      # the checks read the reading form (brackets folded)
    kind, found = run_checks(doc(text), policy)
    assert kind == "complaint" and any(f.severity == "high" for f in found)


BODY = "授权委托书\n委托人：谭晓芸，身份证号430104199601010011\n受托人：易可欣\n关系：同科室同事\n委托事项：代我签收协商方案。\n委托期限：三个月。\n"


@pytest.mark.parametrize(("foot", "dated"), [("委托人（签名）：谭晓芸\n日期：13/12\n", True),
                                             ("委托人（签名）：谭晓芸\n日期：12月13日\n", True),
                                             ("委托人（签名）：谭晓芸\n日期：\n", False)])
def test_a_labelled_month_and_day(foot, dated):
    assert elements(BODY + foot)["date"] is dated


def test_the_date_that_closes_a_run_on_letter():
    text = ("委托书\n我赵德胜身份证210106197003150011今天写这个委托书委托钱国庆替我去跟速享贷唠唠还款的事我俩是工友一个车间干了二十年"
            "这个委托从12月12号起到明年1月11号止 委托人赵德胜（签字按手印） 受托人钱国庆 电话139 0245 8810 2026年12月12日")
    assert elements(text)["date"]
    assert not elements(text.replace(" 2026年12月12日", ""))["date"]


def test_a_date_under_the_signers_name_above_a_staff_note():
    text = ("我自愿委托我妹妹李红梅全权处理我在网上借的钱的事，平台有啥事找她。\n李红霞\n10月8号\n（摁手印）\n\n——以下为录入人补记——\n"
            "原件已收，存档于客户资料柜。\n录入：小刘\n")
    assert elements(text)["date"]


@pytest.mark.parametrize("line", ["不要再打我电话和我家里人电话了，我老妈岁数大了经不起吓。", "我妈年纪大了，别吓着她。"])
def test_a_relative_in_the_story_is_not_the_relationship(line):
    text = ("授权委托书\n委托人：李红霞，身份证号210106197003150011\n受托人：王刚，身份证号210106197003150022\n" + line +
            "\n委托事项：代我与贵司协商还款。\n委托期限：三个月。\n委托人签字：李红霞\n2026年12月1日\n")
    assert not elements(text)["relationship"]


def test_a_lawyer_warning_of_any_so_called_agency_names_none(policy):
    text = ("某某消费金融有限公司：\n浙江某稠律师事务所接受楼晓岚女士（身份证号：330782199803160011）的委托，"
            "指派本所方立群律师（执业证号：13307201510234567），就借款协商事宜致函如下：\n请与本所协商个性化还款方案。\n除本所及委托人本人外，任何自称“法务部”“债务处置中心”并声称代理楼晓岚女士的机构或个人，"
            "均未获得委托人授权，请贵司注意甄别。\n浙江某稠律师事务所\n2026年12月11日\n")
    assert not [f for f in run_checks(doc(text), policy)[1] if f.severity == "high"]
