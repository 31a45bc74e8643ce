"""What an evaluation run produces: every case with its outcome (pass / fail / unscorable with its reason), each
suite's metrics computed from scorable cases only, the comparison with an earlier run, and the terminal table."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from assist.errors import AssistError

# Metrics where lower is better; everything else is higher-is-better. Matched on the last dotted part, by suffix.
_LOWER_BETTER = ("fpr", "fpr_high_genuine", "fpr_medium_or_high_genuine", "ece", "leak_rate", "violations",
                 "violation_rate", "false_refusal_rate", "benign_flag_rate", "legit_rep_flagged_high", "_ms",
                 "mean_turns_to_detection", "unscorable", "victim_tagged_high", "no_fit_turns", "suspicion_top",
                 "suspicion_in_top3")
# Metrics that describe the sample rather than score the system: shown and compared, never a regression.
_DESCRIPTIVE = ("noise_floor", "scored_turns", "suggestions_shown", "mean_probability", "schemes_per_verdict")


def lower_is_better(metric: str) -> bool:
    last = metric.rsplit(".", 1)[-1]
    return any(last == s or last.endswith(s) for s in _LOWER_BETTER)


def descriptive(metric: str) -> bool:
    return metric.rsplit(".", 1)[-1].endswith(_DESCRIPTIVE)


@dataclass
class CaseOutcome:
    """One evaluated case. ``outcome`` is pass, fail or unscorable (with the reason, kept out of every mean)."""

    suite: str
    id: str
    outcome: str
    reason: str = ""
    details: dict[str, Any] = field(default_factory=dict)


@dataclass
class SuiteResult:
    name: str
    metrics: dict[str, float | None]
    cases: list[CaseOutcome]
    plots: dict[str, Any] = field(default_factory=dict)   # raw series the report draws
    seconds: float = 0.0
    dataset: str = ""

    @property
    def counts(self) -> dict[str, int]:
        out = {"pass": 0, "fail": 0, "unscorable": 0}
        for c in self.cases:
            out[c.outcome] = out.get(c.outcome, 0) + 1
        return out


@dataclass
class RunResult:
    suites: list[SuiteResult]
    started: str
    machine: dict[str, Any]
    data_dir: str
    settings: dict[str, Any] = field(default_factory=dict)

    def metrics(self) -> dict[str, float | None]:
        """Every metric as suite.metric."""
        return {f"{s.name}.{k}": v for s in self.suites for k, v in s.metrics.items()}

    def to_dict(self) -> dict[str, Any]:
        return {"started": self.started, "machine": self.machine, "data_dir": self.data_dir, "settings": self.settings,
                "metrics": self.metrics(),
                "suites": [{"name": s.name, "dataset": s.dataset, "seconds": round(s.seconds, 2), "counts": s.counts,
                            "metrics": s.metrics, "plots": s.plots, "cases": [asdict(c) for c in s.cases]}
                           for s in self.suites]}


def load_run(path: Path) -> dict[str, Any]:
    """An earlier results.json (or the folder holding it)."""
    p = path / "results.json" if path.is_dir() else path
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise AssistError(f"no earlier results at {p}", path=str(p)) from None
    except json.JSONDecodeError as exc:
        raise AssistError(f"not a results.json: {exc}", path=str(p), line=exc.lineno) from exc
    if not isinstance(data, dict) or "metrics" not in data:
        raise AssistError("not a results.json written by `assist eval` (no 'metrics')", path=str(p))
    return data


def finite(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def mean(xs: Iterable[float]) -> float | None:
    """Mean of scorable values; None (not 0, not NaN) when there are none."""
    vals = [x for x in xs if finite(x)]
    return sum(vals) / len(vals) if vals else None


@dataclass(frozen=True)
class Delta:
    metric: str
    before: float | None
    after: float | None
    delta: float | None
    regression: bool


def compare(previous: dict[str, Any], current: dict[str, float | None], tolerance: float = 1e-9,
            suites: Iterable[str] | None = None) -> list[Delta]:
    """Every metric's change against an earlier run; a regression is a move in the worse direction.

    Only the suites that ran now are compared (``suites``, else the suites named in ``current``): comparing a
    single-suite run with a full earlier run must not report every other suite's metrics as lost."""
    ran = set(suites) if suites is not None else {name.split(".", 1)[0] for name in current}
    before_all: dict[str, Any] = {k: v for k, v in previous.get("metrics", {}).items() if k.split(".", 1)[0] in ran}
    out = []
    for name in sorted(set(before_all) | set(current)):
        b, a = before_all.get(name), current.get(name)
        if finite(b) and finite(a):
            d = float(a) - float(b)  # type: ignore[arg-type]
            worse = not descriptive(name) and (d > tolerance if lower_is_better(name) else d < -tolerance)
            out.append(Delta(name, float(b), float(a), d, worse))  # type: ignore[arg-type]
        else:
            # a metric that could be computed before and cannot now is a regression too
            out.append(Delta(name, b if finite(b) else None, a if finite(a) else None, None, finite(b) and not finite(a)))
    return out


def summary_table(run: RunResult, deltas: Sequence[Delta] = ()) -> str:
    """Plain-text table for the terminal: suite, cases, metrics (with deltas when comparing)."""
    by_name = {d.metric: d for d in deltas}
    lines = []
    for s in run.suites:
        c = s.counts
        lines.append(f"== {s.name}  ({c['pass']} pass, {c['fail']} fail, {c['unscorable']} unscorable; {s.seconds:.1f} s)")
        for k, v in s.metrics.items():
            shown = "n/a" if not finite(v) else f"{v:.4f}" if isinstance(v, float) else str(v)
            d = by_name.get(f"{s.name}.{k}")
            extra = ""
            if d is not None and d.delta is not None:
                extra = f"  ({d.delta:+.4f}{'  REGRESSION' if d.regression else ''})"
            elif d is not None and d.regression:
                extra = "  (REGRESSION: no longer computable)"
            lines.append(f"   {k:<40} {shown}{extra}")
        for d in deltas:        # reported by the earlier run, not reported at all now
            k = d.metric[len(s.name) + 1:]
            if d.metric.startswith(f"{s.name}.") and k not in s.metrics:
                lines.append(f"   {k:<40} n/a{'  (REGRESSION: no longer computable)' if d.regression else ''}")
    return "\n".join(lines)
