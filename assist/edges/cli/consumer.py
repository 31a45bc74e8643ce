"""`assist ask | mask | train-scams | train-attacks`: the consumer assistant, PII masking, the consumer checks'
learned layers."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from assist.edges.cli.settings import settings_of
from assist.errors import EXIT_CODES, AssistError


def register(sub: Any) -> None:
    for kind, what in (("scams", "the consumer scam check"), ("attacks", "the consumer attack filter")):
        tx = sub.add_parser(f"train-{kind}", help=f"train the learned layer of {what}")
        tx.add_argument("--data", help=f"JSONL training messages (default: eval/training/{kind}_train.jsonl)")
        tx.add_argument("--out", help="model file (default: in data_dir, which then takes precedence over the shipped one)")
        tx.add_argument("-C", type=float, default=10.0, help="inverse regularisation strength (default 10)")
        tx.set_defaults(func=cmd_train_text, kind=kind)

    m = sub.add_parser("mask", help="mask 身份证号, bank card and mobile numbers in lines read from standard input")
    m.add_argument("--json", action="store_true", help="also print the spans found (offsets into the original line)")
    m.set_defaults(func=cmd_mask)

    ak = sub.add_parser("ask", help="ask the consumer anti-fraud assistant (consumer knowledge only)")
    ak.add_argument("question")
    ak.add_argument("--json", action="store_true")
    ak.set_defaults(func=cmd_ask)


def cmd_train_text(args: argparse.Namespace) -> int:
    """`assist train-scams` / `assist train-attacks`: the learned consumer-side layers."""
    from assist.bootstrap import build_embedder, text_model_target, training_file
    from assist.core.jsonl import read_jsonl
    from assist.training.text_models import train_attacks, train_scams

    kind = args.kind
    settings = settings_of(args)
    src = Path(args.data) if args.data else training_file(kind)
    if not src.is_file():
        raise AssistError("training messages not found (give --data FILE.jsonl)", path=str(src))
    rows = [r for _, r in read_jsonl(src)]
    train = train_scams if kind == "scams" else train_attacks
    model = train(rows, build_embedder(settings), src, C=args.C)
    out = Path(args.out) if args.out else text_model_target(settings, kind)
    model.save(out)
    print(f"trained on {len(rows)} messages (data {model.data_hash[:12]}); cross-validated F1: "
          f"{json.dumps(model.info['cv_f1'], ensure_ascii=False)}; thresholds {json.dumps(model.thresholds)}; saved {out}")
    return EXIT_CODES["ok"]


def cmd_mask(args: argparse.Namespace) -> int:
    from assist.core.pii import find, mask
    from assist.core.text import decode_bytes

    text, _ = decode_bytes(sys.stdin.buffer.read(), "<stdin>") if not sys.stdin.isatty() else ("", "")
    for line in text.splitlines():
        if args.json:
            print(json.dumps({"text": mask(line), "spans": [s.to_dict() for s in find(line)]}, ensure_ascii=False))
        else:
            print(mask(line))
    return EXIT_CODES["ok"]


def cmd_ask(args: argparse.Namespace) -> int:
    from assist.bootstrap import build_consumer_chat

    answer = build_consumer_chat(settings_of(args)).respond(args.question)
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(answer.text)
        for c in answer.citations:
            print(f"  出处: {c['title']} [{c['doc_id']}]")
    return EXIT_CODES["ok"]
