"""`assist case open|add|show|list|export|verify|delete`: case files for police and regulators (README, "Case files").

Who acts: ``--actor`` (default: the login name) in ``--role`` (default reviewer). The command line is the operator's
tool (whoever runs it can read the data folder anyway); the HTTP route and the 案件 tab take both from the signed-in
identity. An unmasked export needs ``--role admin`` and ``--reason``, and is logged with it."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path
from typing import Any

from assist.cases.types import CASE_ROLES
from assist.edges.cli.settings import settings_of
from assist.errors import EXIT_CODES, CaseError


def register(subparsers: Any) -> None:
    c = subparsers.add_parser("case", help="case files for police and regulators: gather calls, letters and watchlist "
                              "sightings about one agency, export a verifiable package (HTML, PDF, JSON)")
    c.add_argument("--actor", default=None, help="who is acting (default: the login name); recorded in the case log")
    c.add_argument("--role", default="reviewer", choices=CASE_ROLES, help="the role acted in (default reviewer)")
    sub = c.add_subparsers(dest="case_command", required=True)

    o = sub.add_parser("open", help="open a case from a watchlist identifier, a letter cluster, a tagged call or a "
                       "voice")
    src = o.add_mutually_exclusive_group(required=True)
    src.add_argument("--phone", help="the agency's phone number (its watchlist sightings are gathered)")
    src.add_argument("--name", help="a representative's name on the watchlist")
    src.add_argument("--company", help="a company name on the watchlist")
    src.add_argument("--cluster", help="a reviewed letter's id (or its first 8+ characters) or a cluster id K-…")
    src.add_argument("--call", help="FILE.jsonl[:CALL_ID]: a call tagged 疑似代理 (the first tagged one without an id)")
    src.add_argument("--voice", help="a recorded call's id whose caller voice was kept (audio.voiceprint on): the "
                     "calls of other borrowers with the same voice are gathered")
    o.add_argument("--title", default="", help="the case title (default: 关于<identifier>的线索)")
    o.add_argument("--json", action="store_true")
    o.set_defaults(func=cmd_open)

    a = sub.add_parser("add", help="add calls (those mentioning the case's identifiers), a letter cluster, sightings")
    a.add_argument("case_id")
    a.add_argument("--calls", nargs="*", default=[], help="JSONL files of call records (README, \"Case files\")")
    a.add_argument("--all", action="store_true", help="add every call given, not only those linked to the case")
    a.add_argument("--letters", help="a reviewed letter's id or a cluster id K-…: the whole cluster is added")
    a.add_argument("--sightings", action="store_true", help="add the watchlist sightings of the case's identifiers")
    a.set_defaults(func=cmd_add)

    s = sub.add_parser("show", help="the case: timeline, counts, amounts")
    s.add_argument("case_id")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_show)

    ls = sub.add_parser("list", help="every case, newest first")
    ls.set_defaults(func=cmd_list)

    e = sub.add_parser("export", help="write the package: case.html, case.pdf, case.json, exhibits, manifest.json")
    e.add_argument("case_id")
    e.add_argument("--out", default="case-packages", help="folder the package folder is written in")
    e.add_argument("--unmasked", action="store_true", help="an unmasked copy for the police (--role admin, --reason)")
    e.add_argument("--reason", default="", help="why an unmasked copy is made (e.g. the police request it answers)")
    e.add_argument("--originals", nargs="*", default=[], help="the raw call files (JSONL) and letter files the "
                   "unmasked copy is made from; each must match the hash recorded when it was gathered")
    e.set_defaults(func=cmd_export)

    d = sub.add_parser("delete", help="delete a case, its items and its log (--role admin, --reason); a record of "
                       "the deletion stays")
    d.add_argument("case_id")
    d.add_argument("--reason", required=True, help="why (e.g. retention period over, the case was closed)")
    d.set_defaults(func=cmd_delete)

    v = sub.add_parser("verify", help="check a package against its manifest and the case log (exit 14 if tampered)")
    v.add_argument("package")
    v.add_argument("--json", action="store_true")
    v.set_defaults(func=cmd_verify)


def _actor(args: argparse.Namespace) -> Any:
    from assist.cases.types import Actor

    name = args.actor or getpass.getuser()
    return Actor(name, args.role)


def _services(args: argparse.Namespace) -> tuple[Any, Any]:
    from assist.bootstrap import build_case_service, build_review_service

    settings = settings_of(args)
    review = build_review_service(settings)
    return build_case_service(settings, review=review), review


def _read(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise CaseError(f"cannot read: {exc.strerror or exc}", path=path) from exc


def _calls(path: str) -> list[dict[str, Any]]:
    from assist.cases.gather import read_calls

    return read_calls(_read(path), path)


def cmd_open(args: argparse.Namespace) -> int:
    service, _ = _services(args)
    for origin in ("phone", "name", "company", "cluster", "voice"):
        value = getattr(args, origin)
        if value:
            break
    else:
        origin = "call"
        file, _, call_id = args.call.partition(":") if not Path(args.call).exists() else (args.call, "", "")
        calls = _calls(file)
        value = next((c for c in calls if (str(c["call_id"]) == call_id if call_id else c.get("tag"))), None)
        if value is None:
            raise CaseError(f"no {'call ' + call_id if call_id else 'tagged call'} in the file", path=file)
    case = service.open(origin, value, _actor(args), args.title)
    n = len(service.store.items(case.case_id))
    if args.json:
        print(json.dumps({**case.to_dict(), "items": n}, ensure_ascii=False, indent=1))
    else:
        print(f"立案 {case.case_id}：{case.title}（已收集 {n} 项）")
    return EXIT_CODES["ok"]


def cmd_add(args: argparse.Namespace) -> int:
    service, _ = _services(args)
    actor = _actor(args)
    added = []
    for f in args.calls:
        added += service.add_calls(args.case_id, _calls(f), actor, linked_only=not args.all)
    if args.letters:
        added += service.add_letters(args.case_id, args.letters, actor)
    if args.sightings:
        added += service.add_sightings(args.case_id, actor)
    kinds = {k: sum(1 for i in added if i.kind == k) for k in ("call", "letter", "sighting")}
    print(f"{args.case_id}：新增来电 {kinds['call']} 通、材料 {kinds['letter']} 份、名单命中 {kinds['sighting']} 次")
    return EXIT_CODES["ok"]


def cmd_show(args: argparse.Namespace) -> int:
    service, _ = _services(args)
    cf = service.assemble(args.case_id, _actor(args))
    if args.json:
        print(json.dumps(cf.to_dict(), ensure_ascii=False, indent=1))
        return EXIT_CODES["ok"]
    d = cf.to_dict()
    print(f"{cf.case.case_id}  {cf.case.title}")
    print(f"借款人（去重）{cf.borrowers} 名；来电 {d['counts']['call']} 通，材料 {d['counts']['letter']} 份，"
          f"名单命中 {d['counts']['sighting']} 次；提及金额/费用 {len(cf.amounts)} 处")
    for t in cf.timeline:
        print(f"  {t.at}  {t.exhibit}  {t.summary}")
    return EXIT_CODES["ok"]


def cmd_list(args: argparse.Namespace) -> int:
    service, _ = _services(args)
    for c in service.cases(_actor(args)):
        print(f"{c.case_id}  {c.created_at}  {c.title}")
    return EXIT_CODES["ok"]


def cmd_export(args: argparse.Namespace) -> int:
    from assist.cases.gather import call_source_hash
    from assist.cases.types import sha256

    service, review = _services(args)
    originals: dict[str, Any] = {}
    for f in args.originals:
        data = _read(f)
        if f.endswith(".jsonl"):
            originals.update({call_source_hash(c): c for c in _calls(f)})
        else:
            originals[sha256(data)] = review.read(data, Path(f).name).text
    res = service.export(args.case_id, Path(args.out), _actor(args), unmasked=args.unmasked, reason=args.reason,
                         originals=originals)
    print(f"材料包（package）: {res.path}")
    print(f"SHA-256: {res.package_sha256}" + ("" if res.pdf else "  （未生成 PDF）"))
    return EXIT_CODES["ok"]


def cmd_delete(args: argparse.Namespace) -> int:
    service, _ = _services(args)
    n = service.delete(args.case_id, _actor(args), args.reason)
    print(f"已删除 {args.case_id}（{n} 项证据及案件日志）；删除记录已保留。导出的材料包请另行删除。")
    return EXIT_CODES["ok"]


def cmd_verify(args: argparse.Namespace) -> int:
    service, _ = _services(args)
    report = service.verify(Path(args.package), _actor(args))
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=1))
    elif report.ok:
        print(f"完好（intact）：{report.files} 个文件与清单一致" + ("，与案件日志一致" if report.checked_log else
                                                            "（本机没有该案件日志，未比对）"))
    else:
        print("已被改动（tampered）：", file=sys.stderr)
        for p in report.problems:
            print(f"  {p}", file=sys.stderr)
    return EXIT_CODES["ok"] if report.ok else EXIT_CODES["tampered"]
