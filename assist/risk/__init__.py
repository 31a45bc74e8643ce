"""Live risk hint: is the caller a paid intermediary, a coached borrower, or a victim? Advisory and internal.

Pure logic: rules (rules.py), semantics (semantic.py), the learned layer (model.py), levels with hysteresis,
actions and probes (assessor.py). It is built by assist.bootstrap.build_risk_assessor and fitted by
assist.training."""

from __future__ import annotations

from assist.risk.assessor import ACTIONS, THRESHOLDS, RiskAssessor, RiskSession
from assist.risk.types import CallMeta, Evidence, RiskAssessment, Turn

__all__ = ["ACTIONS", "THRESHOLDS", "CallMeta", "Evidence", "RiskAssessment", "RiskAssessor", "RiskSession", "Turn"]
