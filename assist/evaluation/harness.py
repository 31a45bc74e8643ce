"""The evaluation harness: runs suites over a dataset folder and writes results.json and report.html."""

from __future__ import annotations

import json
import os
import platform
import time
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from assist.core.files import atomic_write_text
from assist.errors import AssistError
from assist.evaluation.context import EvalContext
from assist.evaluation.report import render_report
from assist.evaluation.results import RunResult, SuiteResult, compare
from assist.evaluation.suites import SUITES, Progress

SUITE_NAMES = tuple(SUITES)
# The subset the CI gate runs: every suite except the slow per-turn ones (replies replays whole calls through the
# agent; latency repeats calls).
FAST_SUITES = ("retrieval", "risk", "consumer", "scams", "attacks")


def run_suites(context: EvalContext, suites: Sequence[str], progress: Progress | None = None) -> RunResult:
    """Run the named suites against ``context``; unknown names are an error."""
    unknown = [s for s in suites if s not in SUITES]
    if unknown:
        raise AssistError(f"unknown suite(s): {', '.join(unknown)}; choose from {', '.join(SUITE_NAMES)}, fast, all",
                          field="suite")
    results = []
    for name in suites:
        t0 = time.perf_counter()
        res: SuiteResult = SUITES[name](context, progress or (lambda *_: None))
        res.seconds = time.perf_counter() - t0
        results.append(res)
    return RunResult(results, time.strftime("%Y-%m-%dT%H:%M:%S"),
                     {"python": platform.python_version(), "platform": platform.platform(), "cpus": _cpus()},
                     str(context.data), context.describe())


def _cpus() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def expand_suites(names: Sequence[str]) -> list[str]:
    """Suite names from the command line: comma lists, ``fast`` and ``all`` expanded, each once."""
    out: list[str] = []
    for n in names:
        for part in n.split(","):
            part = part.strip()
            if part == "all":
                out.extend(SUITE_NAMES)
            elif part == "fast":
                out.extend(FAST_SUITES)
            elif part:
                out.append(part)
    return list(dict.fromkeys(out))


def write_run(run: RunResult, out_dir: Path, previous: dict[str, Any] | None = None) -> tuple[Path, Path]:
    """results.json and report.html in ``out_dir`` (each written atomically)."""
    data = run.to_dict()
    deltas = compare(previous, run.metrics(), suites=[s.name for s in run.suites]) if previous else []
    if previous:
        data["compare"] = {"against": previous.get("started", ""),
                           "deltas": [asdict(d) for d in deltas]}
    results, report = out_dir / "results.json", out_dir / "report.html"
    atomic_write_text(results, json.dumps(data, ensure_ascii=False, indent=1, default=str))
    atomic_write_text(report, render_report(data, deltas))
    return results, report
