"""StaffAssist: per-turn help for front-line staff (坐席) — risk hint, up to three approved scripts with citations,
next actions, probe questions and the top knowledge passages. Every text is PII-masked before it is kept or stored."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from assist.core.pii import mask
from assist.core.ttl import ExpiringMap
from assist.errors import AssistError, SessionNotFound
from assist.knowledge.signals import SIGNAL_CATEGORIES
from assist.knowledge.types import Document, Filter
from assist.ports import FeedbackStore, Retriever
from assist.risk.assessor import ACTIONS, RiskAssessor, RiskSession
from assist.risk.types import RiskAssessment, Turn
from assist.staff.guard import check as guard_check
from assist.staff.rewrite import ReplyRewriter
from assist.staff.suggestions import ScriptRanker
from assist.staff.types import Assistance, Suggestion

NO_FIT = "暂无合适的推荐话术：请按正常流程服务，必要时询问客户诉求。"
MAX_SUGGESTIONS = 3
TAG = "疑似代理"


@dataclass
class CallSession:
    """One live call: its risk state, the script slot values, and the masked turns so far."""

    risk: RiskSession
    slots: dict[str, str]
    turns: list[Turn] = field(default_factory=list)


class StaffAssist:
    """The staff-facing use-case over the indexed knowledge (``retriever``), the loaded scripts and what they rest
    on (``documents``), and the feedback store that records what was shown and what staff did with it."""

    def __init__(self, assessor: RiskAssessor, retriever: Retriever, documents: Sequence[Document],
                 store: FeedbackStore, *, session_ttl_s: float, rewriter: ReplyRewriter | None = None) -> None:
        self.assessor = assessor
        self.retriever = retriever
        self.store = store
        self.ttl = session_ttl_s
        self.rewriter = rewriter
        self.ranker = ScriptRanker(documents, store.feedback_counts())
        self._sessions: ExpiringMap[str, CallSession] = ExpiringMap(session_ttl_s)

    # -- sessions ------------------------------------------------------------------------------------------
    def start(self, meta: dict[str, Any] | None = None, slots: dict[str, str] | None = None) -> str:
        sid = secrets.token_hex(8)
        self._sessions.put(sid, CallSession(self.assessor.new_session(meta), {k: str(v) for k, v in (slots or {}).items()}))
        return sid

    def session(self, session_id: str) -> CallSession:
        """The live session (its idle time starts again); SessionNotFound when unknown or expired."""
        s = self._sessions.get(session_id)
        if s is None:
            raise SessionNotFound(f"会话不存在或已过期：{session_id}", field="session_id")
        return s

    def verify(self, session_id: str, verified: bool = True) -> dict[str, Any]:
        return self.session(session_id).risk.update_meta(verified=verified).to_dict()

    # -- the turn --------------------------------------------------------------------------------------------
    def on_turn(self, session_id: str, turn: Turn | dict[str, Any]) -> Assistance:
        s = self.session(session_id)
        t = Turn.of(turn, len(s.turns))
        t = Turn(t.speaker, mask(t.text), t.time)       # nothing unmasked is kept, logged or sent on
        s.turns.append(t)
        risk = s.risk.add(t)
        index = len(s.turns) - 1
        # The query is the caller's latest turn (with the one before when it is very short); the detected situation
        # comes in through the scripts' signals rather than through the query text.
        caller = [x.text for x in s.turns if x.speaker == "caller" and x.text.strip()]
        query = caller[-1] if caller else ""
        if len(query) < 8 and len(caller) > 1:
            query = caller[-2] + " " + query
        situation = risk.category if risk.level != "low" else "none"
        evidence_signals = {e.signal_id for e in risk.evidence if e.contribution >= 0.5}
        suggestions = self._suggest(s, query, situation, evidence_signals, risk, index, session_id) if query.strip() else []
        passages = self._passages(query) if query.strip() else []
        actions = tuple({"id": a, "label": ACTIONS[a]} for a in risk.actions)
        return Assistance(session_id=session_id, turn_index=index, risk=risk.to_dict(), suggestions=tuple(suggestions),
                          actions=actions, probes=risk.probes, passages=tuple(passages),
                          message="" if suggestions else NO_FIT)

    def _suggest(self, s: CallSession, query: str, situation: str, signals: set[str], risk: RiskAssessment,
                 index: int, session_id: str) -> list[Suggestion]:
        hits = self.retriever.search(query, k=10, where=Filter.for_audience("agent", kinds=("script",)), floor=False)
        verified = s.risk.meta.verified or s.risk.meta.number_matches == "yes"
        out: list[Suggestion] = []
        for ranked in self.ranker.rank(hits, signals, situation):
            script = ranked.script
            text = self.ranker.fill(script, s.slots)
            if not guard_check(text, caller_verified=verified).ok:
                continue  # an approved script that fails the guard in this context is not shown
            adapted, original, note = False, "", ""
            if self.rewriter is not None and not out:   # only the best suggestion is rewritten (latency)
                res = self.rewriter.rewrite(text, s.turns, situation, verified)
                if res.adapted:
                    adapted, original, text = True, text, res.text
                note = res.note
            sug = Suggestion(id=secrets.token_hex(8), script_id=script.id, title=script.title, text=text,
                             reason=ranked.reason, citations=self.ranker.citations(script), score=ranked.score,
                             adapted=adapted, original=original, note=note)
            out.append(sug)
            top = max(risk.probabilities[c] for c in SIGNAL_CATEGORIES)
            self.store.record_shown({"id": sug.id, "session_id": session_id, "turn_index": index, "script_id": script.id,
                                     "situation": situation, "text": text, "risk_level": risk.level,
                                     "risk_score": float(top)})
            if len(out) >= MAX_SUGGESTIONS:
                break
        return out

    def _passages(self, query: str) -> list[dict[str, Any]]:
        hits = self.retriever.search(query, k=3, where=Filter.for_audience("agent", kinds=("regulation", "guide")))
        return [{"doc_id": h.chunk.doc_id, "title": h.chunk.title, "citation": h.chunk.citation,
                 "article": h.chunk.article, "text": h.chunk.text, "relevance": round(h.relevance, 3)} for h in hits]

    # -- feedback ------------------------------------------------------------------------------------------
    def feedback(self, suggestion_id: str, action: str, edited_text: str | None = None, agent_id: str | None = None) -> None:
        if action not in ("used", "edited", "rejected"):
            raise AssistError("action must be used, edited or rejected", field="action")
        row = self.store.shown_row(suggestion_id)
        if row is None:
            raise AssistError(f"unknown suggestion id {suggestion_id}", field="suggestion_id")
        self.store.record_feedback(suggestion_id, action, mask(edited_text) if edited_text else None, agent_id)
        self.ranker.count(row["script_id"], row["situation"], action)

    def tag(self, session_id: str, value: bool, agent_id: str | None = None) -> None:
        """Set or clear the 疑似代理 tag (an internal label on the case, never shown to the caller)."""
        self.store.record_tag(session_id, TAG, value, agent_id)
