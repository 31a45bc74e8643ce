"""Document review rules from the fourth round of issue 23, one test per rule, on letters written here (not copied
from the labelled set): authority handed over in spoken words, speech-input homophones, mid-sentence line breaks,
two-digit spoken years, forms filled in on underscores, a 证号 under the lawyer's line, an employer or union as
trustee, an agency's titles and self-descriptions, notices to an agency's customers, and a borrower taking contact
back from an agency."""

from __future__ import annotations

import pytest

from assist.review.checks import classify, run_checks
from assist.review.checks.elements import find_licence, fold_speech
from tests.unit.review.conftest import doc, elements


def severities(text: str, policy) -> dict[str, str]:
    _, fs = run_checks(doc(text), policy)
    return {f.check: f.severity for f in fs}


@pytest.mark.parametrize("act", [
    "我让我爸何建新替我和你们谈还款的事 他跟你们定好怎么还我都同意",
    "我委托何建新帮我去营业厅办一下 主要是申请延期 要签字的他可以代我签",
    "这个借款的事我交给我儿子何建新管了 他跟你们谈",
    "麻烦你们以后找我女儿何小雨说 还款的事她替我跟你们商量",
])
def test_authority_handed_over_in_spoken_words_is_an_authorisation_even_beside_a_request(act):
    text = f"你好 惠民银行\n我叫何志强 身份证110101197001011234 卡逾期了 {act} 能不能分12期\n何志强 签字\n25.4.6\n"
    assert classify(doc(text)) == "authorisation"
    parts = elements(text)
    assert parts["principal"] and parts["agent"] and parts["scope"] and parts["date"], parts


def test_a_story_about_an_agency_or_a_plain_request_is_still_a_complaint():
    story = ("你好 惠民银行\n我叫何志强 之前委托了一家公司帮我协商 交了两千块 他们让我别接电话 现在联系不上了\n"
             "我自己跟你们说 能不能给我分24期\n何志强\n4月6号\n")
    plain = "你好 惠民银行\n我叫何志强 卡逾期了 能不能分12期 别再打我家里人电话\n何志强\n4月6号\n"
    assert classify(doc(story)) == "complaint"
    assert classify(doc(plain)) == "complaint"


def test_speech_input_homophones_are_read_as_the_words_of_entrusting_with_offsets_kept():
    text = "为托书\n为托人 钱玉兰\n受托人 钱进 是我儿子\n为托事项 去你们公司办分期的手续 要签子的他签\n期限 三个月\n为托人签子 钱玉兰\n2025年3月2日\n"
    assert len(fold_speech(text)) == len(text)
    assert "委托书" in fold_speech(text) and "受托人" in fold_speech(text)  # "受托人" stays
    assert fold_speech("受权人：王某") == "受权人：王某"  # a real word, left alone
    assert classify(doc(text)) == "authorisation"
    assert all(elements(text)[k] for k in ("principal", "agent", "relationship", "scope", "term", "signature", "date"))


def test_a_line_break_inside_a_dictated_sentence_does_not_hide_the_agent_or_the_scope():
    text = ("我是宁海 身份证号110101198001011234\n我在外地 我委托我\n表哥杜峰 帮我去你们网点 办理\n贷款延期的事\n期限 到这个月底\n"
            "宁海 签字\n2025年5月1日\n")
    parts = elements(text)
    assert parts["agent"] and parts["scope"] and parts["relationship"], parts


@pytest.mark.parametrize("date", ["二五年三月八号", "二四年十二月三十日"])
def test_a_spoken_date_with_a_two_digit_year_is_the_letters_date(date):
    text = f"我叫岳红 身份证110101197001011234\n这个还款的事我交给我闺女岳小青管了 到今年年底\n岳红 签字\n{date}\n"
    assert elements(text)["date"]


