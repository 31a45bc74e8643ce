"""The scams suite: the scam check on the hand-written sets (eval/datasets/scams*.jsonl: precision / recall per
scheme, benign messages flagged, the urgent path) and, when the public TeleAntiFraud dialogues are given, one split
of them pasted whole into the consumer assistant as a consumer would ("我刚接到一个电话，对话是这样的：…这是诈骗吗？"):
fraud flagged, normal calls flagged, the scheme named, the scheme's article cited, per-scheme precision / recall,
confusion between schemes and the answer's latency."""

from __future__ import annotations

import time
from typing import Any

from assist.consumer.schemes import BENCHMARK_SCHEME, BY_ID, SCHEMES
from assist.core.jsonl import read_jsonl
from assist.core.pii import mask
from assist.errors import AssistError
from assist.evaluation.context import EvalContext, Progress
from assist.evaluation.metrics import percentile
from assist.evaluation.results import CaseOutcome, SuiteResult, mean
from assist.evaluation.teleantifraud import as_message, load_dialogues, shape_of

NORMAL = "normal"           # the confusion matrix's row and column for a normal call / no verdict


def suite_scams(ctx: EvalContext, progress: Progress) -> SuiteResult:
    files = ctx.files("scams*.jsonl")
    if not files:
        raise AssistError("no scams*.jsonl in the dataset folder", path=str(ctx.data))
    schemes = [s.id for s in SCHEMES]
    tp = {s: 0 for s in schemes}
    fp = {s: 0 for s in schemes}
    fn = {s: 0 for s in schemes}
    outcomes, benign_flags, urgent_ok = [], [], []
    # per file (each file is one writer's set, written at one time): recall per scheme and benign messages flagged
    file_hits: dict[str, dict[str, list[float]]] = {f.stem: {} for f in files}
    file_benign: dict[str, list[float]] = {f.stem: [] for f in files}
    rows = [(f, n, r) for f in files for n, r in read_jsonl(f)]
    for i, (f, n, row) in enumerate(rows):
        progress("scams", i, len(rows))
        cid = str(row.get("id", f"{f.name}:{n}"))
        msg = row.get("message")
        truth = set(row.get("schemes") or [])
        unknown = truth - set(schemes)
        if not isinstance(msg, str) or unknown:
            outcomes.append(CaseOutcome("scams", cid, "unscorable",
                                        f"{f.name}:{n}: " + (f"unknown scheme(s) {sorted(unknown)}" if unknown else "no message")))
            continue
        v = ctx.consumer.scams.check(mask(msg))
        got = {s["id"] for s in v.schemes} if v else set()
        for s in schemes:
            tp[s] += s in got and s in truth
            fp[s] += s in got and s not in truth
            fn[s] += s not in got and s in truth
        for s in truth:
            file_hits[f.stem].setdefault(s, []).append(1.0 if s in got else 0.0)
        if not truth:
            benign_flags.append(1.0 if got else 0.0)
            file_benign[f.stem].append(1.0 if got else 0.0)
        elif "urgent" in row:
            urgent_ok.append(1.0 if bool(v and v.urgent) == bool(row["urgent"]) else 0.0)
        ok = (got & truth) if truth else not got
        outcomes.append(CaseOutcome("scams", cid, "pass" if ok else "fail",
                                    "" if ok else (f"expected {sorted(truth) or 'no verdict'}, got {sorted(got) or 'no verdict'}"),
                                    {"message": msg, "expected": sorted(truth), "got": sorted(got),
                                     "red_flags": [fl for s in (v.schemes if v else ()) for fl in s["red_flags"]]}))
    metrics: dict[str, float | None] = {}
    for s in schemes:
        metrics[f"precision.{s}"] = tp[s] / (tp[s] + fp[s]) if tp[s] + fp[s] else None
        metrics[f"recall.{s}"] = tp[s] / (tp[s] + fn[s]) if tp[s] + fn[s] else None
    metrics["macro_recall"] = mean(metrics[f"recall.{s}"] for s in schemes)  # type: ignore[misc]
    metrics["benign_flag_rate"] = mean(benign_flags)
    metrics["urgent_accuracy"] = mean(urgent_ok)
    for stem in file_hits:
        metrics[f"by_file.{stem}.macro_recall"] = mean(mean(v) for v in file_hits[stem].values())  # type: ignore[misc]
        metrics[f"by_file.{stem}.benign_flag_rate"] = mean(file_benign[stem])
    plots: dict[str, Any] = {}
    dataset = ", ".join(str(f) for f in files)
    if ctx.benchmark is not None:
        bench_metrics, bench_cases, plots = _teleantifraud(ctx, progress)
        metrics.update(bench_metrics)
        outcomes += bench_cases
        dataset += f"; TeleAntiFraud {ctx.benchmark_split} split ({ctx.benchmark})"
    return SuiteResult("scams", metrics, outcomes, plots=plots, dataset=dataset)


