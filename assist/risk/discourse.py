"""Layer (a'): how a caller turn is said, read with the discourse lexicon (knowledge/discourse.yaml).

Surface phrases are not enough: a victim quoting an agency ("他们说交了会员费就能只还本金") says the same words as a
coached borrower demanding them, and a genuine borrower asking "我这算不算非恶意逾期？" says the same jargon as one
reciting a script. The reading gives every part of a turn a mode (own words, reported speech, question), says who
the caller claims to be relative to the borrower (self, relative, friend, colleague, assistant, company, lawyer),
and counts the cues of cooperation, refusal, dictation, victimisation and hardship."""

from __future__ import annotations

from dataclasses import dataclass, field

from assist.core.text import DENIAL, negated, sentence_spans
from assist.knowledge.discourse import EVIDENCE_READINGS, DiscourseLexicon

MODES: tuple[str, ...] = ("own", "reported", "question")
CUES: tuple[str, ...] = ("cooperation", "refusal", "dictation", "agency", "payment", "handover", "deceived", "hardship")
# Cues a victim usually reports (they count in reported speech too, and not after "怕", "要是" …).
VICTIM_CUES: frozenset[str] = frozenset({"agency", "payment", "handover", "deceived"})


@dataclass(frozen=True)
class RoleClaim:
    role: str            # relative | friend | colleague | assistant | company | lawyer | unknown
    start: int
    end: int


@dataclass(frozen=True)
class TurnReading:
    third_party: tuple[RoleClaim, ...]
    self_claim: bool
    cues: dict[str, int]                           # cue -> number of matches in own words
    reported: tuple[tuple[int, int], ...]          # spans of reported speech
    questions: tuple[tuple[int, int], ...]         # sentences that ask (not rhetorical)
    evidence: dict[str, tuple[int, int]] = field(default_factory=dict)   # reading -> first span in own words

    def mode(self, start: int) -> str:
        """The mode of the words at ``start``: reported speech wins over a question (a victim asking whether what
        the agency said is true is still quoting the agency)."""
        if any(a <= start < b for a, b in self.reported):
            return "reported"
        if any(a <= start < b for a, b in self.questions):
            return "question"
        return "own"


class DiscourseReader:
    def __init__(self, lexicon: DiscourseLexicon) -> None:
        self.lex = lexicon

    def read(self, text: str) -> TurnReading:
        """``text`` normalised with core.text.normalize_aligned (offsets are the turn's own). Speech recognisers
        often put spaces between words ("我 是 她 的 老公"): they are read as if absent, offsets stay the turn's."""
        compact, where = _compact(text)
        r = self._read(compact)

        def span(a: int, b: int) -> tuple[int, int]:
            return (where[a] if a < len(where) else len(text)), (where[b - 1] + 1 if 0 < b <= len(where) else len(text))

        return TurnReading(
            tuple(RoleClaim(c.role, *span(c.start, c.end)) for c in r.third_party), r.self_claim, r.cues,
            tuple(span(a, b) for a, b in r.reported), tuple(span(a, b) for a, b in r.questions),
            {k: span(a, b) for k, (a, b) in r.evidence.items()})

    def _read(self, text: str) -> TurnReading:
        sentences = sentence_spans(text) or [(0, len(text))]
        reported: list[tuple[int, int]] = []
        questions: list[tuple[int, int]] = []
        for a, b in sentences:
            sent = text[a:b]
            starts = [m.start() for pat in self.lex.get("reported_speech") for m in pat.finditer(sent)
                      if not negated(sent, m.start(), DENIAL, lookback=4)]
            if starts:
                reported.append((a + min(starts), b))
            if any(p.search(sent) for p in self.lex.get("questions")) and \
                    not any(p.search(sent) for p in self.lex.get("rhetorical")):
                questions.append((a, b))

        def inside_reported(i: int) -> bool:
            return any(x <= i < y for x, y in reported)

        claims: list[RoleClaim] = []
        for pat in self.lex.get("third_party"):
            for m in pat.finditer(text):
                phrase = m.group(0)
                # "我是他朋友" carries its own predicate ("我不是他朋友" does not match); a denial before it belongs to
                # the previous clause ("不是，我是他朋友"). Other claims ("帮朋友问") can be denied ("没有帮朋友问").
                if inside_reported(m.start()) or (phrase[:1] not in "我俺额" and
                                                  negated(text, m.start(), DENIAL, lookback=6)):
                    continue
                role = self.lex.role_in(phrase) or ("company" if "我们" in phrase else "unknown")
                claims.append(RoleClaim(role, m.start(), m.end()))
        self_claim = any(not negated(text, m.start(), DENIAL, lookback=6) and not inside_reported(m.start())
                         for p in self.lex.get("self") for m in p.finditer(text))
        cues = {}
        for cue in CUES:
            n = 0
            for p in self.lex.get(cue):
                for m in p.finditer(text):
                    # a victim's quote of the agency is still a victim cue; other cues count in own words only
                    if cue not in VICTIM_CUES and inside_reported(m.start()):
                        continue
                    if negated(text, m.start(), DENIAL, lookback=4):
                        continue
                    before = text[max(0, m.start() - 6):m.start()]
                    if cue in VICTIM_CUES and any(h.search(before) for h in self.lex.get("hypothetical")):
                        continue
                    n += 1
            cues[cue] = n
        claims.sort(key=lambda c: c.start)
        evidence: dict[str, tuple[int, int]] = {}
        for name in EVIDENCE_READINGS:
            found = [m for p in self.lex.get(f"evidence.{name}") for m in p.finditer(text)
                     if not inside_reported(m.start()) and not negated(text, m.start(), DENIAL, lookback=4)]
            if found:
                first = min(found, key=lambda m: m.start())
                evidence[name] = (first.start(), first.end())
        return TurnReading(tuple(claims), self_claim, cues, tuple(reported), tuple(questions), evidence)


def _compact(text: str) -> tuple[str, list[int]]:
    """``text`` without white space between two non-ASCII characters, and each kept character's offset in ``text``."""
    out: list[str] = []
    where: list[int] = []
    n = len(text)
    i = 0
    while i < n:
        ch = text[i]
        if ch.isspace():
            j = i
            while j < n and text[j].isspace():
                j += 1
            if out and j < n and not out[-1].isascii() and not text[j].isascii():
                i = j
                continue
        out.append(ch)
        where.append(i)
        i += 1
    return "".join(out), where