def test_a_form_filled_in_on_underscores_has_its_parts(policy):
    text = ("授权委托书\n委托人：__韩梅__  身份证号：__110101197501011234__\n受托人：__韩雪__ 关系：__姐妹__\n"
            "委托事项：__代为与贵公司协商借款的分期还款__\n委托期限：__2025__年__3__月__1__日至__2025__年__6__月__1__日\n"
            "委托人（签字）：__韩梅__\n日期：__2025__年__3__月__1__日\n")
    assert all(v for k, v in elements(text).items() if k != "licence")
    assert not {c for c, s in severities(text, policy).items() if s in ("warn", "high")}


def test_a_licence_number_under_the_lawyers_line_is_read_but_an_id_number_is_not():
    text = "受托人：北京明正律师事务所律师周宁\n证号：11101201810234561\n"
    lic = find_licence(text)
    assert lic is not None and lic.number == "11101201810234561"
    assert find_licence("受托人：周宁\n身份证号：110101198001011234\n") is None
    assert find_licence("受托人：周宁（朋友）\n证号：110101198001011234\n") is None  # no lawyer above


def test_the_borrowers_employer_or_union_as_trustee_is_a_note_but_an_agency_stays_high(policy):
    base = ("委托书\n委托人：石磊 身份证号：110101198001011234\n受托人：{org} 经办人 赵红\n关系：委托人系本公司职工\n"
            "委托事项：代我向贵公司说明停工情况，协商借款的还款计划\n委托期限：三个月\n委托人（签字）：石磊\n2025年5月1日\n")
    union = severities(base.format(org="北京京西机械有限公司工会"), policy)
    assert union.get("auth.trustee_employer") == "info" and "auth.trustee_company" not in union
    agency = severities(base.format(org="北京京西债务咨询有限公司"), policy)
    assert agency.get("auth.trustee_company") == "high"


@pytest.mark.parametrize("agent", ["客户权益服务中心首席协商官马丁", "权益顾问马丁"])
def test_an_agencys_invented_titles_on_the_agent_are_high(agent, policy):
    text = (f"委托书\n本人石磊（身份证号：110101198001011234）现委托{agent}，代本人与贵司协商欠款的分期。\n委托期限：半年\n"
            "委托人签字：石磊\n2025年5月1日\n")
    assert "high" in severities(text, policy).values()


def test_a_self_styled_legal_service_body_as_trustee_is_high(policy):
    text = ("授权书\n甲方（委托人）：石磊\n乙方（受托方）：海州信和法律服务机构\n甲方委托乙方就其网贷逾期债务与各平台协商分期。\n"
            "服务期限：一年\n甲方签字：石磊\n2025年5月1日\n")
    assert severities(text, policy).get("auth.trustee_company") == "high"


def test_a_notice_to_an_agencys_signed_up_customers_is_other():
    text = "致各位委托客户的告知书\n各位委托客户：\n近期机构会直接打电话给您，请不要接听，所有事宜由我中心统一处理。\n2025年3月1日\n"
    assert classify(doc(text)) == "other"
    # a complaint titled 告知书 and addressed to a lender stays a complaint
    letter = "违规催收投诉告知书\n致：恒信消费金融有限公司\n贵司催收人员多次给我同事打电话，请停止。\n王强\n2025年3月1日\n"
    assert classify(doc(letter)) == "complaint"


def test_a_borrower_taking_contact_back_from_an_agency_is_a_note_but_diverting_contact_is_warned(policy):
    back = ("惠民银行你好\n我是何志强 之前那个函是一个公司用我名字发的 我交了钱他们就联系不上了\n"
            "那个函上留的电话不是我的 以后打我自己这个13800001234就行 别再打那个号了\n何志强 3月2号\n")
    away = "惠民银行你好\n我是何志强 借款的事 以后别打我原来那个号了 有事只打这个13800001234\n何志强 3月2号\n"
    assert not {c for c, s in severities(back, policy).items() if s in ("warn", "high")}
    assert "warn" in severities(away, policy).values()
