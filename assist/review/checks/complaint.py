"""Checks on a complaint letter: the signals of knowledge/signals.yaml, matched line by line with the project's
rule matcher (the letter is treated as caller text), plus a few patterns for how letters phrase the same things
(the taxonomy's patterns were written for speech: "以后只打这个号" rather than "今后仅通过以下号码联系本人").

Complaining is the consumer's right. Saying "我要向12378投诉" is not a finding; only pressure tactics are (naming
many channels at once, promising to complain every day, offering to withdraw for a waiver)."""

from __future__ import annotations

import re

from assist.core.channels import COMPLAINT_HOTLINES
from assist.core.text import LETTER_DENIAL, SENTENCE_BREAKS, clause_bounds, negated, split_clauses
from assist.review.checks.elements import KIN
from assist.review.checks.evidence import REVOKED, finding
from assist.review.policy import ReviewPolicy
from assist.review.types import SEVERITY_ORDER, Finding, ReadDocument, Severity

_SEVERITY: dict[str, Severity] = {"high": "high", "medium": "warn", "low": "info"}
CHANNELS_FINDING = "complaint.channels"

# Naming three or more channels in one sentence is the escalation pattern; naming one is an ordinary complaint.
_CHANNELS = re.compile("|".join((*COMPLAINT_HOTLINES, "信访", "上访", "人民银行", "金融监管", "监管局", "银保监", "黑猫",
                                  "媒体", "市长热线", "法院", "公安", "网信")))

# One body under several names: 12378 is the financial regulator's hotline, 12363 the central bank's.
_SAME_BODY = {"12378": "金融监管", "监管局": "金融监管", "银保监": "金融监管", "12363": "人民银行"}
# Rights reserved, not channels used to press: "保留向公安机关报案和向法院起诉的权利"
_RESERVED = re.compile(r"保留[^。！？\n]{0,30}?权利")


# The borrower taking contact back from someone who wrote in their name: the number on an earlier letter (or one an
# agency gave) is "not mine", and the lender should call the borrower's own number. That is the opposite of an agency
# diverting contact to its own number, so a "only call this number" hit in such a paragraph is a note, not a warning.
_NOT_MINE = re.compile(r"(?:函|信(?!用)|材料|申请书?|那边|他们|中介|(?<![贵你我])公司|机构)[^。！？\n]{0,10}?(?:电话|号码|号|手机)[^。！？\n]{0,4}?"
                       r"(?:不是|并非|不属于)(?:我|本人)")
_OWN_NUMBER = re.compile(r"(?:打|联系|找|拨|用)(?:我|本人)?(?:自己|本人)(?:的|这个|的这个)?(?:号|电话|手机|号码|\d|【)")
_NUMBER_WORDS = re.compile(r"号|电话|手机|联系")
RECLAIM_NAME = "本人要求改回自己的号码"
RECLAIM_ADVICE = ("借款人说此前材料上的号码不是本人的，要求联系本人：按流程核实本人身份后更新联系方式；此前的材料可能由中介代发，"
                  "请提示风险。")


# "我叫何嘉欣，是你们客户何家辉的妹妹", "我是他老婆": a relative writing for the borrower (elements.KIN: the kin words)
_FAMILY_WRITES = re.compile(rf"(?:我|本人)(?:叫[^，。,\n]{{2,4}}[，,]?)?(?:就)?(?:是|系)[^，。,\n]{{0,16}}?({KIN})")
# the writer is the agency: "我们公司", "本中心", "我司"
_OWN_AGENCY = re.compile(r"我们?的?(?:公司|中心|机构|团队|工作室)|本(?:公司|中心|机构|团队|工作室)|我司")
_QUOTED = re.compile(r"[“\"「『][^”\"」』\n]{0,40}[”\"」』]")
_NOT_FAMILY = {"朋友", "好友", "同学", "同事", "同村", "邻居", "同门", "老乡", "亲戚", "亲属"}   # agencies pose as these
_AGENCY_WORDS = re.compile(r"公司|机构|中心|工作室|团队|法务|顾问|专员|律师(?!事务所)|委托我|服务费|咨询费|会员费|群主|上岸"
                           # someone directing how the letter is filled in: "韩老师说等平台回了再填"
                           r"|(?:老师|经理|导师)(?:说|让|叫|要)")


