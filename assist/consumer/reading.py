"""Who said what in a consumer's message. People bring a call or a message in four shapes: a pasted dialogue
(``对方：…`` / ``我：…`` lines, ``A：``/``B：``, or bare alternating lines after "对话是这样的："), a forwarded SMS
(``【某银行】…``), a screenshot's OCR text (status-bar noise, times, broken lines) or a retelling in their own words
("有个自称银行的人说…，让我…，我没给"). The scam check needs to know whose words a phrase is: the caller asking for a
code is the scam, the consumer saying "我没给验证码" is not.

A message is cut into segments, each with a role:

- ``other``: the caller's or sender's words (their lines in a dialogue, an SMS body, quoted speech, requests reported
  as 让我/要我/叫我…, clauses whose subject is the other party: 他说/客服说/对方要…);
- ``story``: the consumer's own account of what happened (我在网上找了个公司、交了2000服务费): evidence too;
- ``self``: the consumer's own replies in a dialogue, what they say they said (我说…), and their denials and refusals
  (我没给、我不会转、我拒绝了): never a red flag;
- ``frame``: the consumer's words around a paste (我刚接到一个电话，对话是这样的： / 这是诈骗吗？).

Evidence for a verdict is ``other`` + ``story``; the whole message still decides whether money has already gone.
Pure text processing: no model, no I/O, a few milliseconds for 2,000 characters."""

from __future__ import annotations

import re
from dataclasses import dataclass

Role = str          # "other" | "story" | "self" | "frame"
EVIDENCE_ROLES = ("other", "story")

# Labels before a colon that name the consumer, and labels that name the other party. Anything else used as a label
# on two or more lines is a speaker too; the first such speaker (the one who called) is the other party.
_SELF_LABEL = re.compile(r"^(我|我方|本人|自己|俺|me|b|乙|右|right|用户|客户|受害人|接听人)$", re.I)
_OTHER_LABEL = re.compile(
    r"^(对方|他|她|骗子|来电|来电人|来电方|陌生人|陌生号码|那人|对面|男的|女的|a|甲|左|left|caller|发件人|发信人|"
    r".{0,8}(客服|经理|专员|警官|警察|民警|老师|导师|主管|工作人员|快递员?|银行|助理|律师|法务|顾问|主任|科长|局长|"
    r"教授|总监|秘书|小哥|小姐|先生|女士)|\+?\d{3,}|\*+|未知号码)$", re.I)
# Lines like "温馨提示：" or "时间：" are headings, not speakers.
_NOT_SPEAKER = re.compile(r"^(温馨提示|提示|注意|内容|短信|信息|原话|备注|时间|日期|地址|电话|号码|链接|网址|http|https|"
                          r"问题|回复|标题|主题|金额|账号|账户|卡号|姓名|附件|来源|第.{1,3}[条句])$", re.I)
_LABEL_LINE = re.compile(r"^\s*[\[【(（]?\s*(?P<label>[^\s:：，。！？,!?“”\"'【】\[\]()（）]{1,10}?)\s*[\]】)）]?\s*[:：]\s*"
                         r"(?P<text>.*)$")
# Known speaker labels written inline ("对方：你好 我：嗯 对方：…"): a line break is put before each.
_INLINE_LABEL = re.compile(r"(?<=[\s。！？!?…~])(?=(对方|我|客服|骗子|他|她|来电|A|B|甲|乙)\s*[:：])")

# A paste is introduced ("对话是这样的：", "收到一条短信：") and followed by the consumer's question.
_DIALOGUE_INTRO = re.compile(r"(对话|通话|聊天|录音|原话|说的话|内容如下|是这么说|是这样说|这样聊|记录如下|大概是这样)")
RUNON_MIN_CHARS = 30        # words after a dialogue's intro that make a one-paragraph paste
_SMS_INTRO = re.compile(r"(收到|来了|发来|发给我|接到|有)了?.{0,6}(一条|一个|条|个|封)?.{0,8}(短信|信息|消息|私信|邮件|彩信|通知)")
_QUESTION = re.compile(r"(诈骗|骗子|骗局|被骗|是骗|真的|真是假|真假|靠谱|怎么办|怎么处理|要不要|该不该|能信|可信|能不能信|正常吗|"
                       r"是不是|有问题吗|安全吗|可靠吗|帮我看|帮忙看|请问|咨询一下|吗[？?]?$|[？?]$)")
# OCR of a phone screenshot: status bar, clock, carrier and button lines carry no words of anyone.
_OCR_NOISE = re.compile(r"^([\d:：.\s%]+|.{0,6}(4g|5g|wifi|lte|volte|hd)[\s\d%]*|中国(移动|联通|电信).{0,6}|"
                        r"(上午|下午|晚上|今天|昨天|星期.)?\s*\d{1,2}[:：]\d{2}|短信/彩信|短信|信息|发送|返回|<|"
                        r"\d{1,3}%)$", re.I)
