"""Document review rules from round forty-nine's misses (L148-L151; scored once on 77e895f, then tuned on),
table-driven, on letters written here. Safety: a law firm whose matters include a fee dispute with an agency
("与“X委员会”之服务费纠纷", "代为向该组织追讨已付协调费") does not make the agency the agent. Reading: a Taiwan resident's
居住证 is an ID; a spoken letter in quotation marks opening "“我某某，…"; "帮本店做账十几年的会计" is a tie; the typist's
dashed note "（…原话照打。——某某）" is never the principal's signature, not even by the model."""

from __future__ import annotations

import pytest

from tests.unit.review.conftest import elements, highs, serious

FIRM = ("授权委托书\n委托人：林小豪，台湾居民居住证号码830000196908152516\n"
        "受托人：周小涛，江苏某某律师事务所律师，律师执业证号：1320 5202 7110 5432 8\n"
        "委托人因与某某银行借款纠纷，以及与“两岸某某债务协调委员会”之服务费纠纷，特委托周小涛律师办理下列事项：\n"
        "一、代为与银行协商还款方案；\n二、代为审查委托人与两岸某某债务协调委员会签订的收费单据，代为向该组织追讨委托人已付协调费，必要时代为报案。\n"
        "委托期限：自2027年4月26日起至上述事项办结之日止。\n委托人（签字）：林小豪\n2027年4月26日\n")


def test_a_law_firm_in_a_fee_dispute_with_an_agency_is_not_flagged(policy):
    assert highs(policy, FIRM) == []
    assert "auth.principal_id_missing" not in serious(policy, FIRM, ("high", "warn", "info"))


@pytest.mark.parametrize("text,part,present", [
    ("客服你好：\n这是我爸爸在医院讲的话，我照他讲的一句一句打出来。\n\n“我林小豪，台湾居民居住证830000196908152516。这笔钱我交给我太太陈小玲去跟你们谈。”\n",
     "principal", True),
    ("委托书\n本人林小豪，因尚在康复，兹委托帮本店做账十几年的会计黄小芬小姐代为提交资料。\n委托人：林小豪（签名）\n2027年5月1日\n",
     "relationship", True),
])
def test_parts_said_in_new_ways(text, part, present):
    assert elements(text)[part] is present
