"""Evidence for review findings: where a span sits (page, line), the masked clause that quotes it, and the dates a
letter gives. Pure functions over ReadDocument."""

from __future__ import annotations

import datetime as dt
import re

from assist.core.text import LETTER_CLAUSE_BREAKS, clause_bounds
from assist.review.masking import mask_text
from assist.review.types import Finding, ReadDocument, Severity

MAX_QUOTE = 120


def locate(doc: ReadDocument, start: int) -> tuple[int, int]:
    """(page, line number) of the character at ``start`` in doc.text."""
    starts = doc.starts
    idx = 0
    for i, s in enumerate(starts):
        if s > start:
            break
        idx = i
    ln = doc.lines[idx]
    return ln.page, ln.line_no


def quote_of(text: str, start: int, end: int) -> str:
    """The clause around [start, end) of ``text``, masked (assist.review.masking). Clause edges are punctuation, which never falls inside a
    phone or ID number, so masking sees whole numbers; an over-long clause is cut and a cut-off digit run dropped."""
    left, right = clause_bounds(text, start, end, LETTER_CLAUSE_BREAKS)
    if right - left > MAX_QUOTE:
        left, right = max(left, start - 30), min(right, max(end, start + 30) + 30)
    q = text[left:right].strip()
    q = re.sub(r"^\d+|\d+$", "…", q) if right - left >= MAX_QUOTE else q
    return mask_text(q)


def finding(doc: ReadDocument, check: str, severity: Severity, message: str, start: int | None = None,
            end: int | None = None, signal: str | None = None, quote: str | None = None) -> Finding:
    """A finding with its evidence located in ``doc`` (no position when something is missing)."""
    if start is None or end is None:
        return Finding(check, severity, message, signal=signal)
    page, line = locate(doc, start)
    q = quote if quote is not None else quote_of(doc.text, start, end)
    return Finding(check, severity, message, q, page, line, start, end, signal)


_CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)[a-z]*\.?"
# The borrower withdrawing an agency's authority ("委托书我撤回", "该授权已撤销", "跟他们说不做了").
REVOKED = re.compile(r"(?:委托|授权)(?![人方])[^。\n]{0,24}?(?:已|经)[^。\n]{0,24}?(?:撤销|撤回|作废|做废|解除|终止|取消)"
                      r"|(?<!不可)(?<!不得)(?<!不能)(?<!如需)(?<!如要)(?<!若需)(?<!若要)(?<!如果要)(?<!单方)(?<!中途)(?<!擅自)"
                      r"(?<!劝您)(?<!劝你)(?<!劝)"   # an agency warning its customers off: "如有家属来劝您撤销委托"
                      r"(?:撤销|撤回|解除|终止|取消|收回)[^。\n]{0,12}?(?:对|给|向)?[^。\n]{0,20}?"
                      # not "撤销对委托人的征信上报", not a contract's clause "中途解约、撤销授权或自行协商的，已付服务费概不退还"
                      # ("撤销委托的已交服务费不退")
                      r"(?:的)?(?:委托|授权)(?![人方])(?![^。\n,，]{0,16}?的[,，])(?![^。\n,，]{0,10}?不退)"
                      r"|(?:委托书|授权书)[^。\n]{0,24}?(?:起)?(?:撤销|撤回|收回|作废|做废|失效)|无权(?:再)?以(?:本人|我)的?名义"
                      # "撤销的纸我已经写了": the revocation written and sent
                      r"|(?:撤销|撤回|解除)(?:委托|授权)?的?(?:纸|条子|单子|声明|通知书?|信)[^。\n]{0,6}?(?:已|写了|寄了|发了|交了|递了)"
                      # "以后他们用我名义跟你们说的、谈的、签的，我都不认"
                      r"|(?:用|以)(?:我|本人)的?名义[^。\n]{0,24}?(?:我|本人)(?:都|全|一概|一律)?不(?:认|承认|认可)"
                      # a lawyer's letter: "该协议已由葛先生书面解除。该公司及其人员无权代表葛先生"
                      r"|(?:服务|委托|代理)(?:协议|合同)[^。\n]{0,16}?(?:已|经)[^。\n]{0,16}?(?:解除|终止|撤销)"
                      r"|无权(?:再)?代表(?:委托人|当事人|借款人|本人|我|[\u4e00-\u9fa5]{1,3}(?:先生|女士))"
                      # "代为办理解除委托人与X公司之间委托关系的相关事宜"
                      r"|解除[^。\n]{0,60}?之间的?(?:委托|代理|服务)(?:关系|协议|合同)"
                      # "那个“…互助会”的人不是我家的人，他们说哪样都不算数", "跟他们说了退盟"
                      r"|(?:的人|他们)不是我(?:家|们家)?的人|说了?(?:退盟|退会|退社|退出)"
                      # "此后任何以该中心名义代委托人所作的意思表示，均不代表委托人本人"
                      r"|(?:以|用)[^。\n]{0,8}?名义[^。\n]{0,20}?(?:均|都)?不(?:能)?代表(?:委托人|本人|我)"
                      # "已经跟他们说不做了": the borrower has left the agency
                      r"|(?:跟|和|同|向)(?:他们|她们|对方|该公司|那家公司|那个公司|这家公司|这个公司|中介|那边)[^。\n]{0,6}?[说讲][^。\n]{0,3}?"
                      r"(?:不做了|不干了|不委托了|解约|退出|(?:不要|不用|别|不让|不需要)(?:他|她)们(?:再)?(?:管|办|插手|代理))"
                      # "那个公司再代表我说啥，你们都别认": the borrower disowning what the agency says in their name
                      r"|(?:代表|代)(?:我|本人)[^。\n]{0,10}?(?:你们|贵司|贵公司|贵行)?都?(?:别|不要|勿|不用)(?:认|承认|理|理会)"
                      # ended with them, however said: "终止了与上岸学堂的合作", "把律师团炒了", "不找他们了"
                      r"|(?:终止|解除|停止|结束|退掉)了?(?:与|和|跟|同)(?!委托人|本人|借款人|我|你们|贵)[^。\n]{0,20}?"
                      r"(?:公司|中心|学堂|机构|法务部|律师团|团队|工作室|中介|他们|她们|对方)的?(?:合作|服务|协议|合同|委托(?!人))"
                      r"|(?:炒了|辞退了|开了|退了)(?:他们|她们)|把(?:他们|她们|[^。\n]{0,12}?(?:公司|中心|学堂|法务部|律师团|团队))"
                      r"(?:炒|辞|开|退)了|不(?:再)?(?:用|找|理|跟)(?:他们|她们|那家公司|那个公司|该公司|中介)(?:了|合作)"
                      # taking the dealings back: "从今天起这笔账我自己跟你们对接", "不通过任何公司"
                      r"|(?:从今天起|从今以后|从现在起|今后|以后|往后|现在起)[^。\n]{0,8}?(?:我|本人)(?:自己|亲自)(?:来)?"
                      r"(?:跟|和|与|同|直接)?(?:你们|贵司|贵行|贵公司|平台)?(?:对接|沟通|协商|谈|商量|联系|处理)"
                      r"|不(?:再)?(?:通过|经过)任何(?:啥)?(?:公司|机构|中介|第三方|站)"
                      # a lawyer's letter: "该机构不是雷振虎先生的代理人"
                      r"|(?:不是|并非|不再是)[^。\n]{0,10}?的?(?:代理人|受托人)"
                      r"|(?:我|本人|俺|额)的(?:贷款|借款|账|帐|债|欠款)(?:我|本人|俺|额)?(?:自己|亲自)(?:来)?(?:跟|和|与|同)(?:你们|贵司|贵行|贵公司|平台)"
                      r"(?:谈|协商|对接|沟通|商量)"
                      # "以后他们发给你们的任何东西都不代表我"
                      r"|(?:他们|她们|该公司|那家公司|那个公司|对方|中介)[^。\n]{0,20}?(?:都|均|一律)?不(?:能)?代表(?:我|本人)"
                      # "我给他们签的委托，我不要了，收回来了", "那不是我的意思，不算数", "现在我的事情，我自己跟你们讲"
                      r"|(?:委托|授权)[^。\n]{0,6}?[,，]?(?:我)?(?:也|都|已经?)?(?:不要了|收回来了|收回了|作废了|不算数|不算了|撤回了|撤销了)"
                      r"|不是我的意思[^。\n]{0,3}?不算数?"
                      r"|(?:我|本人)的(?:事情?|事儿)[^。\n]{0,3}?(?:我|本人)?(?:自己|亲自)(?:来)?(?:跟|和|与|同)(?:你们|贵司|贵行|贵公司)"
                      r"(?:讲|说|谈|协商|对接|沟通|商量)"
                      # a relative disowning an agency that says it acts: "那不是我们家正经请的…那都不是我们的意思，别按他们说的来"
                      r"|不是(?:我们家|我家|俺家|我们|我|本人|俺)[^。\n,，]{0,4}?(?:请|找|委托|授权)的"
                      r"|(?:都|也|全)?不是(?:我们家|我家|俺家|我们|俺们|我|本人|俺)的意思"
                      # "他们发的东西不是我父亲的意思": the borrower's own will, said by a relative
                      r"|不是(?:我|我们|俺)的?(?:父亲|母亲|爸爸|妈妈|爸|妈|老人|丈夫|妻子|老公|老婆|儿子|女儿)(?:本人)?的意思"
                      r"|(?:别|不要|勿)(?:按|照|听)(?:他们|她们|该公司|那家公司|中介|对方)(?:说|讲|要求)的(?:来|办|做|弄)"
                      r"|与本委托无关|不再委托")
