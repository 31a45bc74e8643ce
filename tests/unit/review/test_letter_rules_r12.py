"""Document review rules from round twelve's held-out misses (L32, L33), table-driven, on letters written here: a form
in sections (【受托人】 then 姓名), an agency the family has withdrawn from told of in the past, a residents' committee
writing for an old man, a 维权中心 as agent, a principal who says they are the borrower, a month and day in Chinese
numerals under the signature."""

from __future__ import annotations

import pytest

from assist.review.checks import run_checks
from assist.review.checks.elements import find_elements
from tests.unit.review.conftest import doc, elements


def test_a_form_in_sections_names_its_principal_and_agent():
    text = ("授权委托书\n\n【委托人】\n姓　　名：王梓涵　　性　　别：男\n身份证号：420117200401086219\n\n【受托人】\n"
            "姓　　名：王梓萱　　性　　别：女\n身份证号：420117199807154026\n\n受托人与委托人关系：姐弟\n委托事项：代为协商还款\n"
            "委托期限：六个月\n委托人签字：王梓涵\n2026年12月8日\n")
    found = find_elements(doc(text))
    assert "王梓萱" in found["agent"].quote and found["principal"].found


def test_an_agency_the_family_withdrew_from_is_told_of_not_accused(policy):
    text = ("授权委托书\n本人周玉珍，身份证号310106194903153426，现委托我儿子顾文浩代我与贵公司沟通还款安排。\n"
            "今年十月有一家叫“上海鑫安债务清零服务有限公司”的机构让家母签过一份委托书，还收了她的服务费。家母已经撤回对他们的授权，"
            "这家公司不代表我们家。\n委托期限：六个月\n委托人签字：周玉珍\n2026年12月4日\n")
    _, found = run_checks(doc(text), policy)
    assert not [f for f in found if f.severity == "high"]
    assert any(f.check == "auth.revoked_agency" for f in found)


@pytest.mark.parametrize("writer, high", [
    ("我是上海市静安区康乐居民委员会的社工蒋晓雯，负责辖区内独居老人的联系和帮扶工作。", False),
    ("我是鑫安债务清零服务有限公司的法务顾问，负责钱德明老人的债务处理。", True),
])
def test_a_residents_committee_writing_for_an_old_man_is_lawful_help(writer, high, policy):
    text = (f"重庆泰和消费金融有限公司客户服务部：\n您好！{writer}现就钱德明老人在贵公司的借款致函说明情况。"
            "老人独居，靠养老金生活。恳请贵公司暂停对老人本人的电话催收，有关事宜请与我们联系，给予分期还款安排。\n2026年12月4日\n")
    kind, found = run_checks(doc(text), policy)
    assert kind == "complaint" and any(f.severity == "high" for f in found) == high


def test_a_rights_centre_as_agent_is_high(policy):
    text = "委托书\n本人李梦瑶委托江城维权中心全权处理我在汇邦消费金融的培训贷维权事宜，有事直接找维权中心。\n李梦瑶\n2026.12.15\n"
    _, found = run_checks(doc(text), policy)
    highs = [f for f in found if f.severity == "high"]
    assert len(highs) == 1 and "江城维权中心" in highs[0].message     # named once, not again by its tail


def test_a_principal_who_says_they_are_the_borrower():
    text = ("你好 我是借款人刘一鸣 身份证420112200207113915 在你们这里有笔培训分期\n"
            "这个贷款的事情我委托我爸刘建国跟你们谈 他说的就代表我\n本人签字：刘一鸣\n")
    assert elements(text)["principal"]


def test_a_month_and_day_in_chinese_numerals_under_the_signature():
    text = ("委托书\n我叫王秀英，女，身份证310104194502124422。现委托我侄女王佳敏代我与贵公司联系还款。\n"
            "委托人签字：王秀英\n十二月五日\n")
    assert elements(text)["date"]
    assert not elements(text.replace("十二月五日", "十二月"))["date"]
