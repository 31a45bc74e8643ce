"""The live risk hint: incremental state per call, scoring (rules + semantics, or the learned model), levels with
hysteresis, recommended actions and probe questions.

Thresholds (on the highest of P(intermediary), P(coached), P(victim)):
  high >= 0.80, medium >= 0.50, else low.
Hysteresis: the level rises as soon as the probability crosses a threshold; it comes down only after two
consecutive caller turns below (threshold - 0.15), or at once when the agent marks the caller verified.
Evidence decides how far a probability may go (issue 17: the hint must quote the caller, not lean on phrases that
genuine borrowers and victims say too). Every piece of evidence has a mode from the discourse reading
(risk/discourse.py, knowledge/discourse.yaml): the caller's *own* words, *reported* speech (他们说…, 网上说…: a victim
or a curious borrower quoting someone) or a *question* (我这算不算非恶意逾期？). Only own words count towards a level;
the other modes are features for the learned layer. A victim recounting what was done to them (他们让我把验证码发给他们)
is their own account, so victim signals count in reported speech too.
  - No own evidence: low, however sure the model (a victim's story of paying an agency or handing over a card or a
    code may still show as a victim at medium).
  - One signal alone is capped by its `alone_at_most` in signals.yaml: S1 (a third party speaks for the borrower)
    and S18 at medium, the jargon and anger a genuine borrower also shows (S6, S8, S9, S13, S19, S22) at low. Several
    low-only signals together justify medium (LOW_SIGNALS_FOR_MEDIUM), never high.
  - High needs own evidence of a signal that may stand alone, found verbatim by a rule or the discourse reading
    (paraphrase evidence alone cannot make high, in either embedding mode: in exact mode it made one genuine caller
    and one victim high in the leave-one-writer-out folds), in at least
    HIGH_NEEDS_TURNS caller turns; and a caller who tells a victim's story without speaking for someone else is never
    shown at high as intermediary or coached.
  - `at_least` in signals.yaml is a floor: a caller who says they are not the borrower (S1, from the discourse
    reading's third-party claims: 替同事问, 我们机构负责处理他的债务) is shown at least at medium, so the agent verifies
    identity and authorisation, unless the agent has marked the caller verified.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from assist.core.text import normalize_aligned
from assist.knowledge.signals import SIGNAL_CATEGORIES, Signal
from assist.risk.discourse import DiscourseReader, TurnReading
from assist.risk.rules import RuleMatcher
from assist.risk.semantic import SemanticMatcher
from assist.risk.types import CATEGORIES, CallMeta, Evidence, RiskAssessment, Turn

THRESHOLDS = {"high": 0.80, "medium": 0.50}
HYSTERESIS = 0.15
CALM_TURNS = 2
NONE_PRIOR = 1.5               # log-odds head start of "none": one medium signal alone stays low
SEMANTIC_FACTOR = 0.7          # a paraphrase counts a little less than an explicit rule hit
HIGH_NEEDS_TURNS = 2          # own-words evidence in this many caller turns before a 疑似代理 tag (high)
LOW_SIGNALS_FOR_MEDIUM = 2    # signals that never stand alone: how many distinct ones together justify medium
MAX_TEXT = 20000               # longest part of one turn the rules and the window search read

ACTIONS = {
    "continue_normally": "按正常流程继续服务",
    "verify_identity": "核实来电人身份（姓名、身份证后四位等）",
    "call_back_registered_number": "用借款人预留手机号回拨本人确认",
    "ask_authorisation_documents": "请对方提供授权委托书原件、本人身份证明和联系方式",
    "tag_suspected_intermediary": "在工单上标注“疑似代理”（内部标签，不告知客户）",
    "escalate": "升级至消保/反欺诈/法务",
    "victim_protection": "转入受害者保护：提醒保留证据、报警，检查账户被盗用风险",
    "explain_free_negotiation": "告知可直接与本机构免费协商，无需任何中介",
}

PROBES = {
    ("intermediary", "none"): ["请问您和借款人是什么关系？今天是借款人本人让您来电的吗？",
                               "为了保护客户信息，我们按借款人预留的手机号回拨给本人确认一下，可以吗？"],
    ("coached", "none"): ["您刚才说的情况，能具体讲讲是从什么时候开始、遇到了什么困难吗？",
                          "目前有没有其他公司或个人在帮您处理这笔欠款？"],
    ("victim", "none"): ["您之前有没有向哪家公司或个人交过费用，说能帮您处理欠款？",
                         "您的手机卡、身份证、银行卡和验证码现在都在您自己手上吗？"],
    ("intermediary", "coached"): ["请问现在和我通话的是借款人本人吗？旁边还有其他人在帮您吗？"],
    ("intermediary", "victim"): ["请问您本人有没有把证件、手机卡交给别人代办？",
                                 "我们按预留手机号回拨给借款人本人，可以吗？"],
    ("coached", "victim"): ["您有没有为“协商还款”交过钱？对方让您怎么跟我们说的？"],
}


@dataclass
class _SignalState:
    activation: float = 0.0
    rule: float = 0.0            # a rule hit in the caller's own words
    rule_other: float = 0.0      # a rule hit in reported speech or in a question only
    semantic: float = 0.0        # strongest semantic strength seen in own words
    semantic_other: float = 0.0  # ... in reported speech or questions
    similarity: float = 0.0      # nearest-example similarity, best turn (for the learned layer)
    margin: float = -1.0         # example minus look-alike similarity, best turn
    evidence: Evidence | None = None
    by_mode: dict[str, float] = field(default_factory=dict)   # strongest activation per mode


@dataclass
class DiscourseState:
    """What the caller's words say about who is speaking and how, summed over the call."""

    roles: dict[str, int] = field(default_factory=dict)      # third-party role claims by role
    self_claims: int = 0
    cues: dict[str, int] = field(default_factory=dict)       # cooperation, refusal, dictation, victim, hardship
    reported_turns: int = 0
    question_turns: int = 0

    @property
    def third_party(self) -> bool:
        return bool(self.roles)

    @property
    def victim_story(self) -> bool:
        """An outside party offering debt services, and money paid, documents or codes handed over, or deceit."""
        c = self.cues
        return bool(c.get("agency")) and bool(c.get("payment") or c.get("handover") or c.get("deceived"))


