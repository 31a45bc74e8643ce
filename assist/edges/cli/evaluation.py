"""`assist eval`: the evaluation harness (suites, results.json + report.html, --compare, --gate)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from assist.edges.cli.settings import settings_of
from assist.errors import EXIT_CODES, AssistError


def register(sub: Any) -> None:
    ev = sub.add_parser("eval", help="evaluation harness: run suites, write results.json + report.html, compare, gate")
    ev.add_argument("--suite", action="append", help="retrieval, risk, replies, consumer, scams, attacks, latency, "
                    "fast (the CI subset) or all (default); repeatable or comma-separated")
    ev.add_argument("--data", help="dataset folder in the eval/datasets layout (default: the shipped eval/datasets)")
    ev.add_argument("--out", default="eval-results", help="output folder (default ./eval-results)")
    ev.add_argument("--compare", help="an earlier results.json (or its folder): print every metric's change")
    ev.add_argument("--gate", help=f"thresholds TOML (e.g. eval/thresholds.toml): exit {EXIT_CODES['gate']} when a "
                    "metric is past its floor or ceiling")
    ev.add_argument("--split", help="risk/replies conversations: dev, test, heldout, fresh, train, writers, final, all, "
                    "a writer (w01 … w08, f01, f02) or a comma list of these (default: dev,heldout on the shipped "
                    "data, all on another folder)")
    ev.add_argument("--benchmark", help="scams suite: the TeleAntiFraud folder to score through the consumer assistant "
                    "(default, when --data is not given: ../shared/benchmarks/teleantifraud beside the source tree "
                    "when it is there; 'none' to skip)")
    ev.add_argument("--benchmark-split", default="validation", choices=("validation", "test", "train"),
                    help="scams suite: which split of the benchmark (default validation; test is for final numbers)")
    ev.add_argument("--corpus", help="retrieval: a folder of your own documents (statutes as plain Markdown/text/PDF/"
                    "Word, front matter optional), indexed with the knowledge base under the data folder (incremental)")
    ev.add_argument("--questions", help="retrieval: a question file, one JSON object per line: id, question, law, "
                    "articles ([\"第X条\", ...]), optional voice and style; scored against --corpus, else against the "
                    "active index (recall@k, MRR, right law in the top 5)")
    ev.add_argument("-q", "--quiet", action="store_true", help="no progress bars")
    ev.set_defaults(func=cmd_eval)


def cmd_eval(args: argparse.Namespace) -> int:
    from assist.bootstrap import benchmark_dir, eval_context, shipped_datasets
    from assist.evaluation.gate import check_gate, load_thresholds
    from assist.evaluation.harness import expand_suites, run_suites, write_run
    from assist.evaluation.results import compare, load_run, summary_table
    from assist.evaluation.teleantifraud import FILE

    settings = settings_of(args)
    suites = expand_suites(args.suite or ["all"])
    data = Path(args.data) if args.data else shipped_datasets()
    if not data.is_dir():
        raise AssistError("dataset folder not found", path=str(data))
    previous = load_run(Path(args.compare)) if args.compare else None
    bars: dict[str, Any] = {}

    def progress(suite: str, i: int, n: int) -> None:
        if args.quiet:
            return
        from tqdm import tqdm

        bar = bars.get(suite)
        if bar is None:
            bar = bars[suite] = tqdm(total=n, desc=suite, unit="case", leave=True, file=sys.stderr)
        bar.n = i + 1
        bar.refresh()
        if i + 1 >= n:
            bar.close()

    benchmark: Path | None = None
    if "scams" in suites and args.benchmark != "none" and (args.benchmark or not args.data):
        benchmark = Path(args.benchmark) if args.benchmark else benchmark_dir()
        if not (benchmark / FILE).is_file():
            if args.benchmark:
                raise AssistError("TeleAntiFraud dialogues not found", path=str(benchmark / FILE))
            benchmark = None        # not beside this checkout: the hand-written sets only
    if args.corpus and not args.questions:
        raise AssistError("--corpus needs --questions (the question file to score against it)", field="questions")
    questions = Path(args.questions) if args.questions else None
    if questions is not None and not questions.is_file():
        raise AssistError("question file not found", path=str(questions), field="questions")
    corpus = Path(args.corpus) if args.corpus else None
    run = run_suites(eval_context(settings, data, args.split, corpus=corpus, questions=questions,
                                  progress=not args.quiet, benchmark=benchmark,
                                  benchmark_split=args.benchmark_split), suites, progress)
    for bar in bars.values():
        bar.close()
    out = Path(args.out)
    results, report = write_run(run, out, previous)
    deltas = compare(previous, run.metrics(), suites=suites) if previous else []
    print(summary_table(run, deltas))
    print(f"\nwrote {results} and {report}")
    if deltas and any(d.regression for d in deltas):
        print(f"{sum(d.regression for d in deltas)} metric(s) got worse than {args.compare}", file=sys.stderr)
    if not args.gate:
        return EXIT_CODES["ok"]
    failures = check_gate(run.metrics(), load_thresholds(Path(args.gate)), set(suites))
    for f in failures:
        print(f"GATE FAILED: {f.message()}", file=sys.stderr)
    if failures:
        return EXIT_CODES["gate"]
    print(f"gate passed ({args.gate})")
    return EXIT_CODES["ok"]
