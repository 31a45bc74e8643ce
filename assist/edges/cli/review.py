"""`assist review FILE_OR_FOLDER [--out DIR] [--json]`: the command-line edge of document review.

Wired into assist/cli.py with ``register(sub)``. Imports nothing heavy at module level so `assist --help` stays
light. Errors are AssistError subclasses; assist.edges.cli.main turns them into a message and an exit code
(a file that cannot be read: exit 1 with the file named; bad settings: 2)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from assist.edges.cli.settings import settings_of
from assist.errors import EXIT_CODES, ConfigError


def register(subparsers: Any) -> None:
    """Add the ``review`` subcommand to the parser's subparsers."""
    r = subparsers.add_parser("review", help="review submitted documents (授权委托书, complaint letters, hardship "
                              "certificates): findings with evidence, near-copies of earlier documents; a folder gives "
                              "an HTML report")
    r.add_argument("path", help="a document (txt, md, pdf, docx, png, jpg, bmp, tif) or a folder of them")
    r.add_argument("--out", help="folder for report.html and results.json (folder input; default ./review-report)")
    r.add_argument("--json", action="store_true", help="machine-readable output")
    r.set_defaults(func=cmd_review)
    t = subparsers.add_parser("review-train-kind", help="fit the letter kind model (what a paper is) on labelled "
                              "letters (eval/datasets/letters layout)")
    t.add_argument("--letters", default=None, help="folder of writer folders with labels.jsonl (default: the shipped "
                   "eval/datasets/letters beside the source tree)")
    t.add_argument("--out", help="model file (default: documents.kind_model or data_dir/letter_kind.npz)")
    t.add_argument("--hold-out", default="", help="comma-separated writers to leave out and report accuracy on")
    t.add_argument("--target", choices=("kind", "posing", "elements"), default="kind", help="what to learn: a paper's "
                   "kind, whether it reads like a paid agency's (the posing model), or which sentences of an "
                   "authorisation state its parts (the element model)")
    t.set_defaults(func=cmd_train_kind)


def cmd_review(args: argparse.Namespace) -> int:
    """Review a file (print findings and similar documents) or a folder (write the report). Returns the exit code:
    0 done, 1 some files of a folder could not be read (the others were reviewed)."""
    from assist.bootstrap import build_review_service

    service = build_review_service(settings_of(args))
    try:
        target = Path(args.path)
        if target.is_dir():
            return _folder(service, target, Path(args.out or "review-report"), args.json)
        result = service.review(target)
        if args.json:
            print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        else:
            print(format_result(result.to_dict()))
        return EXIT_CODES["ok"]
    finally:
        service.close()


def cmd_train_kind(args: argparse.Namespace) -> int:
    """Fit the letter kind model; with --hold-out, report the left-out writers' accuracy (the model written is fitted
    without them)."""
    from assist.bootstrap import shipped_datasets
    from assist.training.letter_kind import LABELS, POSING_LABELS, fit, held_out_report, read_letters

    settings = settings_of(args)
    root = Path(args.letters) if args.letters else shipped_datasets() / "letters"
    if not root.is_dir():
        raise ConfigError("no labelled letters folder", path=str(root), field="--letters")
    held = [w for w in args.hold_out.split(",") if w]
    if args.target == "elements":
        return _train_elements(settings, root, held, args.out)
    posing = args.target == "posing"
    labels = POSING_LABELS if posing else LABELS
    letters = read_letters(root, target=args.target)
    if held:
        print(json.dumps(held_out_report(letters, held, labels=labels), ensure_ascii=False, indent=2))
    model = fit([lt for lt in letters if lt.writer not in held], labels=labels)
    configured = settings.documents.posing_model if posing else settings.documents.kind_model
    name = "letter_posing.npz" if posing else "letter_kind.npz"
    out = Path(args.out) if args.out else (configured or Path(settings.data_dir) / name)
    model.save(out)
    var = "POSING_MODEL" if posing else "KIND_MODEL"
    print(f"fitted on {sum(lt.writer not in held for lt in letters)} letters ({', '.join(model.labels)}); saved {out}. "
          f"Use it with ASSIST_DOCUMENTS__{var}={out}")
    return EXIT_CODES["ok"]


