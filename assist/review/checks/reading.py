"""The form of a letter the checks read: full-width digits and punctuation folded to ASCII, traditional characters
(繁體) made simplified, and the Cantonese words a Hong Kong or Guangdong writer types (佢, 嘅, 唔, 畀, 喺, 我個仔…) put
into their Mandarin equivalents, every replacement of the same length so that an offset into the reading form is an
offset into the letter as written. Findings and elements quote the letter as written; only the matching uses this."""

from __future__ import annotations

import re
from dataclasses import replace

from assist.core.text import fold_width, simplify_aligned
from assist.review.types import ReadDocument

# 係 is "is" in Cantonese ("我係陳大文", "佢係我個仔") but the traditional form of 系 in 關係/聯係/體係: read as 是 unless a
# word it belongs to is around it. Done before the conversion to simplified, which would make it 系 either way.
_HAI = re.compile(r"(?<![關关联聯體体派世維维幹干直旁嫡星譜谱])係(?![數数統统列])")
# 係 typed as 系 in simplified ("我系梁伟文"), and 呢 as "this" before a measure word ("呢件事", "呢个"): read as 是, 这.
_HAI_SIMPLIFIED = re.compile(r"(?<=[我你他她佢])系(?![统列数])")
_NI = re.compile(r"呢(?=[个件份张次笔位度啲些])")
# Cantonese words of two characters or more, each with a Mandarin word of the same length (after simplification).
_PHRASES = (("唔该", "麻烦"), ("唔使", "不用"), ("唔好", "不要"), ("点样", "怎样"), ("乜嘢", "什么"), ("咩嘢", "什么"),
            ("边个", "哪个"), ("而家", "现在"), ("琴日", "昨天"), ("寻日", "昨天"), ("听日", "明天"), ("搞掂", "办好"),
            ("搞定", "办好"), ("老豆", "父亲"), ("老窦", "父亲"), ("阿妈", "母亲"), ("阿爸", "父亲"), ("家姐", "姐姐"),
            ("细佬", "弟弟"), ("细妹", "妹妹"), ("阿哥", "哥哥"), ("屋企", "家里"), ("同埋", "以及"), ("帮手", "帮忙"),
            ("钱银", "钱款"), ("依家", "现在"), ("交畀", "交给"), ("冇钱", "没钱"), ("知道晒", "都知道"), ("傾偈", "聊天"), ("倾偈", "聊天"))
# "我個仔" (my son), "我嘅女" (my daughter): 個仔/個女 after a possessive, not 女人/女士/女仔.
_KIN = re.compile(r"(?<=[我佢他她你])(?:个|嘅|的)(?:仔|女)(?![人士仔性子生孩])")
_CHARS = str.maketrans({"佢": "他", "哋": "们", "嘅": "的", "唔": "不", "畀": "给", "俾": "给", "咗": "了", "冇": "没",
                        "喺": "在", "搵": "找", "揾": "找", "嗰": "那", "𠮶": "那", "啲": "些", "睇": "看", "咁": "这", "攞": "拿",
                        "谂": "想", "諗": "想", "嚟": "来", "乜": "什", "噉": "这", "咪": "别"})
# 倾 (talk it over) as Cantonese uses it ("同你哋傾還款"), not 倾向/倾斜/倾听…
_KING = re.compile(r"倾(?![向斜诉听家销倒注泻覆城盆力心慕巢吐轧角泄])")
# Shaanxi and Gansu speech: 额 is "I" ("额是刘浩然", "跟额说", "额姐") except inside the words of amounts (金额, 额度,
# 余额, 额外…); 嫑 is 别 ("嫑打电话").
_E = re.compile(r"(?<![金余限总份差超定数名免罚借贷配面税欠高巨低全增减提降基票款入出息用账营销售缺满足固超小大巨差业等左右前])额"
                r"(?![度外头定数满]|\s*[:：])")


_ALA = re.compile(r"阿拉(?!善|伯|丁|尔|斯加|木图|山口|比卡|法特)")
_YI = re.compile(r"(?:(?<![\u4e00-\u9fa5])|(?<=[找给叫让跟和托同替帮问]))伊(?=讲|说|跟|答应|管|弄|的|在|电话|是|替|帮|代|来|去|办|定|同意|认|打理)"
                 r"|(?<=[找给叫让跟和托同问打])伊(?![犁利朗拉斯甸势])")


