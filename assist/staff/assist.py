"""StaffAssist: per-turn help for front-line staff (坐席) — risk hint, up to three approved scripts with citations,
next actions, probe questions and the top knowledge passages. Every text is PII-masked before it is kept or stored.

Budgets (README, "Limits"): a turn longer than ``max_turn_chars`` and a session past ``max_turns`` turns are refused
before any work; only the last ``query_chars`` characters of the caller's words are searched (from a sentence start
when one is near), so a 4,000-character turn costs what a short one does. Turns of one session are taken one at a
time (the session is held while the turn is added), so turn indices are unique and in order under concurrency."""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from assist.core.pii import mask_for_storage
from assist.core.text import clean_text
from assist.errors import (
    AssistError,
    BudgetExceeded,
    CapacityExceeded,
    SessionFull,
    SessionNotFound,
    StoreUnavailable,
    TurnConflict,
)
from assist.knowledge.needs import EMPTY as NO_NEEDS
from assist.knowledge.needs import NeedHit, NeedLexicon
from assist.knowledge.signals import SIGNAL_CATEGORIES
from assist.knowledge.types import Document, Filter
from assist.ports import FeedbackStore, Retriever, SessionStore
from assist.risk.assessor import ACTIONS, RiskAssessor, RiskSession
from assist.risk.types import RiskAssessment, Turn
from assist.staff.guard import check as guard_check
from assist.staff.rewrite import ReplyRewriter
from assist.staff.suggestions import RankInput, ScriptRanker, bounded_counts
from assist.staff.types import Assistance, Suggestion

FEEDBACK_REFRESH_S = 60.0     # how old another worker's votes may be in this worker's ranking
NO_FIT = "暂无合适的推荐话术：请按正常流程服务，必要时询问客户诉求。"
MAX_SUGGESTIONS = 3
CARRY_TURNS = 3          # needs of this many earlier caller turns are carried forward
TURN_IDS_KEPT = 8        # a session remembers the ids of its last turns, to recognise one sent again
NOT_CARRIED = frozenset({"identity_answer"})
TAG = "疑似代理"
_SENTENCE_END = re.compile(r"[。！？；!?;\n]")
_SESSION_ID = re.compile(r"[0-9a-f]{16}")          # secrets.token_hex(8)

log = logging.getLogger("assist.staff")


@dataclass(frozen=True)
class StaffBudgets:
    """The per-input limits of the staff service (AgentSettings: max_turn_chars, max_turns_per_session,
    query_chars)."""

    max_turn_chars: int
    max_turns: int
    query_chars: int


