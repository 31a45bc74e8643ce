"""Checks on a complaint letter: the signals of knowledge/signals.yaml, matched line by line with the project's
rule matcher (the letter is treated as caller text), plus a few patterns for how letters phrase the same things
(the taxonomy's patterns were written for speech: "以后只打这个号" rather than "今后仅通过以下号码联系本人").

Complaining is the consumer's right. Saying "我要向12378投诉" is not a finding; only pressure tactics are (naming
many channels at once, promising to complain every day, offering to withdraw for a waiver)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from assist.review.checks import finding
from assist.review.types import SEVERITY_ORDER, Finding, ReadDocument, Severity

if TYPE_CHECKING:
    from assist.risk.rules import RuleMatcher

# Signals that can show in a letter, with what the member of staff should make of each.
ADVICE = {
    "S1": "第三方代为主张：核实是否有合规的授权委托，并直接联系借款人本人确认意愿。",
    "S3": "要求只通过新号码联系：不要据此更改预留号码或停止联系本人；按流程回拨预留号码核实。",
    "S5": "一次提出全部减免、只还本金等诉求：协商本身正常，留意是否拒绝任何其他方案。",
    "S6": "把“停息挂账”说成法定权利：个性化分期只适用于信用卡，需双方协商，不是自动享有。",
    "S7": "以连环投诉施压：投诉是消费者的权利，照常受理；留意以撤诉换减免的说法。",
    "S8": "笼统指控违法：信中若写明具体时间、号码、录音，须按投诉认真核查；没有具体事实的只作参考。",
    "S9": "在减免之外索要精神损失等赔偿：核实是否有具体、可核查的损失。",
    "S12": "出现法务、咨询类公司代为主张：核实委托材料，直接联系借款人本人。",
    "S13": "使用成套行话（非恶意逾期、不可抗力、停催停诉等）：可能是照模板书写，仅作参考。",
    "S16": "要求删除征信记录：真实记录不能删除，异议按流程核查。",
    "S18": "提到向中介交费：借款人可能是中介的受害者，请提示风险并保护其账户安全。",
}
_SEVERITY: dict[str, Severity] = {"high": "high", "medium": "warn", "low": "info"}
_VICTIM = {"S18"}  # evidence that the borrower is a victim: inform, never a red flag against them
_CH = r"[^。！？\n]"

# (signal, severity, pattern) for letter phrasing.
LETTER_PATTERNS: tuple[tuple[str, Severity, re.Pattern[str]], ...] = (
    ("S3", "warn", re.compile(rf"(不要|不得|停止|请勿|勿|禁止|不准|不再)(再)?(拨打|联系|致电|骚扰|打扰){_CH}{{0,10}}"
                              r"(预留|原|原来|以前|此前|旧|本人)(的)?(手机号码|号码|手机|电话|联系方式)")),
    ("S3", "warn", re.compile(rf"(今后|以后|此后|日后|后续){_CH}{{0,10}}(仅|只)(能|可)?(通过|拨打|联系|致电|使用|打|与){_CH}{{0,14}}"
                              r"(号码|电话|手机|联系方式)")),
    ("S7", "warn", re.compile(rf"(将|会|就|要|必将|必定)(每天|每日|天天|反复|持续|不断|轮番|一直|多次|逐级){_CH}{{0,14}}"
                              r"(投诉|举报|信访|上访|12378|12363)")),
    ("S7", "warn", re.compile(rf"(投诉|举报){_CH}{{0,10}}(直到|直至){_CH}{{0,14}}(为止|解决)")),
    ("S7", "high", re.compile(rf"(撤回|撤销|撤掉|撤)(全部|所有)?(投诉|举报){_CH}{{0,10}}(前提|条件)|"
                              rf"(同意|答应|满足){_CH}{{0,16}}(即|就|便|马上|立即)(可)?(撤回|撤销|撤){_CH}{{0,14}}(投诉|举报)")),
    ("S5", "warn", re.compile(rf"(减免|免除|免去|豁免){_CH}{{0,3}}(全部|所有|一切)(的)?{_CH}{{0,4}}(利息|罚息|违约金|费用|复利)|"
                              r"(全部|所有|一切)(的)?(利息|罚息|违约金)(全部)?(予以)?(减免|免除|免去)")),
    ("S5", "warn", re.compile(r"(只|仅)(偿还|归还|还)(剩余)?本金")),
    ("S5", "info", re.compile(rf"(要求|申请|请求){_CH}{{0,10}}停息挂[账帐]")),
    ("S8", "info", re.compile(r"(暴力|野蛮|非法|违法|违规)催收|严重违(法|规|反)|侵犯(了)?(本人|我的)?(的)?(隐私|名誉|合法权益)")),
    ("S9", "warn", re.compile(rf"(赔偿|补偿|支付){_CH}{{0,8}}(精神|名誉|误工|损失费)")),
)
# Naming three or more channels in one sentence is the escalation pattern; naming one is an ordinary complaint.
_CHANNELS = re.compile(r"12378|12363|12315|12345|信访|上访|人民银行|金融监管|监管局|银保监|黑猫|媒体|市长热线|法院|公安|网信")
_NEGATION = re.compile(r"(不是|没有|没|并非|从未|从没|并未|未曾)\s*$")
_SENTENCE = re.compile(r"[^。！？!?\n]+")


_WRAP_END = re.compile(r"[。！？；：:!?;）)」”]$")


def paragraphs(doc: ReadDocument) -> list[tuple[str, list[tuple[int, int]]]]:
    """Lines joined back into paragraphs where a scan or PDF wrapped a sentence (a long line not ending in
    punctuation continues on the next), each with (offset in paragraph, offset in doc.text) for every joined line."""
    out: list[tuple[str, list[tuple[int, int]]]] = []
    text, segments = "", []  # type: str, list[tuple[int, int]]
    for ln, start in zip(doc.lines, doc.starts):
        segments.append((len(text), start))
        text += ln.text
        if len(ln.text.strip()) < 15 or _WRAP_END.search(ln.text.rstrip()):
            out.append((text, segments))
            text, segments = "", []
    if segments:
        out.append((text, segments))
    return out


def check_complaint(doc: ReadDocument, matcher: "RuleMatcher | None") -> list[Finding]:
    """Findings for a complaint letter, at most one per signal and line."""
    out: list[Finding] = []

    def add(signal: str, severity: Severity, start: int, end: int, name: str) -> None:
        msg = f"{name}：{ADVICE.get(signal, '仅作内部参考。')}"
        out.append(finding(doc, f"complaint.{signal}", severity, msg, start, end, signal=signal))

    for para, segments in paragraphs(doc):
        def at(p: int, segments: list[tuple[int, int]] = segments) -> int:
            return next(d + (p - q) for q, d in reversed(segments) if q <= p)

        if matcher is not None and para.strip():
            for hit in matcher.match(para):
                sig = hit.signal
                if sig.id not in ADVICE:
                    continue
                sev: Severity = "info" if sig.id in _VICTIM else _SEVERITY[sig.weight]
                add(sig.id, sev, at(hit.start), at(max(hit.start, hit.end - 1)) + 1, sig.name)
        for sid, sev, pat in LETTER_PATTERNS:
            for m in pat.finditer(para):
                if _NEGATION.search(para[max(0, m.start() - 6):m.start()]):
                    continue  # "本人从未要求只还本金"
                add(sid, sev, at(m.start()), at(max(m.start(), m.end() - 1)) + 1, _NAMES[sid])
                break
    for m in _SENTENCE.finditer(doc.text):
        named = {c.group(0) for c in _CHANNELS.finditer(m.group(0))}
        if len(named) >= 3:
            add("S7", "warn", m.start(), m.end(), "一次点名多个投诉渠道")
    # One finding per signal and line: the more severe of the taxonomy's hit and the letter pattern's.
    best: dict[tuple[str | None, int | None, int | None], Finding] = {}
    for f in out:
        key = (f.signal, f.page, f.line)
        if key not in best or SEVERITY_ORDER[f.severity] < SEVERITY_ORDER[best[key].severity]:
            best[key] = f
    return list(best.values())


_NAMES = {"S3": "要求只联系新号码", "S5": "全部减免、只还本金等诉求", "S7": "以连环投诉施压", "S8": "笼统指控违法",
          "S9": "索要额外赔偿"}
