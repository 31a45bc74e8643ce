"""`assist check | ingest | search`: the knowledge base."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from assist.edges.cli.settings import settings_of
from assist.errors import EXIT_CODES


def register(sub: Any) -> None:
    c = sub.add_parser("check", help="validate knowledge folders (schema, references, hotline numbers)")
    c.add_argument("paths", nargs="*", help="folders to check (default: the configured knowledge folders)")
    c.set_defaults(func=cmd_check)

    i = sub.add_parser("ingest", help="index knowledge files (incremental; swaps in the new index only when complete)")
    i.add_argument("paths", nargs="*", help="files/folders to index (default: what was indexed last, else the shipped knowledge)")
    i.add_argument("--default", action="store_true", help="index the configured knowledge folders, ignoring what was indexed last")
    i.add_argument("--kind", choices=["regulation", "guide", "education"],
                   help="kind of the files without front matter (default: a folder's _defaults.yaml, else regulation "
                   "for a text split into articles, guide otherwise)")
    i.add_argument("--audience", choices=["agent", "consumer", "all"],
                   help="audience of the files without front matter (default: a folder's _defaults.yaml, else agent: "
                   "staff-only)")
    i.add_argument("--tag", action="append", default=[], help="tag for the files without front matter (repeatable)")
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
    s.add_argument("--articles", action="store_true", help="statute articles instead of passages: the law, the article "
                   "and its text for a colloquial question (lexicon, digests as bridge; README \"Bring your own documents\")")
    s.add_argument("--law", action="append", default=[], help="with --articles: only this law (name or file name; "
                   "repeatable)")
    s.set_defaults(func=cmd_search)


def cmd_check(args: argparse.Namespace) -> int:
    from assist.bootstrap import build_loader, knowledge_dirs
    from assist.knowledge.check import check_knowledge

    settings = settings_of(args)
    loader = build_loader(settings)
    folders = [Path(p) for p in args.paths] or knowledge_dirs(settings)
    total_docs, errors, warnings = 0, 0, 0
    for folder in folders:
        if not folder.exists():
            print(f"{folder}: error: no such file or folder", file=sys.stderr)
            errors += 1
            continue
        docs, problems = check_knowledge(folder, loader)
        total_docs += len(docs)
        for p in problems:
            print(p.describe(), file=sys.stderr)
            errors += p.severity == "error"
            warnings += p.severity == "warning"
    print(f"checked {total_docs} documents: {errors} error(s), {warnings} warning(s)")
    return EXIT_CODES["partial"] if errors else EXIT_CODES["ok"]


def ingest(settings: Any, paths: list[Path], default: bool, quiet: bool, kind: str | None = None,
           audience: str | None = None, tags: tuple[str, ...] = ()) -> int:
    """Index ``paths`` (none: what was indexed last, with the defaults given then, or the configured knowledge when
    ``default``); ``kind``/``audience``/``tags`` fill the fields of files without front matter."""
    from assist.bootstrap import build_catalog, build_ingestor, index_location, knowledge_dirs
    from assist.knowledge.types import DocumentDefaults

    given = DocumentDefaults(kind, audience, tuple(tags), origin="command line")
    if not paths:
        manifest = build_catalog(settings).manifest()
        if manifest and not default:
            paths = [Path(p) for p in manifest["sources"]]
            last = manifest.get("defaults") or {}
            given = given.over(DocumentDefaults(last.get("kind"), last.get("audience"), tuple(last.get("tags") or ()),
                                                origin="command line of the last run"))
        else:
            paths = knowledge_dirs(settings)
    report = build_ingestor(settings).ingest(paths, progress=not quiet, defaults=given)
    for p in report.problems:
        print(p.describe(), file=sys.stderr)
    print(summary(report))
    print(f"index: {index_location(settings)} (generation {report.generation or 'unchanged'})")
    return EXIT_CODES["partial"] if report.errors else EXIT_CODES["ok"]


def summary(report: Any) -> str:
    """The end-of-run summary: what was indexed, which fields were inferred and how, what was skipped and why."""
    lines = [f"indexed {report.documents} documents as {report.chunks} passages "
             f"({report.embedded} embedded, {report.reused} reused from cache, {report.carried} kept from the previous "
             f"index) from {report.files} files in {report.seconds:.1f}s; {len(report.errors)} file error(s)"]
    if report.statutes:
        lines.append(f"statutes: {report.statutes} documents split into {report.articles} articles (each cited as "
                     "《law》第X条)")
    if report.inferred:
        lines.append(f"no front matter in {len(report.inferred)} file(s); fields inferred:")
        counts: dict[str, dict[str, int]] = {}
        for how in report.inferred.values():
            for fld, why in how.items():
                if fld == "law":
                    why = "the law's name from the title"
                counts.setdefault(fld, {}).setdefault(why, 0)
                counts[fld][why] += 1
        for fld, whys in counts.items():
            lines.append(f"  {fld}: " + ", ".join(f"{why} ×{n}" for why, n in sorted(whys.items(), key=lambda x: -x[1])))
    skipped = report.skipped
    if skipped:
        lines.append(f"skipped {len(skipped)} file(s):")
        first = {p.path: p.message for p in reversed(report.errors)}
        for path in skipped:
            lines.append(f"  {path}: {first[path]}")
    return "\n".join(lines)


def cmd_ingest(args: argparse.Namespace) -> int:
    return ingest(settings_of(args), [Path(p) for p in args.paths], args.default, args.quiet, args.kind, args.audience,
                  tuple(args.tag))


def _hit_json(rank: int, h: Any) -> dict[str, Any]:
    c = h.chunk
    return {"rank": rank, "doc_id": c.doc_id, "title": c.title, "kind": c.kind, "audience": c.audience,
            "article": c.article, "section": " / ".join(c.headings), "citation": c.citation, "file": c.source_path,
            "start": c.start, "end": c.end, "score": round(h.score, 6), "relevance": round(h.relevance, 4),
            "dense_rank": h.dense_rank, "lexical_rank": h.lexical_rank, "text": c.text}


def cmd_search(args: argparse.Namespace) -> int:
    if args.articles:
        return search_articles(settings_of(args), args.query, tuple(args.law), args.k, args.audience, args.json)
    return search(settings_of(args), args.query, args.audience, tuple(args.kind), tuple(args.tag), args.k, args.mode,
                  not args.no_floor, args.json)


def search_articles(settings: Any, query: str, laws: tuple[str, ...] = (), k: int = 5, audience: str = "any",
                    as_json: bool = False) -> int:
    """Print the statute articles that answer ``query``, each with its citation and text."""
    from assist.bootstrap import open_article_search

    s = open_article_search(settings)
    hits = s.search(query, k=k, laws=laws or None, audience=None if audience == "any" else audience)
    if as_json:
        print(json.dumps({"query": query, "results": [
            {"rank": i, "citation": h.citation, "law": h.law, "article": h.article, "section": " / ".join(h.headings),
             "file": h.source_path, "start": h.start, "end": h.end, "score": round(h.score, 6), "digests": list(h.digests),
             "text": h.text} for i, h in enumerate(hits, 1)]}, ensure_ascii=False, indent=2))
        return EXIT_CODES["ok"]
    if not hits:
        print("没有找到相关条文（the index holds no statute articles, or none for this law）。")
        return EXIT_CODES["ok"]
    for i, h in enumerate(hits, 1):
        print(f"{i}. {h.citation}" + (f"  [{' / '.join(h.headings)}]" if h.headings else ""))
        if h.digests:
            print(f"   经由摘要: {'、'.join(h.digests)}")
        text = " ".join(h.text.split())
        print(f"   {text[:200]}{'…' if len(text) > 200 else ''}")
    return EXIT_CODES["ok"]


def search(settings: Any, query: str, audience: str = "any", kinds: tuple[str, ...] = (), tags: tuple[str, ...] = (),
           k: int = 5, mode: str = "hybrid", floor: bool = True, as_json: bool = False) -> int:
    """Print the ranked passages for ``query`` (the defaults are the command line's)."""
    from assist.bootstrap import open_retriever
    from assist.knowledge.types import Filter

    retriever = open_retriever(settings)
    where = Filter.for_audience(audience, kinds or None, tags or None)
    hits = retriever.search(query, k=k, where=where, mode=mode, floor=floor)
    if as_json:
        print(json.dumps({"query": query, "results": [_hit_json(i, h) for i, h in enumerate(hits, 1)]},
                         ensure_ascii=False, indent=2))
        return EXIT_CODES["ok"]
    if not hits:
        print("没有找到相关内容（no passage passed the relevance floor）。")
        return EXIT_CODES["ok"]
    for i, h in enumerate(hits, 1):
        c = h.chunk
        where_in = c.article or " / ".join(c.headings) or "-"
        print(f"{i}. {c.title}  [{c.kind}/{c.audience}]  {where_in}")
        if c.citation:
            print(f"   出处: {c.citation}")
        print(f"   文件: {c.source_path}:{c.start}-{c.end}   score={h.score:.4f} relevance={h.relevance:.3f}")
        snippet = " ".join(c.text.split())
        print(f"   {snippet[:160]}{'…' if len(snippet) > 160 else ''}")
    return EXIT_CODES["ok"]
