"""ConsumerChat: anti-fraud education for consumers, from consumer/all knowledge only, with a scam check and a
wall that keeps internal knowledge (scripts, staff guides, signals) away from the consumer."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Sequence

from assist.models import Document, Filter
from assist.pii import mask, mask_for_storage
from assist.attacks import AttackFilter, classify_attack  # noqa: F401 (classify_attack re-exported)
from assist.scams import ScamVerdict, scam_check  # noqa: F401 (re-exported for callers and tests)
from assist.text import normalize

MAX_MESSAGE = 2000
OFFICIAL_LINE = "请通过贷款机构App、合同或官网上公布的官方客服电话联系我们。"

REFUSAL = ("抱歉，这个请求我不能处理。我可以为您讲解如何识别“停息挂账”“征信修复”等收费骗局、如何和贷款机构直接免费协商，"
           "以及遇到问题时可以找哪些官方渠道。")
CHANNEL_PATTERNS = [("110", "110（报警）"), ("96110", "96110（反诈预警咨询）"), ("12378", "12378（银行保险消费投诉）"),
                    ("12363", "12363（人民银行金融消费权益，含征信）"), ("12321", "12321（垃圾短信、骚扰电话举报）"),
                    ("12377", "12377（违法和不良信息举报）"), ("12315", "12315（与服务公司的消费纠纷）"),
                    ("国家反诈中心", "国家反诈中心APP"), ("金融消费者保护服务平台", "金融消费者保护服务平台（微信小程序）")]


@dataclass(frozen=True)
class Answer:
    text: str
    citations: tuple[dict[str, str], ...]
    channels: tuple[str, ...]
    scam: ScamVerdict | None
    refused: bool = False
    kind: str = "answer"                      # answer | scam | refusal | redirect | no_answer | blocked
    notes: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "citations": list(self.citations), "channels": list(self.channels),
                "scam": None if self.scam is None else {"schemes": list(self.scam.schemes), "urgent": self.scam.urgent,
                                                        "actions": list(self.scam.actions)},
                "refused": self.refused, "kind": self.kind}


class ConsumerChat:
    def __init__(self, retriever: Any, documents: Sequence[Document], max_passages: int = 2, scams: Any = None,
                 attacks: AttackFilter | None = None) -> None:
        from assist.scam_model import ScamClassifier

        self.retriever = retriever
        self.scams = scams or ScamClassifier()     # rules only unless a trained scam model is given
        self.attacks = attacks or AttackFilter()   # likewise for the attack filter
        self.docs = {d.id: d for d in documents}
        self.max_passages = max_passages
        # Text of every internal document, for the wall's check on the way out; a phrase that consumer material says
        # too (an official channel's full name, say) is public and not a leak.
        self._internal = [normalize(d.body) for d in documents if d.audience == "agent"]
        self._public = [normalize(d.body) for d in documents if d.audience != "agent"]

    def _leaks(self, text: str, window: int = 20) -> bool:
        t = normalize(text)
        for i in range(0, max(0, len(t) - window) + 1, 5):
            piece = t[i:i + window]
            if (len(piece) == window and any(piece in body for body in self._internal)
                    and not any(piece in body for body in self._public)):
                return True
        return False

    def respond(self, message: str, history: Sequence[dict[str, str]] = ()) -> Answer:
        """Answer one consumer message; ``history`` holds earlier turns as {"role": "user"|"assistant", "text"}."""
        message = (message or "").strip()
        if not message:
            return Answer("请告诉我您遇到的情况，比如有人说能帮您“停息挂账”、自称客服让您转账等。", (), (), None, kind="redirect")
        if len(message) > MAX_MESSAGE:
            return Answer(f"消息太长了（超过{MAX_MESSAGE}字），请简要描述您的问题。", (), (), None, kind="redirect")
        masked = mask(message)
        attack = self.attacks.classify(masked)
        verdict = self.scams.check(masked)
        # the learned layer never refuses someone describing a scam (a victim asking for help); the rules still do
        if attack is not None and not (attack == "learned" and verdict is not None):
            return Answer(REFUSAL, (), (), None, refused=True, kind="refusal", notes=(attack,))
        query = masked
        previous = [h["text"] for h in history if h.get("role") == "user" and h.get("text")]
        if previous and len(normalize(masked)) < 12:
            # a short follow-up ("那我该怎么办？") is about what the consumer said before
            query = mask(previous[-1])[-200:] + " " + masked
            verdict = verdict or self.scams.check(mask(previous[-1]) + "。" + masked)
        hits = self.retriever.search(query, k=4, where=Filter.for_audience("consumer"))
        hits = [h for h in hits if h.chunk.audience in ("consumer", "all")][: self.max_passages]
        if not hits and verdict is None:
            return Answer("这个问题我暂时回答不了。我主要解答借款、还款中的防骗问题，比如“停息挂账”“征信修复”“冒充客服”等。"
                          + OFFICIAL_LINE, (), (), None, kind="no_answer")
        parts: list[str] = []
        if verdict is not None:
            names = "、".join(s["name"] for s in verdict.schemes)
            flags = "、".join(f"“{f}”" for s in verdict.schemes for f in s["red_flags"][:3])
            head = "【请先处理】" if verdict.urgent else ""
            parts.append(f"{head}您描述的情况很像{names}。我注意到这些危险信号：{flags}。")
            parts.append("现在建议您：" + "；".join(verdict.actions[:4]) + "。")
        for h in hits:
            snippet = " ".join(re.sub(r"^[#>*\-\d.\s]+", "", ln).strip() for ln in h.chunk.text.splitlines() if ln.strip())
            snippet = re.sub(r"\*\*|__|`", "", snippet)          # Markdown emphasis is not shown as plain text
            parts.append(f"{h.chunk.title}：{snippet[:160]}{'…' if len(snippet) > 160 else ''}")
        text = "\n".join(parts)
        sources = [text] + [self.docs[h.chunk.doc_id].body for h in hits if h.chunk.doc_id in self.docs]
        channels = [label for key, label in CHANNEL_PATTERNS
                    if any(re.search(rf"(?<!\d){re.escape(key)}(?!\d)", src) for src in sources)]
        if not channels:
            channels = ["110（报警）", "96110（反诈预警咨询）"] if verdict else ["12378（银行保险消费投诉）"]
        text += "\n可以求助的官方渠道：" + "、".join(channels[:4]) + "。" + OFFICIAL_LINE
        citations = tuple({"doc_id": h.chunk.doc_id, "title": h.chunk.title, "citation": h.chunk.citation} for h in hits)
        if self._leaks(text):
            return Answer(REFUSAL, (), (), None, refused=True, kind="blocked", notes=("internal text in answer",))
        return Answer(text, citations, tuple(channels[:4]), verdict, kind="scam" if verdict else "answer")


@dataclass
class _Session:
    last_seen: float
    history: list[dict[str, str]]


class ConsumerSessions:
    """Consumer chat sessions: masked history only, bounded, expiring after idle time. An unknown or expired id
    starts a new session (a consumer is never shown an error for coming back late)."""

    def __init__(self, chat: ConsumerChat, ttl_s: float = 1800.0, max_turns: int = 6,
                 clock: Any = None) -> None:
        import time

        self.chat = chat
        self.ttl_s = ttl_s
        self.max_turns = max_turns
        self._clock = clock or time.monotonic
        self._sessions: dict[str, _Session] = {}

    def _expire(self, now: float) -> None:
        for sid in [k for k, v in self._sessions.items() if now - v.last_seen > self.ttl_s]:
            del self._sessions[sid]

    def history(self, session_id: str) -> list[dict[str, str]]:
        s = self._sessions.get(session_id)
        return list(s.history) if s else []

    def respond(self, session_id: str | None, message: str) -> tuple[str, Answer]:
        """Answer within a session; returns the (possibly new) session id and the answer. Nothing unmasked is kept."""
        import secrets

        now = self._clock()
        self._expire(now)
        if not session_id or session_id not in self._sessions:
            session_id = secrets.token_urlsafe(16)
            self._sessions[session_id] = _Session(now, [])
        s = self._sessions[session_id]
        answer = self.chat.respond(message, s.history)
        s.history.append({"role": "user", "text": mask_for_storage(message or "")[:MAX_MESSAGE]})
        s.history.append({"role": "assistant", "text": answer.text[:400]})
        del s.history[: max(0, len(s.history) - 2 * self.max_turns)]
        s.last_seen = now
        return session_id, answer
