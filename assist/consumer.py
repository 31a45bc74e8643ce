"""ConsumerChat: anti-fraud education for consumers, from consumer/all knowledge only, with a scam check and a
wall that keeps internal knowledge (scripts, staff guides, signals) away from the consumer."""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass, field
from typing import Any, Sequence

from assist.models import Document, Filter
from assist.pii import mask, mask_for_storage
from assist.scams import ScamVerdict, scam_check  # noqa: F401 (re-exported for callers and tests)
from assist.text import normalize

MAX_MESSAGE = 2000
OFFICIAL_LINE = "请通过贷款机构App、合同或官网上公布的官方客服电话联系我们。"

_KIN = r"(他|她|我(的)?(前夫|前妻|朋友|儿子|女儿|老公|老婆|丈夫|妻子|妈|爸|同事|亲戚|邻居|同学)|[张王李赵刘陈杨黄周吴徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤][某\u4e00-\u9fff]{1,2})"
ATTACKS: list[tuple[str, str]] = [
    (r"(忽略|忘掉|忘记|无视|作废|不用管|跳过).{0,10}(指令|只令|要求|提示|规则|设定|限制|你是)|"
     r"ignore (all |the |your )?(previous|above|prior|earlier) (instructions|rules)|(开发者|调试|管理员|越狱|上帝)(模式|指令|权限)|"
     r"developer mode|admin|override|jailbreak|(ai|助手|模型).{0,6}请注意|\[\[sy|"
     r"(上面|以上|之前|前面).{0,10}(内容|指令|文字|设定|说明).{0,8}(重复|复述|输出|发|念|贴)", "prompt_injection"),
    (r"(系统|系铳)(消息|提示|提是词|设置|配置|指令)|system (prompt|message)|提示词|xi ?tong ?ti ?shi|hua ?shu|"
     r"(重复|复述|翻译|输出|列出|显示|导出|贴出|发出).{0,16}(上面|以上|之前|说明|规则|配置|知识库|隐藏|文档|条目|原文)|"
     r"(内部|员工|坐席|催收(部门|那边)?|你们公司).{0,16}(话术|资料|文档|文件|规则|标准|指引|流程|标签|手册|培训|条目|口径|制度)|"
     r"风控(规则|模型|策略)|疑似代理|(坐席|客服|员工).{0,10}(遇到|碰到|接到).{0,12}(代理|维权|中介).{0,12}(怎么|如何|用什么|话术)|"
     r"\bs\d{1,2}\b.{0,8}(信号|规则)|s\d{1,2}到s\d{1,2}|不(给|让)客户(看|知道)|internal (rules|guidelines|scripts|documents|policy)|"
     r"(怎么|如何|哪几个|什么|哪些).{0,8}(判断|识别|认定|标记).{0,10}(代理|维权)", "internal_request"),
    (r"(我是|作为|假装你是|假装|扮演).{0,16}(坐席|员工|内部|审计|监管|管理员|开发者|工作人员|检查|讲师|主管|培训)", "role_play"),
    (r"(怎么|如何|教我|才能|是不是就|好让|怎样).{0,16}(躲过|避开|规避|绕过|不被|不会被|识别不出|识破|认不出|发现不了).{0,10}(识别|检测|发现|标记|风控|标签|坐席|认定|识破|你们|出来)|"
     r"(不会|不)被.{0,8}(识别|识破|认定|标记|打标签).{0,4}(成|为)?.{0,6}(代理|中介|批量|培训|第三方)|(被|给).{0,4}打(上)?标签|识别不出来|不像(是)?被(培训|教)|"
     r"冒充(我|借款人|本人).{0,10}(打电话|协商|去)|(会|要)核实哪些.{0,16}(准备|应付)|"
     r"不会被.{0,6}识破|avoid (being )?(flagged|detected)|without being (flagged|detected)", "evasion"),
    (r"(帮我|给我|替我|请你?|能不能|教我|来一?(份|套|段))(写|生成|编|出|整理|拟|做|给|来).{0,16}(投诉|律师函|台词|模板|文案|施压|流程).{0,30}(减免|施压|逼|扛不住|让步|免息|不像|编|怕|狠|曝光|只还本金|每天投诉)|"
     r"(给|要)一?(套|份).{0,8}(施压|逼).{0,10}(流程|步骤|方案)|"
     r"(帮我|给我|替我|请|能不能)(写|生成|编|整理|拟).{0,16}(统一|批量|群发|一键|不同账号|多个账号|几十).{0,10}(投诉|模板)|"
     r"(统一|批量|群发|一键|不同账号|几十个号码|多个账号).{0,16}(投诉|模板|监管).{0,12}(怎么|如何|安排|写|不会被)|"
     r"(写|拟|需要|要|给我)一?(份|个|封|套).{0,16}模板.{0,40}(减免|施压|逼|让步|曝光|只还本金|狠|怕|免息)|"
     r"编得像|(背熟|背下来).{0,6}(台词|话术)|"
     r"complaint (letter )?template.{0,40}(threat|waive|pressure)|threatens? (regulator|media)", "pressure_template"),
    (r"(帮我|教我|替我|能不能).{0,10}(伪造|编造|编|弄|做|开)一?(个|份|张)?.{0,12}(证明|流水|异议|材料|病历).{0,24}(像真的|以假乱真|其实)|"
     r"(其实|实际上)(就是|是)我自己(借|办|贷)的|看起来像真的", "fraud_help"),
    (r"(其他|别的|别人|某某)(客户|用户|人)的.{0,6}(资料|信息|电话|欠款|身份证)|"
     r"(查|查查|查一下|看看|帮我看|告诉我|给我|提供|发我|知道)(借款人|客户|用户)?" + _KIN + r".{0,20}(欠|借|电话|住址|地址|身份证|联系人|余额|借款)|"
     r"(他|她|" + _KIN + r").{0,24}(住址|地址|紧急联系人|联系人电话|身份证号).{0,6}(给我|发我|告诉我)|"
     r"(客户|逾期|借款人)(的)?(名单|姓名和电话|电话和欠款|联系方式)|"
     r"(逾期|欠款)?(客户|用户|借款人)的?(电话|名单|资料|信息|联系方式).{0,6}(给我|发我|卖给|分成|一份)|(真实)?客户案例.{0,10}(电话|身份证)|"
     r"(outstanding )?balance and id|someone else'?s (data|balance|account)", "other_customer_data"),
]
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


