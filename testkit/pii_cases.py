"""A generated test set for the PII masker: valid numbers in many formats inside Chinese sentences, and look-alikes
that must be left alone (wrong check digits, amounts, dates, hotlines, order numbers). Scores precision/recall."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass

from assist.core.pii import Span, id_check_digit, luhn

TEMPLATES = ["我的{k}是{v}，麻烦核对一下。", "{v}", "客户报的{k}：{v}，已登记", "嗯 那个 {k} {v} 对 就是这个",
             "请把短信发到{v}。", "({v})", "备注：{k}{v}；其余正常。", "他说{k}是{v}吧 我也不确定"]


def _id_card(rng: random.Random) -> str:
    region = str(rng.randint(110000, 659999))
    born = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randint(0, 365 * 55))
    body = region + born.strftime("%Y%m%d") + f"{rng.randint(0, 999):03d}"
    return body + id_check_digit(body)


def _bank_card(rng: random.Random) -> str:
    n = rng.choice([16, 17, 18, 19])
    body = rng.choice(["6222", "6228", "6217", "4367", "6214"]) + "".join(str(rng.randint(0, 9)) for _ in range(n - 5))
    for d in "0123456789":
        if luhn(body + d):
            return body + d
    raise AssertionError("unreachable")


def _phone(rng: random.Random) -> str:
    return rng.choice(["13", "15", "17", "18", "19"]) + str(rng.randint(0, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(8))


def _fmt(rng: random.Random, kind: str, v: str) -> str:
    style = rng.randint(0, 4)
    if kind == "phone":
        if style == 1:
            v = f"{v[:3]} {v[3:7]} {v[7:]}"
        elif style == 2:
            v = f"{v[:3]}-{v[3:7]}-{v[7:]}"
        elif style == 3:
            v = rng.choice(["+86 ", "86-", "+86", "0086 "]) + v
    elif kind == "bank_card":
        if style in (1, 2):
            sep = " " if style == 1 else "-"
            v = sep.join(v[i:i + 4] for i in range(0, len(v), 4))
    elif kind == "id_card":
        if style == 1:
            v = f"{v[:6]} {v[6:14]} {v[14:]}"
        elif style == 2:
            v = v[:-1] + v[-1].lower() if v.endswith("X") else v
    if style == 4:  # full-width digits, as some input methods produce
        v = v.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
    return v


def _negative(rng: random.Random) -> str:
    kind = rng.randint(0, 6)
    if kind == 0:
        v = _id_card(rng)
        bad = str((int(v[-1]) + 1) % 10) if v[-1] != "X" else "0"
        return f"身份证号{v[:-1]}{bad}好像不对"            # wrong check digit
    if kind == 1:
        v = _bank_card(rng)
        return f"卡号{v[:-1]}{(int(v[-1]) + 1) % 10}"     # fails Luhn
    if kind == 2:
        amount = f"{rng.randint(1, 99)},{rng.randint(100, 999)}.{rng.randint(10, 99)}"
        return f"欠款{amount}元，{rng.randint(2020, 2026)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}到期"
    if kind == 3:
        return f"请拨打{rng.choice(['12378', '12363', '96110', '110', '95588', '400-820-8820'])}咨询"
    if kind == 4:
        return f"订单号{rng.randint(10**19, 10**20 - 1)}"      # 20 digits
    if kind == 5:
        return f"座机010-{rng.randint(6000_0000, 8999_9999)}"
    return f"工号{rng.randint(100000, 999999)}，分机{rng.randint(1000, 9999)}"


@dataclass(frozen=True)
class PiiCase:
    text: str
    spans: tuple[Span, ...]


def generate(n: int = 1000, seed: int = 7) -> list[PiiCase]:
    rng = random.Random(seed)
    names = {"id_card": "身份证号", "bank_card": "银行卡号", "phone": "手机号"}
    makers: dict[str, Callable[[random.Random], str]] = {"id_card": _id_card, "bank_card": _bank_card, "phone": _phone}
    cases = []
    for i in range(n):
        if i % 3 == 2:
            cases.append(PiiCase(_negative(rng), ()))
            continue
        kind = rng.choice(list(makers))
        v = _fmt(rng, kind, makers[kind](rng))
        tpl = rng.choice(TEMPLATES)
        text = tpl.format(k=names[kind], v=v)
        start = text.index(v)
        extra = ""
        if rng.random() < 0.2:
            extra = "，" + _negative(rng)
        cases.append(PiiCase(text + extra, (Span(start, start + len(v), kind),)))  # type: ignore[arg-type]
    return cases


def score(find: Callable[[str], list[Span]], cases: list[PiiCase]) -> dict[str, dict[str, float]]:
    """Exact-span precision and recall per type."""
    out: dict[str, dict[str, float]] = {}
    for t in ("id_card", "bank_card", "phone"):
        tp = fp = fn = 0
        for c in cases:
            got = {(s.start, s.end) for s in find(c.text) if s.type == t}
            want = {(s.start, s.end) for s in c.spans if s.type == t}
            tp += len(got & want)
            fp += len(got - want)
            fn += len(want - got)
        out[t] = {"precision": tp / (tp + fp) if tp + fp else 1.0, "recall": tp / (tp + fn) if tp + fn else 1.0,
                  "support": tp + fn}
    return out


# Fixed identifiers for tests that need one of each: a valid 身份证号, the same with a wrong check digit (still
# personal data to the masker), and a mobile number.
SAMPLE_ID_CARD = "110101199003074477"
SAMPLE_TYPO_ID = "110101199003074478"
SAMPLE_PHONE = "13812345678"


# Every shape of personal number the masker must catch, as people, speech recognition and copy-paste write them:
# (name, text as sent, the raw forms that must never be found in a store, a log or an echo). Used by the unit tests
# of the masker and by the scan of every store after a scripted session (tests/integration/test_pii_scan.py).
PII_SHAPES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("id plain", f"身份证{SAMPLE_ID_CARD}", (SAMPLE_ID_CARD,)),
    ("id typo", f"身份证号{SAMPLE_TYPO_ID}", (SAMPLE_TYPO_ID,)),
    ("id glued to letters", f"证件ID{SAMPLE_ID_CARD}已核对", (SAMPLE_ID_CARD,)),
    ("id spaced", "身份证 110101 19900307 4477", ("110101 19900307 4477",)),
    ("phone plain", f"手机{SAMPLE_PHONE}", (SAMPLE_PHONE,)),
    ("phone glued to letters", "tel15697880932 call me", ("15697880932",)),
    ("phone dotted", "电话 156.9788.0932 找我", ("156.9788.0932",)),
    ("phone underscores", "号码156_9788_0932", ("156_9788_0932",)),
    ("phone chinese numerals", "我手机是幺五六九七八八零九三二", ("幺五六九七八八零九三二", "一五六九七八八零九三二")),
    ("phone mixed numerals", "打一五六 9788 零九三二", ("一五六 9788 零九三二",)),
    ("phone full width", "手机１５６９７８８０９３２", ("１５６９７８８０９３２",)),
    ("phone +86", "+86 156-9788-0932", ("156-9788-0932",)),
    ("card spaced", "卡号6222 0212 3456 7890 128", ("6222 0212 3456 7890 128",)),
    ("card glued", "card6222021234567890128", ("6222021234567890128",)),
)
PII_DIGITS = (SAMPLE_ID_CARD, SAMPLE_TYPO_ID, SAMPLE_PHONE, "15697880932", "6222021234567890128")
