"""Which approved scripts to suggest: ranking by the signals the call shows and by similarity to what the caller
said, lowered (boundedly, reversibly) by the staff's feedback in that situation; slots filled; citations of what each
script rests on."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from assist.knowledge.schema import SLOT_RE, script_reply
from assist.knowledge.types import Document, Hit
from assist.staff.types import Citation

MAX_PENALTY = 0.6        # feedback can lower a script's score in a situation by at most this much
PENALTY_STEP = 0.15      # per net rejection (rejections minus uses and edits)
PER_AGENT_DAY = 1        # one staff member moves a script in a situation by at most one net vote a day
PER_AGENT = 2            # and by at most two in all: six clicks by one person cannot push a script out


def bounded_counts(rows: Iterable[tuple[str, str, str, str, str]]) -> dict[tuple[str, str], dict[str, int]]:
    """Feedback counts in which no staff member weighs more than PER_AGENT_DAY net votes a day and PER_AGENT in
    all, per (script, situation); rows are (script id, situation, staff member, day, action)."""
    per_day: dict[tuple[str, str, str, str], int] = {}
    for script, situation, agent, day, action in rows:
        key = (script, situation, agent, day)
        per_day[key] = per_day.get(key, 0) + (1 if action == "rejected" else -1)
    per_agent: dict[tuple[str, str, str], int] = {}
    for (script, situation, agent, _), net in per_day.items():
        k = (script, situation, agent)
        per_agent[k] = per_agent.get(k, 0) + max(-PER_AGENT_DAY, min(PER_AGENT_DAY, net))
    total: dict[tuple[str, str], int] = {}
    for (script, situation, _), net in per_agent.items():
        total[(script, situation)] = total.get((script, situation), 0) + max(-PER_AGENT, min(PER_AGENT, net))
    return {k: ({"rejected": n} if n > 0 else {"used": -n}) for k, n in total.items() if n}
SIGNAL_BONUS = 0.5       # per signal the script is written for that the call shows
SCRIPT_MIN_RELEVANCE = 0.90   # a script found by similarity alone must be this close (e5 similarities are compressed)


@dataclass(frozen=True)
class RankedScript:
    script: Document
    score: float          # after the feedback penalty
    reason: str


def _plain(text: str, limit: int = 90) -> str:
    """A digest's body as one line of plain text for a citation, cut at ``limit``."""
    t = re.sub(r"^#+\s*", "", text, flags=re.MULTILINE)
    t = re.sub(r"[*`>|-]+\s?", "", t)
    t = " ".join(t.split())
    return t[:limit] + ("…" if len(t) > limit else "")


class ScriptRanker:
    """Holds the approved scripts (and what they rest on) and the running feedback counts."""

    def __init__(self, documents: Sequence[Document], feedback: dict[tuple[str, str], dict[str, int]]) -> None:
        self.docs = {d.id: d for d in documents}
        self.scripts = {d.id: d for d in documents if d.kind == "script"}
        self._feedback = feedback

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

    def rank(self, hits: Sequence[Hit], signals: set[str], situation: str) -> list[RankedScript]:
        """Scripts written for the signals this call shows (a bonus per signal) and scripts close enough to the
        caller's words; their retrieval rank breaks ties. Best first, after the feedback penalty."""
        rank_score = {h.chunk.doc_id: (1.0 / (r + 2), h.relevance) for r, h in enumerate(hits)}
        scored: dict[str, tuple[float, str]] = {}
        for sid, doc in self.scripts.items():
            rs, rel = rank_score.get(sid, (0.0, 0.0))
            overlap = signals & set(doc.meta.get("signals") or [])
            if overlap:
                scored[sid] = (SIGNAL_BONUS * len(overlap) + rs, f"针对本通话出现的信号 {'、'.join(sorted(overlap))}")
            elif rel >= SCRIPT_MIN_RELEVANCE:
                scored[sid] = (rs, f"与来电内容相近（相关度 {rel:.2f}）")
        net = {sid: score - self.penalty(sid, situation) for sid, (score, _) in scored.items()}
        return [RankedScript(self.scripts[sid], round(net[sid], 4), scored[sid][1])
                for sid in sorted(scored, key=lambda sid: -net[sid])]   # stable: ties keep the scripts' order

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
