"""Personal data in Chinese text: 18-digit 身份证号 (valid check digit, X included), bank card numbers (16-19 digits,
Luhn), mainland mobile numbers (+86 / 86- / 0086 prefixes). Masked before anything reaches a log, a store or a
language model; this module is the one masker (document review, logs, stores and echoes all call it).

What counts as a number here, because that is how people and speech recognition write them:
- ASCII and full-width digits, and Chinese numerals read digit by digit (一三八…, 幺 for 1, 〇/零/○ for 0, 两 for 2,
  the capital forms 壹贰叁…), also mixed within one number;
- groups separated by spaces, dashes, dots, middle dots, underscores, slashes or tildes (138.0013.8000, 138_0013_8000);
- numbers glued to letters (tel15697880932, 证件ID510107…): only a neighbouring *digit* makes a run part of something
  longer.
A run that holds several numbers ("2025.11.25 13800138000") is cut at its separators and the cut that covers the most
digits with checked numbers wins; a bank card must also look like one (one block, or blocks of four), because Luhn
alone passes one random run in ten. Amounts, dates, hotlines, order numbers and look-alikes with a wrong checksum are
left alone by ``mask``; ``mask_for_storage`` also hides any other run of 8 or more digits."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Literal

from assist.core.text import fold_width

SpanType = Literal["id_card", "bank_card", "phone"]
PLACEHOLDER = {"id_card": "【身份证号】", "bank_card": "【银行卡号】", "phone": "【手机号】"}
RESIDUAL = "【数字】"          # any other long run of digits, in what is stored
GARBLED = "【号码】"           # a long number garbled by OCR (document review)

# Chinese numerals as digits read out one by one. Positional ones (十百千万) are not digits: 一万二千 is an amount.
CN_DIGITS = {"零": "0", "〇": "0", "○": "0", "一": "1", "幺": "1", "壹": "1", "二": "2", "两": "2", "贰": "2",
             "三": "3", "叁": "3", "四": "4", "肆": "4", "五": "5", "伍": "5", "六": "6", "陆": "6", "七": "7",
             "柒": "7", "八": "8", "捌": "8", "九": "9", "玖": "9"}
_CN_TABLE = str.maketrans(CN_DIGITS)
_SEP_CHARS = " \t-.·_/—–~"
_SEP = r"[ \t\-.·_/—–~]"
# A run: digits with at most a few separator characters between them, an optional leading + and trailing X (an ID's
# check character). Only a neighbouring digit makes it part of something longer; letters and CJK text do not.
_RUN = re.compile(rf"(?<![0-9])\+?[0-9](?:{_SEP}{{0,3}}[0-9]){{6,}}(?:{_SEP}?[xX])?(?![0-9])")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_MAX_SPAN_DIGITS = 22       # 0086 + 11, or 19 for a card: nothing longer is one number
_MAX_SPAN_GROUPS = 8


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


def digit_view(text: str) -> str:
    """``text`` with full-width characters folded and Chinese digit numerals turned into ASCII digits, character for
    character (every offset into the result is an offset into ``text``)."""
    return fold_width(text).translate(_CN_TABLE)


def _id_shaped(digits: str) -> bool:
    """An 18-digit run whose region and birth date look like an ID: a wrong check digit makes it an invalid ID,
    not a bank card (an 18-digit card whose digits 7-14 form a real date is about 1 in 2,000)."""
    if digits[0] not in "12345678":
        return False
    try:
        return dt.date(1900, 1, 1) <= dt.date(int(digits[6:10]), int(digits[10:12]), int(digits[12:14])) <= dt.date.today()
    except ValueError:
        return False


@dataclass(frozen=True)
class _Group:
    start: int            # offsets into the text
    end: int
    digits: str           # ASCII digits (an ID's final X included)
    sep_before: str       # the separator characters between this group and the previous one ("" for the first)


def _groups(view: str, raw: str, start: int, end: int) -> list[_Group]:
    """The digit groups of a run: cut at separators and where Chinese numerals meet ASCII digits."""
    out: list[_Group] = []
    i = start
    sep = ""
    while i < end:
        ch = view[i]
        if ch in _SEP_CHARS or ch == "+":
            sep += ch
            i += 1
            continue
        j = i
        cn = raw[i] in CN_DIGITS
        while j < end and (view[j].isdigit() or view[j] in "xX") and (raw[j] in CN_DIGITS) == cn:
            j += 1
        if j == i:          # cannot happen for a regex match; guard against an endless loop all the same
            j = i + 1
        out.append(_Group(i, j, view[i:j].upper(), sep))
        sep = ""
        i = j
    return out


def _classify(groups: list[_Group]) -> SpanType | None:
    """What consecutive groups form, if anything: the checks, and for a card also its look."""
    body = "".join(g.digits for g in groups)
    if "X" in body[:-1]:
        return None
    if re.fullmatch(r"(?:0086|86)?1[3-9]\d{9}", body):
        return "phone"
    if len(body) == 18 and valid_id_card(body):
        return "id_card"
    if 16 <= len(body) <= 19 and body.isdigit() and luhn(body) and not (len(body) == 18 and _id_shaped(body)):
        seps = {g.sep_before for g in groups[1:]}
        if len(groups) == 1 or (len(seps) == 1 and all(len(g.digits) == 4 for g in groups[:-1])):
            return "bank_card"
    return None


def _best_cut(groups: list[_Group]) -> list[tuple[int, int, SpanType, bool]]:
    """Non-overlapping (first group, last group, type, drop a trailing X) covering the most digits with checked
    numbers, then using the fewest numbers: dynamic programming over the groups of one run."""
    n = len(groups)
    Plan = tuple[int, int, list[tuple[int, int, SpanType, bool]]]      # (digits covered, -numbers, spans)
    best: list[Plan] = [(0, 0, [])] * (n + 1)
    for i in range(n - 1, -1, -1):
        cand = best[i + 1]
        digits = 0
        for j in range(i, min(n, i + _MAX_SPAN_GROUPS)):
            digits += len(groups[j].digits)
            if digits > _MAX_SPAN_DIGITS:
                break
            kind, trim = _classify(groups[i:j + 1]), False
            last = groups[j]
            if kind is None and last.digits.endswith("X") and len(last.digits) > 1:
                # "13800138000x…": the X belongs to the word after the number
                kind = _classify([*groups[i:j], _Group(last.start, last.end - 1, last.digits[:-1], last.sep_before)])
                trim = kind is not None
            if kind is not None:
                rest = best[j + 1]
                option: Plan = (rest[0] + digits - trim, rest[1] - 1, [(i, j, kind, trim), *rest[2]])
                if option[:2] > cand[:2]:
                    cand = option
        best[i] = cand
    return best[0][2]


def find(text: str) -> list[Span]:
    """Spans of personal data in ``text`` (offsets into the text as given)."""
    view = digit_view(text)
    spans: list[Span] = []
    for m in _RUN.finditer(view):
        groups = _groups(view, text, m.start(), m.end())
        for first, last, kind, trim in _best_cut(groups):
            start = groups[first].start
            if groups[first].sep_before.endswith("+") or (start > 0 and view[start - 1] == "+"):
                start -= 1          # "+86 138…": the plus sign belongs to the number
            spans.append(Span(start, groups[last].end - trim, kind))
    return spans


def mask(text: str) -> str:
    """The text with every span replaced by a placeholder such as 【手机号】."""
    return _replace(text, [(s.start, s.end, PLACEHOLDER[s.type]) for s in find(text)])


# Any other run of 8+ digit-like characters (spaces or dashes between them), for what is kept.
_LONG_DIGITS = re.compile(r"(?<![0-9])(?:[0-9][\s\-]?){7,}[0-9](?![0-9])|(?<![0-9])[0-9]{6,}[xX]")
# OCR turns 0 into O, 1 into l or I and wraps lines inside numbers: 11+ such characters with 8+ real digits.
_GARBLED = re.compile(r"(?<![0-9])[0-9][0-9OolI| \-\n]{9,24}[0-9OolIxX](?![0-9])")


def storage_spans(text: str, *, ocr: bool = False, long_runs: bool = True) -> list[tuple[int, int, str]]:
    """(start, end, placeholder) of everything to hide before ``text`` is kept, sorted and non-overlapping: the
    checked numbers, then (``ocr``) numbers of 11+ characters garbled by OCR (at least 8 of them real digits), then
    (``long_runs``) any other run of 8 or more digits. Document review keeps shorter contract numbers readable
    (``long_runs=False``); logs and chat history do not."""
    out = [(s.start, s.end, PLACEHOLDER[s.type]) for s in find(text)]
    view = digit_view(text)

    def free(a: int, b: int) -> bool:
        return not any(s < b and a < e for s, e, _ in out)

    if ocr:
        for m in _GARBLED.finditer(view):
            body = re.sub(r"[ \-\n]", "", m.group(0))
            if len(body) >= 11 and sum(c.isdigit() for c in body) >= 8 and free(m.start(), m.end()):
                # keep the line count: a number wrapped over two lines leaves its line break behind the placeholder
                out.append((m.start(), m.end(), GARBLED + "\n" * m.group(0).count("\n")))
    for m in _LONG_DIGITS.finditer(view) if long_runs else ():
        if free(m.start(), m.end()):
            out.append((m.start(), m.end(), RESIDUAL))
    return sorted(out)


def mask_for_storage(text: str) -> str:
    """Stricter masking for what is kept (logs, stored chat history, feedback, practice records): the checked masks
    first, then any remaining run of 8+ digits (a mistyped ID or card number is still personal data; an order number
    is not worth the risk)."""
    return _replace(text, storage_spans(text))


def mask_value(value: Any) -> Any:
    """``mask_for_storage`` applied to every string inside a JSON-like value (dicts, lists, keys too); an integer of 8
    or more digits (a phone number sent as a JSON number) becomes the placeholder; other values unchanged."""
    if isinstance(value, str):
        return mask_for_storage(value)
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**7:
        return mask_for_storage(str(value))
    if isinstance(value, dict):
        return {mask_value(k): mask_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [mask_value(v) for v in value]
    return value


def _replace(text: str, spans: list[tuple[int, int, str]]) -> str:
    out, last = [], 0
    for start, end, placeholder in spans:
        out.append(text[last:start])
        out.append(placeholder)
        last = end
    out.append(text[last:])
    return "".join(out)
