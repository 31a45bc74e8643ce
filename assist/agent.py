"""AgentAssist: per-turn help for front-line staff — risk hint, up to three approved scripts with citations, next
actions, probe questions and the top knowledge passages. Every text is PII-masked before it is stored."""

from __future__ import annotations

import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Sequence

from assist.errors import AssistError
from assist.guard import check as guard_check
from assist.models import Document, Filter
from assist.pii import mask
from assist.risk.assessor import ACTIONS, RiskAssessor, RiskSession
from assist.risk.types import SIGNAL_CATEGORIES, Turn
from assist.schema import SLOT_RE, script_reply

MAX_PENALTY = 0.6        # feedback can lower a script's score in a situation by at most this much
PENALTY_STEP = 0.15      # per net rejection (rejections minus uses and edits)
SIGNAL_BONUS = 0.5       # per signal the script is written for that the call shows
SCRIPT_MIN_RELEVANCE = 0.90   # a script found by similarity alone must be this close (e5 similarities are compressed)
NO_FIT = "暂无合适的推荐话术：请按正常流程服务，必要时询问客户诉求。"


class SessionNotFound(AssistError):
    exit_code = 8


@dataclass(frozen=True)
class Citation:
    doc_id: str
    title: str
    article: str
    snippet: str


@dataclass(frozen=True)
class Suggestion:
    id: str
    script_id: str
    title: str
    text: str
    reason: str
    citations: tuple[Citation, ...]
    score: float
    adapted: bool = False          # text was adapted by the language model (and passed the guard)
    original: str = ""             # the approved script, when adapted
    note: str = ""                 # why an adaptation was not used


@dataclass(frozen=True)
class Assistance:
    session_id: str
    turn_index: int
    risk: dict[str, Any]
    suggestions: tuple[Suggestion, ...]
    actions: tuple[dict[str, str], ...]
    probes: tuple[str, ...]
    passages: tuple[dict[str, Any], ...]
    message: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"session_id": self.session_id, "turn_index": self.turn_index, "risk": self.risk,
                "suggestions": [{**s.__dict__, "citations": [c.__dict__ for c in s.citations]} for s in self.suggestions],
                "actions": list(self.actions), "probes": list(self.probes), "passages": list(self.passages),
                "message": self.message}


@dataclass
class _Session:
    risk: RiskSession
    slots: dict[str, str]
    turns: list[Turn] = field(default_factory=list)
    touched: float = field(default_factory=time.monotonic)


def _plain(text: str, limit: int = 90) -> str:
    t = re.sub(r"^#+\s*", "", text, flags=re.MULTILINE)
    t = re.sub(r"[*`>|-]+\s?", "", t)
    t = " ".join(t.split())
    return t[:limit] + ("…" if len(t) > limit else "")