_SMS_SIGNATURE = re.compile(r"^\s*[【\[][^】\]\s]{2,20}[】\]]")

# Retellings, clause by clause.
_DENIAL = re.compile(r"^(但是?|可是|不过|然后|所以|而且|当时|后来)?(我|本人|俺)(们)?(就|也|都|还|当时|根本|并|肯定|坚决|绝对|可|从来|一直|从)?"
                     r"(没|没有|没敢|不会|不想|不愿意?|不能|不要|不给|不转|不说|不告诉|不提供|不下载|不点|不接|不回|不信|不理|拒绝|才不|绝不|不可能|"
                     r"不肯|不打算|没打算|没理|不理|挂了|挂断|直接挂)")
_SELF_SPEECH = re.compile(r"^(但是?|可是|不过|然后|所以|后来)?(我|本人|俺)(就|也|又|便)?"
                          r"(说|问|回|回答|答|讲|告诉(他|她|对方|他们)|反问|跟(他|她|对方)说)")
_REQUEST = re.compile(r"^(然后|还|又|就|再|并且?|而且|非)?(让|要|叫|逼|催|要求|劝|教|喊|命令|提醒)(我|我们)")
_OTHER_SUBJECT = (r"(他|她|对方|那人|那个人|骗子|他们|她们|有人|一个人|陌生人|客服|自称[^，。！？\n]{1,14}|"
                  r"[\u4e00-\u9fff]{0,8}(客服|经理|专员|警官|警察|民警|老师|导师|主管|工作人员|快递员|小哥|平台|银行|公司|"
                  r"中介|机构|中心|律师|法务|顾问|主播|群主|网友|男的|女的|号码))")
_OTHER_ACTS = re.compile(_OTHER_SUBJECT + r"(又|还|就|一直|非要|再|也|都|竟然|居然|直接|马上|立刻|接着)?"
                         r"(说|称|讲|表示|告诉|问|让|要|叫|催|逼|发|打来|打电话|来电|提出|要求|建议|坚持|威胁|吓唬|通知|声称)")
_QUOTE = re.compile(r"[“\"「『]([^”\"」』]{2,})[”\"」』]")
_CLAUSE = re.compile(r"[^，。！？；,!?;\n]+[，。！？；,!?;]*")


@dataclass(frozen=True)
class Segment:
    text: str
    role: Role
    start: int            # offsets into the message as written
    end: int


@dataclass(frozen=True)
class Reading:
    message: str
    form: str                          # dialogue | sms | retelling
    segments: tuple[Segment, ...]

    def text(self, roles: tuple[Role, ...]) -> str:
        """The segments with these roles, one per line (so that patterns never join words across segments)."""
        return "\n".join(s.text for s in self.segments if s.role in roles and s.text.strip())

    @property
    def evidence(self) -> str:
        """What the other party said or did, and the consumer's own account: where red flags may come from."""
        return self.text(EVIDENCE_ROLES)

    @property
    def own_words(self) -> str:
        """The consumer's own words around a paste and in it (frame, self, and a retelling's story)."""
        return self.text(("frame", "self", "story"))

    @property
    def is_report(self) -> bool:
        """A pasted dialogue or message: most of its words are someone else's, not a request to the assistant."""
        return self.form in ("dialogue", "sms")


def _lines(message: str) -> list[tuple[int, int]]:
    """(start, end) of every non-empty line, after known inline speaker labels have been given lines of their own."""
    out = []
    for m in re.finditer(r"[^\n]+", message):
        s, e = m.start(), m.end()
        cuts = [s] + [s + c.start() for c in _INLINE_LABEL.finditer(message[s:e])] + [e]
        for a, b in zip(cuts, cuts[1:]):
            if message[a:b].strip():
                out.append((a, b))
    return out


def _trim(message: str, a: int, b: int) -> tuple[int, int]:
    while a < b and message[a].isspace():
        a += 1
    while b > a and message[b - 1].isspace():
        b -= 1
    return a, b


def _label_of(text: str) -> tuple[str, int] | None:
    """(label, offset of the spoken text) when the line starts with a speaker label."""
    m = _LABEL_LINE.match(text)
    if m is None or not m.group("text").strip():
        return None
    label = m.group("label").strip()
    if _NOT_SPEAKER.match(label):
        return None
    return label, m.start("text")


def _is_question(text: str) -> bool:
    return len(text.strip()) <= 60 and _QUESTION.search(text.strip()) is not None


