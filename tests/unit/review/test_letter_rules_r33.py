"""Document review rules from round thirty-three's held-out misses (L86-L89), table-driven, on letters written here:
an agency named once as a party to the borrower's fee dispute stays a party when the lawyer is later asked to claim
the fee back from it ("代为向X主张退还"); a borrower who quotes the agency's own words ("本中心受服务对象委托") is not the
agency, and "跟他们讲我不做了", "那张委托我也撤回了" are withdrawals (three lawful letters no longer accused); an insolvency
administrator's "债权审查结果通知书" is a certificate; "这单的事情由我的拍摄搭档吴志航替我去跑" hands the matter over;
a sick child or a disabled son in the story is not the agent's relationship, a 搭档 and "俺店里的员工" are; "企业主姓名",
"注册手机尾号" name the principal; going "到贵行" is a place, not a term."""

from __future__ import annotations

import pytest

from assist.review.checks import classify
from assist.review.checks.evidence import REVOKED
from tests.unit.review.conftest import doc, elements, serious


def test_an_agency_in_the_fee_dispute_stays_a_party(policy):
    text = ("授权委托书\n委托人：黄小胜，身份证430104197001010099\n受托人：李小文，湖南某衡律师事务所律师，执业证号：14301201610234599\n"
            "委托人与某某网络小额贷款有限公司之间的借款合同纠纷，以及与长沙某康健康管理咨询有限公司（对外自称“某康关爱协会”）之间的服务费纠纷，"
            "经长沙市法律援助中心审查决定给予法律援助。现委托上列受托人作为委托人的代理人。\n代理权限：\n1. 代为与出借方协商还款；\n"
            "2. 代为向长沙某康健康管理咨询有限公司主张退还其收取的会费及关爱服务费共计1,600元。\n"
            "委托期限：自2027年8月4日起至本事项办结之日止。\n委托人（签字）：黄小胜\n2027年8月4日\n")
    assert serious(policy, text) == []


@pytest.mark.parametrize("line", ["我已经在9月5号微信跟他们讲我不做了。", "那张委托我也撤回了。"])
def test_leaving_the_agency_in_other_words(line):
    assert REVOKED.search(line)


def test_a_borrower_quoting_the_agencys_words_is_not_the_agency(policy):
    text = ("某某分期 客服 / 投诉部门：\n我是黄小毅。8月中我在网上刷到一个叫“某岛信用服务中心”的号，交了2,100元，还签了一张全权委托的单子。"
            "后来才知道收钱的是一家网络科技公司。8月底他们用“本中心受服务对象委托”的名义发给你们的那封信，要求全部利息取消、只还本金，不是我本人的意思。\n"
            "我已经在9月5号微信跟他们讲我不做了，那张委托我也撤回了。从现在开始我的借款我自己跟你们谈。\n黄小毅\n2027年9月8日\n")
    assert serious(policy, text) == []


def test_an_administrators_notice_is_a_certificate():
    text = ("河南某德食品有限公司管理人\n债权审查结果通知书\n（2027）某德管字第0146号\n郭小海：\n"
            "经审查，你申报的债权已确认如下。\n河南某德食品有限公司管理人（印章）\n2027年7月20日\n")
    assert classify(doc(text)) == "certificate"


def test_a_work_partner_handed_the_matter_is_an_authorisation():
    text = ("【某某分期 在线客服 留言】\n你好，我是黄小毅，注册手机尾号7436。我摔断手腕在医院。\n"
            "这段时间我这单的事情由我的拍摄搭档吴小航替我去跑，他身份证350206199108264499。请门店那边见到他就帮他办：\n"
            "1 帮我交这一期的钱\n2 问清楚剩下还有几期\n这个委托就到我出院为止。\n8/2\n")
    assert classify(doc(text)) == "authorisation"
    e = elements(text)
    assert e["principal"] and e["relationship"] and e["term"]


@pytest.mark.parametrize("text,part,present", [
    ("授权委托书\n委托人：黄小胜\n本人女儿黄小萱患脑性瘫痪，需要照顾。\n受托人：龚小明\n", "relationship", False),
    ("授权书\n我王小菊（儿子是残疾人）全权委托关爱协会周小倩专员帮我处理网贷的事。\n", "relationship", False),
    ("委托书\n委托人：何小梅\n现委托俺店里的员工宋小楠到银行交材料。\n", "relationship", True),
    ("重组登记表\n企业主姓名：孟小林\n本人授权某某中心及其指派的重组顾问全权代表本人与上述全部债权方协商。\n", "principal", True),
    ("委托书\n本人刘小雯，特委托我的同事谭小君代本人到贵行领取该笔贷款的结清证明。\n", "term", False),
])
def test_parts_said_in_new_ways(text, part, present):
    assert elements(text)[part] is present
