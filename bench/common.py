"""Helpers shared by the benchmark scripts (run as `python bench/<name>.py`, so this is importable as `common`)."""

from __future__ import annotations

import json
import os
import platform
import resource
import sys
import time
from pathlib import Path
from typing import Any

# testkit (generated corpora for tests and benchmarks, not shipped in the wheel) lives at the repository root
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def pct(xs: list[float], q: float) -> float:
    """The q-quantile (assist.evaluation.metrics.percentile: nearest rank), rounded to 0.01."""
    from assist.evaluation.metrics import percentile

    value = percentile(xs, q)
    if value is None:
        raise ValueError("no measurements")
    return round(value, 2)


def machine() -> dict[str, Any]:
    return {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
            "date": time.strftime("%Y-%m-%d")}


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def write_result(out: Path, result: dict[str, Any]) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False, indent=2))
