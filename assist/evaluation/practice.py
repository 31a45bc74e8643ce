"""Practice mode for staff: the assistant plays a caller from the labelled conversation set, turn by turn; the
trainee replies; each reply is scored at once for compliance (the guard), for the elements the situation requires
(what an approved script for this kind of caller would contain) and for closeness to the approved scripts the
assistant suggests at that moment. A session ends with a summary; results are stored per trainee (masked) and
exportable as CSV."""

from __future__ import annotations

import csv
import io
import json
import random
import re
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from assist import guard
from assist.errors import AssistError
from assist.pii import mask_for_storage

LABEL_NAMES = {"intermediary": "第三方代理（收费中介）", "coached": "被代理机构教唆的借款人本人", "victim": "被代理机构坑害的借款人",
               "genuine": "真实借款人（有困难或情绪激动）", "legit_rep": "合法代理人（律师/有授权的亲属）"}

# What a good handling of each kind of caller contains (any keyword of an element counts). Drawn from the staff
# guides: verify before disclosing, authorisation documents, call back on the registered number, free direct
# negotiation, victim protection, empathy and concrete options for a genuine borrower.
ELEMENTS: dict[str, tuple[str, str]] = {
    "verify": ("核实身份或授权", r"核实|确认.{0,4}身份|本人|身份证后|验证|授权|委托书|执业证|律师证"),
    "callback": ("回拨预留号码", r"回拨|预留.{0,4}(手机|号码|电话)|登记的.{0,4}(号码|手机)|打给.{0,4}本人"),
    "authorisation": ("要求授权材料", r"授权|委托书|执业证|律师证|律所.{0,6}(函|电话|总机)"),
    "free_direct": ("告知可免费直接协商", r"免费|直接(和|与|跟)?我们|不需要.{0,4}中介|无需.{0,4}中介|不用.{0,4}(找|交钱|付费)"),
    "options": ("给出还款协商方案", r"分期|协商|延期|还款(计划|方案|安排)|方案|减轻|困难"),
    "empathy": ("体谅与安抚", r"理解|明白|别着急|不着急|抱歉|辛苦|您放心|我们一起"),
    "protect": ("受害者保护（证据、报警、止损）", r"报警|110|96110|保留.{0,4}(证据|记录|凭证|聊天)|不要再.{0,4}(付|转|交)|止损"),
}
REQUIRED: dict[str, tuple[str, ...]] = {
    "intermediary": ("verify", "callback"),
    "coached": ("free_direct", "options"),
    "victim": ("protect", "empathy"),
    "genuine": ("empathy", "options"),
    "legit_rep": ("authorisation", "verify"),
}


@dataclass
class ReplyScore:
    reply: str
    violations: list[str]
    elements: list[str]
    similarity: float | None
    reference: str
    reference_title: str

    def feedback(self) -> str:
        lines = ["【合规】通过" if not self.violations else "【合规问题】" + "；".join(self.violations)]
        if self.elements:
            lines.append("【做到了】" + "、".join(ELEMENTS[e][0] for e in self.elements))
        if self.similarity is not None:
            lines.append(f"【接近度】{self.similarity:.2f}，与推荐话术相比（参考《{self.reference_title}》：{self.reference}）")
        return "\n".join(lines)


@dataclass
class PracticeSession:
    trainee: str
    conversation: Any                     # LabelledConversation
    started: float
    position: int = 0                     # index of the next caller turn to play
    scores: list[ReplyScore] = field(default_factory=list)
    agent_session: str = ""
    finished: bool = False
    last_assist: Any = None               # the assistant's suggestions after the caller's latest line
    summary: PracticeSummary | None = None   # once finished (and saved)

    @property
    def caller_turns(self) -> list[str]:
        return [t.text for t in self.conversation.turns if t.speaker == "caller"]


@dataclass
class PracticeSummary:
    label: str
    label_name: str
    score: int
    handled_well: list[str]
    missed: list[str]
    violations: list[str]
    mean_similarity: float | None
    hint_category: str

    def text(self) -> str:
        out = [f"本次来电的真实类型：{self.label_name}（风险提示最后判断：{self.hint_category}）", f"得分：{self.score}/100"]
        out.append("做得好的：" + ("、".join(self.handled_well) or "暂无"))
        out.append("遗漏的：" + ("、".join(self.missed) or "无"))
        if self.violations:
            out.append("合规问题：" + "；".join(self.violations))
        if self.mean_similarity is not None:
            out.append(f"与推荐话术的平均接近度：{self.mean_similarity:.2f}")
        return "\n".join(out)


