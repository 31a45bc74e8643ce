"""Checks on a read document: what kind it is, then the findings for that kind, each with its evidence.

Pure logic over ReadDocument (no I/O). The rule matcher for complaint letters is passed in, built once by the
service from knowledge/signals.yaml. Every quote is masked (assist.pii) before it leaves this module.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from assist.review.privacy import mask_text
from assist.review.types import SEVERITY_ORDER, DocKind, Finding, ReadDocument, Severity

if TYPE_CHECKING:
    from assist.risk.rules import RuleMatcher

_CLAUSE_END = re.compile(r"[。！？；!?;，,\n]")
MAX_QUOTE = 120

# Kind markers. A title is a short first line; the body counts less than the title.
_AUTH_TITLE = re.compile(r"授权委托书|委托书|授权书|委托代理合同|债务委托|委托服务协议")
_AUTH_BODY = (re.compile(r"(?<![被受])委托人|本人.{0,30}现委托"), re.compile(r"受托人|被委托人|代理人|被授权人|受托方"))
_CERT_TITLE = re.compile(r"证明|诊断书|病历|出院记录|出院小结|低保证|特困")
_CERT_BODY = re.compile(r"兹证明|特此证明|兹有|经(我|本)(委|村|社区|院|单位|公司)?核实|情况属实")
_COMPLAINT_TITLE = re.compile(r"投诉|申诉|协商|申请|诉求|告知函|情况说明|反映|异议|疑问|建议|^致")
_COMPLAINT_BODY = (re.compile(r"借款|贷款|还款|催收|催款|逾期|分期|扣款|征信|欠款|利息"),
                   re.compile(r"投诉|反映|要求|诉求|申请|请求|希望|麻烦|请问|想问|咨询|请|能不能|可不可以|能否"))
_ADDRESS = re.compile(r"^(致|尊敬的|您好|你好|.{2,20}(公司|银行|中心|客服|负责人|领导)[:：])")
TITLE_MAX = 20


def classify(doc: ReadDocument) -> DocKind:
    """Authorisation letter, complaint letter, hardship certificate, or other, from title and body markers."""
    lines = [ln.text.strip() for ln in doc.lines if ln.text.strip()]
    title = lines[0] if lines and len(lines[0]) <= TITLE_MAX else ""
    text = doc.text
    score = {"authorisation": 0, "certificate": 0, "complaint": 0}
    if _AUTH_TITLE.search(title):
        score["authorisation"] += 3
    if all(p.search(text) for p in _AUTH_BODY):
        score["authorisation"] += 2
    if _CERT_TITLE.search(title) and not _AUTH_TITLE.search(title):
        score["certificate"] += 3
    if _CERT_BODY.search(text):
        score["certificate"] += 2
    if _COMPLAINT_TITLE.search(title) or any(_ADDRESS.search(ln) for ln in lines[:2]):
        score["complaint"] += 2
    if all(p.search(text) for p in _COMPLAINT_BODY):
        score["complaint"] += 2
    best = max(score, key=lambda k: score[k])  # ties keep the order above: authorisation, certificate, complaint
    return best if score[best] >= 2 else "other"  # type: ignore[return-value]


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
    """The clause around [start, end) of ``text``, masked (assist.review.privacy). Clause edges are punctuation, which never falls inside a
    phone or ID number, so masking sees whole numbers; an over-long clause is cut and a cut-off digit run dropped."""
    left = max((m.end() for m in _CLAUSE_END.finditer(text, 0, start)), default=0)
    m = _CLAUSE_END.search(text, end)
    right = m.start() if m else len(text)
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


def first(doc: ReadDocument, pattern: re.Pattern[str], text: str | None = None) -> re.Match[str] | None:
    return pattern.search(doc.text if text is None else text)


_CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}
DATE = re.compile(r"(\d{4})\s*(?:年\s*|[-./])(\d{1,2})\s*(?:月\s*|[-./])(\d{1,2})\s*日?"
                  r"|([〇零○一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,3})\s*日")


def _cn_number(s: str) -> int:
    """一九 / 十二 / 二十三 style numerals (only what dates use)."""
    if "十" in s:
        tens, _, ones = s.partition("十")
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)
    return int("".join(str(_CN_DIGITS[c]) for c in s))


def dates(text: str) -> list[tuple[dt.date, int, int]]:
    """Every valid calendar date written in the text (Arabic or Chinese numerals) with its offsets."""
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
    return [x for x in out if 1990 <= x[0].year <= 2100]


def run_checks(doc: ReadDocument, matcher: "RuleMatcher | None") -> tuple[DocKind, list[Finding]]:
    """Classify the document and run the checks for its kind; findings sorted by severity, then position."""
    from assist.review.authorisation import check_authorisation
    from assist.review.certificate import check_certificate
    from assist.review.complaint import check_complaint

    kind = classify(doc)
    if kind == "authorisation":
        found = check_authorisation(doc)
    elif kind == "certificate":
        found = check_certificate(doc)
    elif kind == "complaint":
        found = check_complaint(doc, matcher)
    else:
        found = []
    found.sort(key=lambda f: (SEVERITY_ORDER[f.severity], f.start if f.start is not None else -1, f.check))
    return kind, found
