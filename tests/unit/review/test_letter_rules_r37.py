"""Document review rules from round thirty-seven's misses (L100-L103; held out when the last stop's code was measured,
then tuned on), table-driven, on letters written here: a couple said "两口子" and the principal's own staff said "店里
修车的小伙" are the agent's tie; a form's note "（工友自填）" and its title "工友入站登记表" are not; a writer who opens
"俺某某今个…" and sends someone "替俺" is the principal; "托某某，叫他帮帮我" names the agent; "就今天下午管用" is a term; an
authorisation that routes the borrower's repayments through an association's card is high, while paying the lender's
own account is not."""

from __future__ import annotations

import pytest

from tests.unit.review.conftest import elements, highs


@pytest.mark.parametrize("text,part,present", [
    ("委托书\n俺叫吴大柱，在镇上开修车铺。俺跟刘小凤是两口子，修车铺的账和网贷的事俺托她去谈。\n委托人吴大柱（签字）\n", "relationship", True),
    ("委托\n俺让店里修车的小伙马小军（身份证341222200205153311）替俺接待一下上门核实的人。\n吴大柱（签字）\n",
     "relationship", True),
    ("会员入会登记表\n姓名：赵小虎\n欠款明细（工友自填）：\n  速借宝  8000\n本人授权本会专员全权代表本人协商一切债务事宜。\n",
     "relationship", False),
    ("工友入站登记表\n姓名：赵小虎\n本人授权本站专员全权代表本人协商一切债务事宜。\n登记人签字：赵小虎\n", "relationship", False),
    ("委托\n\n俺吴大柱今个要去县里进货，下午回不来。俺让店里修车的小伙马小军（身份证341222200205153311）在店里替俺接待一下。\n"
     "吴大柱（签字）\n", "principal", True),
    ("我王阿土，\n山脚村人。\n\n今朝我托李根发，\n叫他帮帮我，\n他讲的就算我讲的。\n\n王阿土 按手印\n", "agent", True),
    ("委托\n俺让店里的小伙马小军替俺把材料给你们看。\n就今天下午管用，过了就不算。\n", "term", True),
    ("委托\n俺让店里的小伙马小军替俺把材料给你们看。\n吴大柱（签字）\n", "term", False),
])
def test_parts_said_in_new_ways(text, part, present):
    assert elements(text)[part] is present


ROUTED = ("委托书\n我叫周阿婆，身份证330523195506284022。我是老乡联谊会的会员，我委托王会长全权处理我在网上借的钱，"
          "以后每个月的钱我打到联谊会卡上，由他们去还。\n委托人：周阿婆\n2027年11月15日\n")
OWN_ACCOUNT = ("委托书\n我叫周阿婆，身份证330523195506284022。我委托我儿子周小军（身份证330523198506284011）帮我跟贵公司"
               "谈分期，每个月的钱我自己打到贵公司的还款账户上。\n委托期限：到明年三月为止。\n委托人：周阿婆\n2027年11月15日\n")


def test_repayments_through_an_associations_card_are_high(policy):
    assert "auth.repay_via_agent" in highs(policy, ROUTED)


def test_repaying_the_lenders_own_account_is_not(policy):
    assert highs(policy, OWN_ACCOUNT) == []