class AgentAssist:
    """The staff-facing use-case. ``retriever`` is a (Reloading)HybridRetriever over the indexed knowledge;
    ``documents`` the loaded knowledge (scripts and what they rest on); ``store`` records what was shown."""

    def __init__(self, assessor: RiskAssessor, retriever: Any, documents: Sequence[Document], store: Any = None,
                 session_ttl_s: float = 3600, max_suggestions: int = 3, adapter: Any = None) -> None:
        self.assessor = assessor
        self.retriever = retriever
        self.docs = {d.id: d for d in documents}
        self.scripts = {d.id: d for d in documents if d.kind == "script"}
        self.store = store
        self.ttl = session_ttl_s
        self.max_suggestions = max_suggestions
        self.adapter = adapter
        self._sessions: dict[str, _Session] = {}
        self._lock = threading.Lock()
        self._feedback = store.feedback_counts() if store is not None else {}

    # -- sessions ------------------------------------------------------------------------------------------
    def start(self, meta: dict[str, Any] | None = None, slots: dict[str, str] | None = None) -> str:
        self._expire()
        sid = secrets.token_hex(8)
        with self._lock:
            self._sessions[sid] = _Session(self.assessor.new_session(meta), {k: str(v) for k, v in (slots or {}).items()})
        return sid

    def _get(self, session_id: str) -> _Session:
        self._expire()
        with self._lock:
            s = self._sessions.get(session_id)
        if s is None:
            raise SessionNotFound(f"会话不存在或已过期：{session_id}", field="session_id")
        s.touched = time.monotonic()
        return s

    def _expire(self) -> None:
        now = time.monotonic()
        with self._lock:
            for sid in [k for k, v in self._sessions.items() if now - v.touched > self.ttl]:
                del self._sessions[sid]

    def verify(self, session_id: str, verified: bool = True) -> dict[str, Any]:
        s = self._get(session_id)
        return s.risk.update_meta(verified=verified).to_dict()

    # -- the turn --------------------------------------------------------------------------------------------
    def on_turn(self, session_id: str, turn: Turn | dict[str, Any]) -> Assistance:
        s = self._get(session_id)
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
        return Assistance(session_id, index, risk.to_dict(), tuple(suggestions), actions, risk.probes, tuple(passages),
                          "" if suggestions else NO_FIT)

    def _citations(self, script: Document) -> tuple[Citation, ...]:
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

    def _fill(self, script: Document, slots: dict[str, str]) -> str:
        reply = script_reply(script.body) or ""
        defaults = {k: str(v) for k, v in (script.meta.get("slots") or {}).items()}
        values = {**defaults, **slots}
        return SLOT_RE.sub(lambda m: values.get(m.group(1), m.group(0)), reply)

    def _penalty(self, script_id: str, situation: str) -> float:
        c = self._feedback.get((script_id, situation), {})
        net = c.get("rejected", 0) - c.get("used", 0) - c.get("edited", 0)
        return min(MAX_PENALTY, PENALTY_STEP * max(0, net))

    def _suggest(self, s: _Session, query: str, situation: str, signals: set[str], risk: Any, index: int,
                 session_id: str) -> list[Suggestion]:
        hits = self.retriever.search(query, k=10, where=Filter.for_audience("agent", kinds=("script",)), floor=False)
        # Similarity alone must clear SCRIPT_MIN_RELEVANCE; scripts written for the signals this call shows get a
        # bonus per signal, and their retrieval rank (floor or not) breaks ties between them.
        rank_score = {h.chunk.doc_id: (1.0 / (r + 2), h.relevance) for r, h in enumerate(hits)}
        scored: dict[str, tuple[float, str]] = {}
        for sid, doc in self.scripts.items():
            rs, rel = rank_score.get(sid, (0.0, 0.0))
            overlap = signals & set(doc.meta.get("signals") or [])
            if overlap:
                scored[sid] = (SIGNAL_BONUS * len(overlap) + rs, f"针对本通话出现的信号 {'、'.join(sorted(overlap))}")
            elif rel >= SCRIPT_MIN_RELEVANCE:
                scored[sid] = (rs, f"与来电内容相近（相关度 {rel:.2f}）")
        verified = s.risk.meta.verified or s.risk.meta.number_matches == "yes"
        out: list[Suggestion] = []
        for sid, (score, reason) in sorted(scored.items(), key=lambda kv: -(kv[1][0] - self._penalty(kv[0], situation))):
            script = self.scripts[sid]
            text = self._fill(script, s.slots)
            verdict = guard_check(text, caller_verified=verified)
            if not verdict.ok:
                continue  # an approved script that fails the guard in this context is not shown
            adapted, original, note = False, "", ""
            if self.adapter is not None and not out:   # only the best suggestion is adapted (latency)
                res = self.adapter.adapt(text, s.turns, situation, verified)
                if res.adapted:
                    adapted, original, text = True, text, res.text
                note = res.note
            sug = Suggestion(secrets.token_hex(8), sid, script.title, text, reason, self._citations(script),
                             round(score - self._penalty(sid, situation), 4), adapted, original, note)
            out.append(sug)
            if self.store is not None:
                top = max(risk.probabilities[c] for c in SIGNAL_CATEGORIES)
                self.store.record_shown({"id": sug.id, "session_id": session_id, "turn_index": index, "script_id": sid,
                                         "situation": situation, "text": text, "risk_level": risk.level,
                                         "risk_score": float(top)})
            if len(out) >= self.max_suggestions:
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
        if self.store is None:
            raise AssistError("no feedback store configured", field="store")
        row = self.store.shown_row(suggestion_id)
        if row is None:
            raise AssistError(f"unknown suggestion id {suggestion_id}", field="suggestion_id")
        self.store.record_feedback(suggestion_id, action, mask(edited_text) if edited_text else None, agent_id)
        key = (row["script_id"], row["situation"])
        counts = self._feedback.setdefault(key, {})
        counts[action] = counts.get(action, 0) + 1

    def tag(self, session_id: str, value: bool, agent_id: str | None = None, tag: str = "疑似代理") -> None:
        if self.store is None:
            raise AssistError("no feedback store configured", field="store")
        self.store.record_tag(session_id, tag, value, agent_id)