# Words speech input writes with a homophone ("为托" for 委托, "受权书" for 授权书, "签子" for 签字), each replaced by one of
# the same length so every offset stays the same. "受权人" (one who receives authority) is a real word and stays.
_SPOKEN = ((re.compile(r"(?<![作成])为托|委拖|萎托|尾托"), "委托"), (re.compile(r"受权(?![人方单])"), "授权"),
           (re.compile(r"(?<=[要来去得字人])签子|签子(?=[的:：\s]|$)", re.M), "签字"), (re.compile(r"(?<=[全])全(?=委托)"), "权"),
           (re.compile(r"(?<=\s)前字(?=\s*$|[:：])|(?<=[人本])前字", re.M), "签字"))


def fold_speech(text: str) -> str:
    """``text`` with the homophones speech input types for the words of entrusting put right (offsets unchanged)."""
    for pattern, word in _SPOKEN:
        text = pattern.sub(word, text)
    return text


# Markdown a writer types into a message or a note app ("**受托人**：周航", "## 期限", "> 引用"): the marks are blanked
# (same length), so a bold label reads as a label and a heading as its words. Underscores are a form's blanks, not
# markdown, and stay.
_MARKDOWN = re.compile(r"\*\*|^\s{0,3}#{1,6}(?=\s)|^\s{0,3}>(?=\s)", re.M)


# English field names a programmer or a bilingual form uses ("principal": "陈思远", "Agent: 王浩", "valid": "…"): read as the
# Chinese labels (padded with spaces to the same length), the value's opening quote blanked
_EN_LABELS = {"principal": "委托人", "grantor": "委托人", "agent": "受托人", "attorney": "受托人", "trustee": "受托人",
              "relation": "关系", "relationship": "关系", "scope": "委托事项", "matters": "委托事项", "powers": "委托事项",
              "term": "有效期", "valid": "有效期", "validity": "有效期", "period": "有效期", "date": "日期",
              "signature": "签字", "signed": "签字"}
_EN_LABEL = re.compile(r'^(\s*)("?)(' + "|".join(sorted(_EN_LABELS, key=len, reverse=True)) + r')("?)(\s*:\s*)("?)',
                       re.IGNORECASE | re.MULTILINE)


_AUTHORISE = re.compile(r"[Aa]uthori[sz]e[sd]?")


def _en_label(m: re.Match[str]) -> str:
    key = m.group(2) + m.group(3) + m.group(4)
    label = _EN_LABELS[m.group(3).lower()]
    return m.group(1) + label + " " * (len(key) - len(label)) + m.group(5) + " " * len(m.group(6))


def reading_text(text: str) -> str:
    """``text`` as the checks read it (same length, same offsets): width-folded, simplified, Cantonese made Mandarin,
    markdown marks blanked."""
    text = fold_width(text)
    if ":" in text:
        text = _EN_LABEL.sub(_en_label, text)
    if "uthori" in text:        # "我authorise我的爸爸…帮我处理": the English verb of a Singapore or Hong Kong writer
        text = _AUTHORISE.sub(lambda m: "授权" + " " * (len(m.group(0)) - 2), text)
    if "**" in text or "#" in text or ">" in text:
        text = _MARKDOWN.sub(lambda m: " " * len(m.group(0)), text)
    if text.isascii():
        return text
    # the Hakka "I" ("𠊎系钟石生"), read before 系 is (which looks for the pronoun before it)
    text = simplify_aligned(_HAI.sub("是", text.replace("\U0002028E", "我")))
    text = _NI.sub("这", _HAI_SIMPLIFIED.sub("是", text))
    for word, mandarin in _PHRASES:
        if word in text:
            text = text.replace(word, mandarin)
    text = _KIN.sub(lambda m: "儿子" if m.group(0)[-1] == "仔" else "女儿", text)
    if "额" in text or "嫑" in text:
        text = _E.sub("我", text).replace("嫑", "别")
    # 俺 is "I" (or with 们 "we") wherever it is written: Henan, Shandong, Anhui, Hebei, the North-east
    text = text.replace("俺", "我")
    # Wu speech (Shanghai, Ningbo, Zhoushan): 阿拉 is "we/my" ("阿拉囡", "阿拉阿侄"), 伊 "he/she" ("找伊", "伊讲的我认")
    if "阿拉" in text:
        text = _ALA.sub("我的", text)
    if "伊" in text:
        text = _YI.sub("他", text)
    return fold_speech(_KING.sub("谈", text.translate(_CHARS)))


def reading_view(doc: ReadDocument) -> ReadDocument:
    """``doc`` with every line in its reading form (reading_text); positions, pages and boxes unchanged."""
    lines = tuple(ln if (t := reading_text(ln.text)) == ln.text else replace(ln, text=t) for ln in doc.lines)
    return replace(doc, lines=lines)