def query_window(text: str, limit: int) -> str:
    """What is searched for a caller's words: all of them when short, else the last ``limit`` characters, starting
    just after a sentence end when one falls in the first quarter of that window."""
    if len(text) <= limit:
        return text
    window = text[-limit:]
    m = _SENTENCE_END.search(window, 0, limit // 4)
    return window[m.end():] if m else window


@dataclass
class CallSession:
    """One live call: its risk state, the script slot values, and the masked turns so far."""

    risk: RiskSession
    slots: dict[str, str]
    turns: list[Turn] = field(default_factory=list)
    needs: list[tuple[NeedHit, ...]] = field(default_factory=list)     # per caller turn, what it showed
    # the last TURN_IDS_KEPT turns' ids, as (digest, index): a client's id may hold anything, only its digest is kept
    turn_ids: list[tuple[str, int]] = field(default_factory=list)
    # with shared sessions only: (digest of the searched words, embedder name, float32 bytes) of the latest query's
    # vector, so that the worker taking the next turn (the agent's, on the same words) does not embed them again
    query_vec: tuple[str, str, bytes] | None = None


class StaffAssist:
    """The staff-facing use-case over the indexed knowledge (``retriever``), the loaded scripts and what they rest
    on (``documents``), and the feedback store that records what was shown and what staff did with it."""

    def __init__(self, assessor: RiskAssessor, retriever: Retriever, documents: Sequence[Document],
                 store: FeedbackStore, sessions: SessionStore[CallSession], budgets: StaffBudgets, *,
                 rewriter: ReplyRewriter | None = None, needs: NeedLexicon = NO_NEEDS,
                 carry_query_vectors: bool = False) -> None:
        """``carry_query_vectors``: keep the latest query's vector in the call's session; worth it when sessions are
        shared by several workers (a worker's own recent queries are kept anyway)."""
        self.carry_query_vectors = carry_query_vectors
        self.assessor = assessor
        self.retriever = retriever
        self.store = store
        self.ttl = sessions.ttl_s
        self.budgets = budgets
        self.rewriter = rewriter
        self.needs = needs
        self.ranker = ScriptRanker(documents, {}, {k: v.category for k, v in assessor.signals.items()})
        self._counts_at = -FEEDBACK_REFRESH_S
        self.refresh_feedback()
        self._sessions = sessions

    def refresh_feedback(self) -> None:
        """Read the votes again (every worker's), bounded per staff member and day (staff.suggestions)."""
        self._counts_at = time.monotonic()
        try:
            self.ranker.replace_counts(bounded_counts(self.store.vote_rows()))
        except StoreUnavailable as exc:       # rank with what is known rather than fail the turn
            log.warning("feedback counts unavailable, ranking without new ones: %s", exc.message)

    # -- sessions ------------------------------------------------------------------------------------------
    def start(self, meta: dict[str, Any] | None = None, slots: dict[str, str] | None = None) -> str:
        """A new call session. Slot values are masked like everything else that may be stored or shown."""
        sid = secrets.token_hex(8)
        kept = {clean_text(str(k)): mask_for_storage(clean_text(str(v))) for k, v in (slots or {}).items()}
        if not self._sessions.add(sid, CallSession(self.assessor.new_session(meta), kept)):
            raise CapacityExceeded("too many live call sessions; try again when some have ended",
                                   limit="agent.max_sessions")
        return sid

    def session(self, session_id: str) -> CallSession:
        """The live session (its idle time starts again); SessionNotFound when unknown or expired."""
        s = self._sessions.get(session_id)
        if s is None:
            raise SessionNotFound("会话不存在或已过期", field="session_id")
        return s

    def verify(self, session_id: str, verified: bool = True) -> dict[str, Any]:
        with self._sessions.hold(session_id) as s:
            if s is None:
                raise SessionNotFound("会话不存在或已过期", field="session_id")
            return s.risk.update_meta(verified=verified).to_dict()

    # -- the turn --------------------------------------------------------------------------------------------
    def on_turn(self, session_id: str, turn: Turn | dict[str, Any], *, signal_scripts: bool = False,
                turn_id: str | None = None) -> Assistance:
        """Everything staff see after one turn. ``signal_scripts``: staff asked to see the scripts written for
        intermediary signals whatever the risk level (otherwise they come only at medium or high). ``turn_id``: the
        client's id for this turn (its speech segment's id, or a retry key). A turn sent again with the id of the
        session's latest turn is not taken twice: its assistance is given again, so a client whose worker died or
        whose answer was lost can simply resend; an id reused for other words, or for a turn later turns followed,
        is refused (TurnConflict)."""
        text = turn.text if isinstance(turn, Turn) else turn.get("text")
        if isinstance(text, str) and len(text) > self.budgets.max_turn_chars:
            raise BudgetExceeded(f"turn is {len(text)} characters, over the limit of {self.budgets.max_turn_chars}",
                                 limit="agent.max_turn_chars", field="text")
        if time.monotonic() - self._counts_at > FEEDBACK_REFRESH_S:
            self.refresh_feedback()
        with self._sessions.hold(session_id) as s:
            if s is None:
                raise SessionNotFound("会话不存在或已过期", field="session_id")
            t = Turn.of(turn, len(s.turns))
            t = Turn(t.speaker, mask_for_storage(clean_text(t.text)), t.time)   # nothing unmasked is kept or sent on
            key = hashlib.sha256(turn_id.encode("utf-8")).hexdigest()[:24] if turn_id else None
            seen = dict(s.turn_ids).get(key) if key else None
            if seen is not None:
                _same_turn(s, seen, t)
                index, risk = seen, s.risk.current()
            else:
                if len(s.turns) >= self.budgets.max_turns:
                    raise SessionFull(f"this session has taken its {self.budgets.max_turns} turns; start a new session",
                                      limit="agent.max_turns_per_session", field="session_id")
                s.turns.append(t)
                if t.speaker == "caller" and t.text.strip():
                    s.needs.append(tuple(self.needs.detect(t.text)))
                risk = s.risk.add(t)
                index = len(s.turns) - 1
                if key:
                    s.turn_ids = [*s.turn_ids, (key, index)][-TURN_IDS_KEPT:]
            # The query is the caller's latest turn (with the one before when it is very short), cut to its last
            # query_chars characters; the detected situation comes in through the scripts' signals.
            caller = [x.text for x in s.turns if x.speaker == "caller" and x.text.strip()]
            query = caller[-1] if caller else ""
            if len(query) < 8 and len(caller) > 1:
                query = caller[-2] + " " + query
            query = query_window(query, self.budgets.query_chars)
            if self.carry_query_vectors and query.strip():
                self._carry_vector(s, query)
            verified = bool(s.risk.meta.verified or s.risk.meta.number_matches == "yes")
            now = s.needs[-1] if s.needs else ()
            carried = _carried(s.needs[:-1])
            context = CallSession(s.risk, dict(s.slots), list(s.turns))    # a snapshot for the work outside the hold
        situation = risk.category if risk.level != "low" else "none"
        inp = RankInput(needs=now, carried=carried if not _real(now) else (), level=risk.level,
                        category=risk.category,
                        signals=frozenset(e.signal_id for e in risk.evidence if e.contribution >= 0.5),
                        signal_scripts=signal_scripts)
        suggestions = (self._suggest(context, query, situation, inp, risk, index, session_id, verified)
                       if query.strip() else [])
        if not suggestions and t.speaker == "caller" and not self.needs.is_filler(t.text):
            # for trainers: which caller words found no script (masked text; `assist eval` counts these too)
            log.info("no fitting script: turn %d, level %s, needs %s: %s", index, risk.level,
                     ",".join(h.need for h in now) or "none", t.text[:80])
        passages = self._passages(query) if query.strip() else []
        actions = tuple({"id": a, "label": ACTIONS[a]} for a in risk.actions)
        return Assistance(session_id=session_id, turn_index=index, risk=risk.to_dict(), suggestions=tuple(suggestions),
                          actions=actions, probes=risk.probes, passages=tuple(passages),
                          message="" if suggestions else NO_FIT, needs=tuple(h.need for h in now))

    def _carry_vector(self, s: CallSession, query: str) -> None:
        """The query's vector from the session when another worker embedded these words for this call, else
        embedded here and kept in the session for the next worker."""
        digest = hashlib.sha256(query.encode("utf-8")).hexdigest()[:24]
        if s.query_vec is not None and s.query_vec[0] == digest and self.retriever.remember(query, *s.query_vec[1:]):
            return
        s.query_vec = (digest, *self.retriever.query_vector(query))

    def _suggest(self, s: CallSession, query: str, situation: str, inp: RankInput, risk: RiskAssessment,
                 index: int, session_id: str, verified: bool) -> list[Suggestion]:
        ranked_scripts = self.ranker.rank((), situation, inp)
        if len(ranked_scripts) < MAX_SUGGESTIONS:
            # too few scripts fit the needs and signals: search the scripts for ones close to the caller's words
            hits = self.retriever.search(query, k=10, where=Filter.for_audience("agent", kinds=("script",)), floor=False)
            ranked_scripts = self.ranker.rank(hits, situation, inp)
        out: list[Suggestion] = []
        for ranked in ranked_scripts:
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
                             family=ranked.family, adapted=adapted, original=original, note=note)
            out.append(sug)
            if len(out) >= MAX_SUGGESTIONS:
                break
        if not out:
            return out
        top = max(risk.probabilities[c] for c in SIGNAL_CATEGORIES)
        self.store.record_shown([{"id": sug.id, "session_id": session_id, "turn_index": index,
                                  "script_id": sug.script_id, "situation": situation, "text": sug.text,
                                  "risk_level": risk.level, "risk_score": float(top)} for sug in out])
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
            raise AssistError("unknown suggestion id", field="suggestion_id")
        edited = mask_for_storage(clean_text(edited_text)) if edited_text else None
        self.store.record_feedback(suggestion_id, action, edited, _staff_id(agent_id))
        self.refresh_feedback()

    def votes(self, *, script_id: str | None = None, agent_id: str | None = None,
              limit: int = 200) -> list[dict[str, Any]]:
        """Votes, newest first (admins)."""
        return self.store.votes(script_id=script_id, agent_id=agent_id, limit=limit)

    def undo_vote(self, vote_id: int, by: str) -> bool:
        """Undo one vote (admins): it no longer counts, here at once and on other workers within a minute."""
        done = self.store.undo_vote(vote_id, mask_for_storage(by))
        self.refresh_feedback()
        return done

    def tag(self, session_id: str, value: bool, agent_id: str | None = None) -> None:
        """Set or clear the 疑似代理 tag (an internal label on the case, never shown to the caller)."""
        if not _SESSION_ID.fullmatch(session_id):     # only ids this service made reach the store
            raise SessionNotFound("会话不存在或已过期", field="session_id")
        # a live call, or one served before (tagging after the call has ended is normal); never an invented id
        if self._sessions.get(session_id) is None and not self.store.knows_session(session_id):
            raise SessionNotFound("会话不存在", field="session_id")
        self.store.record_tag(session_id, TAG, value, _staff_id(agent_id))


