"""Command line: `assist ingest | search | check`. Heavy libraries load only inside the command that needs them."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Sequence

from assist.errors import AssistError


def _settings(args: argparse.Namespace) -> Any:
    from assist.settings import load_settings

    return load_settings(args.config)


def cmd_check(args: argparse.Namespace) -> int:
    from assist.bootstrap import knowledge_dirs
    from assist.check import check_knowledge

    settings = _settings(args)
    folders = [Path(p) for p in args.paths] or knowledge_dirs(settings)
    total_docs, errors, warnings = 0, 0, 0
    for folder in folders:
        if not folder.exists():
            print(f"{folder}: error: no such file or folder", file=sys.stderr)
            errors += 1
            continue
        docs, problems = check_knowledge(folder, int(settings.ingest.max_file_mb * 1024 * 1024))
        total_docs += len(docs)
        for p in problems:
            print(p.describe(), file=sys.stderr)
            errors += p.severity == "error"
            warnings += p.severity == "warning"
    print(f"checked {total_docs} documents: {errors} error(s), {warnings} warning(s)")
    return 1 if errors else 0


def cmd_ingest(args: argparse.Namespace) -> int:
    from assist.bootstrap import build_ingestor, knowledge_dirs
    from assist.index import IndexLayout

    settings = _settings(args)
    paths = [Path(p) for p in args.paths]
    if not paths:
        manifest = IndexLayout(settings.data_dir).read_manifest()
        paths = [Path(p) for p in manifest["sources"]] if manifest and not args.default else knowledge_dirs(settings)
    report = build_ingestor(settings).ingest(paths, progress=not args.quiet)
    for p in report.problems:
        print(p.describe(), file=sys.stderr)
    print(f"indexed {report.documents} documents as {report.chunks} passages "
          f"({report.embedded} embedded, {report.reused} reused from cache, {report.carried} kept from the previous index) "
          f"from {report.files} files in {report.seconds:.1f}s; {len(report.errors)} file error(s)")
    print(f"index: {settings.data_dir} (generation {report.generation or 'unchanged'})")
    return 1 if report.errors else 0


def _hit_json(rank: int, h: Any) -> dict[str, Any]:
    c = h.chunk
    return {"rank": rank, "doc_id": c.doc_id, "title": c.title, "kind": c.kind, "audience": c.audience,
            "article": c.article, "section": " / ".join(c.headings), "citation": c.citation, "file": c.source_path,
            "start": c.start, "end": c.end, "score": round(h.score, 6), "relevance": round(h.relevance, 4),
            "dense_rank": h.dense_rank, "lexical_rank": h.lexical_rank, "text": c.text}


def cmd_search(args: argparse.Namespace) -> int:
    from assist.bootstrap import open_retriever
    from assist.models import Filter

    settings = _settings(args)
    retriever = open_retriever(settings)
    where = Filter.for_audience(args.audience, tuple(args.kind) or None, tuple(args.tag) or None)
    hits = retriever.search(args.query, k=args.k, where=where, mode=args.mode, floor=not args.no_floor)
    if args.json:
        print(json.dumps({"query": args.query, "results": [_hit_json(i, h) for i, h in enumerate(hits, 1)]},
                         ensure_ascii=False, indent=2))
        return 0
    if not hits:
        print("没有找到相关内容（no passage passed the relevance floor）。")
        return 0
    for i, h in enumerate(hits, 1):
        c = h.chunk
        where_in = c.article or " / ".join(c.headings) or "-"
        print(f"{i}. {c.title}  [{c.kind}/{c.audience}]  {where_in}")
        if c.citation:
            print(f"   出处: {c.citation}")
        print(f"   文件: {c.source_path}:{c.start}-{c.end}   score={h.score:.4f} relevance={h.relevance:.3f}")
        snippet = " ".join(c.text.split())
        print(f"   {snippet[:160]}{'…' if len(snippet) > 160 else ''}")
    return 0


def _conversations_dir(settings: Any, given: str | None) -> Path:
    if given:
        return Path(given)
    if settings.risk.conversations_dir is not None:
        return Path(settings.risk.conversations_dir)
    here = Path(__file__).resolve().parents[1] / "eval" / "datasets" / "conversations"
    if here.is_dir():
        return here
    from assist.errors import ConfigError

    raise ConfigError("no labelled conversations found: pass --data DIR or set ASSIST_RISK__CONVERSATIONS_DIR")


def _risk_assessor(args: argparse.Namespace, settings: Any) -> Any:
    from assist.bootstrap import build_risk_assessor

    return build_risk_assessor(settings, semantic=False if args.rules_only else None,
                               use_model=False if (args.rules_only or args.no_model) else None)


def cmd_risk(args: argparse.Namespace) -> int:
    from assist.errors import AssistError as _AE
    from assist.risk.types import Turn

    settings = _settings(args)
    assessor = _risk_assessor(args, settings)
    data = sys.stdin.buffer.read() if args.file == "-" else Path(args.file).read_bytes()
    from assist.text import decode_bytes

    text, _ = decode_bytes(data, args.file)
    failures = 0
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        row: Any = None
        try:
            row = json.loads(line)
            if not isinstance(row, dict):
                raise ValueError("each line must be a JSON object")
            session = assessor.new_session(row.get("meta"))
            result = session.current()
            turns = row.get("turns")
            if not isinstance(turns, list):
                raise ValueError("'turns' must be a list")
            for i, t in enumerate(turns):
                result = session.add(Turn.of(t, i))
        except (ValueError, _AE) as exc:
            failures += 1
            msg = exc.describe() if isinstance(exc, _AE) else str(exc)
            print(f"{args.file}:{n}: error: {msg}", file=sys.stderr)
            if args.json:
                print(json.dumps({"id": row.get("id") if isinstance(row, dict) else None, "line": n, "error": msg},
                                 ensure_ascii=False))
            continue
        out = {"id": row.get("id"), **result.to_dict(), "levels": list(session.state.history)}
        if args.json:
            print(json.dumps(out, ensure_ascii=False))
        else:
            probs = " ".join(f"{k}={v:.2f}" for k, v in result.probabilities.items())
            print(f"{row.get('id', n)}: {result.level} {result.category}  [{probs}]  levels={'/'.join(session.state.history)}")
            for e in result.evidence[:5]:
                print(f"   {e.signal_id} {e.signal_name} (turn {e.turn_index}, {e.layer}, +{e.contribution:.2f}): {e.quote[:60]}")
            if result.actions:
                print("   建议: " + "；".join(result.actions))
    return 1 if failures else 0


def cmd_train_risk(args: argparse.Namespace) -> int:
    from assist.bootstrap import build_risk_assessor, packaged_risk_model
    from assist.index import IndexLayout
    from assist.risk.training import train_risk

    settings = _settings(args)
    folder = _conversations_dir(settings, args.data)
    assessor = build_risk_assessor(settings, use_model=False)
    out = Path(args.out) if args.out else (settings.risk.model_path or IndexLayout(settings.data_dir).root
                                           / packaged_risk_model(settings.risk.semantic_embedder).name)
    model, dev = train_risk(assessor, folder, out, assessor.semantic.embedder_name if assessor.semantic else None,
                            C=args.C, progress=not args.quiet)
    print(f"trained on {model.info['train_conversations']} conversations (data {model.data_hash[:12]}), "
          f"temperature {model.temperature:.2f}; saved {out}")
    if dev:
        print(json.dumps({k: v for k, v in dev.items() if k != "per_category"}, ensure_ascii=False, indent=1))
    return 0


def cmd_distill_risk_embedder(args: argparse.Namespace) -> int:
    from assist.adapters.embcache import EmbeddingCache
    from assist.bootstrap import build_embedder, build_risk_assessor, knowledge_dirs
    from assist.index import IndexLayout
    from assist.risk.dataset import load_conversations
    from assist.risk.distilled import build

    settings = _settings(args)
    foundation = build_embedder(settings)
    assessor = build_risk_assessor(settings, foundation, use_model=False)
    if assessor.semantic is None:
        raise AssistError("the semantic layer is off (risk.semantic = false): nothing to distil")
    convs = load_conversations(_conversations_dir(settings, args.data))
    docs = [p.read_text(encoding="utf-8") for d in knowledge_dirs(settings) for p in sorted(d.rglob("*"))
            if p.suffix in (".md", ".yaml", ".yml") and p.name not in ("signals.yaml", "README.md")]
    layout = IndexLayout(settings.data_dir)
    cache = EmbeddingCache(layout.cache_path)
    try:
        emb = build(foundation, convs, list(assessor.signals.values()), docs, assessor.semantic.window,
                    assessor.semantic.params.window_chars, cache, progress=not args.quiet)
    finally:
        cache.close()
    out = Path(args.out) if args.out else (settings.risk.distilled_path or layout.root / "risk_embedder.npz")
    emb.save(out)
    print(f"distilled {foundation.name} into {len(emb.vocab)} n-grams (scale {emb.scale:.2f}); saved {out}. "
          "Retrain the risk model (`assist train-risk`): its features depend on this embedder.")
    return 0


def cmd_train_text(args: argparse.Namespace) -> int:
    """`assist train-scams` / `assist train-attacks`: the learned consumer-side layers."""
    from assist.bootstrap import build_embedder
    from assist.evaluation.suites import read_jsonl
    from assist.index import IndexLayout

    kind = args.kind
    settings = _settings(args)
    default = Path(__file__).resolve().parents[1] / "eval" / "training" / f"{kind}_train.jsonl"
    src = Path(args.data) if args.data else default
    if not src.is_file():
        raise AssistError("training messages not found (give --data FILE.jsonl)", path=str(src))
    rows = [r for _, r in read_jsonl(src)]
    if kind == "scams":
        from assist.scam_model import train_scams as train
    else:
        from assist.attacks import train_attacks as train
    model = train(rows, build_embedder(settings), src, C=args.C)
    name = "scam_model.json" if kind == "scams" else "attack_model.json"
    out = Path(args.out) if args.out else IndexLayout(settings.data_dir).root / name
    model.save(out)
    print(f"trained on {len(rows)} messages (data {model.data_hash[:12]}); cross-validated F1: "
          f"{json.dumps(model.info['cv_f1'], ensure_ascii=False)}; thresholds {json.dumps(model.thresholds)}; saved {out}")
    return 0


def cmd_risk_eval(args: argparse.Namespace) -> int:
    from assist.bootstrap import build_risk_assessor
    from assist.risk.dataset import load_conversations
    from assist.risk.metrics import run, summarize

    settings = _settings(args)
    convs = [c for c in load_conversations(_conversations_dir(settings, args.data))
             if args.split == "all" or c.split == args.split]
    layers = {"rules": dict(semantic=False, use_model=False), "semantic+rules": dict(use_model=False),
              "full": dict()}
    chosen = layers if args.layers else {"full": {}}
    report: dict[str, Any] = {"split": args.split, "conversations": len(convs)}
    for name, kw in chosen.items():
        assessor = build_risk_assessor(settings, **kw)  # type: ignore[arg-type]
        if name == "full" and assessor.model is None:
            report[name] = {"skipped": "no compatible trained model (run `assist train-risk`)"}
            continue
        report[name] = summarize(run(assessor, convs))
    print(json.dumps(report, ensure_ascii=False, indent=1))
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from assist.evaluation.gate import check_gate, load_thresholds
    from assist.evaluation.harness import compare, expand_suites, load_run, run_suites, summary_table, write_run
    from assist.evaluation.suites import SHIPPED_DATASETS, EvalContext

    settings = _settings(args)
    suites = expand_suites(args.suite or ["all"])
    data = Path(args.data) if args.data else SHIPPED_DATASETS
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

    run = run_suites(EvalContext(settings, data, args.split), suites, progress)
    for bar in bars.values():
        bar.close()
    out = Path(args.out)
    results, report = write_run(run, out, previous)
    deltas = compare(previous, run.metrics()) if previous else []
    print(summary_table(run, deltas))
    print(f"\nwrote {results} and {report}")
    code = 0
    if deltas and any(d.regression for d in deltas):
        print(f"{sum(d.regression for d in deltas)} metric(s) got worse than {args.compare}", file=sys.stderr)
    if args.gate:
        failures = check_gate(run.metrics(), load_thresholds(Path(args.gate)), set(suites))
        for f in failures:
            print(f"GATE FAILED: {f.message()}", file=sys.stderr)
        if failures:
            code = 7
        else:
            print(f"gate passed ({args.gate})")
    return code


def cmd_watchlist(args: argparse.Namespace) -> int:
    from assist.errors import ConfigError
    from assist.index import IndexLayout
    from assist.risk.watchlist import Watchlist

    settings = _settings(args)
    r = settings.risk
    if r.watchlist_secret is None:
        raise ConfigError("the watchlist is off: set ASSIST_RISK__WATCHLIST_SECRET (>= 16 characters)",
                          field="risk.watchlist_secret")
    wl = Watchlist(IndexLayout(settings.data_dir).root / "watchlist.sqlite", r.watchlist_secret.get_secret_value(),
                   r.watchlist_window_days, r.watchlist_min_borrowers)
    try:
        if args.action == "export":
            print(f"exported {wl.export(Path(args.file))} hashed sightings to {args.file}")
        elif args.action == "import":
            print(f"imported {wl.import_(Path(args.file), args.source)} hashed sightings from {args.source}")
        else:
            link = (wl.record(args.kind, args.value, args.borrower) if args.action == "record"
                    else wl.check(args.kind, args.value))
            print(json.dumps({"kind": link.kind, "id_hash": link.id_hash, "borrowers": link.borrowers,
                              "sightings": link.sightings, "flagged": link.flagged, "window_days": link.window_days}))
    finally:
        wl.close()
    return 0


def cmd_mask(args: argparse.Namespace) -> int:
    from assist.pii import find, mask
    from assist.text import decode_bytes

    text, _ = decode_bytes(sys.stdin.buffer.read(), "<stdin>") if not sys.stdin.isatty() else ("", "")
    for line in text.splitlines():
        if args.json:
            print(json.dumps({"text": mask(line), "spans": [s.to_dict() for s in find(line)]}, ensure_ascii=False))
        else:
            print(mask(line))
    return 0


def build_web_app(settings: Any) -> Any:
    """FastAPI app with the JSON API and the Gradio sidebar mounted at /assist (offline: analytics off)."""
    import os

    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("GRADIO_TEMP_DIR", str(Path(settings.data_dir) / "gradio-tmp"))
    from assist.api import create_app
    from assist.bootstrap import build_agent, build_consumer_chat
    from assist.consumer import ConsumerSessions
    from assist.ui.agent_sidebar import mount
    from assist.web.consumer_web import add_consumer_routes

    from assist.review.service import ReviewService

    agent = build_agent(settings)
    chat = build_consumer_chat(settings, agent.assessor.semantic.embedder if agent.assessor.semantic else None)
    review = ReviewService(settings)
    c = settings.consumer
    app = add_consumer_routes(create_app(agent, settings.agent.max_request_kb, review),
                              ConsumerSessions(chat, ttl_s=c.session_ttl_minutes * 60), c.allowed_origins,
                              c.rate_limit_per_minute, c.rate_limit_burst, c.max_message_chars)
    from assist.ui import trainer

    return trainer.mount(mount(app, agent), settings, agent, review)


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from assist.index import IndexLayout

    settings = _settings(args)
    if IndexLayout(settings.data_dir).read_manifest() is None:
        print("no index yet: indexing the shipped knowledge first (about a minute)…", file=sys.stderr)
        cmd_ingest(argparse.Namespace(config=args.config, paths=[], default=True, quiet=True))
    host, port = args.host or settings.agent.host, args.port or settings.agent.port
    print(f"坐席助手: http://{host}:{port}/assist/   培训与评测: http://{host}:{port}/trainer/   "
          f"防骗小助手演示: http://{host}:{port}/demo   "
          f"API docs: http://{host}:{port}/docs", file=sys.stderr)
    uvicorn.run(build_web_app(settings), host=host, port=port, log_level="warning")
    return 0


def cmd_ask(args: argparse.Namespace) -> int:
    from assist.bootstrap import build_consumer_chat

    answer = build_consumer_chat(_settings(args)).respond(args.question)
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(answer.text)
        for c in answer.citations:
            print(f"  出处: {c['title']} [{c['doc_id']}]")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="assist", description="Offline assistant for consumer-finance call centres: "
                                "cited replies and risk hints for staff, consumer anti-fraud chat, evaluation and "
                                "practice for trainers, document review.")
    p.add_argument("--config", help="TOML settings file (default: $ASSIST_CONFIG or ./assist.toml if present)")
    sub = p.add_subparsers(dest="command", required=True)

    c = sub.add_parser("check", help="validate knowledge folders (schema, references, hotline numbers)")
    c.add_argument("paths", nargs="*", help="folders to check (default: the configured knowledge folders)")
    c.set_defaults(func=cmd_check)

    i = sub.add_parser("ingest", help="index knowledge files (incremental; swaps in the new index only when complete)")
    i.add_argument("paths", nargs="*", help="files/folders to index (default: what was indexed last, else the shipped knowledge)")
    i.add_argument("--default", action="store_true", help="index the configured knowledge folders, ignoring what was indexed last")
    i.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    i.set_defaults(func=cmd_ingest)

    s = sub.add_parser("search", help="search the index and print ranked passages with citations")
    s.add_argument("query", help="the question, in Chinese")
    s.add_argument("--audience", choices=["agent", "consumer", "all", "any"], default="any",
                   help="agent = agent+all documents, consumer = consumer+all, any = everything (default)")
    s.add_argument("--kind", action="append", default=[], choices=["regulation", "guide", "script", "education"],
                   help="only this kind (repeatable)")
    s.add_argument("--tag", action="append", default=[], help="only documents with this tag (repeatable)")
    s.add_argument("-k", type=int, default=5, help="number of results (default 5)")
    s.add_argument("--mode", choices=["hybrid", "dense", "lexical"], default="hybrid")
    s.add_argument("--no-floor", action="store_true", help="keep results below the relevance floor")
    s.add_argument("--json", action="store_true", help="machine-readable output")
    s.set_defaults(func=cmd_search)

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
    t.add_argument("-q", "--quiet", action="store_true")
    t.set_defaults(func=cmd_train_risk)

    for kind, what in (("scams", "the consumer scam check"), ("attacks", "the consumer attack filter")):
        tx = sub.add_parser(f"train-{kind}", help=f"train the learned layer of {what}")
        tx.add_argument("--data", help=f"JSONL training messages (default: eval/training/{kind}_train.jsonl)")
        tx.add_argument("--out", help="model file (default: in data_dir, which then takes precedence over the shipped one)")
        tx.add_argument("-C", type=float, default=10.0, help="inverse regularisation strength (default 10)")
        tx.set_defaults(func=cmd_train_text, kind=kind)

    e = sub.add_parser("risk-eval", help="risk metrics on a split of the labelled conversations")
    e.add_argument("--data", help="folder of labelled *.jsonl conversations")
    e.add_argument("--split", choices=["train", "dev", "test", "heldout", "fresh", "all"], default="dev",
                   help="heldout = conversations by other writers, never used in training; fresh = written after the "
                   "design was frozen, for final numbers only")
    e.add_argument("--layers", action="store_true", help="also report rules alone and rules + semantics")
    e.set_defaults(func=cmd_risk_eval)

    ev = sub.add_parser("eval", help="evaluation harness: run suites, write results.json + report.html, compare, gate")
    ev.add_argument("--suite", action="append", help="retrieval, risk, replies, consumer, scams, attacks, latency, "
                    "fast (the CI subset) or all (default); repeatable or comma-separated")
    ev.add_argument("--data", help="dataset folder in the eval/datasets layout (default: the shipped eval/datasets)")
    ev.add_argument("--out", default="eval-results", help="output folder (default ./eval-results)")
    ev.add_argument("--compare", help="an earlier results.json (or its folder): print every metric's change")
    ev.add_argument("--gate", help="thresholds TOML (e.g. eval/thresholds.toml): exit 7 when a metric is past its floor")
    ev.add_argument("--split", help="risk/replies conversations: dev, test, heldout, fresh, train, all or a comma list "
                    "(default: dev,heldout on the shipped data, all on another folder)")
    ev.add_argument("-q", "--quiet", action="store_true", help="no progress bars")
    ev.set_defaults(func=cmd_eval)

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

    m = sub.add_parser("mask", help="mask 身份证号, bank card and mobile numbers in lines read from standard input")
    m.add_argument("--json", action="store_true", help="also print the spans found (offsets into the original line)")
    m.set_defaults(func=cmd_mask)

    ak = sub.add_parser("ask", help="ask the consumer anti-fraud assistant (consumer knowledge only)")
    ak.add_argument("question")
    ak.add_argument("--json", action="store_true")
    ak.set_defaults(func=cmd_ask)

    from assist.review.cli import register as register_review   # argparse only: --help stays light

    register_review(sub)

    sv = sub.add_parser("serve", help="start the JSON API (sessions, turns, feedback; OpenAPI docs at /docs)")
    sv.add_argument("--host", help="default 127.0.0.1 (agent.host)")
    sv.add_argument("--port", type=int, help="default 8000 (agent.port)")
    sv.set_defaults(func=cmd_serve)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except AssistError as exc:
        print(f"error: {exc.describe()}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted; the previous index is still in place", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
