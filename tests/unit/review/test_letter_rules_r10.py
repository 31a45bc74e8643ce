"""Document review rules from round ten's held-out misses (L28, L29), table-driven, on letters written here: a borrower
who has left an agency, an agency's cut of what it wins back and calls handed to it, a union's legal-aid letter, a
note of one's own spending and a hospital's warning notice, a 委托声明, the lender's own collectors in the address, a
relative's illness in the story, a brother named as 我哥, a month and day under the signature, an association's member."""

from __future__ import annotations

import pytest

from assist.review.checks import classify, run_checks
from tests.unit.review.conftest import doc, elements

LEFT = ("米多分期你好：\n我叫林涛，外卖骑手。11月我在群里交了1500块入会费给一个“骑手权益互助会”，还签了一个委托书，"
        "后来才弄清楚他们就是一家信息咨询公司，不是律师，减免下来要抽30%。{left}\n"
        "我想申请分10期还，我自己跟你们谈。\n林涛\n2026年12月13日\n")


@pytest.mark.parametrize("left, high", [
    ("之前签给他们的委托书我撤回，以后请直接联系我本人。", False),
    ("我已经跟他们说不做了。", False),
    ("以后有事请跟互助会谈。", True),          # the agency still acting for him
])
def test_a_borrower_who_has_left_an_agency_is_not_accused(left, high, policy):
    kind, found = run_checks(doc(LEFT.format(left=left)), policy)
    assert kind == "complaint"
    assert any(f.severity == "high" for f in found) == high


@pytest.mark.parametrize("line", [
    "郑专员：减免下来的部分按30%收服务费，退回来的钱先打到公司账户",
    "方案启动后，客户所有借款电话一律转至本公司处理",
    "服务内容：代为与各金融机构谈判",
])
def test_an_agencys_cut_or_the_calls_handed_to_it_is_an_agency_acting(line, policy):
    text = f"收据\n今收到：孙浩\n交来：入会费 1280元\n{line}\n收款单位：杭州骑安信息咨询有限公司\n"
    kind, found = run_checks(doc(text), policy)
    assert kind == "other" and any(f.severity == "high" for f in found)


@pytest.mark.parametrize("text, kind", [
    ("杭州市拱墅区总工会职工法律援助站\n法律援助公函\n某某小额贷款有限公司：\n我区职工蒋德明在配送途中受伤，经审查符合法律援助"
     "条件，现指派浙江知衡律师事务所沈若岚律师（执业证号：13301201811432765）为其提供法律帮助。\n2024年11月5日\n", "certificate"),
    ("11月账📒 自己记的 别再乱花了！！\n跑单收入：\n第1周 1180\n第2周 1345\n房租 1500\n还米多分期 1240\n", "other"),
    ("成都市府南医院\n关于警惕“医疗债务规划”人员进入病房推销的提醒\n各位住院患者及家属：\n有人自称能让债务全免，请不要交钱，"
     "确有困难的可以直接与贷款机构协商。\n医务处\n2026年11月20日\n", "other"),
    ("委托声明\n致：米多分期及其委托的所有催收公司\n本人邓永强，身份证号362424199208153011。现全权委托骑士联盟法务部陈律师"
     "代理本人在米多分期的全部借款事宜。\n委托期限：一年\n委托人：邓永强（按手印）\n2024.12.7\n", "authorisation"),
])
def test_what_these_papers_are(text, kind):
    assert classify(doc(text)) == kind


def test_the_lenders_own_collectors_in_the_address_are_not_the_agent(policy):
    text = ("委托声明\n致：米多分期及其委托的所有催收公司\n本人邓永强，身份证号362424199208153011。现全权委托骑士联盟法务部陈律师"
            "代理本人在米多分期的全部借款事宜。\n委托期限：一年\n委托人：邓永强（按手印）\n2024.12.7\n")
    _, found = run_checks(doc(text), policy)
    assert not [f for f in found if "催收公司" in f.message]
    assert any(f.severity == "high" and "骑士联盟" in f.message for f in found)   # the agent posing as a lawyer
    from assist.review.checks.elements import find_elements

    assert "骑士联盟" in find_elements(doc(text))["agent"].quote


@pytest.mark.parametrize("line, present", [
    ("我和孩子妈妈轮流在医院守着，没得时间处理借款上的事情。", False),
    ("委托人丈夫罗志远于2026年6月确诊白血病，委托人需全程陪护。", False),
    ("受托人刘德全系我的表弟。", True),
])
def test_a_relatives_illness_in_the_story_is_not_the_agents_relationship(line, present):
    text = ("委托书\n本人赵永福，身份证号510722198304151234。现委托刘德全（身份证号510722198707201234）代我与贵司协商还款。\n"
            + line + "\n委托期限：三个月\n委托人签字：赵永福\n2026年11月26日\n")
    assert bool(elements(text)["relationship"]) == present


def test_a_phone_typed_authorisation_to_my_brother():
    text = ("你好 我是周建军 身份证412825199304117032 在你们米多分期借了一万二\n\n"
            "这个事以后让我哥周建国帮我跟你们谈 他电话13916548820\n他说的就是我的意思\n\n签字：周建军\n12.12\n")
    e = elements(text)
    assert e["agent"] and e["relationship"] and e["date"]
    assert not elements(text.replace("12.12\n", "第二期还没还\n"))["date"]


@pytest.mark.parametrize("line", ["委托人系本会正式会员。", "受托人系本人所在单位工会。"])
def test_membership_or_the_workplace_stated_is_the_relationship(line):
    text = ("授权委托书\n委托人：赵小川，身份证号330102199501011234\n受托单位：某某互助会\n" + line +
            "\n委托事项：协商还款。\n委托期限：一年。\n委托人签字：赵小川\n2024年11月28日\n")
    assert elements(text)["relationship"]