@dataclass
class RiskState:
    """Everything carried from one turn to the next; a new turn costs the same whatever the call's length."""

    signals: dict[str, _SignalState] = field(default_factory=dict)
    discourse: DiscourseState = field(default_factory=DiscourseState)
    turns: int = 0
    caller_turns: int = 0
    level: str = "low"
    calm: int = 0
    history: list[str] = field(default_factory=list)   # level after each turn


class LearnedScorer(Protocol):
    """Layer (c): probabilities over the labels from a call's state (risk.model.RiskModel)."""

    data_hash: str

    def predict(self, state: RiskState, meta: CallMeta, signals: Mapping[str, Signal]) -> dict[str, float]: ...


def _softmax(logits: dict[str, float]) -> dict[str, float]:
    m = max(logits.values())
    ex = {k: math.exp(v - m) for k, v in logits.items()}
    z = sum(ex.values())
    return {k: v / z for k, v in ex.items()}


def level_of(p: float) -> str:
    return "high" if p >= THRESHOLDS["high"] else "medium" if p >= THRESHOLDS["medium"] else "low"


_RANK = {"low": 0, "medium": 1, "high": 2}


class RiskAssessor:
    """Scores conversations. Without a trained model, the rules and semantic layers score on their own."""

    def __init__(self, signals: Sequence[Signal], rules: RuleMatcher, semantic: SemanticMatcher | None = None,
                 model: LearnedScorer | None = None, discourse: DiscourseReader | None = None) -> None:
        self.signals = {s.id: s for s in signals}
        self.rules = rules
        self.semantic = semantic
        self.model = model
        self.discourse = discourse
        self._by_reading = {s.discourse: s for s in signals if s.discourse}

    def with_model(self, model: LearnedScorer | None) -> "RiskAssessor":
        """The same rules, discourse reading and semantics scored by another learned layer (or by none)."""
        return RiskAssessor(list(self.signals.values()), self.rules, self.semantic, model, self.discourse)

    def new_session(self, meta: CallMeta | dict[str, Any] | None = None) -> "RiskSession":
        return RiskSession(self, CallMeta.of(meta))

    def replay(self, turns: Sequence[Turn | dict[str, Any]], meta: CallMeta | dict[str, Any] | None = None) -> "RiskSession":
        """A session fed every turn of a conversation (its state holds the level after each turn)."""
        session = self.new_session(meta)
        for i, t in enumerate(turns):
            session.add(Turn.of(t, i))
        return session

    def assess(self, turns: Sequence[Turn | dict[str, Any]], meta: CallMeta | dict[str, Any] | None = None) -> RiskAssessment:
        """Assess a whole conversation (the incremental session, run over every turn)."""
        return self.replay(turns, meta).current()

    # -- scoring ---------------------------------------------------------------------------------------------
    def observe(self, state: RiskState, turn: Turn, index: int) -> None:
        """Update the state with one turn (only caller turns can carry evidence)."""
        state.turns += 1
        if turn.speaker != "caller" or not turn.text.strip():
            return
        state.caller_turns += 1
        text = turn.text[:MAX_TEXT]
        reading = self.discourse.read(normalize_aligned(text)) if self.discourse is not None else None
        if reading is not None:
            self._observe_reading(state, reading, turn, index)
        for hit in self.rules.match(text):
            mode = reading.mode(hit.start) if reading is not None else "own"
            if mode == "reported" and hit.signal.category == "victim":
                mode = "own"   # "他们让我把验证码发给他们": a victim recounting what was done to them is their own account
            self._evidence(state, hit.signal, 1.0, mode, Evidence(
                hit.signal.id, hit.signal.name, hit.signal.category, index, hit.start, hit.end,
                turn.text[hit.start:hit.end], hit.signal.weight_value, "rule", mode))
        if self.semantic is not None:
            for sh in self.semantic.scores(text):
                mode = _window_mode(reading, sh.start, sh.end) if reading is not None else "own"
                st = state.signals.setdefault(sh.signal.id, _SignalState())
                st.similarity = max(st.similarity, sh.example_sim)
                st.margin = max(st.margin, sh.example_sim - sh.lookalike_sim)
                if mode == "own":
                    st.semantic = max(st.semantic, sh.strength)
                else:
                    st.semantic_other = max(st.semantic_other, sh.strength)
                act = sh.strength * SEMANTIC_FACTOR
                if sh.strength >= 0.5 and sh.signal.paraphrase_evidence:
                    self._evidence(state, sh.signal, act, mode, Evidence(
                        sh.signal.id, sh.signal.name, sh.signal.category, index, sh.start, sh.end,
                        turn.text[sh.start:sh.end], sh.signal.weight_value * act, "semantic", mode))

    def _observe_reading(self, state: RiskState, reading: TurnReading, turn: Turn, index: int) -> None:
        d = state.discourse
        for claim in reading.third_party:
            d.roles[claim.role] = d.roles.get(claim.role, 0) + 1
        d.self_claims += reading.self_claim
        for cue, n in reading.cues.items():
            d.cues[cue] = d.cues.get(cue, 0) + n
        d.reported_turns += bool(reading.reported)
        d.question_turns += bool(reading.questions)
        spans = dict(reading.evidence)
        if reading.third_party:
            spans["third_party"] = (reading.third_party[0].start, reading.third_party[0].end)
        for name, (a, b) in spans.items():
            sig = self._by_reading.get(name)
            if sig is not None:
                self._evidence(state, sig, 1.0, "own", Evidence(sig.id, sig.name, sig.category, index, a, b,
                                                                  turn.text[a:b], sig.weight_value, "discourse"))

    @staticmethod
    def _evidence(state: RiskState, signal: Signal, act: float, mode: str, ev: Evidence) -> None:
        """Record a hit: own words outrank reported speech and questions; a stronger hit outranks a weaker one."""
        st = state.signals.setdefault(signal.id, _SignalState())
        st.by_mode[mode] = max(st.by_mode.get(mode, 0.0), act)
        if ev.layer != "semantic":
            if mode == "own":
                st.rule = 1.0
            else:
                st.rule_other = 1.0
        cur = st.evidence
        better = cur is None or (cur.mode != "own" and mode == "own") or \
            ((cur.mode == "own") == (mode == "own") and act > st.activation)
        if better:
            st.evidence = ev
        if mode == "own" and act > st.activation:
            st.activation = act

    def score(self, state: RiskState, meta: CallMeta) -> tuple[dict[str, float], float, str]:
        """(probabilities over CATEGORIES, P(legit representative), scorer name)."""
        if self.model is not None:
            probs5 = self.model.predict(state, meta, self.signals)
            legit = probs5.get("legit_rep", 0.0)
            probs = {"intermediary": probs5["intermediary"], "coached": probs5["coached"], "victim": probs5["victim"],
                     "none": probs5["genuine"] + legit}
            return probs, legit, f"model:{self.model.data_hash[:12]}"
        logits = {c: 0.0 for c in SIGNAL_CATEGORIES}
        logits["none"] = NONE_PRIOR
        for sid, st in state.signals.items():
            sig = self.signals[sid]
            logits[sig.category] += sig.weight_value * st.activation
            # quoted or asked about: a hint of involvement, more often a victim's than the caller's own demand
            other = max((v for m, v in st.by_mode.items() if m != "own"), default=0.0)
            logits["victim" if sig.category != "victim" else sig.category] += 0.3 * sig.weight_value * other
        logits["victim"] += 1.5 * state.discourse.victim_story
        if meta.number_matches == "no":
            logits["intermediary"] += 0.3
        if meta.verified:
            logits["intermediary"] *= 0.3
        return _softmax(logits), 0.0, "rules+semantic"

    def assessment(self, state: RiskState, meta: CallMeta, advance: bool) -> RiskAssessment:
        probs, legit, scorer = self.score(state, meta)
        top_cat = max(SIGNAL_CATEGORIES, key=lambda c: probs[c])
        p = probs[top_cat]
        raw = level_of(p)
        cap = self._cap(state, top_cat)
        if _RANK[raw] > _RANK[cap]:
            raw = cap
        least = None if meta.verified else self._floor(state)
        if least is not None and _RANK[raw] < _RANK[least[0]]:
            raw, top_cat = least[0], least[1] if raw == "low" else top_cat
        level = state.level
        if advance:
            if meta.verified:
                level = raw
                state.calm = 0
            elif _RANK[raw] > _RANK[level]:
                level, state.calm = raw, 0
            elif _RANK[raw] < _RANK[level]:
                floor = THRESHOLDS[level] - HYSTERESIS
                state.calm = state.calm + 1 if p < floor else 0
                if state.calm >= CALM_TURNS:
                    level, state.calm = raw, 0
            else:
                state.calm = 0
            state.level = level
            state.history.append(level)
        category = top_cat if raw != "low" or level != "low" else "none"
        if category == "none" and probs["none"] < p:
            category = top_cat
        evidence = tuple(sorted((st.evidence for st in state.signals.values() if st.evidence is not None),
                                key=lambda e: -e.contribution))
        return RiskAssessment(category=category if level != "low" else "none", probabilities=probs, level=level,
                              raw_level=raw, evidence=evidence, actions=self._actions(top_cat, level, legit, meta, evidence),
                              probes=self._probes(probs, level), legit_rep=legit, turns=state.turns, scorer=scorer)

    def _cap(self, state: RiskState, category: str) -> str:
        """The highest level the call's quoted evidence justifies (see the module docstring): a probability without
        evidence in the caller's own words stays low; a signal that may not stand alone (alone_at_most) caps
        the level when no other signal has evidence; paraphrase (semantic) evidence cannot make high; and a caller
        who shows victim cues without claiming to speak for someone else is never shown at high as intermediary or
        coached (a victim quoting an agency is not the agency)."""
        own = {sid: st for sid, st in state.signals.items() if st.evidence is not None and st.evidence.mode == "own"}
        d = state.discourse
        if not own:
            # nothing in the caller's own words: only a victim's account of harm (paid an agency, handed over a card
            # or a code, deceived) may show; quoting what an agency or the internet says is not enough on its own
            return "medium" if category == "victim" and d.victim_story else "low"
        if len(own) == 1:
            cap = self.signals[next(iter(own))].alone_at_most
        elif all(self.signals[sid].alone_at_most == "low" for sid in own):
            # words a genuine borrower may have read or says in anger: several together are worth a check
            cap = "medium" if len(own) >= LOW_SIGNALS_FOR_MEDIUM else "low"
        else:
            cap = "high"
        if cap == "high" and not any(self.signals[sid].alone_at_most == "high"
                                     and not (st.evidence is not None and st.evidence.layer == "semantic")
                                     for sid, st in own.items()):
            cap = "medium"
        if cap == "high" and category in ("intermediary", "coached") and \
                len({st.evidence.turn_index for st in own.values() if st.evidence is not None}) < HIGH_NEEDS_TURNS:
            cap = "medium"
        if cap == "high" and category in ("intermediary", "coached") and not d.third_party and d.victim_story:
            cap = "medium"
        return cap

    def _floor(self, state: RiskState) -> tuple[str, str] | None:
        """(level, category) the evidence in the caller's own words keeps the hint at least at (signals.yaml
        `at_least`: a caller who says they are not the borrower is verified whatever the probabilities say)."""
        best: tuple[str, str] | None = None
        for sid, st in state.signals.items():
            sig = self.signals[sid]
            if st.evidence is not None and st.evidence.mode == "own" and sig.at_least != "low":
                if best is None or _RANK[sig.at_least] > _RANK[best[0]]:
                    best = (sig.at_least, sig.category)
        return best

    def _actions(self, cat: str, level: str, legit: float, meta: CallMeta, evidence: tuple[Evidence, ...]) -> tuple[str, ...]:
        acts: list[str] = []
        if meta.number_matches == "no" and not meta.verified:
            acts += ["verify_identity", "call_back_registered_number"]
        if legit >= 0.5:
            acts += ["verify_identity", "ask_authorisation_documents"]
        if level != "low":
            if cat == "intermediary":
                acts += ["verify_identity", "ask_authorisation_documents", "call_back_registered_number"]
            elif cat == "coached":
                acts += ["explain_free_negotiation"]
            elif cat == "victim":
                acts += ["victim_protection", "explain_free_negotiation"]
            if level == "high":
                if cat in ("intermediary", "coached"):
                    acts.append("tag_suspected_intermediary")
                # signals.yaml `escalate: true`: evidence of these calls for 消保/反欺诈/法务 at level high
                if cat == "victim" or any(self.signals[e.signal_id].escalate for e in evidence):
                    acts.append("escalate")
        if not acts:
            acts.append("continue_normally")
        return tuple(dict.fromkeys(acts))

    @staticmethod
    def _probes(probs: dict[str, float], level: str) -> tuple[str, ...]:
        ranked = sorted(CATEGORIES, key=lambda c: -probs[c])
        a, b = ranked[0], ranked[1]
        if a == "none" and probs[b] < 0.2:
            return ()
        key = (a, b) if (a, b) in PROBES else (b, a) if (b, a) in PROBES else None
        if key is None:
            key = (a if a != "none" else b, "none")
        qs = PROBES.get(key, [])
        return tuple(qs[: 3 if level == "high" else 2])