def _looks_base64(text: str) -> bool:
    for token in re.findall(r"[A-Za-z0-9+/=]{24,}", text):
        try:
            decoded = base64.b64decode(token + "=" * (-len(token) % 4), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError, ValueError):
            continue
        if decoded.strip():
            return True
    return False


def classify_attack(message: str) -> str | None:
    """The attack category of a consumer message (injection, internal request, role play, evasion, pressure template,
    other customers' data, encoded text), or None."""
    norm = normalize(message)
    # "忽 略 之 前 的 指 令": spaces between Chinese characters are removed before matching
    norm = re.sub(r"(?<=[\u4e00-\u9fff，。])\s+(?=[\u4e00-\u9fff，。])", "", norm)
    for pat, name in ATTACKS:
        if re.search(pat, norm, re.IGNORECASE):
            return name
    if _looks_base64(message) or re.search(r"(?=[0-9a-f]*[a-f])(?=[0-9a-f]*\d)[0-9a-f]{16,}|(%[0-9A-F]{2}){3,}|\\u[0-9a-f]{4}|倒(过来|着)(读|念)|rot13",
                                            message, re.IGNORECASE):
        return "encoded"
    return None


class ConsumerChat:
    def __init__(self, retriever: Any, documents: Sequence[Document], max_passages: int = 2, scams: Any = None) -> None:
        from assist.scam_model import ScamClassifier

        self.retriever = retriever
        self.scams = scams or ScamClassifier()     # rules only unless a trained scam model is given
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
        attack = classify_attack(masked)
        if attack is not None:
            return Answer(REFUSAL, (), (), None, refused=True, kind="refusal", notes=(attack,))
        verdict = self.scams.check(masked)
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
