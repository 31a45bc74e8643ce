"""Document review rules from round forty-eight's misses (L144-L147; scored once on 04af8bd, then tuned on),
table-driven, on letters written here. Two safety rules: a law firm sent to get fees back from an agency does not make
that agency the agent, and the lender's own office ("去你们南京的线下服务中心") is no agency. Reading: a range of dates
never runs across a line into a dashed signature; a dated range is never taken away by the model; "回来再补签名" is no
signature yet; a couple who both grant ("我们是某某、某某两口子") state no tie to the agent; the counsellor the collectors
called is not the agent's tie; a wife's loan in the story; a message signed "——name 3rd Dec"."""

from __future__ import annotations

import pytest

from assist.review.checks.elements import _LABELLED
from tests.unit.review.conftest import elements, highs

FIRM = ("授权委托书\n委托人：王小轩，身份证320902200603154215\n受托人：沈小青，江苏某某律师事务所律师\n执业证号：13201202011087652\n"
        "代理事项：\n1. 代委托人与平台协商分期；\n2. 就委托人此前加入“某某大学生征信修复互助社”并被收取会员费一事，代为交涉退费，必要时协助报案。\n"
        "委托期限：自2027年11月29日起至2028年5月28日止。\n委托人（签字）：王小轩\n2027年11月29日\n")
OFFICE = ("委托书\n星贝借：\n我是借款人王小轩，身份证320902200603154215。这周考试，白天没空去你们南京的线下服务中心。"
          "现委托张小鹏（身份证320902200304186231）替我去一趟，把我的书面异议交给你们。\n有效期：2027年12月1日到2027年12月31日。\n"
          "委托人签字：王小轩\n2027年11月30日\n")


@pytest.mark.parametrize("text", [FIRM, OFFICE])
def test_a_party_named_in_a_lawful_letter_is_not_the_agent(policy, text):
    assert highs(policy, text) == []


def test_an_agency_entrusted_to_get_refunds_from_the_lender_is_still_high(policy):
    text = ("授权委托书\n委托人：王小轩，身份证320902200603154215\n受托人：某某律师事务所\n现委托某某债务咨询服务中心代为向平台交涉退还多收的利息。\n"
            "委托人（签字）：王小轩\n2027年11月29日\n")
    assert highs(policy, text)


@pytest.mark.parametrize("text,part,present", [
    ("客服你好 我是吴小花 这笔账我交给我哥吴小山帮我跟你们讲 还款的事你们跟他谈 钱还是从我卡上扣 他莫得空\n——吴小花 2027年9月18号\n",
     "term", False),
    ("（以上是姐姐打电话讲的，我一句一句打出来的。伊讲回来再补签名。）\n记录人：周小蕾\n2027年11月20日\n", "signature", False),
    ("委托书\n我们是向小贵、田小花两口子，身份证分别是430811197303146237、430811197508203428。我们委托某某律师事务所的彭小燕律师"
     "（执业证号14308201921045893）跟银行谈延期。\n委托人签字：向小贵 田小花\n2027年10月20日\n", "relationship", False),
    ("委托书\n本人王小轩。现委托张小鹏替我去一趟，把书面异议（关于你们催收员打我辅导员电话的事）交给你们。\n委托人签字：王小轩\n",
     "relationship", False),
    ("委托书\n本人向小贵，因本人与妻子田小花在贵行办理的民宿经营贷款需要补交材料，特委托覃小生代本人到贵行递交材料。\n委托人：向小贵（签名）\n",
     "relationship", False),
    ("客服你好，我是沈小婷。车贷的事我交给我娘舅陈小良去跟你们谈，伊是我姆妈的阿弟。谢谢！\n——小婷 3rd Dec\n", "signature", True),
    ("客服你好，我是沈小婷。车贷的事我交给我娘舅陈小良去跟你们谈，伊是我姆妈的阿弟。谢谢！\n——小婷 3rd Dec\n", "date", True),
])
def test_parts_said_in_new_ways(text, part, present):
    assert elements(text)[part] is present


@pytest.mark.parametrize("quote,kept", [
    ("自即日起至2028年1月31日", True), ("2027年3月1日至2027年6月30日", True), ("到这笔钱还清为止", False),
])
def test_a_dated_range_is_never_taken_away_by_the_model(quote, kept):
    assert bool(_LABELLED["term"].search(quote)) is kept