def read_message(message: str) -> Reading:
    """The message cut into role-tagged segments (offsets into ``message`` as written)."""
    lines = [(a, b) for a, b in (_trim(message, *ab) for ab in _lines(message)) if b > a]
    lines = [(a, b) for a, b in lines if not _OCR_NOISE.match(message[a:b].strip())]
    labelled = [(a, b, _label_of(message[a:b])) for a, b in lines]
    counts: dict[str, int] = {}
    for _, _, lab in labelled:
        if lab is not None:
            counts[lab[0]] = counts.get(lab[0], 0) + 1
    speakers = {k for k, n in counts.items() if n >= 2 or _SELF_LABEL.match(k) or _OTHER_LABEL.match(k)}
    spoken = [x for x in labelled if x[2] is not None and x[2][0] in speakers]
    if len(spoken) >= 2 and len({x[2][0] for x in spoken if x[2] is not None}) >= 2 or len(spoken) >= 3:
        return Reading(message, "dialogue", tuple(_labelled_dialogue(message, labelled, speakers)))
    intro = next(((a, b) for a, b in lines[:2] if _DIALOGUE_INTRO.search(message[a:b])
                  and message[a:b].rstrip().endswith((":", "：", "…", "。"))), None)
    if intro is not None and len(lines) - lines.index(intro) >= 3:
        return Reading(message, "dialogue", tuple(_bare_dialogue(message, lines, lines.index(intro))))
    runon = _runon(message, lines)
    if runon is not None:
        return Reading(message, "dialogue", tuple(runon))
    sms = _sms(message, lines)
    if sms is not None:
        return Reading(message, "sms", tuple(sms))
    return Reading(message, "retelling", tuple(_retelling(message, lines)))


def _labelled_dialogue(message: str, labelled: list[tuple[int, int, tuple[str, int] | None]],
                       speakers: set[str]) -> list[Segment]:
    """Lines with speaker labels; unlabelled lines continue the last speaker, except the consumer's words before the
    first and after the last labelled line (frame)."""
    roles: dict[str, Role] = {}
    for _, _, lab in labelled:
        if lab is None or lab[0] not in speakers or lab[0] in roles:
            continue
        name = lab[0]
        if _SELF_LABEL.match(name):
            roles[name] = "self"
        elif _OTHER_LABEL.match(name):
            roles[name] = "other"
    for _, _, lab in labelled:              # unknown names: the first to speak called, so is the other party
        if lab is not None and lab[0] in speakers and lab[0] not in roles:
            roles[lab[0]] = "other" if "other" not in roles.values() else "self"
    first = next(i for i, x in enumerate(labelled) if x[2] is not None and x[2][0] in speakers)
    last = max(i for i, x in enumerate(labelled) if x[2] is not None and x[2][0] in speakers)
    out: list[Segment] = []
    current: Role = "other"
    for i, (a, b, lab) in enumerate(labelled):
        if lab is not None and lab[0] in speakers:
            current = roles[lab[0]]
            s = a + lab[1]
            out.append(Segment(message[s:b], current, s, b))
        elif i < first:
            out.append(Segment(message[a:b], "frame", a, b))
        elif i > last and (_is_question(message[a:b]) or i == len(labelled) - 1 and len(message[a:b]) <= 60):
            out.append(Segment(message[a:b], "frame", a, b))
        else:
            out.append(Segment(message[a:b], current, a, b))
    return out


def _bare_dialogue(message: str, lines: list[tuple[int, int]], intro: int) -> list[Segment]:
    """Unlabelled lines after an intro alternate between the caller (first) and the consumer."""
    out = [Segment(message[a:b], "frame", a, b) for a, b in lines[:intro + 1]]
    body = lines[intro + 1:]
    tail: list[Segment] = []
    if len(body) >= 3 and _is_question(message[body[-1][0]:body[-1][1]]):
        a, b = body.pop()
        tail.append(Segment(message[a:b], "frame", a, b))
    for k, (a, b) in enumerate(body):
        out.append(Segment(message[a:b], "other" if k % 2 == 0 else "self", a, b))
    return out + tail


def _runon(message: str, lines: list[tuple[int, int]]) -> list[Segment] | None:
    """A call pasted as one paragraph after its intro ("我把对话记下来了：您好，我是…"): who said which sentence is
    lost, so the paste is read clause by clause as the other party's words, the consumer's denials and reported
    replies excepted (as in a retelling), and the intro and the closing question are the consumer's frame."""
    if not lines:
        return None
    a, b = lines[0]
    first = message[a:b]
    colon = re.search(r"[:：](?!//)", first[:60])
    if colon is None or not _DIALOGUE_INTRO.search(first[:colon.start()]):
        return None
    s = a + colon.end()
    if len(message[s:lines[-1][1]].strip()) < RUNON_MIN_CHARS:
        return None
    out = [Segment(message[a:s], "frame", a, s)]
    body = [(s, b)] + lines[1:]
    clauses = [(x + m.start(), x + m.end()) for x, y in body for m in _CLAUSE.finditer(message[x:y])]
    clauses = [(x, y) for x, y in (_trim(message, x, y) for x, y in clauses) if y > x]
    for i, (x, y) in enumerate(clauses):
        clause = message[x:y]
        role: Role = "self" if _DENIAL.match(clause) or _SELF_SPEECH.match(clause) else "other"
        if i == len(clauses) - 1 and _is_question(clause) and y >= lines[-1][0]:
            role = "frame"
        out.append(Segment(clause, role, x, y))
    return out


