"""`assist transcribe`, `assist review-call` and `assist voiceprint …`: the command-line edge of call audio.

Heavy libraries (faster-whisper, PyAV, torch) load only inside the commands. A recording that cannot be read is an
AudioError: exit 1 with the file named (a folder: the other files are still processed)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from assist.edges.cli.settings import settings_of
from assist.errors import EXIT_CODES, AssistError, AudioError

SPEAKER_ZH = {"agent": "坐席", "caller": "来电人"}


def register(subparsers: Any) -> None:
    t = subparsers.add_parser("transcribe", help="transcribe call recordings (WAV, MP3, M4A, AMR; 8/16 kHz; mono or "
                              "stereo) into timed, masked turns")
    t.add_argument("path", help="a recording or a folder of recordings")
    t.add_argument("--json", action="store_true", help="machine-readable output")
    t.set_defaults(func=cmd_transcribe)

    r = subparsers.add_parser("review-call", help="review recorded calls: turns, the risk hint with evidence linked "
                              "to the audio, suggested scripts; an HTML report per call with an audio player")
    r.add_argument("path", help="a recording or a folder of recordings")
    r.add_argument("--out", default="call-review", help="folder for the reports (default ./call-review)")
    r.add_argument("--number-matches", choices=("yes", "no", "unknown"), default="unknown",
                   help="whether the calling number is the registered one")
    r.add_argument("--borrower", help="borrower id of this call (the voice sighting, when audio.voiceprint is on)")
    r.add_argument("--json", action="store_true", help="print the results as JSON")
    r.set_defaults(func=cmd_review_call)

    v = subparsers.add_parser("voiceprint", help="the opt-in voice sighting: install the encoder weights, delete a "
                              "borrower's voiceprints, apply retention (README, \"Voiceprint sighting\")")
    vs = v.add_subparsers(dest="action", required=True)
    i = vs.add_parser("install-model", help="take Resemblyzer's encoder weights from its pinned wheel (a file, or "
                      "pip download from the package registry) into the data folder")
    i.add_argument("--wheel", help="Resemblyzer-0.1.4-py3-none-any.whl already on disk")
    i.set_defaults(func=cmd_voice_install)
    f = vs.add_parser("forget", help="delete every voiceprint kept for a borrower")
    f.add_argument("--borrower", required=True)
    f.set_defaults(func=cmd_voice_forget)
    p = vs.add_parser("purge", help="delete voiceprints older than audio.voiceprint_retention_days")
    p.set_defaults(func=cmd_voice_purge)


def _bar(total: float | None, desc: str) -> Any:
    from tqdm import tqdm

    return tqdm(total=round(total, 1) if total else None, desc=desc, unit="s", file=sys.stderr, leave=False,
                disable=not sys.stderr.isatty())


def _progress(bar: Any) -> Callable[[float, float | None], None]:
    def update(done: float, total: float | None) -> None:
        bar.n = round(min(done, total or done), 1)
        bar.refresh()
    return update


def clock(seconds: float) -> str:
    m, s = divmod(max(0.0, seconds), 60)
    return f"{int(m):02d}:{s:04.1f}"


def format_transcript(d: dict[str, Any]) -> str:
    a = d["audio"]
    lines = [f"{a['path']}  {a['codec']} {a['sample_rate']} Hz {a['channels']} 声道  {clock(d['decoded_seconds'])}"
             f"  （{d['engine']}）"]
    lines += [f"  注意：{w}" for w in d["warnings"]]
    for t in d["turns"]:
        cut = "（未说完）" if t["partial"] else ""
        lines.append(f"[{clock(t['start'])}–{clock(t['end'])}] {SPEAKER_ZH[t['speaker']]}：{t['text']}{cut}")
    return "\n".join(lines)


def _files(target: Path) -> list[Path]:
    from assist.audio.review import audio_files

    if target.is_dir():
        files = audio_files(target)
        if not files:
            raise AudioError("no recordings (wav, mp3, m4a, amr, …) in this folder", path=str(target))
        return files
    return [target]


def cmd_transcribe(args: argparse.Namespace) -> int:
    from assist.bootstrap import build_call_transcriber

    transcriber = build_call_transcriber(settings_of(args))
    failed = 0
    results = []
    for f in _files(Path(args.path)):
        try:
            info = transcriber.decoder.probe(f)
            with _bar(info.duration, f.name) as bar:
                transcript, _ = transcriber.transcribe(f, _progress(bar))
        except AssistError as exc:
            failed += 1
            print(f"error: {exc.describe()}", file=sys.stderr)
            continue
        d = transcript.to_dict()
        results.append(d)
        if not args.json:
            print(format_transcript(d))
    if args.json:
        print(json.dumps(results if Path(args.path).is_dir() else (results[0] if results else None),
                         ensure_ascii=False, indent=1))
    if failed and not results and not Path(args.path).is_dir():
        return EXIT_CODES["partial"]
    return EXIT_CODES["partial"] if failed else EXIT_CODES["ok"]


def cmd_review_call(args: argparse.Namespace) -> int:
    from assist.audio.report import call_html
    from assist.audio.review import review_folder
    from assist.bootstrap import build_call_reviewer
    from assist.core.files import atomic_write_text, safe_name

    settings = settings_of(args)
    reviewer = build_call_reviewer(settings)
    target, out = Path(args.path), Path(args.out)
    meta = {"number_matches": args.number_matches}
    if target.is_dir():
        from tqdm import tqdm

        files = _files(target)
        with tqdm(total=len(files), desc="通话复核", unit="通", file=sys.stderr) as bar:
            report = review_folder(reviewer, target, out, meta=meta, after_file=lambda _: bar.update(1))
        if args.json:
            print(json.dumps(report.to_dict(), ensure_ascii=False, indent=1))
        else:
            for e in report.errors:
                print(f"{e['file']}: error: {e['error']}", file=sys.stderr)
            levels = [c["level"] for c in report.to_dict()["calls"]]
            print(f"复核 {len(levels)} 通录音（reviewed {len(levels)} calls）：高 {levels.count('high')}，"
                  f"中 {levels.count('medium')}，低 {levels.count('low')}；{len(report.errors)} 个文件无法读取。")
            print(f"报告（report）: {report.html_path}   数据（data）: {report.json_path}")
        return EXIT_CODES["partial"] if report.errors else EXIT_CODES["ok"]
    info = reviewer.transcriber.decoder.probe(target)
    with _bar(info.duration, target.name) as bar:
        review = reviewer.review(target, meta=meta, borrower=args.borrower, progress=_progress(bar))
    d = review.to_dict()
    page = out / f"{safe_name(target.stem)}.html"
    atomic_write_text(page, call_html(d, target, out.resolve()))
    atomic_write_text(out / f"{safe_name(target.stem)}.json", json.dumps(d, ensure_ascii=False, indent=1))
    if args.json:
        print(json.dumps(d, ensure_ascii=False, indent=1))
    else:
        print(format_transcript(d))
        r = d["risk"]
        print(f"风险（risk）: {r['level']} / {r['category']}")
        for e in r["evidence"]:
            print(f"  [{clock(e.get('audio_start', 0))}] {e['signal_id']} {e['signal_name']}：“{e['quote']}”")
        if d["voice_sighting"]:
            v = d["voice_sighting"]
            print(f"声纹（voice）: 另外 {v['other_borrowers']} 位借款人，flagged={v['flagged']}")
        print(f"报告（report）: {page}")
    return EXIT_CODES["ok"]


def cmd_voice_install(args: argparse.Namespace) -> int:
    from assist.bootstrap import install_voice_encoder_weights

    path = install_voice_encoder_weights(settings_of(args), Path(args.wheel) if args.wheel else None)
    print(f"声纹编码器权重已安装（voice encoder weights installed）: {path}")
    return EXIT_CODES["ok"]


def _watch(args: argparse.Namespace) -> Any:
    from assist.bootstrap import build_voice_watch

    watch = build_voice_watch(settings_of(args))
    if watch is None:
        raise AssistError("the voice sighting is off (audio.voiceprint = false)", field="audio.voiceprint")
    return watch


def cmd_voice_forget(args: argparse.Namespace) -> int:
    n = _watch(args).forget(args.borrower)
    print(f"已删除 {n} 条声纹记录（deleted {n} voiceprints）")
    return EXIT_CODES["ok"]


def cmd_voice_purge(args: argparse.Namespace) -> int:
    n = _watch(args).purge()
    print(f"已删除 {n} 条过期声纹记录（deleted {n} voiceprints past retention）")
    return EXIT_CODES["ok"]