# A public body writing for a resident ("我是…居民委员会的社工", a letter signed by the 居委会 or the 残联): lawful help.
_PUBLIC_SELF = re.compile(r"我是[^。\n]{0,24}?(?:居民委员会|居委会|村民委员会|村委会|社区|街道|司法所|残疾人联合会|残联|法律援助)"
                          r"[^。\n]{0,6}?(?:的)?(?:社工|工作人员|主任|书记|干部|网格员|律师)")
_PUBLIC_SIGNS = re.compile(r"^\s*[^\n]{0,20}(?:居民委员会|居委会|村民委员会|村委会|社区居委会|残疾人联合会|司法所)\s*$", re.M)


def _public_writes(text: str) -> bool:
    """The letter is written or signed by a public body (the writer says they work for one near the start, or one of
    its last six lines is the body's name alone)."""
    foot = "\n".join(text.strip().split("\n")[-6:])
    return _PUBLIC_SELF.search(text, 0, 400) is not None or _PUBLIC_SIGNS.search(foot) is not None


# a form's line naming who wrote it and their tie: "代书人：程静（借款人之女）"
_FAMILY_SIGNS = re.compile(rf"(?:代书人|代笔人|代写人|书写人|写信人|申请人|填写人)\s*[:：][^\n]{{0,16}}?(?:借款人|持卡人|委托人)(?:的)?({KIN})")


def _family_writes(text: str) -> bool:
    """The writer says they are the borrower's family (friends and colleagues do not count: agencies pose as them)."""
    bare = re.sub(r"[(（][^()（）\n]{0,60}[)）]", "", text)    # "我是借款人陆桂芬（ID…，手机…）的儿子"
    kin = [m.group(1) for t in (text, bare) for m in _FAMILY_WRITES.finditer(t)] \
        + [m.group(1) for m in _FAMILY_SIGNS.finditer(text)] + [m.group(1) for m in _FAMILY_BORROWER.finditer(text)]
    return bool(kin) and not set(kin) <= _NOT_FAMILY or _FAMILY_DEBT.search(text) is not None


# "我父亲的借款，我们家从来没说过不还": the writer speaks of a parent's or a spouse's debt as family
_FAMILY_DEBT = re.compile(r"我(?:的)?(?:父亲|母亲|爸爸|妈妈|老伴|丈夫|妻子|爱人|儿子|女儿|老公|老婆)的(?:借款|贷款|欠款|账|帐|债)")
# ... or names the borrower as their kin, with the loan's details: "我妹夫李建伟（身份证尾号2437，借款合同号…）"
_FAMILY_BORROWER = re.compile(rf"我的?({KIN})[\u4e00-\u9fa5]{{2,4}}\s*[(（][^)）\n]{{0,60}}?(?:借款|合同号|身份证)")



# What someone else told the borrower ("一个叫金盾债务优化的 说能帮我跟你们协商 停息挂帐 只还本金", "中介说可以全免"): an
# agency's pitch retold by its victim is not the borrower's own demand.
_REPORTED = re.compile(r"(?:(?:他|她|他们|她们|对方|中介|那边|那人|人家|的|机构|公司|客服|老师|经理|专员|微信|个人)\s*(?:跟我|和我|对我)?\s*"
                       r"(?:说|讲|称|告诉我|保证|承诺|吹)(?:是|能|可以|会|帮|包|肯定|保证)?"
                       # the same speaker, unnamed in the next clause: "…讲得好靓，讲可以帮我全部停息"
                       r"|[,，]\s*(?:又|还)?(?:说|讲)(?:是|能|可以|会|帮|包|肯定|保证))[^。！？\n]{0,40}$")


def _retold(para: str, start: int) -> bool:
    return _REPORTED.search(para, max(0, start - 40), start) is not None


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


# a company the lender hired, as the letter tells it: "一个叫某某信息咨询公司的给我打电话，说是你们委托的催收"
_LENDERS_MANDATE = re.compile(r"(?:你们|您们|贵司|贵公司|贵行|贵平台)(?:的)?委托|受(?:你们|您们|贵司|贵公司|贵行|贵平台)(?:的)?委托")


