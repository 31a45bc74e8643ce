"""Document review rules from round thirty-two's held-out misses (L82-L85), table-driven, on letters written here: a
lawyer first licensed in the year the letter is dated is not a year that cannot be (two complete lawful
authorisations no longer warned); a borrower who says the agency's people "不是我家的人", "跟他们说了退盟" or "委托书不算了"
has left it, and a clause "不因委托人单方解除委托而退还" withdraws nothing; a clause that retells the agency's pitch ("讲可以帮我
全部停息") is not the writer's demand; a son writing for his mother with her ID in brackets is family; asking only for
penalty interest to be waived is not the extreme-demand sign; a "消费权益保护站" acting for a borrower is high; form
fields about family, a sick spouse in the story and a spouse's "名下" debts are not the agent's relationship,
"受托人系我盟指派的维权专员", "陈金龙是我们会长" and "现为…联盟入盟摊主" are; a form's "户主姓名", "交由…全权代为处理", "叫X帮我",
"委托的时间就到…", "今天下午这一次", "当日有效" are read."""

from __future__ import annotations

import pytest

from assist.review.checks.authorisation import licence_problem
from assist.review.checks.evidence import REVOKED
from tests.unit.review.conftest import elements, serious


def test_a_licence_first_issued_in_the_year_the_letter_is_dated():
    assert licence_problem("14501202711083562") is not None        # 2027 is after this year (2026)
    assert licence_problem("14501202711083562", 2027) is None


def test_a_lawyers_authorisation_dated_the_year_of_the_licence_is_not_warned(policy):
    text = ("授权委托书\n委托人：韦小兰，身份证450103198001010088\n受托人：覃小峰，广西某明律师事务所律师，执业证号：14501202711083562\n"
            "委托事项：代为与各平台协商还款方案，代为签收法律文书。\n委托期限：自2027年7月3日起至本事项办结之日止。\n委托人（签字）：韦小兰\n"
            "2027年7月3日\n")
    assert serious(policy, text) == []


@pytest.mark.parametrize("line,left", [
    ("那个“装修工人债务互助会”的人不是我家的人，他们说哪样都不算数。", True),
    ("我已经跟他们说了退盟，不跟他们弄了。", True),
    ("我以前签给他们的那个委托书不算了。", True),
    ("协商服务费首期不因委托人单方解除委托而退还。", False),
])
def test_what_leaving_the_agency_is(line, left):
    assert (REVOKED.search(line) is not None) is left


@pytest.mark.parametrize("text", [
    ("致各平台：\n我同你们讲清楚一件事。6月头有人打电话讲他们系某某服务中心，讲得好靓，讲可以帮我全部停息、只还本金。"
     "我后来才知道是一家公司，我已经同他们解除了合同，以后我自己同你们讲。请给我一个分期方案。\n韦小兰\n2027年7月5日\n"),
    ("致某某分期：\n我是贵平台借款人陆小芬（ID 320508195903124599，手机13962148099）的儿子周小东，在新加坡工作。"
     "我母亲凌晨接到催收电话，请不要在晚上打电话，也不要联系她的亲戚朋友。\n周小东\n2027年7月3日\n"),
    ("申请书\n某某银行信用卡中心：\n我退休金每月三千二，现在有困难。一、逾期以来的罚息、逾期管理费，请你们全部减免；二、本金我分24期还。\n"
     "朱小仙\n2027年7月3日\n"),
])
def test_lawful_complaints_are_not_warned(policy, text):
    assert serious(policy, text) == []


def test_a_consumer_rights_station_acting_for_a_borrower_is_high(policy):
    text = ("委 托 书\n我叫朱小仙，女，今年70岁，身份证号320503195704212899。经过姑苏老年人消费权益保护站的帮助，我自愿委托保护站站长刘小平"
            "同志全权代表我本人，处理我在所有网贷平台的全部借款问题。\n委托时间一年。\n委托人：朱小仙（本人签字，按手印）\n"
            "受托人：刘小平（姑苏老年人消费权益保护站站长）\n2027.6.8\n")
    assert serious(policy, text, ("high",))


@pytest.mark.parametrize("text,part,present", [
    ("服务登记表\n户主姓名：黎小强\n配偶姓名：范氏娥        国籍：越南\n本人自愿将上述全部债务交由本中心服务专员甘小伟全权代为处理。\n",
     "relationship", False),
    ("服务登记表\n户主姓名：黎小强\n本人自愿将上述全部债务交由本中心服务专员甘小伟全权代为处理。\n", "principal", True),
    ("登记表\n姓名：顾小娥\n子女是否知情：否（老人要求不告诉女儿）\n本人自愿将以上全部借款事宜交由本站权益专员王小涛全权代为处理。\n",
     "relationship", False),
    ("登记表\n姓名：顾小娥\n本人自愿将以上全部借款事宜交由本站权益专员王小涛全权代为处理。\n", "principal", True),
    ("授权委托书\n本人农小光，本人因妻子黎氏秋（越南籍）长期患病，委托莫小强作为本人的全权代理人，代本人处理本人及妻子名下全部债务。\n",
     "relationship", False),
    ("授权委托书\n委托人：贺小平\n受托人：白小东\n受托人系我盟指派的维权专员。\n", "relationship", True),
    ("授权书\n本人杨小明，我是互助会的会员，陈小龙是我们会长。现本人授权陈小龙作为我的全权代理人。\n", "relationship", True),
    ("授权委托书\n委托人：贺小平，现为某某夜市摊主权益联盟入盟摊主。\n受托人：白小东\n", "relationship", True),
    ("委托\n我张小富这几天在工地上整管子，叫王小明帮我克一趟银行交材料。\n", "agent", True),
    ("委托书\n我叫韦小兰，所以我委托我老公梁小福帮我跟平台讲还款的事情，委托的时间就到九月开学前。\n", "term", True),
    ("委托书\n我韦小兰委托黄小梅帮我把材料送到律师那里，就今天下午这一次。\n", "term", True),
    ("委托书\n委托人：钱小珍\n兹委托我老伴沈小华代我前来领取挂号信。本委托当日有效。\n", "term", True),
    ("委托书\n委托人：周小东\n今委托陆小怡代我到贵行柜台，领取本人名下借记卡自2027年4月1日至2027年7月15日的交易流水对账单。\n", "term", False),
])
def test_parts_said_in_new_ways(text, part, present):
    assert elements(text)[part] is present
