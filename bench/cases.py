"""Case files on the scripted set (testkit.cases) scaled up: how long gathering (the risk hint's rules layer over each
call), assembling, exporting (HTML+JSON, and with the PDF printed by Chromium) and verifying take, and how they grow
with the number of calls. Writes JSON.

    cd bench && python cases.py [--out results/cases.json] [--calls 10 100] [--rounds 3]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from common import machine, write_result

from assist.adapters.chromium_pdf import ChromiumPdfRenderer
from assist.bootstrap import build_risk_assessor
from assist.cases.types import Actor
from assist.settings import Settings
from testkit.cases import AGENCY_DIGITS, CALLS, scripted

ME = Actor("bench", "reviewer")


def _calls(n: int) -> list[dict[str, Any]]:
    """``n`` linked calls: the scripted ones repeated under new ids and borrowers (every one mentions the agency)."""
    base = [c for c in CALLS if c["call_id"] != "c-003"]
    return [{**base[i % len(base)], "call_id": f"c-{i:05d}", "borrower": f"B{i % 40}"} for i in range(n)]


def run(calls: int, rounds: int) -> dict[str, Any]:
    times: dict[str, list[float]] = {k: [] for k in ("add_calls", "assemble", "export", "export_pdf", "verify")}
    assessor = build_risk_assessor(Settings(data_dir=Path(tempfile.mkdtemp())), semantic=False, use_model=False)
    assessor.assess(CALLS[0]["turns"])          # load jieba's dictionary once, outside the timings
    for _ in range(rounds):
        tmp = Path(tempfile.mkdtemp(prefix="bench-cases-"))
        world = scripted(tmp, assessor, renderer=None)
        svc = world.service
        case = svc.open("phone", AGENCY_DIGITS, ME)
        t = time.perf_counter()
        svc.add_calls(case.case_id, _calls(calls), ME)
        times["add_calls"].append(time.perf_counter() - t)
        svc.add_letters(case.case_id, world.letter_ids[0], ME)
        t = time.perf_counter()
        svc.assemble(case.case_id, ME)
        times["assemble"].append(time.perf_counter() - t)
        t = time.perf_counter()
        res = svc.export(case.case_id, tmp / "out", ME)
        times["export"].append(time.perf_counter() - t)
        svc.renderer = ChromiumPdfRenderer()
        t = time.perf_counter()
        res = svc.export(case.case_id, tmp / "out", ME)
        times["export_pdf"].append(time.perf_counter() - t)
        t = time.perf_counter()
        assert svc.verify(res.path).ok
        times["verify"].append(time.perf_counter() - t)
        pdf_mb = (res.path / "case.pdf").stat().st_size / 2**20
    return {"calls": calls, "rounds": rounds, "pdf_mb": round(pdf_mb, 2),
            **{f"{k}_s_median": round(statistics.median(v), 3) for k, v in times.items()},
            "add_ms_per_call": round(1000 * statistics.median(times["add_calls"]) / calls, 1)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=str(Path(__file__).resolve().parent / "results" / "cases.json"))
    ap.add_argument("--calls", type=int, nargs="*", default=[10, 100])
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    results = [run(n, args.rounds) for n in args.calls]
    write_result(Path(args.out), {"machine": machine(), "runs": results})


if __name__ == "__main__":
    main()
