"""ConsumerChat: anti-fraud education for consumers, from consumer/all knowledge only, with a scam check, an attack
filter, and a wall that keeps internal knowledge (scripts, staff guides, signals) away from the consumer."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from assist.consumer.scams import ScamVerdict
from assist.consumer.wall import LeakDetector
from assist.core.channels import BY_KEY, OFFICIAL_CHANNELS
from assist.core.pii import mask
from assist.core.text import normalize
from assist.knowledge.types import Document, Filter
from assist.ports import AttackCheck, Retriever, ScamCheck

OFFICIAL_LINE = "请通过贷款机构App、合同或官网上公布的官方客服电话联系我们。"
REFUSAL = ("抱歉，这个请求我不能处理。我可以为您讲解如何识别“停息挂账”“征信修复”等收费骗局、如何和贷款机构直接免费协商，"
           "以及遇到问题时可以找哪些官方渠道。")


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


def _snippet(markdown: str, limit: int) -> str:
    """A passage as one line of plain text: list and heading markers and emphasis dropped, cut at ``limit``."""
    text = " ".join(re.sub(r"^[#>*\-\d.\s]+", "", ln).strip() for ln in markdown.splitlines() if ln.strip())
    text = re.sub(r"\*\*|__|`", "", text)
    return text[:limit] + ("…" if len(text) > limit else "")


class ConsumerChat:
    """One consumer message in, one answer out (the session's earlier messages give short follow-ups context)."""

    def __init__(self, retriever: Retriever, documents: Sequence[Document], scams: ScamCheck, attacks: AttackCheck,
                 *, max_message_chars: int, max_passages: int = 2) -> None:
        self.retriever = retriever
        self.scams = scams
        self.attacks = attacks
        self.docs = {d.id: d for d in documents}
        self.max_message_chars = max_message_chars
        self.max_passages = max_passages
        self.wall = LeakDetector((d.body for d in documents if d.audience == "agent"),
                                 (d.body for d in documents if d.audience != "agent"))

    def respond(self, message: str, history: Sequence[dict[str, str]] = ()) -> Answer:
        """Answer one consumer message; ``history`` holds earlier turns as {"role": "user"|"assistant", "text"}."""
        message = (message or "").strip()
        if not message:
            return Answer("请告诉我您遇到的情况，比如有人说能帮您“停息挂账”、自称客服让您转账等。", (), (), None, kind="redirect")
        if len(message) > self.max_message_chars:
            return Answer(f"消息太长了（超过{self.max_message_chars}字），请简要描述您的问题。", (), (), None,
                          kind="redirect")
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
            parts.append(f"{h.chunk.title}：{_snippet(h.chunk.text, 160)}")
        text = "\n".join(parts)
        sources = [text] + [self.docs[h.chunk.doc_id].body for h in hits if h.chunk.doc_id in self.docs]
        channels = [c.label for c in OFFICIAL_CHANNELS
                    if any(re.search(rf"(?<!\d){re.escape(c.key)}(?!\d)", src) for src in sources)]
        if not channels:
            channels = [BY_KEY[k].label for k in (("110", "96110") if verdict else ("12378",))]
        text += "\n可以求助的官方渠道：" + "、".join(channels[:4]) + "。" + OFFICIAL_LINE
        citations = tuple({"doc_id": h.chunk.doc_id, "title": h.chunk.title, "citation": h.chunk.citation} for h in hits)
        if self.wall.leaked(text) is not None:
            return Answer(REFUSAL, (), (), None, refused=True, kind="blocked", notes=("internal text in answer",))
        return Answer(text, citations, tuple(channels[:4]), verdict, kind="scam" if verdict else "answer")
