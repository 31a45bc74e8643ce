"""Compliance guard for every reply that will be shown to a caller, approved script or generated text.

Refuses: promises of waivers, 停息 or deleting true credit records; threats, insults, claims to be police or a court;
account data given before the caller is verified; discouraging a complaint. Negated or conditional statements of
the rules themselves ("真实的逾期记录无法删除", "您有权拨打12378") pass."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assist.core.text import NEGATED_PROMISE, negated, normalize

# (rule id, message, pattern, negation window in characters; 0 = negation never cancels it). Threats get a short
# window so that "不还钱就让你坐牢" stays a threat while "我们不会让你坐牢" is not one.
_RULES: list[tuple[str, str, re.Pattern[str], int]] = [
    ("promise_waiver", "承诺减免、免息或免除欠款",
     re.compile(r"(保证|肯定|一定|承诺|包|绝对|马上|直接)(能|会|可以)?(给您|帮您|为您|替您)?(办理?)?(全额|全部|全)?"
                r"(减免|免除|免息|免掉|免了|核销|不用还|一笔勾销)"), 10),
    ("promise_waiver", "承诺减免、免息或免除欠款",
     re.compile(r"(可以|能|会)(给您|帮您|为您)(把)?(利息|罚息|违约金|欠款|本金)?(全部|都|全)(减免|免掉|免了|免除)"), 10),
    ("promise_stop_interest", "承诺停息挂账或停止计息",
     re.compile(r"(保证|肯定|一定|承诺|可以|能|会|马上|直接)(给您|帮您|为您)?(办理?|申请)?(停息挂[账帐]|停息|停止计息|冻结利息)"), 10),
    ("promise_credit_deletion", "承诺删除或修复真实的征信记录",
     re.compile(r"(删除|删掉|消除|抹掉|修复|洗白|撤销|撤掉)(您的?|掉)?(征信|逾期记录|不良记录|信用记录|逾期)"), 10),
    ("threat", "威胁、恐吓或夸大后果",
     re.compile(r"(坐牢|抓你|抓您|拘留你|拘留您|判刑|让你好看|上门找你|找你家人|找您家人|通知你(的)?(单位|家人|亲戚|朋友)|"
                r"通知您(的)?(单位|家人|亲戚|朋友)|曝光你|曝光您|让你身败名裂|后果自负|走着瞧)"), 2),
    ("insult", "辱骂或贬低客户",
     re.compile(r"(你|您)(这个|这种|就是个?|是个?|真是个?)?(老赖|骗子|无赖|垃圾|废物|穷鬼|赖子|人渣)|不要脸|"
                r"滚(开|蛋|出去)|(你|您)(是不是)?有病|活该"), 0),
    ("impersonation", "冒充公安、法院等国家机关",
     re.compile(r"(我|我们)(这里|这边)?(是|就是|代表)(公安|警察|派出所|法院|检察院|公检法|执法部门|经侦)|"
                r"(法院|公安|警方|检察院)(已经)?(对您|对你)?(立案|通缉|传唤|下达|冻结)"), 2),
    ("discourage_complaint", "劝阻或贬低客户投诉的权利",
     re.compile(r"(别|不要|没必要|不用|不建议|劝您别)(再)?(去)?(投诉|打12378|打12363|举报|找监管|找银保监|信访|上访)|"
                r"投诉(也)?(没|没有)(用|意义)|(投诉|举报)(的话)?(会|就|反而)(影响|加重|上黑名单|更麻烦)"), 0),
]

_ACCOUNT = re.compile(r"(欠款|欠|余额|本金|利息|罚息|逾期|应还|待还|还款额)[^，。！？；]{0,8}?\d[\d,，.]*\s*(元|块|万|天|期)|"
                      r"(卡号|账号|身份证)[^，。！？；]{0,4}\d{4,}|逾期\d+天")


@dataclass(frozen=True)
class Violation:
    rule: str
    message: str          # Chinese, for the agent
    start: int
    end: int
    quote: str


@dataclass(frozen=True)
class GuardResult:
    violations: tuple[Violation, ...]

    @property
    def ok(self) -> bool:
        return not self.violations

    def reasons(self) -> str:
        return "；".join(f"{v.message}（“{v.quote}”）" for v in self.violations)


def check(reply: str, *, caller_verified: bool = True) -> GuardResult:
    """Check one reply. ``caller_verified=False`` also forbids giving account figures (third party not verified)."""
    norm = normalize(reply, simplify=True)
    target = norm if len(norm) == len(reply) else reply
    found: list[Violation] = []
    for rule, message, pat, window in _RULES:
        for m in pat.finditer(target):
            # a negation cue at most ``window`` characters before the match, inside the same clause
            if window and negated(target, m.start(), NEGATED_PROMISE, lookback=window + 6, gap=window):
                continue
            found.append(Violation(rule, message, m.start(), m.end(), reply[m.start():m.end()]))
    if not caller_verified:
        for m in _ACCOUNT.finditer(target):
            found.append(Violation("disclosure_unverified", "身份未核实前透露账户信息", m.start(), m.end(),
                                   reply[m.start():m.end()]))
    seen: set[tuple[str, int]] = set()
    unique = [v for v in found if not ((v.rule, v.start) in seen or seen.add((v.rule, v.start)))]  # type: ignore[func-returns-value]
    return GuardResult(tuple(sorted(unique, key=lambda v: v.start)))
