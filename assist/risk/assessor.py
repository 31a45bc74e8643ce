"""The live risk hint: incremental state per call, scoring (rules + semantics, or the learned model), levels with
hysteresis, recommended actions and probe questions.

Thresholds (on the highest of P(intermediary), P(coached), P(victim)):
  high >= 0.80, medium >= 0.50, else low.
Hysteresis: the level rises as soon as the probability crosses a threshold; it comes down only after two
consecutive caller turns below (threshold - 0.15), or at once when the agent marks the caller verified.
Evidence: high also needs quoted evidence of a signal that may stand alone. S1 (a third party speaks for the
borrower; signals.yaml `alone_at_most: medium`) never does, because licensed lawyers and authorised relatives do the
same lawfully, so on its own it leads to verification (medium), not to a 疑似代理 tag. A probability without quoted
evidence cannot make high either: the agent must be able to see why. With the distilled window embedder
(risk.semantic_embedder = distilled, the default), whose similarities are approximate, paraphrase evidence alone
cannot make high: high then needs a rule's verbatim match.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from assist.knowledge.signals import SIGNAL_CATEGORIES, Signal
from assist.risk.rules import RuleMatcher
from assist.risk.semantic import SemanticMatcher
from assist.risk.types import CATEGORIES, CallMeta, Evidence, RiskAssessment, Turn

THRESHOLDS = {"high": 0.80, "medium": 0.50}
HYSTERESIS = 0.15
CALM_TURNS = 2
NONE_PRIOR = 1.5               # log-odds head start of "none": one medium signal alone stays low
SEMANTIC_FACTOR = 0.7          # a paraphrase counts a little less than an explicit rule hit
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
    rule: float = 0.0
    semantic: float = 0.0        # strongest semantic strength seen
    similarity: float = 0.0      # nearest-example similarity, best turn (for the learned layer)
    margin: float = -1.0         # example minus look-alike similarity, best turn
    evidence: Evidence | None = None


@dataclass
class RiskState:
    """Everything carried from one turn to the next; a new turn costs the same whatever the call's length."""

    signals: dict[str, _SignalState] = field(default_factory=dict)
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
                 model: LearnedScorer | None = None) -> None:
        self.signals = {s.id: s for s in signals}
        self.rules = rules
        self.semantic = semantic
        self.model = model

    def with_model(self, model: LearnedScorer | None) -> "RiskAssessor":
        """The same rules and semantics scored by another learned layer (or by none)."""
        return RiskAssessor(list(self.signals.values()), self.rules, self.semantic, model)

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
        for hit in self.rules.match(text):
            st = state.signals.setdefault(hit.signal.id, _SignalState())
            st.rule = 1.0
            if 1.0 > st.activation or st.evidence is None or st.evidence.layer != "rule":
                st.activation = 1.0
                st.evidence = Evidence(hit.signal.id, hit.signal.name, hit.signal.category, index, hit.start, hit.end,
                                       turn.text[hit.start:hit.end], hit.signal.weight_value, "rule")
        if self.semantic is not None:
            for sh in self.semantic.scores(text):
                st = state.signals.setdefault(sh.signal.id, _SignalState())
                st.similarity = max(st.similarity, sh.example_sim)
                st.margin = max(st.margin, sh.example_sim - sh.lookalike_sim)
                st.semantic = max(st.semantic, sh.strength)
                act = sh.strength * SEMANTIC_FACTOR
                if sh.strength >= 0.5 and act > st.activation:
                    st.activation = act
                    st.evidence = Evidence(sh.signal.id, sh.signal.name, sh.signal.category, index, sh.start, sh.end,
                                           turn.text[sh.start:sh.end], sh.signal.weight_value * act, "semantic")

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
        if raw == "high" and not self._may_be_high(state):
            raw = "medium"
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

    def _may_be_high(self, state: RiskState) -> bool:
        """Some signal with quoted evidence may justify high on its own (see the module docstring)."""
        approximate = self.semantic is not None and self.semantic.approximate
        return any(st.evidence is not None and self.signals[sid].alone_at_most == "high"
                   and not (approximate and st.evidence.layer == "semantic") for sid, st in state.signals.items())

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