def _sms(message: str, lines: list[tuple[int, int]]) -> list[Segment] | None:
    """A forwarded message: an intro naming it (收到一条短信：) or a body that opens with a sender's 【signature】."""
    if not lines:
        return None
    out: list[Segment] = []
    a, b = lines[0]
    first = message[a:b]
    # the intro's colon: early in the line, and not the one of a link (http://)
    colons = [m.start() for m in re.finditer(r"[:：](?!//)", first[:40])]
    colon = colons[0] if colons else -1
    start_body = 0
    if _SMS_INTRO.search(first[:max(colon, 0) or len(first)]) and (colon >= 0 or len(lines) > 1):
        if colon >= 0 and first[colon + 1:].strip():
            s, e = _trim(message, a + colon + 1, b)
            out.append(Segment(message[a:a + colon + 1], "frame", a, a + colon + 1))
            out.extend(_body_and_question(message, s, e))
        else:
            out.append(Segment(first, "frame", a, b))
        start_body = 1
    elif not _SMS_SIGNATURE.match(first):
        if not any(_SMS_SIGNATURE.match(message[x:y]) for x, y in lines[1:3]):
            return None
    rest = lines[start_body:]
    if not rest and len(out) < 2:
        return None
    for i, (x, y) in enumerate(rest):
        text = message[x:y]
        is_last = i == len(rest) - 1
        if is_last and len(rest) + len(out) > 1 and _is_question(text) and not _SMS_SIGNATURE.match(text):
            out.append(Segment(text, "frame", x, y))
        elif not out and not _SMS_SIGNATURE.match(text) and _SMS_INTRO.search(text):
            out.append(Segment(text, "frame", x, y))
        elif is_last:
            out.extend(_body_and_question(message, x, y))
        else:
            out.append(Segment(text, "other", x, y))
    if not any(s.role == "other" for s in out):
        return None
    return out


def _body_and_question(message: str, a: int, b: int) -> list[Segment]:
    """An SMS body whose line ends with the consumer's question ("…兑换。是真的吗？"): the question is frame."""
    m = re.search(r"(?<=[。！!？?\s])[^。！!？?\s]{1,30}[？?]?$", message[a:b])
    if m is not None and m.start() > 0 and _QUESTION.search(m.group(0)):
        q = a + m.start()
        return [Segment(message[a:q].rstrip(), "other", a, q), Segment(message[q:b], "frame", q, b)]
    return [Segment(message[a:b], "other", a, b)]


def _retelling(message: str, lines: list[tuple[int, int]]) -> list[Segment]:
    """Clause by clause: quoted speech, reported requests and the other party's acts are ``other``; the consumer's
    denials and reported replies are ``self``; a clause without a cue continues the role of the one before (a
    story clause stays story)."""
    out: list[Segment] = []
    for a, b in lines:
        line = message[a:b]
        role: Role = "story"
        pos = 0
        for q in _QUOTE.finditer(line):
            role = _clauses(message, a, line[pos:q.start()], a + pos, role, out)
            before = line[max(0, q.start() - 8):q.start()]
            speaker: Role = "self" if re.search(r"(我|本人)(就|也|又)?(说|问|回|答|讲)[了道]?[：:，,]?$", before) else "other"
            s, e = a + q.start(1), a + q.end(1)
            out.append(Segment(message[s:e], speaker, s, e))
            pos = q.end()
        _clauses(message, a, line[pos:], a + pos, role, out)
    return [s for s in out if s.text.strip()]


def _clauses(message: str, line_start: int, text: str, offset: int, role: Role, out: list[Segment]) -> Role:
    for m in _CLAUSE.finditer(text):
        clause = m.group(0).strip()
        if not clause:
            continue
        if _DENIAL.match(clause):
            role = "self"
        elif _SELF_SPEECH.match(clause):
            role = "self"
        elif _REQUEST.match(clause) or _OTHER_ACTS.search(clause):
            role = "other"
        elif role == "self" and re.match(r"^(但|可|结果|然后|后来|接着|之后|他|她|对方)", clause):
            role = "story"
        elif _is_question(clause) and m.end() >= len(text.rstrip()) and out:
            role = "frame"
        s = offset + m.start() + (len(m.group(0)) - len(m.group(0).lstrip()))
        out.append(Segment(clause, role, s, s + len(clause)))
        if role == "frame":
            role = "story"
    return role