def check_complaint(doc: ReadDocument, policy: ReviewPolicy) -> list[Finding]:
    """Findings for a complaint letter, at most one per signal and line."""
    out: list[Finding] = []

    def add(signal: str, severity: Severity, start: int, end: int, name: str) -> None:
        if reclaims and severity != "high" and _NUMBER_WORDS.search(doc.text, start, end):
            severity, msg = "info", f"{RECLAIM_NAME}：{RECLAIM_ADVICE}"
        else:
            msg = f"{name}：{policy.advice(signal) or '仅作内部参考。'}"
        out.append(finding(doc, f"complaint.{signal}", severity, msg, start, end, signal=signal))

    reclaims = bool(_NOT_MINE.search(doc.text) and _OWN_NUMBER.search(doc.text))
    agency_words = _AGENCY_WORDS.search(doc.text) is not None
    # the agency's own words quoted by the borrower ("他们用“本中心受服务对象委托”的名义发的信") are not the writer's voice
    own_agency = _OWN_AGENCY.search(_QUOTED.sub("", doc.text)) is not None
    family = _family_writes(doc.text)
    # the borrower telling of an agency they have left ("之前签给他们的委托书我撤回…请直接联系我本人"): its signs are their
    # story, a note for staff, never a finding against the writer
    left = REVOKED.search(doc.text) is not None and not own_agency
    public = _public_writes(doc.text) and not own_agency
    for para, segments in paragraphs(doc):
        def at(p: int, segments: list[tuple[int, int]] = segments) -> int:
            return next(d + (p - q) for q, d in reversed(segments) if q <= p)

        if policy.matcher is not None and para.strip():
            for hit in policy.matcher.match(para):
                sig = hit.signal
                if not sig.review.advice or (sig.category != "victim" and _retold(para, hit.start)):
                    continue
                a, b = clause_bounds(para, hit.start, hit.end, "。！？!?\n")
                if any(u.search(para[a:b]) for u in sig.unless):
                    continue    # the signal's lawful readings, over the letter's sentence and not only the spoken clause:
                                # "如果可以，前三个月停利息，只还本金，等年底好了我多还一点" asks for a hardship plan
                if sig.category == "intermediary" and _LENDERS_MANDATE.search(para, hit.start, hit.end + 8):
                    continue    # the lender's own collector ("说是你们委托的催收"): no paid agent of the borrower's
                # evidence that the borrower is a victim informs staff; it is never a red flag against them
                sev: Severity = "info" if sig.category == "victim" else _SEVERITY[sig.weight]
                # a signal that alone justifies at most a level does not make a higher finding alone (S1: someone
                # else writing only asks for their authority to be checked), and family writing for family is
                # the lawful case the taxonomy names: a note to verify the authorisation
                if sig.discourse == "third_party" and (family or public) and not own_agency or left:
                    sev = "info"        # family writing (an agency they tell of is a story, not the writer)
                elif not agency_words:
                    sev = max(sev, _SEVERITY[sig.alone_at_most], key=SEVERITY_ORDER.__getitem__)
                add(sig.id, sev, at(hit.start), at(max(hit.start, hit.end - 1)) + 1, sig.name)
        for sig, lp in policy.letter_patterns():
            for m in lp.pattern.finditer(para):
                if negated(para, m.start(), LETTER_DENIAL, lookback=6) or _retold(para, m.start()):
                    continue  # "本人从未要求只还本金", "中介说能只还本金"
                # a family member (often the agent the borrower named) asking to be the one called is lawful
                lawful = left or family and not own_agency and sig.review.family_note
                add(sig.id, "info" if lawful else lp.severity,  # type: ignore[arg-type]
                    at(m.start()), at(max(m.start(), m.end() - 1)) + 1, sig.review.letter_name)
                break
    channels = policy.signal_for(CHANNELS_FINDING)
    for a, b in split_clauses(doc.text, SENTENCE_BREAKS):
        reserved = [r.span() for r in _RESERVED.finditer(doc.text, a, b)]
        named = {_SAME_BODY.get(c.group(0), c.group(0)) for c in _CHANNELS.finditer(doc.text, a, b)
                 if not any(r0 <= c.start() < r1 for r0, r1 in reserved)}
        if channels is not None and len(named) >= 3:
            add(channels, "warn", a, b, "一次点名多个投诉渠道")
    # One finding per signal and line: the more severe of the taxonomy's hit and the letter pattern's.
    best: dict[tuple[str | None, int | None, int | None], Finding] = {}
    for f in out:
        key = (f.signal, f.page, f.line)
        if key not in best or SEVERITY_ORDER[f.severity] < SEVERITY_ORDER[best[key].severity]:
            best[key] = f
    return list(best.values())

