"""The evaluation suites, by name. Each reads its files from the dataset folder, runs the real components and
returns a SuiteResult: every case with its outcome and reason, metrics from scorable cases only, the series the
report plots."""

from __future__ import annotations

from collections.abc import Callable

from assist.evaluation.context import EvalContext, Progress
from assist.evaluation.results import SuiteResult
from assist.evaluation.suites.consumer import suite_attacks, suite_consumer
from assist.evaluation.suites.latency import suite_latency
from assist.evaluation.suites.replies import suite_replies
from assist.evaluation.suites.retrieval import suite_retrieval
from assist.evaluation.suites.risk import suite_risk
from assist.evaluation.suites.scams import suite_scams

Suite = Callable[[EvalContext, Progress], SuiteResult]

SUITES: dict[str, Suite] = {"retrieval": suite_retrieval, "risk": suite_risk, "replies": suite_replies,
                            "consumer": suite_consumer, "scams": suite_scams, "attacks": suite_attacks,
                            "latency": suite_latency}

__all__ = ["SUITES", "Progress", "Suite"]
