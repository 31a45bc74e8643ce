"""Document review rules from round thirty-five's held-out misses (L94-L97), table-driven, on letters written here:
a "权益服务队" and a "帮扶会" acting for borrowers are high, and "委托…服务队队长韩立军同志，全权代表我" names the agent; a
lawyer's letter saying the authority "已于…由委托人书面撤销" and that anything in the outfit's name "均不代表委托人本人" is
a withdrawal (a lawful letter no longer accused); "托我们寨子里的姊妹王春燕帮我", "托我们店里的小妹陈晓燕", "交由本协调办协调员
葛俊", "委托…协调办处理" and a spaced "受托人：吴  涛" name agents; "与受托人关系：____" is no agent; "就这个礼拜" and "本委托这次
材料交完就作废" are terms; "你好，我是韦兰英，" names the writer."""

from __future__ import annotations

import pytest

from assist.review.checks import run_checks
from assist.review.checks.elements import find_elements
from assist.review.checks.evidence import REVOKED
from tests.unit.review.conftest import doc, elements


@pytest.mark.parametrize("text", [
    ("委托书\n我李小生，身份证370523197911264099，合同到了没续上。\n今天我自愿委托黄河口石油工人权益服务队队长韩小军同志，全权代表我处理我欠的"
     "所有网贷、信用卡，跟平台谈减免、停息、分期都由韩队长定。平台和催收打电话一律找韩队长。\n委托人：李小生（签字）\n2027年9月22日\n"),
    ("委托书\n本人岑小香，身份证号520402197606253199。本人自愿委托黔绣非遗绣娘帮扶会会长龚小鹏先生为我的全权代理人，全权处理我在四个网贷平台"
     "的全部欠款，可以代我跟平台谈减免、停息挂账。\n委托人签名：岑小香\n2027.9.18\n"),
])
def test_a_workers_squad_and_a_help_society_are_agencies(policy, text):
    assert "high" in [f.severity for f in run_checks(doc(text), policy)[1]]
    assert elements(text)["agent"]


@pytest.mark.parametrize("line", ["该授权已于2027年10月7日由委托人书面撤销。", "此后任何以该中心名义代委托人所作的意思表示，均不代表委托人本人。"])
def test_a_lawyers_words_for_a_withdrawal(line):
    assert REVOKED.search(line)


@pytest.mark.parametrize("text,part,present", [
    ("杨律师：\n你好，我是韦小英，就是前几天在你那里签委托的那个绣花的。我托我们寨子里的姊妹王小燕帮我把东西送过来。\n就这个礼拜，下个礼拜我自己来。\n",
     "principal", True),
    ("杨律师：\n你好，我是韦小英，就是前几天在你那里签委托的那个绣花的。我托我们寨子里的姊妹王小燕帮我把东西送过来。\n就这个礼拜，下个礼拜我自己来。\n",
     "agent", True),
    ("杨律师：\n你好，我是韦小英，就是前几天在你那里签委托的那个绣花的。我托我们寨子里的姊妹王小燕帮我把东西送过来。\n就这个礼拜，下个礼拜我自己来。\n",
     "relationship", True),
    ("杨律师：\n你好，我是韦小英，就是前几天在你那里签委托的那个绣花的。我托我们寨子里的姊妹王小燕帮我把东西送过来。\n就这个礼拜，下个礼拜我自己来。\n",
     "term", True),
    ("邮局的同志：\n今天店里走不开，托我们店里的小妹陈小燕（身份证342523200104183399）帮我把这封挂号信寄出去。\n", "agent", True),
    ("登记表\n姓名：沈小清\n授权声明：本人自愿将上述全部债务交由本协调办协调员葛小俊全权处理。\n", "agent", True),
    ("授权书\n本人吴小宝全权委托茶农茶商债务协调办处理我名下所有网贷和信用卡的事。\n", "agent", True),
    ("委托书\n本人何小杰，委托刘小雯代我把材料交到贵行。本委托这次材料交完就作废。\n", "term", True),
])
def test_parts_said_in_new_ways(text, part, present):
    assert elements(text)[part] is present


def test_a_blank_relationship_line_is_no_agent_and_a_spaced_name_is():
    text = "授权委托书\n委托人（会员）：班小珍\n受托人（帮扶专员）：吴  涛\n与受托人关系：________________\n"
    agent = find_elements(doc(text))["agent"]
    assert agent.found and "吴" in agent.quote and "关系" not in agent.quote
