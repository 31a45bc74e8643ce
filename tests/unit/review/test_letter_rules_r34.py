"""Document review rules from round thirty-four's held-out misses (L90-L93), table-driven, on letters written here:
"我尕女子蔺晓燕" names the agent (a complete lawful authorisation no longer warned "未写明受托人"); a daughter writing about
her father's debt asking to be the one called is family, not an agency diverting contact; "委托驿站孙倩替我…" names its
agent; "苟存喜跟我是一起放蜂的…我叫他替我…" names the agent and the tie; "他跟我一个车队的" is a tie, the family the lender is
told not to call is not; "从今天起三个月", "到十二月一号" and "啥时候…弄清楚了就算完了" are terms, a table's "60天" and the
end of a story's date range are not; "代我去领取" is a scope."""

from __future__ import annotations

import pytest

from assist.review.checks import run_checks
from tests.unit.review.conftest import doc, elements


def test_a_daughter_named_in_dialect_is_the_agent(policy):
    text = ("委托书\n我叫蔺长明，身份证620503196909124599，放蜂的。\n我尕女子蔺小燕，身份证620503199406204299，我们是父女。我授权她办以下几件事：\n"
            "1.替我跟上面这三家商量咋还钱。\n2.替我要借款合同和还款明细。\n到明年三月底为止。\n委托人：蔺长明（签字 手印）\n2027年9月9日\n")
    assert not [f for f in run_checks(doc(text), policy)[1] if f.severity in ("high", "warn")]


def test_a_daughter_asking_to_be_called_about_her_fathers_debt_is_family(policy):
    text = ("关于贵司催收人员拨打我工作科室电话的投诉\n某某消费金融有限公司：\n我父亲的借款，我们家从来没说过不还。9月9日他已经授权我来跟贵司协商。\n"
            "请求：1. 立即停止拨打医院的任何电话；2. 今后关于这笔借款的联系，只打我本人手机18794520399。\n蔺小燕\n2027年10月2日\n")
    assert not [f for f in run_checks(doc(text), policy)[1] if f.severity in ("high", "warn")]


@pytest.mark.parametrize("text,part,present", [
    ("授权书\n我刘小波委托驿站孙小倩替我跟满分贷谈，全权处理。\n", "agent", True),
    ("授权书\n本人冉小兵全权委托山城服务部张小倩处理我网贷的事。\n", "agent", True),
    ("委托\n苟小喜跟我是一起放蜂的，十几年了。\n我叫他替我跟你们打电话商量分期的事。啥时候这个事跟你们弄清楚了就算完了。\n", "agent", True),
    ("委托\n苟小喜跟我是一起放蜂的，十几年了。\n我叫他替我跟你们打电话商量分期的事。啥时候这个事跟你们弄清楚了就算完了。\n", "relationship", True),
    ("委托\n苟小喜跟我是一起放蜂的，十几年了。\n我叫他替我跟你们打电话商量分期的事。啥时候这个事跟你们弄清楚了就算完了。\n", "term", True),
    ("委托\n我冉小兵现在委托刘小明 他跟我一个车队的 所以从今天起三个月 他出面就等于我出面\n", "relationship", True),
    ("委托\n我冉小兵现在委托刘小明 他跟我一个车队的 所以从今天起三个月 他出面就等于我出面\n", "term", True),
    ("授权委托书\n委托人：王小生\n现委托理事赵小邦作为本人的代理人。以后不要再给本人和家里人、亲戚朋友打电话。\n", "relationship", False),
    ("委托书\n所以委托我女朋友杜小楠帮我办事，到十二月一号。\n", "term", True),
    ("委托书\n本人谭小梅委托我亲弟弟谭小军代我和贵公司联系。我家开的火锅店今年8月20日至11月19日因改造停业三个月。\n", "term", False),
    ("登记表\n本人授权服务部指派的权益专员全权代表本人处理上述全部债务。\n满格借    12000   45天\n信用卡     8000   60天\n", "term", False),
    ("委托书\n本人陈小蕙，现委托郑小彤（身份证号440104200503227599）代我去领取，领到后先帮我收好。\n", "scope", True),
])
def test_parts_said_in_new_ways(text, part, present):
    assert elements(text)[part] is present


def test_two_hospitals_certificates_on_one_printed_form_are_not_copies():
    from assist.review.similarity import compare, fingerprint
    form = ("{h}\n诊 断 证 明 书\n门诊号：{n}\n姓名：{p}　　性别：{s}　　年龄：{a}岁\n临床诊断：{d}\n医生建议：{r}\n"
            "特此证明。本证明仅作病情证明，不作其他用途。\n医师签名：{doc}\n{h}（诊断证明专用章）\n2027年10月5日\n")
    a = form.format(h="杭州市某灵医院", n="2027100513862", p="周小根", s="男", a=73, d="冠状动脉粥样硬化性心脏病；高血压病3级",
                    r="注意休息，避免情绪激动，按时服药，一月后复诊。", doc="陈小明")
    b = form.format(h="乐山市某州人民医院", n="MZ20271016", p="周小芬", s="女", a=59, d="腰椎间盘突出症（L4/5）",
                    r="卧床休息两周，避免久坐弯腰，必要时手术治疗。", doc="刘小华")
    fa, fb = fingerprint(a), fingerprint(b)
    assert compare("a", fa, "b", fb, forms=True) is None
    c = a.replace("周小根", "王小根").replace("2027100513862", "2027100513999")   # a copy of one filled form
    assert compare("a", fa, "c", fingerprint(c), forms=True) is not None