def _teleantifraud(ctx: EvalContext, progress: Progress) -> tuple[dict[str, float | None], list[CaseOutcome],
                                                                    dict[str, Any]]:
    """One split of the benchmark through ConsumerChat.respond, timed."""
    assert ctx.benchmark is not None
    dialogues = load_dialogues(ctx.benchmark, [ctx.benchmark_split])
    chat = ctx.consumer
    labels = list(dict.fromkeys(BENCHMARK_SCHEME.values())) + [NORMAL]
    confusion = {t: {p: 0 for p in labels} for t in labels}
    recall, false_alarm, named, among, named_all, cited, per_verdict, latency = [], [], [], [], [], [], [], []
    outcomes = []
    for i, d in enumerate(dialogues):
        progress("scams: teleantifraud", i, len(dialogues))
        message = as_message(d, chat.max_message_chars)
        t0 = time.perf_counter()
        a = chat.respond(message)
        latency.append((time.perf_counter() - t0) * 1000)
        got = [str(s["id"]) for s in a.scam.schemes] if a.scam is not None else []
        primary = got[0] if got else None
        truth = d.scheme or NORMAL
        confusion[truth][primary if primary in confusion else NORMAL] += 1
        if d.scheme is None:
            false_alarm.append(1.0 if got else 0.0)
            ok, reason = not got, "" if not got else f"a normal call flagged as {', '.join(got)}"
        else:
            recall.append(1.0 if got else 0.0)
            named_all.append(1.0 if primary == d.scheme else 0.0)
            if got:
                named.append(1.0 if primary == d.scheme else 0.0)
                among.append(1.0 if d.scheme in got else 0.0)
                per_verdict.append(float(len(got)))
                cited.append(1.0 if BY_ID[got[0]].article in {c["doc_id"] for c in a.citations} else 0.0)
            ok = primary == d.scheme
            reason = "" if ok else (f"not flagged ({a.kind})" if not got else f"named {', '.join(got)}")
        details: dict[str, Any] = {"type": d.fraud_type, "expected": truth, "got": got, "shape": shape_of(d),
                                   "ms": round(latency[-1], 1), "kind": a.kind}
        if not ok:
            details["message"] = message[:400]
            details["red_flags"] = [f for s in (a.scam.schemes if a.scam else ()) for f in s["red_flags"]]
        outcomes.append(CaseOutcome("scams", f"teleantifraud:{d.id}", "pass" if ok else "fail", reason, details))
    metrics: dict[str, float | None] = {
        "teleantifraud.fraud_recall": mean(recall), "teleantifraud.normal_fpr": mean(false_alarm),
        "teleantifraud.scheme_accuracy": mean(named), "teleantifraud.scheme_accuracy_all": mean(named_all),
        "teleantifraud.scheme_named": mean(among), "teleantifraud.schemes_per_verdict": mean(per_verdict),
        "teleantifraud.article_cited": mean(cited),
        "teleantifraud.p50_ms": percentile(latency, 0.5), "teleantifraud.p95_ms": percentile(latency, 0.95),
        "teleantifraud.max_ms": max(latency) if latency else None}
    precision, recall_by = {}, {}
    for s in labels[:-1]:
        predicted = sum(confusion[t][s] for t in labels)
        actual = sum(confusion[s].values())
        precision[s] = confusion[s][s] / predicted if predicted else None
        recall_by[s] = confusion[s][s] / actual if actual else None
        metrics[f"teleantifraud.precision.{s}"] = precision[s]
        metrics[f"teleantifraud.recall.{s}"] = recall_by[s]
    plots = {"scheme_bars": {"recall": {s: v for s, v in recall_by.items() if v is not None},
                             "precision": {s: v for s, v in precision.items() if v is not None}},
             "scheme_confusion": {"labels": labels, "matrix": [[confusion[t][p] for p in labels] for t in labels]},
             "latency": {"TeleAntiFraud: consumer answer": latency}}
    return metrics, outcomes, plots
