"""Document review rules from round fifty's misses (L152-L155; scored once on 2b07b40, then tuned on), table-driven,
on letters written here. Safety: the lender's collectors ("他们雇的催收公司") named in a lawyer's matters are no agency,
and a hardship request for a few months of principal only ("前三个月停利息，只还本金") is not an extreme demand.
Reading: a certificate titled under a two-line address; 堂客 / 老倌 / "我屋里的某某去搞"; "为本人聘请之…顾问"; "他不签字"
is what the agent may not do, not a signature; a date line made long by a bracketed note; "—— 某某 8-17 北京时间下午4点";
a chat header's timestamp without the year."""

from __future__ import annotations

import pytest

from assist.review.checks import run_checks
from tests.unit.review.conftest import doc, elements, highs, serious


def test_the_lenders_collectors_in_a_lawyers_matters_are_not_an_agency(policy):
    text = ("委托书\n我赵小顺（身份证号110101195603124517），是孙子借款的担保人。\n"
            "我委托北京某某律师事务所的冯小琴律师（执业证号：1110 1201 9209 87654）"
            "替我跟禾果借和他们雇的催收公司交涉。\n委托从今天起，到这件事了结为止。\n委托人签字：赵小顺\n2027年4月20日\n")
    assert highs(policy, text) == []


def test_a_few_months_of_principal_only_is_a_hardship_request(policy):
    text = ("个性化分期申请\n青禾借客服部：\n我老公六月摔断了脚，不能干活。\n我的申请：\n- 剩下的分24期还；\n"
            "- 如果可以，前三个月停利息，只还本金，等年底生意好了我多还一点。\n王小梅\n2027年8月25日\n")
    assert "complaint.S5" not in serious(policy, text)
    assert "complaint.S5" in serious(policy, "投诉\n青禾借客服部：\n我只还本金，一分利息都不会给。\n王小明\n2027年5月1日\n")


def test_a_certificate_titled_under_a_two_line_address(policy):
    text = ("致：某某消费金融有限公司、禾果借\n　　及上述机构委托的催收单位\n\n情况证明\n\n兹证明赵小顺夫妇系我社区常住居民，二人主要收入为退休金。\n"
            "特此证明。\n某某社区居民委员会（盖章）\n2027年3月10日\n")
    assert run_checks(doc(text), policy)[0] == "certificate"


@pytest.mark.parametrize("text,part,present", [
    ("我是周小刚，在沙特打工。楚禾那笔钱的事从今天起都交给我屋里的胡小芳去搞。\n周小刚\n", "agent", True),
    ("我是周小刚。那笔钱交给我堂客胡小芳跟你们谈。\n——周小刚 8-17\n", "relationship", True),
    ("授权书\n本人罗小文，特此授权谭小诗小姐代表本人处理借款事项。谭小诗小姐为本人聘请之私人顾问。\n授权人签字：罗小文\n2027年5月1日\n",
     "relationship", True),
    ("委托书\n我是周小刚，让孔小兵替我去网点交材料。签协议的事等我自己看了再说，他不签字，也不经手钱。\n", "signature", False),
    ("委托书\n我是周小刚，让孔小兵替我去网点交材料。\n2027-09-18（当地时间晚上写的，北京时间已经是19号凌晨了）\n周小刚\n", "date", True),
    ("这笔账从现在起让我姑娘周小欣跟你们对接 她讲的就是我讲的\n—— 周小刚 8-17 北京时间下午4点\n", "signature", True),
    ("这笔账从现在起让我姑娘周小欣跟你们对接 她讲的就是我讲的\n—— 周小刚 8-17 北京时间下午4点\n", "date", True),
    ("【某某APP 在线客服 留言】\n12月21日 22:47\n\n你好，我是陈小欣。这笔贷款我交给我老公王小军帮我处理。\n——小欣\n", "date", True),
])
def test_parts_said_in_new_ways(text, part, present):
    assert elements(text)[part] is present
