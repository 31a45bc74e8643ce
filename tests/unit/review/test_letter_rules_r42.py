"""Document review rules from round forty-two's misses (L120-L123; held out when 418bc58 was measured, then tuned on),
table-driven, on letters written here: a relative's complaint that disowns an agency claiming the borrower's mandate is
no agency acting; North-eastern 大小子 (eldest son) and "他跟你们说的话跟我说的一样" hand the loan over; dealing with the
lender itself ("替我跟你们掰扯") is the scope; a neighbour across the wall and a childhood friend are ties; a term read from
its own label stays even when the model reads the run-on sentence holding it as no term; a message signed "——于浩"
(a surname that starts sentences elsewhere) or vouched "这条是我本人发的 某某"; "今儿是2027年11月3号" and a typist's
dated note as the letter's date; Cantonese 嗰 after simplification; "我系某某 某某借嗰笔数" names the principal."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from assist.bootstrap import element_reading
from assist.review.checks import classify, run_checks
from assist.review.checks.elements import find_elements
from assist.review.checks.reading import reading_text, reading_view
from assist.settings import Settings
from tests.unit.review.conftest import doc, elements, serious

DISOWNED = ("青禾借客服：\n你好。我是借款人孟小发的儿子孟小刚。我爹住院了，断了两期，我们家不会赖账。\n"
            "前几天有个叫“某某农户信用修复服务站”的给你们发了个函，说是受我爹委托。那不是我们家正经请的，是他们哄着我爹按的手印，"
            "还收了一千五。他们说的那都不是我们的意思，别按他们说的来。\n这个月15号我先还1000块，剩下的想跟你们商量分几个月补上。\n孟小刚\n"
            "2027年10月9日\n")


def test_a_complaint_disowning_an_agency_that_claims_the_mandate_is_not_warned(policy):
    kind, found = run_checks(doc(DISOWNED), policy)
    assert kind == "complaint"
    assert not serious(policy, DISOWNED)
    assert "auth.revoked_agency" in [f.check for f in found]


HANDED = ("某某借的同志：\n我是邢小兰，今年七十一了。去年借了一万二，我整不明白手机，天天来电话我也听不明白。往后这个事我让我大小子宋小庆替我跟你们"
          "掰扯，电话13313691047。还钱的事他说咋还就咋还，他跟你们说的话跟我说的一样。就管到这笔钱还完拉倒。\n"
          "（以上是我奶奶口述的，我帮她一句一句打出来的，意思没改。孙女宋小琪 2027年3月29日）\n")


def test_a_spoken_note_handing_the_loan_to_the_eldest_son_is_an_authorisation():
    assert classify(reading_view(doc(HANDED))) == "authorisation"
    got = elements(HANDED)
    assert got["agent"] and got["scope"] and got["term"] and got["date"], got


@pytest.mark.parametrize("text,part,present", [
    ("委托\n我叫孟小礼，身份证412732197507094418。以后有啥事叫我隔墙邻家赵小国替我跟谷雨贷说，他办事我放心。\n", "relationship", True),
    ("委托\n我叫孟小礼。以后有啥事叫赵小国替我跟你们说，我俩从小一块长大，他办事我放心。\n", "relationship", True),
    ("委托\n我叫孟小礼。以后有啥事叫赵小国替我跟你们说。我们村从小一块长大的孩子都出去打工了。\n", "relationship", False),
    ("你好 我是借款人于小浩 合同号FH2026 以后让我家那口子孟小娜替我跟你们唠，她答应的我都认。\n——于小浩\n", "signature", True),
    ("你好 我是借款人韦小婷 以后让我姐韦小芳替我跟你们说。\n这条是我本人发的 韦小婷\n", "signature", True),
    ("你好 我是借款人韦小婷 以后让我姐韦小芳替我跟你们说。\n这条消息是本人发的\n", "signature", False),
    ("喂你好 我是赵小霞 从今儿起这个钱的事都交给我对象王小东办 一直到这个钱还完为止 今儿是2027年11月3号 恁记一下\n", "date", True),
    ("（以下是我爸口述的，我用手机录音转成文字，再照他原话整理打出来。——许小晴 2027-09-03）\n\n某某贷的同志：\n我叫许小良。"
     "所以我想叫我女儿许小晴帮我来弄。\n", "date", True),
    ("喂你好 我系梁小坚 青禾借嗰笔数 以后你哋有乜嘢就搵我个女梁小欣\n", "principal", True),
])
def test_parts_said_in_new_ways(text, part, present):
    assert elements(text)[part] is present


def test_cantonese_that_simplification_turns_into_a_rare_character_still_reads():
    assert reading_text("青禾借嗰笔数") == "青禾借那笔数"


def test_a_term_read_from_its_own_label_stays_beside_the_model():
    """One run-on sentence for the whole letter: the model cannot single out its term; the rules read its label."""
    text = ("委托书\n\n立委托书人董小珍，女，年六十三，身份证号230103196405230027，住某市某区某小区，前年因老伴做心脏支架，于某某消费金融有限公司"
            "手机上借款一笔，今因本人不谙网络，兹特委托楼上老邻居关小芬女士，代本人与贵公司接洽该笔借款之一切还款协商事宜，包括查询欠款明细、"
            "商定分期方案，然不得代本人借新还旧，委托期限自二〇二七年四月八日起至二〇二七年十月七日止，期满如需续托另行立书，空口无凭，立此为据。\n\n"
            "委托人：董小珍（签字）\n受托人：关小芬（签字）\n二〇二七年四月八日\n")
    reading = element_reading(Settings(data_dir=Path(tempfile.mkdtemp())))
    assert reading is not None
    got = find_elements(doc(text), reading)
    assert got["term"].found and got["term"].by == "rules"
