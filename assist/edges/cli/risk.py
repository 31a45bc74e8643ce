"""`assist risk | risk-eval | train-risk | distill-risk-embedder | watchlist`: the risk hint."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from assist.edges.cli.settings import settings_of
from assist.errors import EXIT_CODES, AssistError, ConversationError


def register(sub: Any) -> None:
    r = sub.add_parser("risk", help="score conversations (JSONL: {id, turns:[{speaker, text}], meta}) with the risk hint")
    r.add_argument("file", help="JSONL file, or - for standard input")
    r.add_argument("--json", action="store_true", help="one JSON assessment per line")
    r.add_argument("--rules-only", action="store_true", help="rules layer only (no embedder, no model)")
    r.add_argument("--no-model", action="store_true", help="rules + semantics, without the learned layer")
    r.set_defaults(func=cmd_risk)

    t = sub.add_parser("distill-risk-embedder", help="rebuild the risk hint's fast distilled embedder from the "
                       "foundation embedder (train split, signals, knowledge base)")
    t.add_argument("--data", help="folder of labelled *.jsonl conversations (default: eval/datasets/conversations)")
    t.add_argument("--out", help="file to write (default: risk.distilled_path or data_dir/risk_embedder.npz)")
    t.add_argument("-q", "--quiet", action="store_true")
    t.set_defaults(func=cmd_distill_risk_embedder)

    t = sub.add_parser("train-risk", help="train the learned risk layer from labelled conversations")
    t.add_argument("--data", help="folder of labelled *.jsonl conversations (default: eval/datasets/conversations)")
    t.add_argument("--out", help="model file (default: risk.model_path or data_dir/risk_model_distilled.json; "
                   "risk_model.json with risk.semantic_embedder=foundation)")
    t.add_argument("-C", type=float, default=3.0, help="inverse regularisation strength (default 3.0, chosen on the dev split)")
    t.add_argument("--protocol", choices=["writers"], help="do not save a model: run the leave-one-writer-out protocol "
                   "(a model per writer of the writer-diverse set, scored on that writer) and report mean and worst")
    t.add_argument("--final", action="store_true", help="with --protocol: also score the final writers (once, at the end)")
    t.add_argument("--report", help="with --protocol: write the JSON report (per fold, mean, worst, failures) here")
    t.add_argument("-q", "--quiet", action="store_true")
    t.set_defaults(func=cmd_train_risk)

    e = sub.add_parser("risk-eval", help="risk metrics on a split of the labelled conversations")
    e.add_argument("--data", help="folder of labelled *.jsonl conversations")
    e.add_argument("--split", choices=["train", "dev", "test", "heldout", "fresh", "writers", "final", "all"],
                   default="dev",
                   help="heldout = conversations by other writers, never used in training; fresh = written after the "
                   "design was frozen; writers = the writer-diverse set (trained on: use --protocol writers); "
                   "final = two further writers, never trained or tuned on, for final numbers only")
    e.add_argument("--layers", action="store_true", help="also report rules alone and rules + semantics")
    e.set_defaults(func=cmd_risk_eval)

    w = sub.add_parser("watchlist", help="keyed-hash identifiers seen across borrowers (record/check/export/import)")
    wsub = w.add_subparsers(dest="action", required=True)
    for name in ("record", "check"):
        a = wsub.add_parser(name)
        a.add_argument("--kind", choices=["phone", "name", "company"], required=True)
        a.add_argument("--value", required=True, help="the raw identifier (hashed at once, never stored)")
        if name == "record":
            a.add_argument("--borrower", required=True, help="the borrower's internal account id (hashed)")
    ex = wsub.add_parser("export")
    ex.add_argument("file")
    im = wsub.add_parser("import")
    im.add_argument("file")
    im.add_argument("--source", required=True, help="name of the institution the file came from")
    w.set_defaults(func=cmd_watchlist)


def cmd_risk(args: argparse.Namespace) -> int:
    from assist.bootstrap import build_risk_assessor
    from assist.core.jsonl import iter_jsonl
    from assist.core.text import decode_bytes

    settings = settings_of(args)
    assessor = build_risk_assessor(settings, semantic=False if args.rules_only else None,
                                   use_model=False if (args.rules_only or args.no_model) else None)
    data = sys.stdin.buffer.read() if args.file == "-" else Path(args.file).read_bytes()
    text, _ = decode_bytes(data, args.file)
    failures = 0
    for item in iter_jsonl(text):
        row = item.value
        try:
            if item.error is not None:
                raise ConversationError(item.error)
            if not isinstance(row, dict):
                raise ConversationError("each line must be a JSON object")
            turns = row.get("turns")
            if not isinstance(turns, list):
                raise ConversationError("'turns' must be a list", field="turns")
            session = assessor.replay(turns, row.get("meta"))
        except AssistError as exc:
            failures += 1
            print(f"{args.file}:{item.line}: error: {exc.describe()}", file=sys.stderr)
            if args.json:
                print(json.dumps({"id": row.get("id") if isinstance(row, dict) else None, "line": item.line,
                                  "error": exc.describe()}, ensure_ascii=False))
            continue
        result = session.current()
        if args.json:
            print(json.dumps({"id": row.get("id"), **result.to_dict(), "levels": list(session.state.history)},
                             ensure_ascii=False))
            continue
        probs = " ".join(f"{k}={v:.2f}" for k, v in result.probabilities.items())
        print(f"{row.get('id', item.line)}: {result.level} {result.category}  [{probs}]  "
              f"levels={'/'.join(session.state.history)}")
        for e in result.evidence[:5]:
            print(f"   {e.signal_id} {e.signal_name} (turn {e.turn_index}, {e.layer}, +{e.contribution:.2f}): {e.quote[:60]}")
        if result.actions:
            print("   建议: " + "；".join(result.actions))
    return EXIT_CODES["partial"] if failures else EXIT_CODES["ok"]


def cmd_train_risk(args: argparse.Namespace) -> int:
    from assist.bootstrap import build_risk_assessor, conversations_dir, risk_model_target
    from assist.training.risk_model import train_risk

    settings = settings_of(args)
    assessor = build_risk_assessor(settings, use_model=False)
    if args.protocol:
        return _protocol(args, assessor, conversations_dir(settings, args.data))
    out = Path(args.out) if args.out else risk_model_target(settings)
    model, dev = train_risk(assessor, conversations_dir(settings, args.data), out, C=args.C, progress=not args.quiet)
    print(f"trained on {model.info['train_conversations']} conversations (data {model.data_hash[:12]}), "
          f"temperature {model.temperature:.2f}; saved {out}")
    if dev:
        print(json.dumps({k: v for k, v in dev.items() if k != "per_category"}, ensure_ascii=False, indent=1))
    return EXIT_CODES["ok"]


def _protocol(args: argparse.Namespace, assessor: Any, folder: Path) -> int:
    from assist.evaluation.conversations import load_conversations
    from assist.training.protocol import HEADLINE, failures, leave_one_writer_out

    convs = load_conversations(folder)
    if not any(c.split == "writers" for c in convs):
        raise AssistError("no conversations in the writer-diverse set (ids wNN-…) to leave out", path=str(folder))

    def fold(w: str, m: dict[str, Any]) -> None:
        if not args.quiet:
            print(f"{w}: calls {m['calls']}  AUC {_fmt(m.get('auc_involvement'))}  high {m['high_flags']} "
                  f"(precision {_fmt(m.get('precision_at_high'))})  genuine at high {m['genuine_at_high']}  "
                  f"genuine ≥ medium {_fmt(m.get('fpr_medium_or_high_genuine'))}  victim→victim {_fmt(m.get('recall.victim'))}  "
                  f"third party not low {_fmt(m.get('third_party_recall'))}", file=sys.stderr)

    report = leave_one_writer_out(assessor, convs, C=args.C, final=args.final, progress=not args.quiet, on_fold=fold)
    out = {k: v for k, v in report.items() if k not in ("results", "final_results")}
    out["failures"] = failures(report["results"])
    if "final_results" in report:
        out["final_failures"] = failures(report["final_results"])
    print("metric".ljust(28) + "mean".rjust(8) + "  worst (writer)")
    for k in HEADLINE:
        w = report["worst"].get(k)
        print(k.ljust(28) + _fmt(report["mean"].get(k)).rjust(8) + (f"  {_fmt(w['value'])} ({w['writer']})" if w else ""))
    if args.report:
        Path(args.report).write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")
        print(f"report: {args.report}")
    return EXIT_CODES["ok"]


def _fmt(v: Any) -> str:
    return "n/a" if v is None else f"{v:.3f}" if isinstance(v, float) else str(v)


def cmd_distill_risk_embedder(args: argparse.Namespace) -> int:
    from assist.bootstrap import (
        build_embedder,
        build_embedding_cache,
        build_risk_assessor,
        conversations_dir,
        distilled_embedder_target,
        knowledge_dirs,
    )
    from assist.evaluation.conversations import load_conversations
    from assist.training.distill import build, knowledge_texts

    settings = settings_of(args)
    foundation = build_embedder(settings)
    assessor = build_risk_assessor(settings, foundation, use_model=False)
    if assessor.semantic is None:
        raise AssistError("the semantic layer is off (risk.semantic = false): nothing to distil")
    convs = load_conversations(conversations_dir(settings, args.data))
    cache = build_embedding_cache(settings)
    try:
        emb = build(foundation, convs, list(assessor.signals.values()), knowledge_texts(knowledge_dirs(settings)),
                    assessor.semantic.window, assessor.semantic.params.window_chars, cache, progress=not args.quiet)
    finally:
        cache.close()
    out = Path(args.out) if args.out else distilled_embedder_target(settings)
    emb.save(out)
    print(f"distilled {foundation.name} into {len(emb.vocab)} n-grams (scale {emb.scale:.2f}); saved {out}. "
          "Retrain the risk model (`assist train-risk`): its features depend on this embedder.")
    return EXIT_CODES["ok"]


def cmd_risk_eval(args: argparse.Namespace) -> int:
    from assist.bootstrap import build_risk_assessor, conversations_dir, risk_layers
    from assist.evaluation.conversations import load_conversations
    from assist.evaluation.risk_metrics import run, summarize
    from assist.training.protocol import confusion

    settings = settings_of(args)
    convs = [c for c in load_conversations(conversations_dir(settings, args.data))
             if args.split == "all" or c.split == args.split]
    report: dict[str, Any] = {"split": args.split, "conversations": len(convs)}
    if args.layers:
        layers = risk_layers(settings)
    else:
        full = build_risk_assessor(settings)
        layers = {"full": full} if full.model is not None else {}
    for name, assessor in layers.items():
        results = run(assessor, convs)
        report[name] = summarize(results)
        report[name]["genuine_at_high"] = sum(r.conv.label == "genuine" and r.max_level == "high" for r in results)
        report[name]["confusion"] = confusion(results)
    if "full" not in layers:
        report["full"] = {"skipped": "no compatible trained model (run `assist train-risk`)"}
    print(json.dumps(report, ensure_ascii=False, indent=1))
    return EXIT_CODES["ok"]


def cmd_watchlist(args: argparse.Namespace) -> int:
    from assist.bootstrap import build_watchlist

    wl = build_watchlist(settings_of(args))
    try:
        if args.action == "export":
            print(f"exported {wl.export(Path(args.file))} hashed sightings to {args.file}")
        elif args.action == "import":
            print(f"imported {wl.merge(Path(args.file), args.source)} hashed sightings from {args.source}")
        else:
            link = (wl.record(args.kind, args.value, args.borrower) if args.action == "record"
                    else wl.check(args.kind, args.value))
            print(json.dumps({"kind": link.kind, "id_hash": link.id_hash, "borrowers": link.borrowers,
                              "sightings": link.sightings, "flagged": link.flagged, "window_days": link.window_days}))
    finally:
        wl.store.close()
    return EXIT_CODES["ok"]
