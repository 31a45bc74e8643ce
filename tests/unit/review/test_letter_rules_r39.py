"""Document review rules from round thirty-nine's misses (L108-L111; held out when this stop's second commit was
measured, then tuned on), table-driven, on letters written here: a tie stated as the body assigning its staff to the
borrower ("系本中心指派", "工作室指派给我的专属协商师", "该站为我指派的援助专员"), kin said in the north and in Hakka (姑爷,
我个妹子), a relative who borrowed in the story is not the agent's tie, a pet name before the full name, a greeting before
"我是…", the matters listed and then "你们跟他商量", "11/9到12/10" as a term, and a legal-aid "援助证号" printed where a
lawyer's number goes is read as the licence claimed (and its wrong shape is high)."""

from __future__ import annotations

import pytest

from tests.unit.review.conftest import elements, highs

MSG = ("某某速贷APP · 在线客服\n2027-07-03 21:14\n你好我是借款人王建国身份证后四位1536 我在你们这里借的两万块 "
       "以后我这个账交给我家小军 王小军 跟你们对接 你们要问还款的事情要商量分期的事情就打他电话 他跟你们讲的就算我讲的\n")


@pytest.mark.parametrize("text,part,present", [
    ("授权委托书\n甲方：李某\n乙方：某某农户债务重组服务中心\n重组顾问：赵某\n重组顾问系本中心指派，代表本中心为甲方服务。\n", "relationship", True),
    ("委托书\n我委托协商师周某替我和各平台协商，周某是工作室指派给我的专属协商师。\n", "relationship", True),
    ("委托书\n本人自愿申请某某服务站的援助，委托该站为我指派的援助专员韩某代为协商。\n", "relationship", True),
    # only describing the agent, not a tie to the principal (the writers' majority convention)
    ("授权委托书\n委托人：王某\n现自愿委托某某海员家庭关怀中心指派的关怀顾问作为委托人的全权代理人。\n", "relationship", False),
    ("委托书\n这笔借款的事我交给我姑爷郑小伟，你们跟他谈，查账、还款、分期都行。\n", "relationship", True),
    ("委托书\n以后分期的事情，全部交畀我个妹子黄小涵去办，佢讲个就系我讲个。\n", "relationship", True),
    ("以后分期的事情，全部交畀我个妹子黄小涵去办，佢讲个就系我讲个。\n", "agent", True),
    ("授权委托书\n委托人：于某某\n受托人：张某，某某律师事务所律师\n执业证号：12101201810234567\n"
     "委托人之子于小涛于2025年9月向某某消费金融有限公司借款人民币80000元，委托人为该笔借款提供保证。\n", "relationship", False),
    (MSG, "principal", True),
    (MSG, "agent", True),
    (MSG, "scope", True),
    ("这个钱的事，我让我兄弟李国强帮我跟你们讲。\n还多少，咋个还，哪天还，你们跟他商量。他商量好的，我认。\n", "scope", True),
    ("委托\n我让我老公刘某替我去网点办分期。\n时间就是11/9到12/10 我回来了就自己弄\n", "term", True),
    ("授权委托书\n委托人：王某\n受托人：韩某，某某法律援助服务站援助律师\n援助证号：晋矿援证字第2027015号\n", "licence", True),
])
def test_parts_said_in_new_ways(text, part, present):
    assert elements(text)[part] is present


AID = ("授权委托书\n委托人：王某，身份证号140202198711154517\n受托人：韩某，某某矿工家庭法律援助服务站援助律师\n"
       "援助证号：晋矿援证字第2027015号\n委托事项：代为与各网贷平台协商停息挂账。\n委托期限：至债务处理完毕之日止。\n"
       "委托人（签字）：王某\n2027年3月18日\n")


def test_a_legal_aid_number_of_the_wrong_shape_is_high(policy):
    assert "auth.licence_shape" in highs(policy, AID)
