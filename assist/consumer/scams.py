"""Scam check for consumer messages, the rules: names the scheme, quotes the red flags, says what to do now (urgent
first when money, codes or cards have already gone).

The message is first read for who said what (assist.consumer.reading): patterns look only at what the other party
said or did and at the consumer's own account, never at the consumer's denials ("我没给验证码") or their question.
Each scheme (assist.consumer.schemes) has *core* patterns (the act that makes it that scheme) and *support*
patterns (money, pressure, secrecy). A verdict needs a core flag and, for most schemes, one more distinct flag, so a
question about a word ("停息挂账是什么意思") is not a verdict. Official warnings quote the words they warn about and
people ask about what they read in the news: those contexts need more evidence, as do legitimate settings (a bank
counter, the lender's own app)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from assist.consumer.echo import plain_quote, without_markup
from assist.consumer.reading import EVIDENCE_ROLES, Reading, read_message
from assist.consumer.schemes import BY_ID, SCHEME_IDS, SCHEMES, Scheme
from assist.core.pii import mask_for_storage
from assist.core.text import PROHIBITION, negated, normalize

__all__ = ["ACTOR", "LEGIT", "OFFICIAL_NOTICE", "SCHEMES", "WARNING", "Evidence", "ScamVerdict", "Scheme",
           "evidence_of", "flags", "quote", "scam_check", "verdict"]

URGENT = (r"(已经|刚才|刚刚|已|昨天|前天).{0,6}(交|付|转|给|发|报|寄)", r"(钱|款).{0,4}(转|打)(过去|出去)了",
          r"验证码.{0,8}(给|发|告诉|报).{0,3}了", r"(卡|身份证).{0,6}(寄|给)(出去|他|她|他们|对方)了", r"拉黑|联系不上|跑路")

# Official warnings and news quote the words of the scams they warn about; a bank counter or the lender's own app is
# where codes and face checks are legitimately used.
WARNING = re.compile(r"(温馨提示|谨防|提醒|切勿|请勿|不会要求|我行不会|不法分子|看新闻|新闻(上|里)?说|听说|正规(平台|机构)会)")
OFFICIAL_NOTICE = re.compile(r"(不法分子|我行不会|本行不会|不会要求您|谨防.{0,6}诈骗|切勿.{0,10}(转账|透露|告诉)|(都是|都属于|一律是|均为|就是)诈骗)")
LEGIT = re.compile(r"(柜台|网点|营业厅|官方app|官方客服|自己填|本人操作|自己的手机上|直接(打|联系|找).{0,6}(保险公司|银行|官方)|"
                   r"(我|本人)自己(在|用|打开|登录)?.{0,4}(手机银行|网银|网上银行))",
                   re.IGNORECASE)
# Someone else acting on the consumer: a scam needs an actor. A question about one's own credit report has none.
ACTOR = re.compile(r"(有人|对方|他们?|她们?|中介|公司|客服|老师|导师|专员|自称|短信|电话里|来电|微信|群里|私信|广告|链接|主播|"
                   r"网上|朋友圈|平台说|app说|工作人员|打电话|打来|电话说|男的|女的|那人|一个人|陌生|号码|邮件|网友|说是)",
                   re.IGNORECASE)

QUOTE_CHARS = 36          # longest red-flag quote


@dataclass(frozen=True)
class ScamVerdict:
    schemes: tuple[dict[str, Any], ...]       # {id, name, red_flags: [plain quotes], by: rules|model}, likeliest first
    urgent: bool
    actions: tuple[str, ...]
    probability: float | None = None          # the learned layer's P(scam) when it ran

    @property
    def primary(self) -> str:
        return str(self.schemes[0]["id"])


@dataclass(frozen=True)
class Evidence:
    """A message read for the check: the normalised evidence (one line per segment) and the whole message."""

    reading: Reading
    text: str            # normalised other + story segments, "\n" between segments
    full: str            # the whole message, normalised

    @property
    def actor(self) -> bool:
        """Someone else acts on the consumer: named in the text, or the message is a pasted call or SMS."""
        return self.reading.is_report or ACTOR.search(self.full) is not None


def evidence_of(message: str, reading: Reading | None = None) -> Evidence:
    """The message read for the check, its markup and links first reduced to plain words ("[链接]" marks a link)."""
    message = without_markup(message)
    r = reading if reading is not None and reading.message == message else read_message(message)
    # Evidence clauses that follow each other in the message stay one run (a pattern may span "，"); a removed
    # clause (a denial, the question) or a line break in between parts them, so no pattern joins across it.
    parts: list[str] = []
    last_end: int | None = None
    for s in r.segments:
        if s.role not in EVIDENCE_ROLES or not s.text.strip():
            last_end = None
            continue
        gap = message[last_end:s.start] if last_end is not None else "\n"
        parts.append(("" if gap.strip(" \t") == "" and "\n" not in gap else "\n") + normalize(s.text))
        last_end = s.end
    return Evidence(r, "".join(parts).lstrip("\n"), normalize(message))


def quote(text: str, start: int, end: int, limit: int = QUOTE_CHARS) -> str:
    """The clause of ``text`` around ``text[start:end]`` as plain words (markup and links removed before it is cut, so
    no half of a link survives), at most ``limit`` characters, centred on the match when the clause is longer."""
    left = max((m.end() for m in re.finditer(r"[，。！？；,!?;\n]", text[:start])), default=0)
    m = re.search(r"[，。！？；,!?;\n]", text[end:])
    right = end + m.start() if m else len(text)
    # quotes are shown and kept in the session: masked like anything stored (any long run of digits too)
    clause = plain_quote(mask_for_storage(text[left:right]))
    if len(clause) <= limit:
        return clause
    core = plain_quote(mask_for_storage(text[start:end]))
    at = clause.find(core) if core else -1
    a = max(0, min(at - (limit - len(core)) // 2, len(clause) - limit)) if at >= 0 else 0
    return clause[a:a + limit]


def flags(norm: str, patterns: tuple[str, ...], taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans of distinct, non-negated matches, one per pattern; a match overlapping one already counted for this
    scheme is not a new flag."""
    out = []
    for p in patterns:
        for m in re.finditer(p, norm):
            # "切勿把验证码告诉他人" forbids the act; on normalised text only 。 is left of the full-width stops
            if not m.group(0) or negated(norm, m.start(), PROHIBITION, lookback=8, gap=6, stops="，。！？；\n"):
                continue
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            out.append((m.start(), m.end()))
            break
    return out


