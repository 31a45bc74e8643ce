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

SCAM_C = 10.0
SCAM_WEIGHT = 6.0


def register(sub: Any) -> None:
    tx = sub.add_parser("train-attacks", help="train the learned layer of the consumer attack filter")
    tx.add_argument("--data", help="JSONL training messages (default: eval/training/attacks_train.jsonl)")
    tx.add_argument("--out", help="model file (default: in data_dir, which then takes precedence over the shipped one)")
    tx.add_argument("-C", type=float, default=10.0, help="inverse regularisation strength (default 10)")
    tx.set_defaults(func=cmd_train_text, kind="attacks")

    ts = sub.add_parser("train-scams", help="train the learned layer of the consumer scam check (n-gram model)")
    ts.add_argument("--data", action="append", help="JSONL hand-written messages (id, message, schemes); repeatable "
                    "(default: every eval/training/scams*_train.jsonl)")
    ts.add_argument("--benchmark", help="folder of the TeleAntiFraud dialogues (default: "
                    "../shared/benchmarks/teleantifraud beside the source tree); only its train split is used")
    ts.add_argument("--no-benchmark", action="store_true", help="train on the hand-written messages alone")
    ts.add_argument("--out", help="model file (default: in data_dir, which then takes precedence over the shipped one)")
    ts.add_argument("-C", type=float, default=SCAM_C, help=f"inverse regularisation strength (default {SCAM_C:g})")
    ts.add_argument("--weight", type=float, default=SCAM_WEIGHT, help="weight of a hand-written message against one "
                    f"dialogue (default {SCAM_WEIGHT:g})")
    ts.add_argument("--semantic", action="store_true", help="train the semantic layer instead (the seven lender-related "
                    "schemes over the embedding, from eval/training/scams_train.jsonl or --data)")
    ts.set_defaults(func=cmd_train_scams)

    m = sub.add_parser("mask", help="mask 身份证号, bank card and mobile numbers in lines read from standard input")
    m.add_argument("--json", action="store_true", help="also print the spans found (offsets into the original line)")
    m.set_defaults(func=cmd_mask)

    ak = sub.add_parser("ask", help="ask the consumer anti-fraud assistant (consumer knowledge only)")
    ak.add_argument("question")
    ak.add_argument("--json", action="store_true")
    ak.set_defaults(func=cmd_ask)


def cmd_train_scams(args: argparse.Namespace) -> int:
    """`assist train-scams`: the scam check's n-gram model from the hand-written messages and the TeleAntiFraud
    train split (read from ../shared at run time)."""
    import hashlib

    from assist.bootstrap import benchmark_dir, text_model_target, training_files
    from assist.core.jsonl import read_jsonl
    from assist.evaluation.datasets import validate
    from assist.evaluation.teleantifraud import FILE, load_dialogues
    from assist.training.text_models import dialogue_examples, scam_examples, train_scam_model

    settings = settings_of(args)
    if args.semantic:
        return _train_scam_semantic(args, settings)
    files = [Path(p) for p in args.data] if args.data else training_files("scams")
    examples, hashes = [], {}
    for f in files:
        if not f.is_file():
            raise AssistError("training messages not found (give --data FILE.jsonl)", path=str(f))
        _, errors = validate(f.read_bytes(), "scams", str(f))
        if errors:
            raise AssistError("bad training file: " + "; ".join(errors[:5]), path=str(f))
        examples += scam_examples([r for _, r in read_jsonl(f)], f.stem, args.weight)
        hashes[f.name] = hashlib.sha256(f.read_bytes()).hexdigest()
    if not args.no_benchmark:
        folder = Path(args.benchmark) if args.benchmark else benchmark_dir()
        if not (folder / FILE).is_file():
            raise AssistError("TeleAntiFraud dialogues not found: give --benchmark DIR, or --no-benchmark to train on "
                              "the hand-written messages alone", path=str(folder / FILE))
        dialogues = load_dialogues(folder, ["train"])
        examples += dialogue_examples(dialogues, settings.consumer.max_message_chars)
        hashes["teleantifraud:train"] = hashlib.sha256((folder / FILE).read_bytes()).hexdigest()
    model = train_scam_model(examples, hashes, C=args.C, log=lambda m: print(m, file=sys.stderr, flush=True))
    out = Path(args.out) if args.out else text_model_target(settings, "scams")
    model.save(out)
    print(f"trained on {json.dumps(model.info['messages'], ensure_ascii=False)} (data {model.data_hash[:12]}); "
          f"cross-validated F1: {json.dumps(model.info['cv_f1'], ensure_ascii=False)}; thresholds "
          f"{json.dumps(model.thresholds)}; saved {out}")
    return EXIT_CODES["ok"]


def _train_scam_semantic(args: argparse.Namespace, settings: Any) -> int:
    from assist.bootstrap import build_embedder, text_model_target, training_file
    from assist.core.jsonl import read_jsonl
    from assist.training.text_models import train_scam_semantic

    src = Path(args.data[0]) if args.data else training_file("scams")
    if not src.is_file():
        raise AssistError("training messages not found (give --data FILE.jsonl)", path=str(src))
    model = train_scam_semantic([r for _, r in read_jsonl(src)], build_embedder(settings), src, C=args.C)
    out = Path(args.out) if args.out else text_model_target(settings, "scams-semantic")
    model.save(out)
    print(f"trained the semantic layer (data {model.data_hash[:12]}); cross-validated F1: "
          f"{json.dumps(model.info['cv_f1'], ensure_ascii=False)}; thresholds {json.dumps(model.thresholds)}; saved {out}")
    return EXIT_CODES["ok"]


def cmd_train_text(args: argparse.Namespace) -> int:
    """`assist train-attacks`: the attack filter's learned layer."""
    from assist.bootstrap import build_embedder, text_model_target, training_file
    from assist.core.jsonl import read_jsonl
    from assist.training.text_models import train_attacks

    kind = args.kind
    settings = settings_of(args)
    src = Path(args.data) if args.data else training_file(kind)
    if not src.is_file():
        raise AssistError("training messages not found (give --data FILE.jsonl)", path=str(src))
    rows = [r for _, r in read_jsonl(src)]
    model = train_attacks(rows, build_embedder(settings), src, C=args.C)
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
