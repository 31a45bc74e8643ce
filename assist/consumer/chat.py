"""ConsumerChat: anti-fraud education for consumers, from consumer/all knowledge only, with a scam check, an attack
filter, and a wall that keeps internal knowledge (scripts, staff guides, signals) away from the consumer.

A pasted call or a long story costs no more than a short question: none of its text is embedded. The scam check
reads it with character n-grams; a verdict on it (and on any pasted call or SMS) is answered from the named schemes'
education articles, a pasted call or SMS without red flags from the article on checking a call, and only a long story
without a verdict is searched (its last words). A short question is searched as it is, and a verdict on it always
cites its scheme's article. The attack
filter looks at the consumer's own words, not at the words of the caller they quote. Everything quoted from the
message is plain text (assist.consumer.echo)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from assist.consumer.attacks import classify_attack
from assist.consumer.echo import plain_quote
from assist.consumer.reading import Reading, read_message
from assist.consumer.scams import ScamVerdict
from assist.consumer.schemes import BY_ID
from assist.consumer.wall import LeakDetector
from assist.core.channels import BY_KEY, OFFICIAL_CHANNELS
from assist.core.pii import mask
from assist.core.text import normalize
from assist.knowledge.types import Document, Filter
from assist.ports import AttackCheck, Retriever, ScamCheck

OFFICIAL_LINE = "请通过贷款机构App、合同或官网上公布的官方客服电话联系我们。"
LONG_MESSAGE = 160        # characters: a longer message is never embedded (its end is searched when it is no report)
QUERY_CHARS = 80          # longest text searched for a long message, and kept from the last one for a follow-up
# A short message that turns to a lawful step of the consumer's own (complaining, negotiating, repaying, reporting)
# and points back at nothing is a new question, not a follow-up: "我想投诉催收，该找谁？" after asking about a 征信修复
# company is answered on its own, never with the earlier scam verdict.
OWN_TOPIC = re.compile(r"投诉|举报|协商|分期|延期|还款|减免|12378|报警|起诉|异议|催收")
REFERS_BACK = re.compile(r"[那这他她它此]|对方|刚才|上面|前面")
CHECK_ARTICLE = "edu-check-a-call"     # what a pasted call or message without red flags is answered with
NO_FLAGS = ("从您发来的内容看，没有发现常见骗局的危险信号。如果对方接下来要您提供验证码、密码或银行卡号，要您转账、"
            "借钱、下载软件、共享屏幕或点击链接，那就是诈骗：请立即挂断，自己通过官方电话或官方App核实。")
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
        scam = None
        if self.scam is not None:
            scam = {"schemes": [{"id": sc["id"], "name": sc["name"],
                                 "red_flags": [plain_quote(str(f)) for f in sc.get("red_flags", ())]}
                                for sc in self.scam.schemes],
                    "urgent": self.scam.urgent, "actions": list(self.scam.actions)}
        return {"text": self.text, "citations": list(self.citations), "channels": list(self.channels),
                "scam": scam, "refused": self.refused, "kind": self.kind}


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
        reading = read_message(masked)
        attack = self._attack(masked, reading)
        verdict = self.scams.check(masked)
        # the learned layer never refuses someone describing a scam (a victim asking for help); the rules still do
        if attack is not None and not (attack == "learned" and verdict is not None):
            return Answer(REFUSAL, (), (), None, refused=True, kind="refusal", notes=(attack,))
        long = len(masked) > LONG_MESSAGE
        if reading.is_report or (long and verdict is not None):
            # a pasted call or message, or a long story with a verdict: nothing of it is embedded; the schemes'
            # articles (or the one on checking a call) answer it
            ids = [BY_ID[str(sc["id"])].article for sc in verdict.schemes] if verdict is not None else [CHECK_ARTICLE]
            passages = self._articles(ids)
        else:
            query = masked[-QUERY_CHARS:] if long else masked
            previous = [h["text"] for h in history if h.get("role") == "user" and h.get("text")]
            if not long and previous and len(normalize(masked)) < 12 and _follows_up(masked):
                # a short follow-up ("那我该怎么办？") is about what the consumer said before
                query = mask(previous[-1])[-QUERY_CHARS:] + " " + masked
                verdict = verdict or self.scams.check(mask(previous[-1]) + "。" + masked)
            hits = self.retriever.search(query, k=4, where=Filter.for_audience("consumer"))
            passages = [(h.chunk.doc_id, h.chunk.title, h.chunk.text, h.chunk.citation) for h in hits
                        if h.chunk.audience in ("consumer", "all")][: self.max_passages]
            if verdict is not None:
                passages = self._with_article(BY_ID[verdict.primary].article, passages)
        if not passages and verdict is None:
            return Answer("这个问题我暂时回答不了。我主要解答借款、还款中的防骗问题，比如“停息挂账”“征信修复”“冒充客服”等。"
                          + OFFICIAL_LINE, (), (), None, kind="no_answer")
        parts: list[str] = []
        if verdict is not None:
            names = "、".join(s["name"] for s in verdict.schemes)
            quotes = [plain_quote(str(f)) for s in verdict.schemes for f in s["red_flags"][:3]]
            flags = "、".join(f"“{q}”" for q in list(dict.fromkeys(q for q in quotes if q))[:4])
            head = "【请先处理】" if verdict.urgent else ""
            parts.append(f"{head}您描述的情况很像{names}。" + (f"我注意到这些危险信号：{flags}。" if flags else ""))
            parts.append("现在建议您：" + "；".join(verdict.actions[:4]) + "。")
        elif reading.is_report:
            parts.append(NO_FLAGS)
        for _, title, text, _ in passages:
            parts.append(f"{title}：{_snippet(text, 160)}")
        text = "\n".join(parts)
        sources = [text] + [self.docs[d].body for d, *_ in passages if d in self.docs]
        channels = [BY_KEY[k].label for s in (verdict.schemes if verdict else ()) for k in BY_ID[s["id"]].channels]
        channels += [c.label for c in OFFICIAL_CHANNELS
                     if any(re.search(rf"(?<!\d){re.escape(c.key)}(?!\d)", src) for src in sources)]
        channels = list(dict.fromkeys(channels))
        if not channels:
            channels = [BY_KEY[k].label for k in (("110", "96110") if verdict else ("12378",))]
        text += "\n可以求助的官方渠道：" + "、".join(channels[:4]) + "。" + OFFICIAL_LINE
        citations = tuple({"doc_id": d, "title": title, "citation": cite} for d, title, _, cite in passages)
        if self.wall.leaked(text) is not None:
            return Answer(REFUSAL, (), (), None, refused=True, kind="blocked", notes=("internal text in answer",))
        return Answer(text, citations, tuple(channels[:4]), verdict, kind="scam" if verdict else "answer")

    def _attack(self, masked: str, reading: Reading) -> str | None:
        """The attack filter on the consumer's request to us: for a pasted call or message, the consumer's words
        around it. The caller's words are what is being checked (a scammer saying "我是银行工作人员" is no role
        play), and the consumer's replies to the caller are no request to the assistant either."""
        if reading.is_report:
            own = reading.text(("frame",))
            found = self.attacks.classify(own) if own.strip() else None
            # words addressed to the assistant ("AI助手请注意：…", "admin override") are no scam anyone was told: an
            # injection hidden in a pasted message (or behind a made-up 【signature】) is still refused
            if found is None and classify_attack(masked) == "prompt_injection":
                found = "prompt_injection"
            return found
        return self.attacks.classify(masked)

    def _articles(self, ids: Sequence[str]) -> list[tuple[str, str, str, str]]:
        """The "what to do now" passages of these education articles (those that exist), at most max_passages."""
        docs = [self.docs[i] for i in dict.fromkeys(ids) if i in self.docs and self.docs[i].audience != "agent"]
        return [(d.id, d.title, _advice(d.body), "") for d in docs][: self.max_passages]

    def _with_article(self, article: str, passages: list[tuple[str, str, str, str]]) -> list[tuple[str, str, str, str]]:
        """The scheme's education article among the passages (first when it was not found by the search)."""
        doc = self.docs.get(article)
        if doc is None or doc.audience == "agent" or any(p[0] == article for p in passages):
            return passages
        return [(doc.id, doc.title, _advice(doc.body), "")] + passages[: self.max_passages - 1]


def _advice(body: str) -> str:
    """An education article's "what to do now" section, else its opening."""
    m = re.search(r"^##\s*现在(该|要)?怎么(做|办)[^\n]*\n(.*?)(?=^##\s|\Z)", body, re.M | re.S)
    return (m.group(3) if m else body).strip()


def _follows_up(text: str) -> bool:
    """A short message continues the one before unless it turns to a lawful step of its own and refers back to
    nothing ("那我该怎么举报他们？" continues; "我想投诉催收，该找谁？" is a new question)."""
    t = normalize(text)
    return not OWN_TOPIC.search(t) or bool(REFERS_BACK.search(t))