def _train_elements(settings: Any, root: Path, held: list[str], out_arg: str | None) -> int:
    """Fit the element model (one sentence model per part) on every labelled authorisation but the held-out writers'."""
    from assist.training.letter_elements import fit_elements, read_authorisations

    letters = read_authorisations(root, skip=held)
    model = fit_elements(letters)
    out = Path(out_arg) if out_arg else (settings.documents.element_model or Path(settings.data_dir) / "letter_elements.npz")
    model.save(out)
    print(f"fitted on {len(letters)} authorisations ({', '.join(model.parts)}); saved {out}. "
          f"Use it with ASSIST_DOCUMENTS__ELEMENT_MODEL={out}")
    return EXIT_CODES["ok"]


def _folder(service: Any, folder: Path, out: Path, as_json: bool) -> int:
    from assist.review.batch import review_folder

    report = review_folder(service, folder, out)
    if as_json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        for e in report.errors:
            print(f"{e['file']}: error: {e['error']}", file=sys.stderr)
        clustered = sum(len(c.members) for c in report.clusters)
        print(f"评审 {len(report.items)} 份材料（reviewed {len(report.items)} documents）：{len(report.clusters)} 个雷同簇，"
              f"涉及 {clustered} 份；{len(report.errors)} 份无法读取。")
        for c in report.clusters:
            print(f"  {c.cluster_id}: {len(c.members)} 份  " + "、".join(c.members[:6]) + ("…" if len(c.members) > 6 else ""))
        high = sum(1 for i in report.items for f in i.result.findings if f.severity == "high")
        print(f"高级别提示 {high} 条。报告（report）: {report.html_path}   数据（data）: {report.json_path}")
    return EXIT_CODES["partial"] if report.errors else EXIT_CODES["ok"]


SEVERITY_LABEL = {"high": "高", "warn": "注意", "info": "提示"}


def format_result(r: dict[str, Any]) -> str:
    """One review as plain text (Chinese labels, English in brackets where a term helps)."""
    lines = [f"{r['file_name']}  类型（kind）: {r['kind_zh']}  来源: {r['source']}  {r['pages']} 页 {r['lines']} 行"
             + (f"  OCR置信度 {r['ocr_confidence']:.2f}" if r.get("ocr_confidence") is not None else "")]
    if r.get("seen_before"):
        lines.append("  （此文件以前评审过 / reviewed before）")
    if r["findings"]:
        lines.append("发现（findings）:")
        for f in r["findings"]:
            where = f" [第{f['page']}页第{f['line']}行 {f['start']}-{f['end']}]" if f.get("line") is not None else ""
            lines.append(f"  [{SEVERITY_LABEL[f['severity']]}] {f['message']}{where}")
            if f.get("quote"):
                lines.append(f"      原文: {f['quote']}")
    else:
        lines.append("没有需要提示的发现（no findings）。")
    if r["similar"]:
        lines.append(f"雷同材料（near copies）: 雷同簇 {r['cluster_id']}，共 {r['cluster_size']} 份")
        for s in r["similar"][:10]:
            lines.append(f"  {s['file_name']}  [{s['kind']}]  Jaccard {s['jaccard']:.2f}  覆盖 {s['containment']:.0%}  "
                         f"评审于 {s['reviewed_at']}")
            if s["passages"]:
                longest = max(s["passages"], key=lambda p: len(p["text"]))["text"]
                lines.append(f"      共同段落: {longest[:80]}{'…' if len(longest) > 80 else ''}")
    else:
        lines.append("未发现雷同材料（no near copies among earlier documents）。")
    lines.append("内部参考：提示不等于结论，不得据此拒绝受理投诉。")
    return "\n".join(lines)
