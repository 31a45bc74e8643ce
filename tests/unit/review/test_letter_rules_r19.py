"""Document review rules from round nineteen's held-out misses (L46, L47), table-driven, on letters written here: a
one-person "债务规划师" acting for her "clients" is the paid-agent sign however she signs; "前银行风控" before her studio
does not make it the lender's department; a 联盟 that takes members is an agency, membership (委托人系本联盟成员单位) is
the relationship; a classmate asked to run one errand ("麻烦我的同班同学…替我…", "就今天这一趟") is an authorisation with
a term; a table form's 申请人姓名 line; generic mentions of the 联盟 are no organisation."""

from __future__ import annotations

import pytest

from assist.review.checks import classify, run_checks
from assist.review.checks.reading import reading_view
from tests.unit.review.conftest import doc, elements, highs

PLANNER = ("关于客户邵明辉债务问题的协商函\n致：星河消费金融有限公司 贷后管理部\n本人蒋丽娜，资深债务规划师，前银行风控，现为丽娜债务规划个人工作室"
           "负责人，系受客户委托的债务规划师。请停止催收，有关事宜一律与本规划师对接。\n受客户委托的债务规划师：蒋丽娜\n2026年9月12日\n")


def test_a_one_person_debt_planner_is_high(policy):
    assert highs(policy, PLANNER)


def test_a_lawyer_entrusted_by_a_client_is_not(policy):
    text = ("致：星河消费金融有限公司\n本所律师受当事人委托的律师函：请提供借款合同。\n上海某某律师事务所 律师：王明（执业证号：13101201510234567）\n"
            "2026年9月12日\n")
    assert not highs(policy, text)


def test_a_chat_granting_a_planner_authority_is_high(policy):
    text = ("【微信聊天记录（截图文字整理）】\n聊天对象：蒋老师｜债务规划（丽娜工作室）\n蒋老师：就打“我授权蒋老师全权”，前面带上你名字\n"
            "倩倩：我是吴倩，我授权蒋老师全权\n蒋老师：可以的宝 剩下的交给我\n")
    assert highs(policy, text)


ALLIANCE = ("授权委托书\n委托人（成员单位负责人）：马福贵，身份证号620102197001010011\n"
            "受托人：陇上小微商户债务帮扶联盟（运营主体：甘肃某诚企业管理咨询有限公司）\n委托人系本联盟成员单位。委托受托人全权处理委托人的"
            "经营贷及网贷协商事宜。\n委托期限：三年。\n委托人签字：马福贵\n2026年12月2日\n")


def test_an_alliance_taking_members_is_high_and_membership_is_the_relationship(policy):
    assert "auth.trustee_company" in highs(policy, ALLIANCE)
    assert elements(ALLIANCE)["relationship"]


@pytest.mark.parametrize("line", ["│ 授权声明：本人自愿加入联盟，成为联盟成员单位 │", "催收电话都转给联盟。"])
def test_generic_mentions_of_the_alliance_are_no_organisation_named(policy, line):
    text = "联盟加盟登记表\n│ 申请人姓名 │ 马福贵 │\n" + line + "\n"
    assert not any("加入联盟" in f.message or "转给联盟" in f.message for f in run_checks(doc(text), policy)[1])


ERRAND = ("农商行信贷部的老师：\n您好！我是马晓燕，借款人马福贵的女儿。今天我实在过不来，所以麻烦我的同班同学李佳琪（身份证620102200602180011）"
          "替我把补充材料送过来。\n佳琪只是帮我送材料，别的事她不管。就今天（12月24日）这一趟。\n马晓燕\n2026.12.24\n")


def test_a_classmate_asked_to_run_one_errand_is_an_authorisation_with_a_term():
    assert classify(reading_view(doc(ERRAND))) == "authorisation"
    e = elements(ERRAND)
    assert e["principal"] and e["term"] and e["relationship"]


def test_a_table_forms_applicant_is_the_principal():
    text = "加盟登记表\n│ 申请人姓名 │ 马福贵 │\n│ 本人授权联盟帮扶专员全权代表本人处理全部债务 │\n│ 申请人签字 │ 马福贵 │\n"
    assert elements(text)["principal"]
