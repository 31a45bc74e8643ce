"""Document review rules from round forty-five's misses (L132-L135; held out when df46523 was measured, then tuned
on), table-driven, on letters written here: "与某某消费金融有限公司及其委托的催收机构协商" in a law firm's matters names no
organisation as the agent; an outfit's notice telling its members "不要私下还款" is high; English field names
("principal", "agent", "relation", "valid", "date") read as the labels they are, on lines that are all ASCII too; a
message signed "——某某 7月9号"; "农历八月十六" under the name; a message header's timestamp dates it."""

from __future__ import annotations

import pytest

from assist.review.checks.reading import reading_text
from tests.unit.review.conftest import elements, highs

FIRM = ("授权委托书\n委托人：韩小兰，身份证号632123197901150028\n受托人：某某律师事务所马小明律师，执业证号16301202010234567\n委托事项：\n"
        "一、代为与某某消费金融有限公司及其委托的催收机构协商还款方案，包括分期、减免罚息；\n二、代为接收相关文书。\n"
        "委托期限：2027年6月1日至2027年12月31日。\n委托人（签字）：韩小兰\n2027年6月1日\n")


def test_the_lenders_collectors_named_in_a_law_firms_matters_are_not_the_agent(policy):
    assert not highs(policy, FIRM)


def test_a_notice_telling_members_not_to_repay_in_private_is_high(policy):
    text = ("某某渔民金融维权服务中心\n关于台风季期间会员维权事项的紧急通知\n\n各位渔民会员：\n"
            "一、维权期间，请会员不要接听金融机构的电话，不要私下还款。私下还款的，视为自行放弃维权，维权费不退。\n")
    assert "agency.coaching_notice" in highs(policy, text)


JSON = ("Hi 某某贷，\n我下周在深圳面试，请王小浩代我去网点签分期协议。授权信息 as below：\n{\n  \"principal\": \"陈小远\",\n"
        "  \"agent\": \"王小浩\",\n  \"relation\": \"前同事，同一个组写了四年代码\",\n  \"scope\": [\"代我到网点签署《分期还款协议》\"],\n"
        "  \"valid\": \"2027-05-13 ~ 2027-05-22\",\n  \"date\": \"2027-05-12\"\n}\n陈小远\n")


@pytest.mark.parametrize("part", ["principal", "agent", "relationship", "scope", "term", "date"])
def test_english_field_names_read_as_labels(part):
    assert elements(JSON)[part] is True


@pytest.mark.parametrize("written", ['  "valid": "2027-05-13 ~ 2027-05-22",', "Agent: 王小浩", "Dear Sir: 你好"])
def test_english_labels_keep_the_length(written):
    assert len(reading_text(written)) == len(written)


@pytest.mark.parametrize("text,part,present", [
    ("我这个账上的事情你们跟我们屋里的冶小兰说 还款阿门还 她都能替我定\n——马小福 7月9号\n", "signature", True),
    ("我这个账上的事情你们跟我们屋里的冶小兰说 还款阿门还 她都能替我定\n——马小福 7月9号\n", "date", True),
    ("委托\n我是云小梅 我那笔钱的事让我老弟符小海替我跟你们讲\n\n云小梅\n农历八月十六\n", "date", True),
    ("[某某App · 在线客服 · 2027-05-06 10:30am]\nhi 客服你好，我是借款人周小桐。这笔loan的事我都交给我老公陈小远来跟你们对接了。\n",
     "date", True),
    ("[某某App · 在线客服]\nhi 客服你好，我是借款人周小桐。这笔loan的事我都交给我老公陈小远来跟你们对接了。\n", "date", False),
])
def test_parts_said_in_new_ways(text, part, present):
    assert elements(text)[part] is present