# An organisation that lends (the lender a letter is written to, or a bank it names): never the agent, never the issuer
LENDER = re.compile(r"银行|消费金融|小额贷款|小贷|信用卡中心|融资担保|信托|汽车金融|融资租赁|金融租赁|信用(?:合作)?(?:联)?社|农信社|农商行")
# Western forms a Hong Kong or overseas writer uses: 7/12/2026 (day first unless the day cannot be a month's),
# 7 Dec 2026, Dec 7, 2026.
WESTERN_DATE = re.compile(rf"(?<![\d./-])(?P<a>\d{{1,2}})\s*[-./]\s*(?P<b>\d{{1,2}})\s*[-./]\s*(?P<y>\d{{4}})(?![\d./-])"
                          rf"|(?<![\dA-Za-z])(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m1>{MONTH}),?\s+(?P<y1>\d{{4}})(?!\d)"
                          rf"|(?<![A-Za-z])(?P<m2>{MONTH})\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y2>\d{{4}})(?!\d)",
                          re.IGNORECASE)
DATE = re.compile(r"(\d{4})\s*(?:年\s*|[-./])(\d{1,2})\s*(?:月\s*|[-./])(\d{1,2})\s*日?"
                  r"|([〇零○一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,3})\s*日")


def _cn_number(s: str) -> int:
    """一九 / 十二 / 二十三 style numerals (only what dates use)."""
    if "十" in s:
        tens, _, ones = s.partition("十")
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)
    return int("".join(str(_CN_DIGITS[c]) for c in s))


def western_date(m: re.Match[str]) -> tuple[int, int, int]:
    """(year, month, day) of a WESTERN_DATE match; 7/12/2026 is read day first, 12/31/2026 month first."""
    if m.group("y"):
        a, b = int(m.group("a")), int(m.group("b"))
        day, month = (b, a) if b > 12 >= a else (a, b)
        return int(m.group("y")), month, day
    k = "1" if m.group("m1") else "2"
    return int(m.group("y" + k)), _MONTHS.index(m.group("m" + k)[:3].lower()) + 1, int(m.group("d" + k))


def dates(text: str) -> list[tuple[dt.date, int, int]]:
    """Every valid calendar date written in the text (Arabic or Chinese numerals, or a Western form) with its
    offsets, in the order they are written."""
    out = []
    for m in DATE.finditer(text):
        try:
            if m.group(1):
                y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
            else:
                y, mo, d = _cn_number(m.group(4)), _cn_number(m.group(5)), _cn_number(m.group(6))
            out.append((dt.date(y, mo, d), m.start(), m.end()))
        except (ValueError, KeyError):
            continue
    for m in WESTERN_DATE.finditer(text):
        try:
            out.append((dt.date(*western_date(m)), m.start(), m.end()))
        except ValueError:
            continue
    out.sort(key=lambda x: x[1])
    return [x for x in out if 1990 <= x[0].year <= 2100]
