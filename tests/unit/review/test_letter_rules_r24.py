"""Document review rules from round twenty-four's held-out misses (L56, L57), table-driven, on letters written here: a
rural credit cooperative is a lender and a 行业协会 a channel, while a debt "合作联社" is an agency (a false accusation
on a lawyer's letter fixed); a "退款服务中心"'s fee slip is high and a contract's "撤销授权…的，概不退还" is no
revocation; the writer's tie to the borrower, a relative introduced with a birth date and the people collectors
harassed are not the agent's relationship; "就办这一回" is a term; the writer naming themself before their ID."""

from __future__ import annotations

import pytest

from assist.review.checks import run_checks
from assist.review.checks.evidence import LENDER, REVOKED
from tests.unit.review.conftest import doc, elements, highs


def test_a_credit_cooperative_is_a_lender_and_a_debt_cooperative_an_agency(policy):
    assert LENDER.search("资中县农村信用合作联社") and LENDER.search("双龙信用社")
    text = ("关于社员贷款重组的函\n资中县农村信用合作联社：\n资中县养殖户债务重组合作联社受社员罗德贵委托，代表社员申请利息全免、本金重组，"
            "请与本联社对接，勿直接联系社员本人。\n资中县养殖户债务重组合作联社（章）\n2027年1月2日\n")
    assert highs(policy, text)


def test_a_lawyer_listing_an_industry_association_as_a_channel_is_not_accused(policy):
    text = ("授权委托书\n委托人：许雅琴，身份证号350203197801010011\n受托人：蔡明哲，福建某鹭律师事务所律师，执业证号：13502201510234567\n"
            "委托事项：一、代为与借款平台协商；二、代为向金融监管部门、行业协会投诉、反映有关情况。\n委托期限：自本委托书签署之日起至本委托事项办结之日止。\n"
            "委托人（签字）：许雅琴\n2026年12月30日\n")
    assert not [f for f in run_checks(doc(text), policy)[1] if f.severity in ("high", "warn")]


def test_a_refund_centres_fee_slip_is_high_and_its_penalty_clause_no_revocation(policy):
    clause = "委托人中途解约、撤销授权或自行与平台协商的，已付服务费概不退还。"
    assert REVOKED.search(clause) is None
    text = ("收据\n今收到：许雅琴（借款人陈宇航之监护人）\n交来：未成年网贷退款服务费（预付） ¥2,000.00\n备注：" + clause +
            "\n收款单位（盖章）：广州某盾网络科技有限公司\n")
    assert highs(policy, text)


@pytest.mark.parametrize("line", ["本人许雅琴，系借款人陈宇航的母亲及监护人。", "委托人之子陈宇航（2007年8月14日出生）在未满十八周岁期间借款。",
                                  "催收人员骚扰委托人家属、同事。"])
def test_ties_that_are_not_the_agents(line):
    text = ("授权委托书\n委托人：许雅琴\n" + line + "\n受托人：蔡明哲，福建某鹭律师事务所律师，执业证号：13502201510234567\n委托事项：代为协商。\n"
            "委托期限：三个月。\n委托人（签字）：许雅琴\n2026年12月30日\n")
    assert not elements(text)["relationship"]


def test_one_errand_is_a_term_and_the_writer_before_their_id_the_principal():
    text = ("委托\n我罗德贵，石板村3组的，身份证511025196203150011。\n我委托邹明华帮我到信用社交材料。邹明华是我们邻居。"
            "就办这一回，材料交了就算完。\n罗德贵（按手印）\n2027年1月2日\n")
    e = elements(text)
    assert e["principal"] and e["term"] and e["relationship"]
