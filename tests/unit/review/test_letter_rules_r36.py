"""Document review rules from round thirty-six's misses (L98, L99; held out when the last stop's code was measured,
then tuned on), table-driven, on letters written here: "想麻烦同事吴海生帮我跑一趟" names the agent; a form's line about
the borrower ("海员姓名：庞志远（丈夫）") is not the agent's tie; "会员期一年" is a term; a template's date blanks
("自____年__月__日起至____年__月__日止") are not."""

from __future__ import annotations

import pytest

from tests.unit.review.conftest import elements


@pytest.mark.parametrize("text,part,present", [
    ("委托\n我下个月才上岸，想麻烦同事吴小生帮我跑一趟银行，把材料交了。\n", "agent", True),
    ("授权委托书\n委托人：陈小梅\n海员姓名：庞小远（丈夫）      所在船舶：某某散货轮\n受托人：麦小强    职务：关怀顾问\n", "relationship", False),
    ("入盟登记表\n姓名：何小艳\n本人授权联盟金融专员全权代表本人处理上述全部债务，会员期一年。\n", "term", True),
    ("授权委托书\n委托人：何小艳\n受托人：马小俊\n委托期限：自____年__月__日起至____年__月__日止。\n委托人（签字）：何小艳\n", "term", False),
    ("授权委托书\n委托人：何小艳\n受托人：马小俊\n委托期限：自2027年11月3日起至2028年11月2日止。\n", "term", True),
])
def test_parts_said_in_new_ways(text, part, present):
    assert elements(text)[part] is present
