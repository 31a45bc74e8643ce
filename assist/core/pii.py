"""Personal data in Chinese text: 18-digit 身份证号 (valid check digit, X included), bank card numbers (16-19 digits,
Luhn), mainland mobile numbers (+86 / 86- / 0086 prefixes). Masked before anything reaches a log, a store or a
language model. Separators (spaces, dashes) and full-width digits are recognised; amounts, dates, hotlines and
look-alikes with a wrong checksum are left alone."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from assist.core.text import fold_width

SpanType = Literal["id_card", "bank_card", "phone"]
PLACEHOLDER = {"id_card": "【身份证号】", "bank_card": "【银行卡号】", "phone": "【手机号】"}

# A run of digits (full-width ones are normalised first) with single spaces or dashes between groups; an ID may end
# in X. Neighbouring digits, letters or decimal points mean it is part of something else (an amount, a code).
_RUN = re.compile(r"(?<![0-9A-Za-z.])(?:\+?86[\s-]?|0086[\s-]?)?\d(?:[ -]?\d){6,22}(?:[ -]?[xX])?(?![0-9A-Za-z.])")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    type: SpanType

    def to_dict(self) -> dict[str, object]:
        return {"start": self.start, "end": self.end, "type": self.type}


def valid_id_card(digits: str) -> bool:
    """18 characters: region (first digit 1-8), a real birth date, sequence, ISO 7064 MOD 11-2 check digit."""
    if not re.fullmatch(r"[1-8]\d{16}[\dX]", digits):
        return False
    try:
        born = dt.date(int(digits[6:10]), int(digits[10:12]), int(digits[12:14]))
    except ValueError:
        return False
    if not dt.date(1900, 1, 1) <= born <= dt.date.today():
        return False
    return id_check_digit(digits[:17]) == digits[17]


def id_check_digit(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character of an 身份证号's first 17 digits."""
    return _ID_CHECK[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS)) % 11]


def luhn(digits: str) -> bool:
    total = 0
    for i, c in enumerate(reversed(digits)):
        d = int(c)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _classify(raw: str) -> SpanType | None:
    """What a matched run of digits is, if anything."""
    body = re.sub(r"[\s-]", "", raw).upper().lstrip("+")
    if re.fullmatch(r"(?:0086|86)?1[3-9]\d{9}", body):
        return "phone"
    if len(body) == 18 and valid_id_card(body):
        return "id_card"
    if 16 <= len(body) <= 19 and body.isdigit() and luhn(body) and not (len(body) == 18 and _id_shaped(body)):
        return "bank_card"
    return None


def _id_shaped(digits: str) -> bool:
    """An 18-digit run whose region and birth date look like an ID: a wrong check digit makes it an invalid ID,
    not a bank card (an 18-digit card whose digits 7-14 form a real date is about 1 in 2,000)."""
    if digits[0] not in "12345678":
        return False
    try:
        return dt.date(1900, 1, 1) <= dt.date(int(digits[6:10]), int(digits[10:12]), int(digits[12:14])) <= dt.date.today()
    except ValueError:
        return False


def find(text: str) -> list[Span]:
    """Spans of personal data in ``text`` (offsets into the text as given)."""
    norm = fold_width(text)   # full-width digits count; offsets stay those of ``text``
    spans: list[Span] = []
    for m in _RUN.finditer(norm):
        raw = m.group(0)
        kind = _classify(raw)
        if kind is None:
            # A run can hold a number next to another one ("13800138000 6222…"): try its space-separated parts.
            for part in re.finditer(r"\S+", raw):
                sub = _classify(part.group(0))
                if sub is not None:
                    spans.append(Span(m.start() + part.start(), m.start() + part.end(), sub))
            continue
        spans.append(Span(m.start(), m.end(), kind))
    return spans


def mask(text: str) -> str:
    """The text with every span replaced by a placeholder such as 【手机号】."""
    out, last = [], 0
    for s in find(text):
        out.append(text[last:s.start])
        out.append(PLACEHOLDER[s.type])
        last = s.end
    out.append(text[last:])
    return "".join(out)


_LONG_DIGITS = re.compile(r"(?:\d[\s\-]?){7,}\d|\d{6,}[xX]")


def mask_for_storage(text: str) -> str:
    """Stricter masking for what is kept (logs, stored chat history): the checked masks first, then any remaining run
    of 8+ digits (a mistyped ID or card number is still personal data; an order number is not worth the risk)."""
    return _LONG_DIGITS.sub("【数字】", mask(text))
