"""What the sentence reader may never add, however sure it is (review.checks.elements._with_model): a typist's dashed
note or a chat's time divider is not the principal's signature, a start with no end ("从今天起…") is no term, and
"关系：委托代理律师" or "委托该中心指派的化解员" is a mandate, not a relationship. A scripted reader, sure of exactly that
sentence, stands in for the fitted model: what is tested is the refusal, not the model."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from assist.review.checks.elements import find_elements
from assist.review.checks.reading import reading_view
from assist.review.element_model import ElementReading, PartScore
from tests.unit.review.conftest import doc


@dataclass
class SureOf:
    """A reader sure (p = 0.99) that ``part`` is stated in the sentence holding ``words``, and of nothing else."""
    part: str
    words: str

    def scores(self, text: str) -> dict[str, PartScore]:
        at = text.index(self.words)
        return {self.part: PartScore(0.99, at, at + len(self.words))}


TYPIST = ("委托书\n我是王小军，让我弟弟王小民替我去网点交材料。\n"
          "（小军在工地回不来，电话里他说一句我打一句，原话照打。——李小红）\n")
MANDATE = "授权委托书\n委托人：王小军\n受托人：张小平，某某律师事务所律师\n与委托人关系：委托代理律师\n委托人签字：王小军\n"
ASSIGNED = ("委托说明\n本人刘小生，经某某债务化解服务中心上门帮扶，自愿委托该中心指派的化解员孙小明全权代表本人跟你们协商。\n"
            "刘小生（按手印）\n2027年4月8日\n")
DIVIDER = ("聊天记录\n—— 2026年11月27日 22:13 ——\n小倩：我是吴小倩，我授权蒋老师全权\n蒋老师：可以的\n"
           "—— 2026年11月27日 22:31 ——\n小倩：好的谢谢\n")
START = ("留言\n你好 我是借款人李小梅 上班时间不能接电话 从今天起我这笔账有事你们找我老公王小明 电话15887034216 "
         "他跟你们谈分期 他说了算 谢谢\n——李小梅\n")
PLAIN = "委托书\n我是王小军，让我弟弟王小民替我去网点交材料。\n以上都是我的意思\n"


@pytest.mark.parametrize("text,part,words,added", [
    (TYPIST, "signature", "——李小红", False),
    (MANDATE, "relationship", "与委托人关系:委托代理律师", False),
    (ASSIGNED, "relationship", "自愿委托该中心指派的化解员孙小明全权代表本人跟你们协商", False),
    (DIVIDER, "signature", "—— 2026年11月27日 22:13 ——", False),
    (START, "term", "从今天起我这笔账有事你们找我老公王小明", False),
    (PLAIN, "signature", "以上都是我的意思", True),     # the same reader adds a part it may add
])
def test_the_reader_never_adds_what_is_refused(text, part, words, added):
    reading = ElementReading(SureOf(part, words), add=0.7, drop=0.3)  # type: ignore[arg-type]
    assert reading_view(doc(text)).text.count(words) == 1
    assert find_elements(doc(text))[part].found is False          # the rules alone miss it in every case
    assert find_elements(doc(text), reading)[part].found is added
