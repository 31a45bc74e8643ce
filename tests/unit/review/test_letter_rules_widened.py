"""Document review rules widened before round fifteen was written, from sentences written here (not from any round's
letters): more words for who the agent is, a date written day first, the old signing line 立委托书人, a borrower who
has ended with an agency however they say it, a company authorising its own staff, an agency named only by its kind,
and a public body's receipt slip as a certificate."""

from __future__ import annotations

import pytest

from assist.review.checks import classify, run_checks
from assist.review.checks.evidence import REVOKED
from tests.unit.review.conftest import doc, elements

HEAD = "授权委托书\n委托人：张三，身份证号530802198801011234\n受托人：李四，身份证号530802198501011234\n"
TAIL = "\n委托事项：代为与贵行协商还款。\n委托期限：三个月。\n委托人签字：张三\n2026年12月10日\n"


@pytest.mark.parametrize("line", ["李四是我未婚夫。", "受托人系本公司财务人员，我是公司法定代表人。", "李四是我干妈。",
                                  "李四是我继父。", "受托人为委托人所在公司员工。", "李四是我的师傅。", "李四是我表叔。"])
def test_more_ways_to_say_who_the_agent_is(line):
    assert elements(HEAD + line + TAIL)["relationship"]


def test_no_relationship_stays_missing():
    assert not elements(HEAD + TAIL)["relationship"]


BODY = "授权委托书\n委托人：张三，身份证号530802198801011234\n受托人：李四（我妹妹）\n委托事项：代为与贵行协商还款。\n期限三个月\n"


@pytest.mark.parametrize(("foot", "dated"), [("委托人签字：张三\n13/12\n", True), ("委托人签字：张三\n12/8\n", True),
                                             ("委托人签字：张三\n13/13\n", False)])
def test_a_date_under_the_signature_day_first_or_month_first(foot, dated):
    assert elements(BODY + foot)["date"] is dated


def test_the_old_signing_line():
    text = ("授权委托书\n本人张三，身份证号530802198801011234，委托我妹妹李四代为与贵行协商还款，期限三个月。\n立委托书人：张三\n"
            "2026年12月10日\n")
    assert elements(text)["signature"]


@pytest.mark.parametrize(("sentence", "left"), [
    ("我已经终止了与上岸学堂的合作。", True), ("我解除了和他们的服务协议。", True), ("我把律师团炒了。", True),
    ("已经不找他们了。", True), ("以后我自己跟你们对接。", True), ("从今天起这笔账我自己跟你们谈。", True),
    ("不通过任何公司。", True),
    ("四、通知贷款机构停止与委托人本人的一切联系，所有沟通均须通过受托人进行。", False),
    ("本人已全权委托该公司处理，请勿直接联系本人。", False), ("我自己还不上了。", False)])
def test_ending_with_an_agency_however_said(sentence, left):
    assert (REVOKED.search(sentence) is not None) is left


def test_a_borrower_who_fired_the_agency_is_not_warned(policy):
    text = ("某某消费金融客服：\n我叫王大力，之前在抖音上找了一个叫北辰律师团的，交了4800块，他们让我停止还款、把手机给他们。"
            "现在我已经把他们炒了，以后我自己跟你们对接。请给我一个能承受的分期方案。\n王大力\n2026年12月12日\n")
    kind, found = run_checks(doc(text), policy)
    assert kind == "complaint"
    assert not [f for f in found if f.severity in ("high", "warn")]


STAFF = ("授权委托书\n委托单位：义乌市海豚跨境电子商务有限公司（统一社会信用代码91330782MA2A00001Q）\n法定代表人：陈晓燕\n"
         "受托人：周敏，身份证号330782199503031234，系本公司财务人员\n"
         "委托事项：代表本公司向贵行报送公司担保贷款相关的财务报表，并领取贷款对账单。受托人无权代本公司签署任何还款协议。\n"
         "委托期限：自2026年12月11日起至2027年3月10日止。\n委托单位（盖章）：义乌市海豚跨境电子商务有限公司\n"
         "法定代表人（签字）：陈晓燕\n2026年12月11日\n")


def test_a_company_authorising_its_own_staff_is_lawful_and_complete(policy):
    assert all(v for k, v in elements(STAFF).items() if k != "licence")
    kind, found = run_checks(doc(STAFF), policy)
    assert kind == "authorisation"
    assert not [f for f in found if f.severity in ("high", "warn")]


def test_a_consulting_company_as_agent_is_still_high(policy):
    text = STAFF.replace("受托人：周敏，身份证号330782199503031234，系本公司财务人员", "受托人：向阳信息咨询有限公司")
    _, found = run_checks(doc(text), policy)
    assert any(f.severity == "high" and "向阳信息咨询有限公司" in f.message for f in found)


@pytest.mark.parametrize("text", ["全权委托中心处理我的医美贷。\n张三\n2026.12.13\n",
                                  "授权委托书\n本人张三，授权律师团代为与贵司协商停息挂账。\n委托人签字：张三\n2026年12月13日\n"])
def test_an_agency_named_only_by_its_kind_is_high(policy, text):
    _, found = run_checks(doc(text), policy)
    assert any(f.severity == "high" and f.check == "auth.trustee_company" for f in found)


def test_authorising_the_lender_to_look_something_up_is_not(policy):
    text = ("授权委托书\n本人张三，身份证号530802198801011234，委托我妹妹李四代为与贵行协商还款，期限三个月。\n"
            "本人同意授权贵公司查询本人征信。\n委托人签字：张三\n2026年12月10日\n")
    _, found = run_checks(doc(text), policy)
    assert not [f for f in found if f.severity == "high"]


@pytest.mark.parametrize(("head", "kind"), [
    ("长沙市消费者权益保护委员会\n投诉受理回执\n", "certificate"), ("某某派出所\n报警回执\n", "certificate"),
    ("某某消费金融有限公司\n受理回执\n", "other")])
def test_a_public_bodys_slip_is_a_certificate_and_the_lenders_is_not(head, kind):
    text = head + "投诉人：李芳\n已于2026年12月10日受理，受理编号CS2026121001。\n（盖章）\n2026年12月10日\n"
    assert classify(doc(text)) == kind


@pytest.mark.parametrize("text", [
    "某某银行信用卡中心\n关于您申请的受理回执\n尊敬的陈女士：我行已收到您于2026年12月11日提交的个性化分期申请，将在15个工作日内审核并告知"
    "结果。\n某某银行信用卡中心\n2026年12月12日\n",
    "【乐享借】尊敬的客户，您尾号1234的借款本期应还1,250.00元已逾期3天，请尽快还款，以免影响您的信用记录。如已还款请忽略。"])
def test_the_lender_writing_to_its_customer_is_other_not_a_complaint(text):
    assert classify(doc(text)) == "other"


def test_a_customer_asking_the_lender_is_still_a_complaint():
    text = ("某某消费金融：\n我是王大力的妹妹王淑芬。我哥哥的借款合同里有一笔服务费和担保费，写得不清楚，请你们书面说明这两笔费用的"
            "依据。\n王淑芬\n二〇二六年十二月十二日\n")
    assert classify(doc(text)) == "complaint"
