"""The CI gate: floors (and ceilings, for lower-is-better metrics) kept in eval/thresholds.toml, checked against a
run's metrics. A metric that the run could not compute fails the gate too: a missing number is not a pass."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assist.errors import ConfigError
from assist.evaluation.results import finite


@dataclass(frozen=True)
class GateFailure:
    metric: str
    bound: str          # "floor" or "ceiling"
    limit: float
    value: float | None

    def message(self) -> str:
        shown = "not computed" if self.value is None else f"{self.value:.4f}"
        word = "below the floor" if self.bound == "floor" else "above the ceiling"
        return f"{self.metric} = {shown}: {word} {self.limit:.4f}"


def load_thresholds(path: Path) -> dict[str, dict[str, float]]:
    """{"floor": {metric: value}, "ceiling": {metric: value}} from a TOML file with [floor] and [ceiling] tables."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError("thresholds file not found", path=str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"not valid TOML: {exc}", path=str(path)) from exc
    out: dict[str, dict[str, float]] = {"floor": {}, "ceiling": {}}
    for bound in ("floor", "ceiling"):
        for metric, value in (data.get(bound) or {}).items():
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                raise ConfigError(f"{bound}.{metric} must be a number, not {value!r}", path=str(path), field=f"{bound}.{metric}")
            out[bound][metric] = float(value)
    unknown = set(data) - {"floor", "ceiling", "meta"}
    if unknown:
        raise ConfigError(f"unknown table(s) {sorted(unknown)}; use [floor] and [ceiling]", path=str(path))
    return out


def check_gate(metrics: dict[str, Any], thresholds: dict[str, dict[str, float]],
               suites: set[str] | None = None) -> list[GateFailure]:
    """Failures for every floor/ceiling of the suites that ran (all suites when ``suites`` is None)."""
    failures = []
    for bound, table in thresholds.items():
        for metric, limit in sorted(table.items()):
            if suites is not None and metric.split(".", 1)[0] not in suites:
                continue
            v = metrics.get(metric)
            value = float(v) if finite(v) and v is not None else None
            bad = value is None or (value < limit if bound == "floor" else value > limit)
            if bad:
                failures.append(GateFailure(metric, bound, limit, value))
    return failures