def rule_flags(ev: Evidence, sc: Scheme) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(core spans, support spans) of one scheme in the evidence; no support is looked for without a core flag."""
    taken: list[tuple[int, int]] = []
    core = flags(ev.text, sc.core, taken)
    return core, (flags(ev.text, sc.support, taken) if core else [])


def extra_needed(full: str, dialogue: bool = False) -> int:
    """Flags needed on top of a scheme's own count: official notices quote every scheme's words at once; warnings
    and legitimate settings need more evidence. In a pasted call the warnings are the caller's own patter
    ("这可能是不法分子…", "我们不会要求您提供密码"), so there only legitimate settings count."""
    extra = 0 if dialogue else 3 if OFFICIAL_NOTICE.search(full) else 2 if WARNING.search(full) else 0
    return extra + (1 if LEGIT.search(full) else 0)


def rule_schemes(ev: Evidence) -> list[dict[str, Any]]:
    """The schemes the rules see, each with its quoted red flags (core first)."""
    extra = extra_needed(ev.full, ev.reading.form == "dialogue")
    found = []
    for sc in SCHEMES:
        core, support = rule_flags(ev, sc)
        if core and len(core) + len(support) >= sc.needed + extra:
            quotes = list(dict.fromkeys(q for q in (quote(ev.text, s, e) for s, e in core + support) if q))
            found.append({"id": sc.id, "name": sc.name, "red_flags": quotes, "by": "rules"})
    return found


def scam_check(message: str, reading: Reading | None = None) -> ScamVerdict | None:
    """The schemes a message shows by the rules alone (with the red flags quoted), or None."""
    ev = evidence_of(message, reading)
    return verdict(rule_schemes(ev), ev.full)


def verdict(found: list[dict[str, Any]], norm: str, probability: float | None = None,
            strength: dict[str, float] | None = None) -> ScamVerdict | None:
    """The verdict for the schemes found, likeliest first (by ``strength`` when given, else in SCHEMES order), their
    actions once each, urgent when the normalised message says money, codes or cards have already gone; None when
    nothing was found."""
    if not found:
        return None
    order = {s: i for i, s in enumerate(SCHEME_IDS)}
    schemes = tuple(sorted(found, key=lambda s: (-(strength or {}).get(s["id"], 0.0), order[s["id"]])))
    actions = [a for s in schemes for a in BY_ID[s["id"]].actions]
    urgent = any(re.search(p, norm) for p in URGENT)
    return ScamVerdict(schemes, urgent, tuple(dict.fromkeys(actions)), probability)
