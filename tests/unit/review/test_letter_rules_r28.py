"""Document review rules from round twenty-eight's held-out misses (L66-L69), table-driven, on letters written here:
"有事让服务中心打我电话" names no agency (a complete lawful authorisation no longer accused); a range with the year said
once and "直至修复完成" are terms, a period of bank records is not, and "十日" under a signature is the date, not a
ten-day term; "委托人系本平台注册会员" is a relationship; "我宋金花全权委托…" names the principal, "授权修复师周鹏…" the
agent; "客户签字" is a signature; printing a statement is a scope."""

from __future__ import annotations

import pytest

from assist.review.checks import run_checks
from assist.review.checks.elements import find_elements
from tests.unit.review.conftest import doc, elements


def test_a_lenders_service_centre_in_the_limits_is_no_agency(policy):
    text = ("委托书\n委托人：曲国华，身份证220104198509213599\n受托人：宋小琪，身份证220183200011260899\n关系：店里员工。\n"
            "委托小宋办的事：去某某消费金融客户服务中心替我交延期还款申请书，交完拿回执。\n"
            "不让她办的：不签任何协议，不替我交钱。有事让服务中心打我电话。\n时间：2027年4月14日到4月30日。\n委托人签字：曲国华\n2027/04/14\n")
    found = run_checks(doc(text), policy)[1]
    assert not [f for f in found if f.severity in ("high", "warn")]
    assert elements(text)["term"]


@pytest.mark.parametrize("line,term", [
    ("代为与贵行协商还款，委托期间直至协商完成。", True),
    ("代为与贵行协商还款，请他办完这几家的事为止。", True),
    ("到贵行代为打印本人工资卡2026年9月至2027年2月的银行流水。", False),
])
def test_what_is_a_term(line, term):
    text = "委托书\n本人郭建华（身份证号：110101198001010099），特委托我的同事孙立华" + line + "\n委托人：郭建华（签字）\n2027年3月12日\n"
    e = elements(text)
    assert e["term"] is term and e["scope"]


def test_a_day_under_the_signature_is_the_date_not_a_term():
    text = ("委托书\n（二〇二七年三月）\n本人孙德华，身份证号230102195501010099，特委托老邻居赵长江同志代本人到邮政所领取挂号信，"
            "并代本人签收。\n委託人：孙德华（签字）\n十日\n")
    found = find_elements(doc(text))
    assert found["date"].found and found["date"].quote == "十日"
    assert not found["term"].found


@pytest.mark.parametrize("text,part", [
    ("会员债务协商授权委托书\n委托人（会员）：郭建华\n委托人系本平台注册会员，现委托本平台法务作为本人的全权代理人处理债务。\n", "relationship"),
    ("授权书\n我宋金华全权委托合作社帮扶专员邵建华处理我所有欠款的事。\n2027.2.28\n", "principal"),
    ("授权书\n本人赵小刚（身份证110101199001010099）授权修复师周小鹏全权处理我名下所有网贷和信用卡逾期。\n2027.3.4\n", "agent"),
    ("客户信息登记表\n客户姓名：陈红华\n本人授权某某服务中心修复师全权代表本人与上述机构协商。\n客户签字：陈红华\n登记日期：2027年2月27日\n",
     "signature"),
])
def test_parts_said_in_new_ways(text, part):
    assert elements(text)[part]
