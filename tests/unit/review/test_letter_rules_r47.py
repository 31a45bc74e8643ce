"""Document review rules from round forty-seven's misses (L140-L143; held out when ef35bf5 was measured, then tuned
on), table-driven, on letters written here: an agency staffer entrusted under a 调解站 or an 援助工作站 (organisation
words the rules did not know) is high, while a public 人民调解工作站 or a county's 法律援助工作站 is not; a name written
with a middle dot is the agent; 学长 of the same school and 娃他爷 (the spouse named through the children) are ties; a
relative who only wrote the letter down is not the agent's tie; a voice-typed message signed "——name date" at the end
of its one line, opening "你好我是<four-character name>"; a post that sets out a revocation under its own title is
"other"."""

from __future__ import annotations

import pytest

from assist.review.checks import run_checks
from tests.unit.review.conftest import doc, elements, highs


@pytest.mark.parametrize("text", [
    "委托书\n本人阿依古丽，身份证650102199001011234。我自愿委托天山牧区借贷纠纷调解站的调解干部马小龙帮我跟安捷花谈停息挂账，"
    "已交调解押金1500元。\n委托人：阿依古丽（按手印）\n2027年5月2日\n",
    "授权委托书\n委托人：刘小雨，身份证410102200201011234\n现本人委托中原学子网贷纠纷援助工作站援助老师王小川作为本人唯一对接人，"
    "处理本人在青禾借的借款协商事宜。\n委托期限：2027年3月1日至本事项办完为止\n委托人（签字）：刘小雨\n2027年3月1日\n",
])
def test_an_agency_staffer_under_a_station_name_is_high(policy, text):
    assert "auth.trustee_company" in highs(policy, text)


@pytest.mark.parametrize("text", [
    "委托书\n本人张小军，身份证410102198001011234。我委托本镇人民调解工作站的调解员李小红帮我跟青禾借协商还款。\n"
    "委托人（签字）：张小军\n2027年5月2日\n",
    "委托书\n本人张小军，身份证410102198001011234。我委托县法律援助工作站指派的律师李小红（执业证号14101202010123456）帮我跟青禾借协商还款。\n"
    "委托人（签字）：张小军\n2027年5月2日\n",
])
def test_a_public_mediation_or_legal_aid_station_is_not_high(policy, text):
    assert highs(policy, text) == []


@pytest.mark.parametrize("text,part,present", [
    ("青禾借服务点：\n我是阿土列尔村的曲比·阿果。\n我腿不好，我叫阿苏·木呷替我去交材料。他是我们村的。\n委托人 曲比·阿果（手印）\n",
     "agent", True),
    ("委托书\n我自愿委托彝乡农户贷款调解站的调解干部阿苏·木呷帮我办：跟青禾借谈分期。\n委托人：曲比·阿果（按手印）\n2027年4月1日\n",
     "agent", True),
    ("委托书\n现本人委托援助老师李小川（系本人同校学长，电话13900000000）作为本人对接人。\n委托人：周小雨（签字）\n",
     "relationship", True),
    ("委托书\n现本人委托互助社学长李小川作为本人对接人，处理借款协商。\n委托人：周小雨（签字）\n", "relationship", False),
    ("客服同志：\n我是王小芝。这事我弄不了，我叫娃他爷李小华替我办，还多少哪天还你们跟他说。\n王小芝（按手印）\n", "relationship", True),
    ("委托书\n我叫陈小六，我那笔钱现在交给北海市某某律师事务所的莫小玲律师帮我谈。我不识字，字是我儿子帮我写的。\n"
     "委托人：陈小六（签名）\n2027年7月8日\n", "relationship", False),
    ("你好我是吉克小木 借你们钱买拖拉机那个 我让我儿子小博帮我跟你们说 还钱的事情你们都跟他说 ——吉克小木 10月3号\n",
     "principal", True),
    ("你好我是吉克小木 借你们钱买拖拉机那个 我让我儿子小博帮我跟你们说 还钱的事情你们都跟他说 ——吉克小木 10月3号\n",
     "signature", True),
    ("你好我是吉克小木 借你们钱买拖拉机那个 我让我儿子小博帮我跟你们说 还钱的事情你们都跟他说 ——吉克小木 10月3号\n",
     "date", True),
    ("你好我是吉克小木 借你们钱买拖拉机那个 我让我儿子小博帮我跟你们说 还钱的事情你们都跟他说\n", "signature", False),
])
def test_parts_said_in_new_ways(text, part, present):
    assert elements(text)[part] is present


def test_a_post_setting_out_a_revocation_is_other(policy):
    text = ("姐妹们千万别信什么上岸导师！！我交了五千才醒过来\n\n去年签了委托，交了导师费，结果让我停还，差点上征信。\n\n"
            "今天我把下面这份声明寄给他们公司了，贴出来给大家参考：\n\n撤销委托声明\n\n本人周小怡，于2027年2月与某某咨询有限公司"
            "签订委托授权书，委托其代为处理本人借款事宜。现本人声明自即日起撤销上述全部委托，该公司不再有权以本人名义联系任何机构。\n\n"
            "声明人：周小怡\n2027年4月25日\n\n有一样经历的姐妹评论区见～\n")
    kind, findings = run_checks(doc(text), policy)[:2]
    assert kind == "other"
    assert not [f for f in findings if f.severity == "high"]