def _same_turn(s: CallSession, index: int, t: Turn) -> None:
    """A resent turn is the session's latest and has the same speaker and (masked) words, or it is refused."""
    if index != len(s.turns) - 1:
        raise TurnConflict(f"this turn id is turn {index}, and {len(s.turns) - 1 - index} later turn(s) followed "
                           "it; send a new turn with a new id", field="turn_id")
    first = s.turns[index]
    if (first.speaker, first.text) != (t.speaker, t.text):
        raise TurnConflict("this turn id was used for a different turn; each turn needs its own id",
                           field="turn_id")


def _real(needs: Sequence[NeedHit]) -> bool:
    """The turn says what the caller needs (more than answering an identity question)."""
    return any(h.need not in NOT_CARRIED for h in needs)


def _carried(earlier: Sequence[tuple[NeedHit, ...]]) -> tuple[NeedHit, ...]:
    """Needs of the last CARRY_TURNS earlier caller turns, the latest first, each need once."""
    out: dict[str, NeedHit] = {}
    for hits in reversed(earlier[-CARRY_TURNS:]):
        for h in hits:
            if h.need not in NOT_CARRIED:
                out.setdefault(h.need, h)
    return tuple(out.values())


def _staff_id(agent_id: str | None) -> str | None:
    """A staff member's id as stored: masked like any text (someone will type a phone number into it)."""
    return mask_for_storage(clean_text(agent_id)) if agent_id else None
