"""What the signal taxonomy (knowledge/signals.yaml) tells document review: which signal explains a finding, what
staff should make of a signal in a complaint letter, and how letters phrase it. Built once from the signals and the
rule matcher; the checks read it and hold no signal ids of their own."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from assist.knowledge.signals import LetterPattern, Signal
from assist.review.element_model import ElementReading
from assist.review.kind_model import KindModel
from assist.risk.rules import RuleMatcher


@dataclass(frozen=True)
class ReviewPolicy:
    signals: tuple[Signal, ...]
    matcher: RuleMatcher | None          # the spoken rules, read over a letter's paragraphs
    kind_model: KindModel | None = None  # what a paper is, learned (with the rules: checks.document_kind)
    kind_min_confidence: float = 0.55    # the model's top probability at which it overrules the rules
    posing_model: KindModel | None = None  # how much a paper reads like a paid agency's (labels not_posing / posing)
    posing_min_confidence: float = 0.7     # its probability of "posing" at which it adds a high finding
    element_reading: ElementReading | None = None  # the sentence reader of an authorisation's parts, with its bars

    @classmethod
    def of(cls, signals: Sequence[Signal], matcher: RuleMatcher | None,
           kind_model: KindModel | None = None, kind_min_confidence: float = 0.55,
           posing_model: KindModel | None = None, posing_min_confidence: float = 0.7,
           element_reading: ElementReading | None = None) -> "ReviewPolicy":
        return cls(tuple(signals), matcher, kind_model, kind_min_confidence, posing_model, posing_min_confidence,
                   element_reading)

    def signal_for(self, finding: str) -> str | None:
        """The signal whose ``review.findings`` lists this finding (e.g. auth.agent_company), if any."""
        return next((s.id for s in self.signals if finding in s.review.findings), None)

    def advice(self, signal_id: str) -> str:
        """What staff should make of the signal in a letter ("" when review does not report it)."""
        return next((s.review.advice for s in self.signals if s.id == signal_id), "")

    def letter_patterns(self) -> list[tuple[Signal, LetterPattern]]:
        """Every letter phrasing, with its signal, in the taxonomy's order."""
        return [(s, lp) for s in self.signals for lp in s.review.letter_patterns]
