"""Document review rules from round thirty's held-out misses (L74-L77), table-driven, on letters written here: a
spouse's authorisation whose matters include ending the family's deal with an agency is not the agency's (a complete
lawful letter no longer accused); a public bureau's "关于…情况的说明" is a certificate and the bureau its issuer; a note
letting a workmate drive the truck ("叫他替我先开上") is an authorisation; ties to a deceased borrower, a family-situation
line and "夫妻共同债务" are not the agent's relationship, "是跟我一起跑车的", "我们是师徒" and "为我店代账多年的会计" are;
"本委员会指派调解委员" is an agent; "代我去收发室领这封信" is a scope; "这三个月" is a term, a period of order records is
not; "5.7" closing a note is its date."""

from __future__ import annotations

import pytest

from assist.review.checks import classify, run_checks
from tests.unit.review.conftest import doc, elements


def test_ending_the_familys_deal_with_an_agency_is_not_the_agencys_letter(policy):
    text = ("授权委托书\n委托人：贺小军，身份证152701198001010099\n受托人：高小梅，身份证152701198201010088\n委托人与受托人系夫妻关系。\n"
            "委托人因腿伤不能亲自处理下列事务：\n一、代为与车贷公司协商还款；\n"
            "二、代为办理解除委托人与某某商务咨询有限公司（对外称“某某个人债务清算事务所”）之间委托关系的相关事宜，并代为要求该公司退还已收取的费用。\n"
            "委托期限：自公证之日起一年。\n委托人（签名）：贺小军（捺印）\n二〇二七年五月八日\n")
    assert not [f for f in run_checks(doc(text), policy)[1] if f.severity in ("high", "warn")]


def test_a_bureaus_account_of_facts_is_a_certificate_with_its_issuer(policy):
    text = ("城关区文化旅游局\n\n关于某某街区域2027年1—4月游客接待情况的说明\n\n应辖区经营户申请，现将游客接待情况说明如下：\n"
            "一、2027年1月至4月，该区域累计接待游客约86万人次，同比下降41%。\n特此说明。\n\n城关区文化旅游局（印章）\n2027年5月5日\n")
    kind, found = run_checks(doc(text), policy)
    assert kind == "certificate"
    assert "cert.issuer_missing" not in [f.check for f in found]


def test_a_note_letting_a_workmate_drive_is_an_authorisation():
    text = ("给煤场老板和贷款公司的人看\n\n我是贺小军，这台车是我的。我腿摔断了，车停了半个月了。\n\n刘三明是跟我一起跑车的，人靠得住。"
            "从明天起这台车叫他替我先开上，运费结了直接打到我老婆卡上。\n\n先到六月底。\n\n5.7\n")
    assert classify(doc(text)) == "authorisation"
    e = elements(text)
    assert e["principal"] and e["relationship"] and e["scope"] and e["term"] and e["date"]


@pytest.mark.parametrize("line,present", [
    ("委托人因家属  罗小航  （关系： 丈夫 ）生前所欠网络借款问题，", False),
    ("与借款人关系：妻子", False),
    ("家庭情况：两个娃娃读书，婆婆身体不好。", False),
    ("包括遗产的范围、继承与债务承担的关系、相关借款是否属于夫妻共同债务。", False),
    ("刘三明是跟我一起跑车的。", True),
    ("我们是师徒，他跟我学了五年。", True),
    ("周小新为我店代账多年的会计。", True),
])
def test_what_is_the_agents_relationship(line, present):
    text = ("授权委托书\n委托人：周小琴\n" + line + "\n受托人：冯小海\n委托事项：代为与各平台协商还款。\n委托期限：三个月。\n"
            "委托人签字：周小琴\n2027年4月17日\n")
    assert elements(text)["relationship"] is present


@pytest.mark.parametrize("text,part,present", [
    ("调解申请表\n申请人姓名：周小琴\n授权声明：本人自愿申请调解，同意委托本委员会指派调解委员全权代表本人与各债权方协商。\n", "agent", True),
    ("委托书\n本人张小凯，现委托我的同班同学赵一明代我去收发室领这封信。\n", "scope", True),
    ("委托\n我要到重庆看病 这三个月我不在屋头 何小福就代表我 他签的字就算我签的\n", "term", True),
    ("委托书\n本人次仁，委托王小凯替我把下面的材料送到银行：\n1. 身份证复印件\n2. 画室2025年到今年的订单登记摘要\n", "term", False),
])
def test_parts_said_in_new_ways(text, part, present):
    assert elements(text)[part] is present
