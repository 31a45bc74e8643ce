"""Document review rules from round forty-six's misses (L136-L139; held out when 97c0328 was measured, then tuned
on), table-driven, on letters written here: a "签名：" line made long by a bracketed note is still a signing line; a
message signed off at the end of its last paragraph ("…。——某某") or with an English name after the Chinese one; the
English verb "authorise" in a Singapore writer's Chinese; 老表 (cousin) and "有嘛事打我老表某某电话" hand a loan over; a
letter opening "我某某。" names its writer."""

from __future__ import annotations

import pytest

from assist.review.checks.reading import reading_text
from tests.unit.review.conftest import elements


@pytest.mark.parametrize("text,part,present", [
    ("委托书\n我是霍小宇，让我爸霍小军替我跟你们商量分期。\n签名：霍小宇（人在部队回不来，电话里说的，我妈替我打的字，探家回来补签）\n"
     "2027年4月9日晚上\n", "signature", True),
    ("客服你好，我是借款人乔小兰。以后叫我娘家兄弟乔小军替我跟你们说，有甚你们就打他电话。——乔小兰\n", "signature", True),
    ("Hi 客服你好，我是顾小雯。我authorise我的爸爸顾小平帮我处理这个loan的事情。\nSorry for the trouble，谢谢你们。\n——晓雯 Shirley Gu\n",
     "signature", True),
    ("Hi 客服你好，我是顾小雯。我authorise我的爸爸顾小平帮我处理这个loan的事情，包括跟你们discuss还款plan。\n", "agent", True),
    ("你好我是黄小宁 我住院了 你们有嘛事打我老表韦小明电话13877615093 他替我跟你们讲\n", "relationship", True),
    ("禾穗贷的：\n\n我黄小宁。身份证尾巴是2316。这笔钱的事你们以后去找农小英，她是我老婆。\n", "principal", True),
    ("禾穗贷的：\n\n我想问。这笔钱什么时候扣？\n", "principal", False),
])
def test_parts_said_in_new_ways(text, part, present):
    assert elements(text)[part] is present


def test_the_english_verb_keeps_the_length():
    written = "我authorise我的爸爸"
    assert reading_text(written).startswith("我授权") and len(reading_text(written)) == len(written)