class PracticeStore:
    """SQLite: one row per finished session, trainee replies masked."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), check_same_thread=False)
        self._db.execute("CREATE TABLE IF NOT EXISTS practice (trainee TEXT, conversation TEXT, label TEXT, started REAL,"
                         " finished REAL, score INTEGER, handled_well TEXT, missed TEXT, violations TEXT,"
                         " mean_similarity REAL, replies TEXT)")
        self._db.commit()

    def save(self, s: PracticeSession, summary: PracticeSummary) -> None:
        self._db.execute("INSERT INTO practice VALUES (?,?,?,?,?,?,?,?,?,?,?)", (
            s.trainee, s.conversation.id, s.conversation.label, s.started, time.time(), summary.score,
            "、".join(summary.handled_well), "、".join(summary.missed), mask_for_storage("；".join(summary.violations)),
            summary.mean_similarity, json.dumps([mask_for_storage(r.reply) for r in s.scores], ensure_ascii=False)))
        self._db.commit()

    def export_csv(self, trainee: str | None = None) -> str:
        q = "SELECT trainee, conversation, label, datetime(started, 'unixepoch'), datetime(finished, 'unixepoch'), score," \
            " handled_well, missed, violations, mean_similarity, replies FROM practice"
        rows = self._db.execute(q + (" WHERE trainee = ?" if trainee else "") + " ORDER BY finished",
                                (trainee,) if trainee else ()).fetchall()
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(["trainee", "conversation", "label", "started", "finished", "score", "handled_well", "missed",
                    "violations", "mean_similarity", "replies_masked"])
        w.writerows(rows)
        return buf.getvalue()


class PracticeCoach:
    def __init__(self, conversations: Sequence[Any], agent: Any, embedder: Any, store: PracticeStore,
                 seed: int | None = None) -> None:
        self.conversations = [c for c in conversations if any(t.speaker == "caller" for t in c.turns)]
        if not self.conversations:
            raise AssistError("no conversations with caller turns to practise on")
        self.agent = agent
        self.embedder = embedder
        self.store = store
        self._rng = random.Random(seed)

    def start(self, trainee: str, label: str | None = None, conversation_id: str | None = None) -> tuple[PracticeSession, str]:
        """A new session and the caller's first line."""
        trainee = (trainee or "").strip()
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
        s = PracticeSession(trainee, conv, time.time(), agent_session=self.agent.start(
            {"number_matches": conv.meta.number_matches, "channel": conv.meta.channel}))
        return s, self._next_caller(s)

    def _next_caller(self, s: PracticeSession) -> str:
        text = s.caller_turns[s.position]
        s.position += 1
        s.last_assist = self.agent.on_turn(s.agent_session, {"speaker": "caller", "text": text})
        return text

    def reply(self, s: PracticeSession, text: str) -> tuple[ReplyScore, str | None]:
        """Score the trainee's reply; returns the score and the caller's next line (None at the end of the call)."""
        if s.finished:
            raise AssistError("这通练习已经结束，请重新开始", field="session")
        text = (text or "").strip()
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
        score = ReplyScore(text, [f"{v.message}（“{v.quote}”）" for v in g.violations], elements, sim, ref, title)
        s.scores.append(score)
        self.agent.on_turn(s.agent_session, {"speaker": "agent", "text": text})
        if s.position >= len(s.caller_turns):
            s.finished = True
            return score, None
        return score, self._next_caller(s)

    def finish(self, s: PracticeSession) -> PracticeSummary:
        """Summary of the session (also when ended early), saved for the trainee once: asking again (the end button
        after the last reply) returns the same summary without storing a second record."""
        if s.summary is not None:
            return s.summary
        label = s.conversation.label
        covered = {e for r in s.scores for e in r.elements}
        required = REQUIRED.get(label, ())
        well = [ELEMENTS[e][0] for e in required if e in covered]
        missed = [ELEMENTS[e][0] for e in required if e not in covered]
        violations = [v for r in s.scores for v in r.violations]
        sims = [r.similarity for r in s.scores if r.similarity is not None]
        mean_sim = sum(sims) / len(sims) if sims else None
        compliance = 40 if not violations else max(0, 40 - 20 * len(violations))
        coverage = 40 * (len(well) / len(required)) if required else 40
        closeness = 20 * min(1.0, max(0.0, ((mean_sim or 0.80) - 0.80) / 0.15))
        hint = s.last_assist.risk.get("category", "none") if s.last_assist else "none"
        summary = PracticeSummary(label, LABEL_NAMES.get(label, label), int(round(compliance + coverage + closeness)),
                                  well, missed, violations, mean_sim, hint)
        self.store.save(s, summary)
        s.finished = True
        s.summary = summary
        return summary
