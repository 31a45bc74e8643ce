"""Recognised text made fit for the product: simplified, one numeral style, punctuation, masking — times kept."""

from assist.audio.text import cn_number, numerals, plain, turn_text
from assist.audio.types import Segment, Word


def _seg(text, start, end):
    step = (end - start) / len(text)
    return Segment(start, end, text, tuple(Word(c, start + i * step, start + (i + 1) * step) for i, c in enumerate(text)))


def test_traditional_becomes_simplified_and_segments_get_punctuation():
    t = turn_text([_seg("我們還沒還款", 0, 2), _seg("請問怎麼辦", 2.5, 4)])
    assert t.text == "我们还没还款，请问怎么办。"
    assert len(t.times) == len(t.text)


def test_a_phone_number_read_out_is_masked_and_keeps_its_time():
    t = turn_text([_seg("我的电话是幺三八零零幺三八零零零好吧", 10.0, 14.0)], offset=100.0)
    assert "【手机号】" in t.text and "138" not in t.text
    i = t.text.index("【")
    start, end = t.times[i]
    assert 100.0 + 10.0 < start < end < 100.0 + 14.0      # the span the digits were spoken in


def test_numerals_one_style_without_touching_words():
    from assist.audio.text import TimedText

    def n(s):
        return numerals(TimedText(s, [(0.0, 1.0)] * len(s))).text
    assert n("欠了三千五百元分十二期") == "欠了3500元分12期"
    assert n("两万块") == "20000块"
    assert n("一二线城市，万一，十分感谢，一下") == "一二线城市，万一，十分感谢，一下"
    assert cn_number("一百零五") == 105 and cn_number("三万五千") == 35000 and cn_number("一二") is None


def test_plain_text_for_scoring_drops_punctuation_and_simplifies():
    assert plain("你好，世界！ 還款") == "你好世界还款"
