"""Practice mode for staff: the assistant plays a caller from the labelled conversation set, turn by turn; the
trainee replies; each reply is scored at once (assist.practice.scoring). A session ends with a summary; results are
stored per trainee (masked) and exportable as CSV."""

from __future__ import annotations

import csv
import io
import json
import logging
import random
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from assist.core.pii import mask_for_storage
from assist.core.text import clean_text
from assist.errors import AssistError, BudgetExceeded, StoreUnavailable
from assist.evaluation.conversations import LabelledConversation
from assist.ports import Embedder, PracticeStore
from assist.practice.scoring import ELEMENTS, PracticeSummary, ReplyScore, summarise
from assist.staff import guard
from assist.staff.assist import StaffAssist
from assist.staff.types import Assistance

log = logging.getLogger("assist.practice")

CSV_COLUMNS = ("trainee", "conversation", "label", "started", "finished", "score", "handled_well", "missed",
               "violations", "mean_similarity", "replies_masked")


@dataclass
class PracticeSession:
    trainee: str
    conversation: LabelledConversation
    started: float
    position: int = 0                     # index of the next caller turn to play
    scores: list[ReplyScore] = field(default_factory=list)
    agent_session: str = ""
    finished: bool = False
    last_assist: Assistance | None = None   # the assistant's suggestions after the caller's latest line
    summary: PracticeSummary | None = None  # once finished (and saved)

    @property
    def caller_turns(self) -> list[str]:
        return [t.text for t in self.conversation.turns if t.speaker == "caller"]


class PracticeCoach:
    def __init__(self, conversations: Sequence[LabelledConversation], staff: StaffAssist, embedder: Embedder,
                 store: PracticeStore, seed: int | None = None) -> None:
        self.conversations = [c for c in conversations if any(t.speaker == "caller" for t in c.turns)]
        if not self.conversations:
            raise AssistError("no conversations with caller turns to practise on")
        self.staff = staff
        self.embedder = embedder
        self.store = store
        self._rng = random.Random(seed)

    def start(self, trainee: str, label: str | None = None,
              conversation_id: str | None = None) -> tuple[PracticeSession, str]:
        """A new session and the caller's first line. The trainee's name or number is kept masked like any text."""
        trainee = mask_for_storage(clean_text(trainee or "").strip())
        if not trainee:
            raise AssistError("请填写学员姓名或工号", field="trainee")
        pool = self.conversations
        if conversation_id:
            pool = [c for c in pool if c.id == conversation_id]
        elif label:
            pool = [c for c in pool if c.label == label]
        if not pool:
            raise AssistError(f"没有可用的练习来电（{conversation_id or label}）", field="label")
        conv = self._rng.choice(pool)
        s = PracticeSession(trainee, conv, time.time(), agent_session=self.staff.start(
            {"number_matches": conv.meta.number_matches, "channel": conv.meta.channel}))
        return s, self._next_caller(s)

    def _next_caller(self, s: PracticeSession) -> str:
        text = s.caller_turns[s.position]
        s.position += 1
        s.last_assist = self.staff.on_turn(s.agent_session, {"speaker": "caller", "text": text})
        return text

    def reply(self, s: PracticeSession, text: str) -> tuple[ReplyScore, str | None]:
        """Score the trainee's reply; returns the score and the caller's next line (None at the end of the call).
        The guard reads the reply as typed (a number read out to an unverified caller is a violation); the score,
        its feedback and the stored record hold only the masked text."""
        if s.finished:
            raise AssistError("这通练习已经结束，请重新开始", field="session")
        limit = self.staff.budgets.max_turn_chars
        if len(text or "") > limit:
            raise BudgetExceeded(f"回复太长了（{len(text)}字，最多{limit}字）", limit="agent.max_turn_chars", field="reply")
        text = clean_text(text or "").strip()
        if not text:
            raise AssistError("请先输入您的回复", field="reply")
        assist = s.last_assist
        # as in the live assistant: a caller on the registered number counts as verified for disclosure rules
        g = guard.check(text, caller_verified=s.conversation.meta.number_matches == "yes")
        elements = [k for k, (_, pat) in ELEMENTS.items() if re.search(pat, text)]
        sim, ref, title = None, "", ""
        if assist is not None and assist.suggestions:
            v = np.asarray(self.embedder.embed_query(text), dtype=np.float32)
            sims = [(float(np.dot(v, np.asarray(self.embedder.embed_query(sg.text), dtype=np.float32))), sg)
                    for sg in assist.suggestions[:3]]
            sim, best = max(sims, key=lambda p: p[0])
            ref, title = best.text, best.title
        score = ReplyScore(mask_for_storage(text), [f"{v.message}（“{mask_for_storage(v.quote)}”）" for v in g.violations],
                           elements, sim, ref, title)
        s.scores.append(score)
        self.staff.on_turn(s.agent_session, {"speaker": "agent", "text": text})
        if s.position >= len(s.caller_turns):
            s.finished = True
            return score, None
        return score, self._next_caller(s)

    def finish(self, s: PracticeSession) -> PracticeSummary:
        """Summary of the session (also when ended early), saved for the trainee once: asking again (the end button
        after the last reply) returns the same summary without storing a second record. When the store cannot take
        the record, the summary is still given (and saving is tried again the next time it is asked for)."""
        if s.summary is not None:
            return s.summary
        hint = s.last_assist.risk.get("category", "none") if s.last_assist else "none"
        summary = summarise(s.conversation.label, s.scores, hint)
        try:
            self._save(s, summary)
        except StoreUnavailable as exc:
            log.warning("practice record not saved yet: %s", exc.message)
            s.finished = True
            return summary
        s.finished = True
        s.summary = summary
        return summary

    def _save(self, s: PracticeSession, summary: PracticeSummary) -> None:
        self.store.save({"trainee": s.trainee, "conversation": s.conversation.id, "label": s.conversation.label,
                         "started": s.started, "finished": time.time(), "score": summary.score,
                         "handled_well": "、".join(summary.handled_well), "missed": "、".join(summary.missed),
                         "violations": mask_for_storage("；".join(summary.violations)),
                         "mean_similarity": summary.mean_similarity,
                         "replies": json.dumps([mask_for_storage(r.reply) for r in s.scores], ensure_ascii=False)})

    def export_csv(self, trainee: str | None = None) -> str:
        """Every stored session (of one trainee) as CSV, oldest first; replies as stored, masked."""
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(CSV_COLUMNS)
        for r in self.store.rows(mask_for_storage(clean_text(trainee)) if trainee else None):
            w.writerow([r["trainee"], r["conversation"], r["label"], _utc(r["started"]), _utc(r["finished"]), r["score"],
                        r["handled_well"], r["missed"], r["violations"], r["mean_similarity"], r["replies"]])
        return buf.getvalue()


def _utc(t: float) -> str:
    """Seconds since the epoch as SQLite's datetime(t, 'unixepoch') writes them."""
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(t))