class RiskSession:
    """One call: feed turns as they happen."""

    def __init__(self, assessor: RiskAssessor, meta: CallMeta) -> None:
        self.assessor = assessor
        self.meta = meta
        self.state = RiskState()

    def add(self, turn: Turn | dict[str, Any]) -> RiskAssessment:
        t = Turn.of(turn, self.state.turns)
        self.assessor.observe(self.state, t, self.state.turns)
        return self.assessor.assessment(self.state, self.meta, advance=True)

    def update_meta(self, **changes: Any) -> RiskAssessment:
        """E.g. ``verified=True`` once the agent has verified the caller: the level may come down at once."""
        self.meta = CallMeta.of({**self.meta.__dict__, **changes})
        return self.assessor.assessment(self.state, self.meta, advance=True)

    def current(self) -> RiskAssessment:
        return self.assessor.assessment(self.state, self.meta, advance=False)


def _window_mode(reading: TurnReading, start: int, end: int) -> str:
    """The mode of an embedded window: reported or question when such spans cover at least half of it."""
    size = max(1, end - start)
    for mode, spans in (("reported", reading.reported), ("question", reading.questions)):
        covered = sum(max(0, min(b, end) - max(a, start)) for a, b in spans)
        if covered * 2 >= size:
            return mode
    return "own"
