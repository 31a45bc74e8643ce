"""The consumer scam check on blind sets written by hand (eval/heldout/scams_*_r3.jsonl): messages as consumers type
them (retellings, forwarded SMS, screenshot OCR, pasted dialogues, short questions), each through the widget's whole
path (ConsumerChat.respond). For fraud messages: answered as a scam, and the scheme named first among the labelled
ones (a list when two of our schemes fit the writer's); for genuine look-alikes: flagged as a scam (a false alarm).
Reported per file and per form. Writes JSON.

    python bench/scams_blind.py [--data eval/heldout] [--out bench/results/scams_blind.json]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from common import machine, write_result

from assist.bootstrap import build_consumer_chat, build_ingestor, knowledge_dirs
from assist.knowledge.index import IndexLayout
from assist.settings import load_settings

REPO = Path(__file__).resolve().parents[1]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=REPO / "eval" / "heldout")
    ap.add_argument("--pattern", default="scams_*_r3.jsonl")
    ap.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "scams_blind.json")
    args = ap.parse_args()
    settings = load_settings()
    if IndexLayout(settings.data_dir).read_manifest() is None:
        build_ingestor(settings).ingest(knowledge_dirs(settings))
    chat = build_consumer_chat(settings)
    files: dict[str, Any] = {}
    misses: list[dict[str, Any]] = []
    for path in sorted(args.data.glob(args.pattern)):
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        flagged, named, confusion = 0, 0, Counter()
        for row in rows:
            a = chat.respond(row["message"])
            got = [str(s["id"]) for s in a.scam.schemes] if a.scam is not None else []
            truth = list(row["schemes"])
            if got:
                flagged += 1
            if truth and got and got[0] in truth:
                named += 1
            if truth and (not got or got[0] not in truth):
                misses.append({"id": row["id"], "truth": truth, "got": got[:2]})
                confusion[f"{truth[0]} -> {got[0] if got else 'none'}"] += 1
            if not truth and got:
                misses.append({"id": row["id"], "truth": [], "got": got[:2]})
        fraud = sum(1 for r in rows if r["schemes"])
        files[path.stem] = {"messages": len(rows), "fraud": fraud,
                            "answered_as_scam": round(flagged / len(rows), 3),
                            "scheme_named_first": round(named / fraud, 3) if fraud else None,
                            "confusions": dict(confusion.most_common())}
        print(path.stem, files[path.stem], file=sys.stderr)
    write_result(args.out, {"bench": "scams_blind", "machine": machine(), "files": files, "misses": misses})
    return 0


if __name__ == "__main__":
    sys.exit(main())
