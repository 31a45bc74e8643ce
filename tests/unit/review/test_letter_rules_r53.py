"""Document review rules from round fifty-three's misses (L164-L167; scored once on 124fb4a, held out for one stop,
then tuned on), table-driven, on letters written here. Relationship: a kin word is the agent's tie only in a sentence
that can say so (it hands something over, names a tie as a fact, or is a form's row); a relative in a sentence of the
story ("要在我娃儿那里住一个多月", "儿子在外省做工") or among the people called ("打我娘家兄弟和我儿子单位的电话") is
not. Safety: a lawyer's letter telling of an agency the borrower has left and revoked in writing is not high. Reading:
a term to a season's end with its date, a licence written after an earlier "证号" with no number, signing named as a
matter, and a certificate's title under an address and an opening paragraph."""

from __future__ import annotations

import pytest

from assist.review.checks import classify
from tests.unit.review.conftest import doc, elements, highs

HEAD = "委托书\n某某消费金融有限公司：\n本人刘小强（身份证513221197604122317），在贵公司借款3万元。\n"
FOOT = "委托期限：2027年10月12日起到2027年12月31日止\n委托人签字：刘小强\n2027年10月10日\n"


@pytest.mark.parametrize("story,present", [
    ("我下个月要去省城看病，要在我闺女那里住一个多月。\n这段时间委托周小刚代我跟你们联系，代我接电话。\n", False),
    ("我老伴腿脚不好，儿子在外地打工。\n这段时间委托周小刚代我跟你们联系，代我接电话。\n", False),
    ("你们的催收就打我娘家兄弟和我女儿单位的电话。\n这段时间委托周小刚代我跟你们联系，代我接电话。\n", False),
    # the tie said of the agent stays, in prose, in brackets and as a fact of its own
    ("我要去省城看病。这段时间委托我女儿周小丽代我跟你们联系，代我接电话。\n", True),
    ("我要去省城看病。这段时间委托周小刚（我表弟）代我跟你们联系。\n", True),
    ("这段时间委托周小刚代我跟你们联系。周小刚是我邻居，住隔壁。\n", True),
])
def test_a_relative_in_the_story_is_not_the_agents_tie(story, present):
    assert elements(HEAD + story + FOOT)["relationship"] is present


def test_a_lawyers_letter_telling_of_a_revoked_agency_is_not_high(policy):
    text = ("给某某律师事务所陈小波律师：\n我叫王小光，身份证469001197903124517，在某某消费金融借了三万块。\n"
            "之前我信了那个协商中心，签了他们的纸，交了钱。现在不要他们了，撤销的纸我已经写了。\n"
            "我现在请陈小波律师帮我跟某某公司谈还款，帮我看合同。\n陈律师的执业证号：14602201810359264。\n"
            "这个委托从今天起，到这笔钱谈好为止。\n委托人（签字）：王小光\n2027年5月26日\n")
    assert highs(policy, text) == []
    # still high when the agency is not left behind
    kept = text.replace("现在不要他们了，撤销的纸我已经写了。", "现在还是由他们跟你们谈。")
    assert highs(policy, kept)


@pytest.mark.parametrize("text,part,present", [
    # a term to the end of a season, with its date
    ("让俺家那口子李小芝替我跟你们谈分期，到收割期结束7月20号我回来再自己跟你们说。——孙小林\n", "term", True),
    # a "证号" without a number, then the labelled number written in groups with hyphens
    ("我请陈小波律师帮我跟某某公司谈还款。陈律师的证号是他名片上印的：律师执业证号14602-2018-10359264。\n", "licence", True),
    # signing named as one of the matters the agent must ask about first
    ("我请陈小波律师帮我谈还款。\n要签字、要还钱的事，陈律师先问我。\n\n王小光\n2027年5月26日\n", "signature", False),
    ("我请陈小波律师帮我谈还款。\n\n委托人签字：王小光\n2027年5月26日\n", "signature", True),
    ("我请陈小波律师帮我谈还款。\n\n签字及盖章：王小光\n2027年5月26日\n", "signature", True),
])
def test_parts_said_in_new_ways(text, part, present):
    assert elements(text)[part] is present


def test_a_certificates_title_under_an_address_and_an_opening_is_a_certificate():
    text = ("某某村镇银行的领导，某某公司的领导：\n我是某某村的老人符小公，今年八十一岁了。我不会写字，是村里的后生帮我写的。\n\n"
            "证明\n\n王小光是我看着长大的，为人老实，不喝酒不赌钱。借的钱是种胶种茶用的。\n去年台风，他家胶林倒了一片。"
            "请你们给他宽一点时间。\n\n证明人：符小公（按手印）\n2027年4月14日\n")
    assert classify(doc(text)) == "certificate"
