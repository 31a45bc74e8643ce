"""Document review rules from round forty-four's misses (L128-L131; held out when bdc4523 was measured, then tuned
on), table-driven, on letters written here: "代委托人就…与上述机构协商" in a law firm's list of matters names no
organisation as the agent; an agency calling itself a 援助会 is an organisation; a date in capital numerals
("公元贰零贰柒年玖月拾捌日"); a message signed "——某某 2027年10月5日 船上发的"; the Hakka 𠊎 ("I") and 阿叔 (uncle);
"今天27.3.5" dates a message."""

from __future__ import annotations

import pytest

from assist.review.checks.reading import reading_text
from tests.unit.review.conftest import elements, highs

FIRM = ("授权委托书\n委托人：岩小温，身份证号532822199705120315\n受托人：杨小远，某某律师事务所律师，执业证号15301202010123456\n"
        "与委托人关系：委托代理律师\n委托事项：\n1. 代委托人查询在山茶借、橙意花等平台的借款余额；\n2. 代委托人就逾期借款与上述机构协商还款方案；\n"
        "3. 代委托人接收上述机构出具的还款计划。\n受托人不得代委托人签署新的借款合同。\n委托期限：2027年9月16日至2027年12月31日。\n"
        "委托人（签字、按手印）：岩小温\n2027年9月16日\n")


def test_the_institutions_named_in_a_law_firms_list_of_matters_are_not_the_agent(policy):
    assert not highs(policy, FIRM)


def test_an_aid_association_acting_for_an_old_man_is_high(policy):
    text = ("委托书（情况说明）\n某某分期平台：\n马小贵老人，现年76岁。经老人家属同意，老人本人委托我会援助老师宋小江全权代表老人处理"
            "与贵平台之间的一切借款事宜，包括协商停息挂账、减免息费。\n委托期限自2027年9月20日起至协商处理完毕之日止。\n"
            "某某老年人金融权益援助会  援助老师  宋小江\n2027年9月20日\n")
    assert highs(policy, text)


@pytest.mark.parametrize("text,part,present", [
    ("委托书\n本人刘小华，委托邻居赵小顺代我去银行办延期。\n委托人：刘小华（签字）\n\n公元贰零贰柒年玖月拾捌日\n", "date", True),
    ("客服你好 我是刘小远 从今天起车贷的事让我妹妹刘小红替我办\n\n——刘小远 2027年10月5日 船上发的\n", "signature", True),
    ("你好 𠊎系钟小生 身份证尾号6712\n从今日起到年底 这笔钱个事你们就同𠊎阿叔钟小昌讲 佢系𠊎亲阿叔 佢讲个𠊎都认\n", "relationship", True),
    ("你好 𠊎系钟小生 身份证尾号6712\n从今日起到年底 这笔钱个事你们就同𠊎阿叔钟小昌讲 佢系𠊎亲阿叔 佢讲个𠊎都认\n", "principal", True),
    ("恁好 俺是王小云 俺这笔账这个月让俺妹妹王小梅替俺跟恁们谈 就到这个月底 今天27.3.5\n", "date", True),
])
def test_parts_said_in_new_ways(text, part, present):
    assert elements(text)[part] is present


def test_the_hakka_first_person_reads_as_mandarin():
    assert reading_text("𠊎系钟小生") == "我是钟小生"


def test_a_daughter_disowning_the_aid_association_in_her_fathers_name_is_not_warned(policy):
    from tests.unit.review.conftest import serious

    text = ("某某分期：\n我是借款人马小贵的女儿马小兰。我父亲9月14日脑梗住进ICU，这个月的款我会替他按时还上。\n"
            "最近有个叫“某某老年人金融权益援助会”的组织，用我父亲的名义给你们发了委托书，说是我父亲委托他们全权处理。他们发的东西不是我父亲"
            "的意思，请你们不要理会。\n马小兰\n2027年9月25日\n")
    assert not serious(policy, text)
