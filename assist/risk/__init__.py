"""Live risk hint: is the caller a paid intermediary, a coached borrower, or a victim? Advisory and internal."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

from assist.risk.assessor import ACTIONS, THRESHOLDS, RiskAssessor, RiskSession
from assist.risk.types import CallMeta, ConversationError, Evidence, RiskAssessment, Turn

__all__ = ["ACTIONS", "THRESHOLDS", "CallMeta", "ConversationError", "Evidence", "RiskAssessment", "RiskAssessor",
           "RiskSession", "Turn", "assess", "build_assessor"]


def build_assessor(embedder: Any = None, signals_path: Path | None = None, model: Any = None) -> RiskAssessor:
    """An assessor over the shipped signal taxonomy; semantic layer only when an embedder is given."""
    from assist.adapters.lexical import JiebaTokenizer
    from assist.bootstrap import packaged_knowledge_dir
    from assist.risk.rules import RuleMatcher
    from assist.risk.semantic import SemanticMatcher
    from assist.risk.signals import load_signal_set

    signals = load_signal_set(signals_path or packaged_knowledge_dir() / "signals.yaml")
    tokenizer = JiebaTokenizer()
    rules = RuleMatcher(signals, tokenizer.words)
    semantic = SemanticMatcher(embedder, signals) if embedder is not None else None
    return RiskAssessor(signals, rules, semantic, model)


def assess(conversation: Sequence[Turn | dict[str, Any]] | dict[str, Any], assessor: RiskAssessor | None = None) -> RiskAssessment:
    """Assess a conversation: a list of turns, or {"turns": [...], "meta": {...}}. Rules-only unless an assessor
    with a semantic layer/model is passed (see build_assessor)."""
    assessor = assessor or build_assessor()
    if isinstance(conversation, dict):
        turns = conversation.get("turns")
        if not isinstance(turns, list):
            raise ConversationError("conversation needs a 'turns' list", field="turns")
        return assessor.assess(turns, conversation.get("meta"))
    return assessor.assess(list(conversation))
