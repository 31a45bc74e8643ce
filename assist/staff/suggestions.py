"""Which approved scripts to suggest: ranking by the signals the call shows and by similarity to what the caller
said, lowered (boundedly, reversibly) by the staff's feedback in that situation; slots filled; citations of what each
script rests on."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from assist.knowledge.needs import NeedHit
from assist.knowledge.schema import SLOT_RE, script_reply
from assist.knowledge.types import Document, Hit
from assist.staff.types import Citation

MAX_PENALTY = 0.6        # feedback can lower a script's score in a situation by at most this much
PENALTY_STEP = 0.15      # per net rejection (rejections minus uses and edits)
PER_AGENT_DAY = 1        # one staff member moves a script in a situation by at most one net vote a day
PER_AGENT = 2            # and by at most two in all: six clicks by one person cannot push a script out
MIN_VOTERS = 3           # feedback moves a script only once this many staff members' net votes agree in direction


def bounded_counts(rows: Iterable[tuple[str, str, str, str, str]]) -> dict[tuple[str, str], dict[str, int]]:
    """Feedback counts in which no staff member weighs more than PER_AGENT_DAY net votes a day and PER_AGENT in
    all, per (script, situation), and which count only once MIN_VOTERS staff members agree (scripts are ranked in
    tiers whose scripts are close: one step from one person could move the best script out of everyone's top three);
    rows are (script id, situation, staff member, day, action)."""
    per_day: dict[tuple[str, str, str, str], int] = {}
    for script, situation, agent, day, action in rows:
        key = (script, situation, agent, day)
        per_day[key] = per_day.get(key, 0) + (1 if action == "rejected" else -1)
    per_agent: dict[tuple[str, str, str], int] = {}
    for (script, situation, agent, _), net in per_day.items():
        k = (script, situation, agent)
        per_agent[k] = per_agent.get(k, 0) + max(-PER_AGENT_DAY, min(PER_AGENT_DAY, net))
    total: dict[tuple[str, str], int] = {}
    voters: dict[tuple[str, str], list[int]] = {}
    for (script, situation, _), net in per_agent.items():
        net = max(-PER_AGENT, min(PER_AGENT, net))
        total[(script, situation)] = total.get((script, situation), 0) + net
        if net:
            voters.setdefault((script, situation), []).append(net)
    out: dict[tuple[str, str], dict[str, int]] = {}
    for pair, n in total.items():
        agreeing = sum(1 for v in voters.get(pair, []) if (v > 0) == (n > 0))
        if n and agreeing >= MIN_VOTERS:     # one or two people (or one person's many clicks) move nothing
            out[pair] = {"rejected": n} if n > 0 else {"used": -n}
    return out


SIGNAL_BONUS = 0.3       # per signal the script is written for that the call shows (among scripts of one tier)
SPECIFIC_BONUS = 0.1     # share of the script's own signals that the call shows (the most specific script first)
NEED_BONUS = 0.2         # a signal script that also serves the need the caller just voiced
SCRIPT_MIN_RELEVANCE = 0.90   # a script found by similarity alone must be this close (e5 similarities are compressed)
# Tiers: what decides the order. A tier's scripts are ordered within it by the signals they share with the call,
# the caller's order of needs, and retrieval rank (each worth less than a tier step).
TIER_VERIFY_AT_RISK = 4.0      # the hint is medium or high for intermediary/coached: verify first (neutral wording)
TIER_VICTIM_AT_RISK = 4.0      # the hint is medium or high for victim: protect the caller first
TIER_SIGNAL_HIGH = 3.5         # intermediary-signal scripts at level high
TIER_NEED = 3.0                # what the caller says they need in this turn
TIER_VICTIM_SIGNAL = 2.5       # victim-signal scripts (protective) whatever the level
TIER_SIGNAL_MEDIUM = 2.0       # intermediary-signal scripts at medium, or when staff asked for them
TIER_CARRIED = 1.5             # a need the caller stated in an earlier turn of this call
TIER_SIMILAR = 0.0             # close to the caller's words, no need or signal (retrieval rank only)
LEVEL_CN = {"low": "低", "medium": "中", "high": "高"}
RISK_CATEGORIES = ("intermediary", "coached")
MAX_VERIFY_IN_TOP = 2    # two ways to verify are enough: the third place goes to the signal or the caller's need
FALLBACK_NEED = {"verification": "identity_answer", "victim": "victim_paid"}


@dataclass(frozen=True)
class RankedScript:
    script: Document
    score: float          # after the feedback penalty
    reason: str
    family: str = "need"


@dataclass(frozen=True)
class RankInput:
    """What the ranking reads about this moment of the call."""

    needs: Sequence[NeedHit] = ()               # needs shown by the caller's latest turn, in precedence order
    carried: Sequence[NeedHit] = ()             # needs of earlier caller turns (used when the latest shows none)
    level: str = "low"                           # the risk hint's level
    category: str = "none"                       # its category
    signals: frozenset[str] = frozenset()        # signals with evidence (contribution >= 0.5)
    signal_scripts: bool = False                 # staff asked to see intermediary-signal scripts at any level


def family_of(script: Document, signal_categories: dict[str, str] | None = None) -> str:
    """A script's family: its front matter's, else intermediary when written for intermediary or coached signals,
    victim for victim signals, else a caller's need."""
    fam = script.meta.get("family")
    if isinstance(fam, str) and fam:
        return fam
    cats = {(signal_categories or {}).get(str(s), "intermediary") for s in script.meta.get("signals") or []}
    if cats & set(RISK_CATEGORIES):
        return "intermediary"
    return "victim" if cats else "need"


def _keep_in_top(order: list[str], wanted: Callable[[str], bool], top: int = 3) -> list[str]:
    """``order`` with its best ``wanted`` item moved up to place ``top`` when none of the first ``top`` is one."""
    if any(wanted(sid) for sid in order[:top]):
        return order
    best = next((sid for sid in order if wanted(sid)), None)
    if best is None:
        return order
    rest = [sid for sid in order if sid != best]
    return rest[:top - 1] + [best] + rest[top - 1:]


def _at_most(order: list[str], kind: Callable[[str], bool], n: int, top: int = 3) -> list[str]:
    """``order`` with no more than ``n`` items of a kind among the first ``top`` (the others keep their order)."""
    head: list[str] = []
    rest: list[str] = []
    for sid in order:
        if len(head) < top and (not kind(sid) or sum(kind(x) for x in head) < n):
            head.append(sid)
        else:
            rest.append(sid)
    return head + rest


def _plain(text: str, limit: int = 90) -> str:
    """A digest's body as one line of plain text for a citation, cut at ``limit``."""
    t = re.sub(r"^#+\s*", "", text, flags=re.MULTILINE)
    t = re.sub(r"[*`>|-]+\s?", "", t)
    t = " ".join(t.split())
    return t[:limit] + ("…" if len(t) > limit else "")


class ScriptRanker:
    """Holds the approved scripts (and what they rest on) and the running feedback counts."""

    def __init__(self, documents: Sequence[Document], feedback: dict[tuple[str, str], dict[str, int]],
                 signal_categories: dict[str, str] | None = None) -> None:
        self.docs = {d.id: d for d in documents}
        self.scripts = {d.id: d for d in documents if d.kind == "script"}
        self.families = {sid: family_of(d, signal_categories) for sid, d in self.scripts.items()}
        # what is offered at medium or high when no script fits the call's signals: the scripts of that family
        # written for the need named in FALLBACK_NEED (verification: a neutral identity check; victim: money paid)
        self.fallback_verify = self._serving("verification", FALLBACK_NEED["verification"])
        self.fallback_victim = self._serving("victim", FALLBACK_NEED["victim"])
        self._feedback = feedback

    def _serving(self, family: str, need: str) -> list[str]:
        return [sid for sid, d in self.scripts.items()
                if self.families[sid] == family and need in (d.meta.get("needs") or [])][:1]

    def penalty(self, script_id: str, situation: str) -> float:
        """How much staff feedback lowers this script in this situation (0 to MAX_PENALTY)."""
        c = self._feedback.get((script_id, situation), {})
        net = c.get("rejected", 0) - c.get("used", 0) - c.get("edited", 0)
        return min(MAX_PENALTY, PENALTY_STEP * max(0, net))

    def replace_counts(self, feedback: dict[tuple[str, str], dict[str, int]]) -> None:
        """New feedback counts (read again from the store: this worker's votes and every other worker's)."""
        self._feedback = feedback

    def count(self, script_id: str, situation: str, action: str) -> None:
        """One more used / edited / rejected for the script in that situation."""
        counts = self._feedback.setdefault((script_id, situation), {})
        counts[action] = counts.get(action, 0) + 1

    def rank(self, hits: Sequence[Hit], situation: str, inp: RankInput) -> list[RankedScript]:
        """The caller's own needs decide the order; scripts written for intermediary signals come in only when the
        hint is at least medium for intermediary or coached (or staff asked for them), verification first at that
        level; victim-protection scripts whenever a victim signal shows. Scripts close to the caller's words fill
        the rest (never an intermediary-signal script below medium). Best first, after the feedback penalty."""
        rank_score = {h.chunk.doc_id: (0.1 / (r + 1), h.relevance) for r, h in enumerate(hits)}
        at_risk = inp.level in ("medium", "high")
        involved = at_risk and inp.category in RISK_CATEGORIES
        victim_risk = at_risk and inp.category == "victim"
        level = LEVEL_CN.get(inp.level, inp.level)
        scored: dict[str, tuple[float, str]] = {}

        def offer(sid: str, score: float, reason: str) -> None:
            if sid not in scored or scored[sid][0] < score:
                scored[sid] = (score, reason)

        for sid, doc in self.scripts.items():
            fam = self.families[sid]
            rs, rel = rank_score.get(sid, (0.0, 0.0))
            overlap = inp.signals & set(doc.meta.get("signals") or [])
            wants = list(doc.meta.get("needs") or [])
            serves = any(h.need in wants for h in inp.needs)        # it also fits what the caller just said
            written_for = doc.meta.get("signals") or []
            specific = SPECIFIC_BONUS * len(overlap) / len(written_for) if written_for else 0.0
            bonus = SIGNAL_BONUS * len(overlap) + specific + rs + (NEED_BONUS if serves else 0.0)
            ids = "、".join(sorted(overlap))
            if overlap and fam == "victim":
                offer(sid, (TIER_VICTIM_AT_RISK if victim_risk else TIER_VICTIM_SIGNAL) + bonus,
                      f"来电内容像受害情形（信号 {ids}）：先保护客户")
            elif overlap and fam in ("verification", "representative") and (at_risk or inp.signal_scripts):
                offer(sid, (TIER_VERIFY_AT_RISK if involved else TIER_SIGNAL_MEDIUM) + bonus,
                      f"风险提示为{level}：先核实身份或授权（信号 {ids}）")
            elif overlap and fam == "intermediary" and (involved or inp.signal_scripts):
                tier = TIER_SIGNAL_HIGH if involved and inp.level == "high" else TIER_SIGNAL_MEDIUM
                why = (f"风险提示为{level}，针对信号 {ids}" if involved
                       else f"坐席要求显示代理信号话术（信号 {ids}）")
                offer(sid, tier + bonus, why)
            for i, hit in enumerate(inp.needs):
                if hit.need in wants:
                    offer(sid, TIER_NEED - 0.1 * i - 0.01 * wants.index(hit.need) + rs,
                          f"来电人提到{hit.label}（“{hit.quote}”）")
                    break
            else:
                for i, hit in enumerate(inp.carried):
                    if hit.need in wants:
                        offer(sid, TIER_CARRIED - 0.1 * i - 0.01 * wants.index(hit.need) + rs,
                              f"延续前面提到的：{hit.label}")
                        break
            if sid not in scored and rel >= SCRIPT_MIN_RELEVANCE and (fam != "intermediary" or involved
                                                                     or inp.signal_scripts):
                offer(sid, TIER_SIMILAR + rs, f"与来电内容相近（相关度 {rel:.2f}）")
        if involved and not any(self.families[sid] in ("verification", "intermediary") for sid in scored):
            for sid in self.fallback_verify:        # at medium or high, a neutral verification script at least
                offer(sid, TIER_VERIFY_AT_RISK, f"风险提示为{level}：先核实身份")
        if victim_risk and not any(self.families[sid] == "victim" for sid in scored):
            for sid in self.fallback_victim:
                offer(sid, TIER_VICTIM_AT_RISK - 0.5, f"风险提示为{level}（疑似受害）：先保护客户")
        net = {sid: score - self.penalty(sid, situation) for sid, (score, _) in scored.items()}
        order = sorted(scored, key=lambda sid: -net[sid])    # stable: ties keep the scripts' order
        if involved:     # at medium or high, a verification or intermediary script is always among the first three
            order = _keep_in_top(order, lambda sid: self.families[sid] in ("verification", "intermediary"))
            order = _at_most(order, lambda sid: self.families[sid] == "verification", MAX_VERIFY_IN_TOP)
        if victim_risk:
            order = _keep_in_top(order, lambda sid: self.families[sid] == "victim")
        if inp.signal_scripts:     # staff asked for them: the best one is shown even when three needs fill the list
            order = _keep_in_top(order, lambda sid: self.families[sid] == "intermediary")
        return [RankedScript(self.scripts[sid], round(net[sid], 4), scored[sid][1], self.families[sid])
                for sid in order]

    def fill(self, script: Document, slots: dict[str, str]) -> str:
        """The script's reply with its slots filled (the caller's values, else the script's defaults)."""
        reply = script_reply(script.body) or ""
        defaults = {k: str(v) for k, v in (script.meta.get("slots") or {}).items()}
        values = {**defaults, **slots}
        return SLOT_RE.sub(lambda m: values.get(m.group(1), m.group(0)), reply)

    def citations(self, script: Document) -> tuple[Citation, ...]:
        """The regulation digests and guides the script rests on."""
        out = []
        for ref in script.meta.get("rests_on") or []:
            d = self.docs.get(ref)
            if d is None:
                continue
            src = d.source if isinstance(d.source, dict) else {}
            arts = src.get("articles")
            article = "、".join(arts) if isinstance(arts, list) else str(arts or "")
            law = src.get("law", "")
            out.append(Citation(d.id, d.title, f"《{law}》{article}" if law else "", _plain(d.body)))
        return tuple(out)
