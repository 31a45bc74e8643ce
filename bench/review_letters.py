"""Document review on hand-written letters: kind, the parts of each authorisation, warnings on complete lawful
letters, high findings on letters posing as a firm, template clustering. By default the writers of
eval/datasets/letters, reported per writer set (testkit.letters.WRITER_SETS) and per writer; with --letters DIR any
folder of writer folders (each with its labels.jsonl, eval/datasets/letters/README.md), e.g. held-out writers kept
outside the repo, reported together and per writer, clustered within that folder. Then phone photos: letters
rendered, distorted (perspective, rotation, shadow, uneven light, blur, JPEG), read by the real OCR, and compared
with the typed version (character accuracy; same kind, same parts found, same findings), each page read both as
photographed and flattened first (documents.flatten_photos) in the same run. Writes JSON and prints a summary.

    python bench/review_letters.py [--out bench/results/review_letters.json] [--photos 24] [--baseline-src DIR]
                                   [--photos-only] [--letters DIR]

--baseline-src runs the text part again with the assist package found in DIR (e.g. an export of an older commit)
to put today's numbers beside the earlier ones; elements are then inferred from its "…_missing" findings.
--letters DIR scores only the writers in DIR (no photos unless --photos is given).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from common import machine, peak_rss_mb, write_result

from assist.bootstrap import build_review_service
from assist.review.batch import review_folder
from assist.review.checks import run_checks
from assist.review.checks.elements import find_elements
from assist.review.masking import mask_text
from assist.settings import DocumentSettings, Settings
from testkit.letters import ELEMENTS, LETTERS, TUNING, WRITER_SETS, Letter, load, score, writers_in
from testkit.review_corpus import font_available, phone_photo, render_png

REPO = Path(__file__).resolve().parents[1]
PHOTO_HALVES = (("L07", "L08"), ("L01", "L02", "L03", "L04", "L05", "L06"))


def edit_distance(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def _splits(root: Path, writers: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """The writer sets to report: the repo's WRITER_SETS, or all writers of an outside folder together; then each
    writer alone."""
    sets = dict(WRITER_SETS) if root == LETTERS else {"all": writers}
    return {**sets, **{w: (w,) for w in writers}}


def text_run(work: Path, root: Path = LETTERS, writers: tuple[str, ...] = TUNING) -> dict[str, Any]:
    letters = load(writers, root)
    folder = work / "letters"
    for lt in letters:
        (folder / lt.writer).mkdir(parents=True, exist_ok=True)
        shutil.copy(lt.path, folder / lt.writer / lt.path.name)
    service = build_review_service(Settings(data_dir=work / "data-text"))
    t0 = time.perf_counter()
    report = review_folder(service, folder, work / "out")
    seconds = time.perf_counter() - t0
    service.close()
    results = {it.path: it.result for it in report.items}
    missing = [lt.name for lt in letters if lt.name not in results]
    if missing:
        raise SystemExit(f"review did not read {len(missing)} letter(s): {missing[:5]} (errors: {report.errors})")
    clusters = [list(c.members) for c in report.clusters]
    out: dict[str, Any] = {"letters_root": str(root), "documents": len(results), "errors": report.errors,
                           "folder_seconds": round(seconds, 2), "splits": {}}
    for split, ws in _splits(root, writers).items():
        part = [lt for lt in letters if lt.writer in ws]
        names = {lt.name for lt in part}
        out["splits"][split] = score(part, results, [[m for m in c if m in names] for c in clusters])
    # all letters in one folder: templates of two writers must not merge, individual letters stay alone
    everything = score(letters, results, clusters)
    out["all_letters_clustering"] = everything["clustering"]
    out["all_letters_clustering_complaints_and_certificates"] = everything["clustering_complaints_and_certificates"]
    return out


def summary(text: dict[str, Any]) -> str:
    """One line per writer set: the numbers the issue sets targets for."""
    rows = [f"letters under {text['letters_root']}: {text['documents']} read, errors {text['errors'] or 0}",
            "set | letters | kind | " + " | ".join(ELEMENTS) + " | complete lawful warned | posing high"
            " | lawful complaints warned | clusters P/R (complaints+certs)"]
    for split, s in text["splits"].items():
        el = s["element_accuracy"]
        cl = s.get("clustering_complaints_and_certificates") or {}
        rows.append(" | ".join([
            split, str(s["letters"]), _pct(s["kind_accuracy"]), *(_pct(el[e]) for e in ELEMENTS),
            f"{len(s['complete_lawful_with_warning'])}/{s['complete_lawful_letters']}",
            f"{s['posing_letters'] - len(s['posing_without_high'])}/{s['posing_letters']}",
            f"{len(s['lawful_complaints_with_warning'])}/{s['lawful_complaints']}",
            f"{cl.get('pairwise_precision')}/{cl.get('pairwise_recall')} ({cl.get('true_pairs', 0)} pairs,"
            f" {len(cl.get('individual_linked', []))} individual linked)"]))
    for split, s in text["splits"].items():
        misses = (s["kind_errors"] + s["element_errors"]
                  + [f"{n}: warned though complete and lawful" for n in s["complete_lawful_with_warning"]]
                  + [f"{n}: posing, no high finding" for n in s["posing_without_high"]]
                  + [f"{n}: lawful complaint warned" for n in s["lawful_complaints_with_warning"]])
        if misses and split in WRITER_SETS or split == "all":
            rows += [f"  {split} misses:"] + [f"    {m}" for m in misses] if misses else []
    return "\n".join(rows)


def _pct(v: float | None) -> str:
    return "-" if v is None else f"{100 * v:.1f}%"


def _photo_row(service: Any, lt: Letter, typed: Any, png: bytes) -> dict[str, Any]:
    t0 = time.perf_counter()
    photo = service.read(png, lt.path.stem + ".png")
    secs = time.perf_counter() - t0
    want, got = "".join(mask_text(typed.text).split()), "".join(mask_text(photo.text).split())
    k_typed, f_typed = run_checks(typed, service.policy)
    k_photo, f_photo = run_checks(photo, service.policy)
    e_typed = {k: v.found for k, v in find_elements(typed).items()}
    e_photo = {k: v.found for k, v in find_elements(photo).items()}
    c_typed = sorted({(f.check, f.severity) for f in f_typed})
    c_photo = sorted({(f.check, f.severity) for f in f_photo})
    return {"letter": lt.name, "kind": lt.label["kind"], "ocr_seconds": round(secs, 2),
            "char_accuracy": round(1 - edit_distance(got, want) / max(1, len(want)), 4),
            "same_kind": k_typed == k_photo,
            "same_elements": k_typed != "authorisation" or e_typed == e_photo,
            "element_differences": [e for e in ELEMENTS if e_typed[e] != e_photo[e]]
            if k_typed == "authorisation" else [],
            "same_findings": c_typed == c_photo,
            "finding_differences": {"typed_only": [list(x) for x in c_typed if x not in c_photo],
                                    "photo_only": [list(x) for x in c_photo if x not in c_typed]}}


def _photo_summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    acc = [r["char_accuracy"] for r in rows]
    auth = [r for r in rows if r["kind"] == "authorisation"]
    return {"pages": len(rows),
            "char_accuracy_mean": round(statistics.mean(acc), 4), "char_accuracy_min": round(min(acc), 4),
            "char_accuracy_median": round(statistics.median(acc), 4),
            "pages_below_0_7": sum(a < 0.7 for a in acc), "pages_below_0_9": sum(a < 0.9 for a in acc),
            "same_kind": f"{sum(r['same_kind'] for r in rows)}/{len(rows)}",
            "same_elements_on_authorisations": f"{sum(r['same_elements'] for r in auth)}/{len(auth)}",
            "same_findings": f"{sum(r['same_findings'] for r in rows)}/{len(rows)}",
            "ocr_seconds_per_page_median": round(statistics.median(r["ocr_seconds"] for r in rows), 2),
            "pages_detail": rows}


def photo_run(n: int, work: Path) -> dict[str, Any]:
    """The same pages read twice in one run, page by page: as photographed, and flattened first (perspective warp,
    deskew, shadow divided out: documents.flatten_photos)."""
    rng = random.Random(23)
    # the same pages as round one (half from its held-out writers L07/L08), so numbers compare across rounds
    held, tuning = load(PHOTO_HALVES[0]), load(PHOTO_HALVES[1])
    picked = rng.sample(held, n // 2) + rng.sample(tuning, n - n // 2)
    services = {"flattened": build_review_service(Settings(data_dir=work / "data-photo")),
                "as_photographed": build_review_service(Settings(data_dir=work / "data-photo-raw",
                                                                 documents=DocumentSettings(flatten_photos=False)))}
    for svc in services.values():
        svc.read(render_png("预热"), "warm.png")
    rows: dict[str, list[dict[str, Any]]] = {k: [] for k in services}
    for i, lt in enumerate(picked):
        png = phone_photo(render_png(lt.text, seed=i), seed=i)
        for key, svc in services.items():
            typed = svc.read(lt.path.read_bytes(), lt.path.name)
            rows[key].append(_photo_row(svc, lt, typed, png))
    for svc in services.values():
        svc.close()
    return {"pages": n, "pages_from_round_one_held_out_writers": n // 2,
            **{key: _photo_summary(r) for key, r in rows.items()},
            "flattening_time_ratio": round(
                sum(r["ocr_seconds"] for r in rows["flattened"])
                / max(1e-9, sum(r["ocr_seconds"] for r in rows["as_photographed"])), 3)}


BASELINE = r'''
import json, sys, tempfile
from pathlib import Path
sys.path.insert(0, sys.argv[1]); sys.path.insert(1, sys.argv[2])
from assist.bootstrap import build_review_service
from assist.settings import DocumentSettings, Settings
from testkit.letters import load
MISSING = {"principal": "auth.principal_missing", "agent": "auth.trustee_missing",
           "relationship": "auth.relationship_missing", "scope": "auth.scope_missing", "term": "auth.term_missing",
           "signature": "auth.signature_missing", "date": "auth.date_missing"}
out = {}
with tempfile.TemporaryDirectory() as tmp:
    svc = build_review_service(Settings(data_dir=Path(tmp)))
    for lt in load(tuple(sys.argv[4].split(",")), Path(sys.argv[3])):
        try:
            r = svc.review(lt.path.read_bytes(), lt.path.name)
        except Exception as e:  # an older version may fail on a letter: scored as read wrong
            out[lt.name] = {"kind": "error: " + type(e).__name__, "elements": {}, "findings": []}
            continue
        checks = {f.check for f in r.findings}
        auth = r.kind == "authorisation"
        els = {n: auth and (MISSING[n] not in checks if n in MISSING else any(c.startswith("auth.licence") for c in checks))
               for n in ("principal", "agent", "relationship", "scope", "term", "signature", "date", "licence")}
        out[lt.name] = {"kind": r.kind, "elements": els, "findings": [[f.check, f.severity] for f in r.findings]}
print(json.dumps(out))
'''


def baseline_run(src: Path, root: Path = LETTERS, writers: tuple[str, ...] = TUNING) -> dict[str, Any]:
    """Score an older assist (its package under ``src``) the same way; elements inferred from its missing-findings."""
    from types import SimpleNamespace

    proc = subprocess.run([sys.executable, "-c", BASELINE, str(src), str(REPO), str(root), ",".join(writers)],
                          capture_output=True, text=True, check=True)
    raw = json.loads(proc.stdout.strip().splitlines()[-1])
    results = {}
    for name, r in raw.items():
        findings = tuple(SimpleNamespace(check=c, severity=s) for c, s in r["findings"])
        elements = tuple(SimpleNamespace(name=n, found=r["elements"].get(n, False)) for n in ELEMENTS)
        results[name] = SimpleNamespace(kind=r["kind"], findings=findings, elements=elements)
    letters: list[Letter] = load(writers, root)
    return {split: score([lt for lt in letters if lt.writer in ws], results)  # type: ignore[arg-type]
            for split, ws in _splits(root, writers).items()}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, help="JSON result (default bench/results/review_letters.json, or "
                    "bench/results/review_letters_<folder name>.json with --letters)")
    ap.add_argument("--photos", type=int, help="letters rendered, photographed and OCR'd (default 24, 0 with --letters)")
    ap.add_argument("--photos-only", action="store_true", help="skip the text part (the held-out scoring)")
    ap.add_argument("--baseline-src", type=Path, help="a directory holding an older assist package to compare")
    ap.add_argument("--letters", type=Path, help="score the writer folders in this directory instead of the repo's")
    args = ap.parse_args()
    root = args.letters.resolve() if args.letters else LETTERS
    writers = writers_in(root) if args.letters else TUNING
    load(writers, root)  # a bad label line stops here, naming its file and line
    photos = args.photos if args.photos is not None else (0 if args.letters else 24)
    out = args.out or REPO / "bench" / "results" / (f"review_letters_{root.name}.json" if args.letters
                                                      else "review_letters.json")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        result: dict[str, Any] = {"machine": machine()}
        if not args.photos_only:
            result["text"] = text_run(work, root, writers)
        if args.baseline_src:
            result["baseline"] = {"source": str(args.baseline_src), **baseline_run(args.baseline_src, root, writers)}
        result["photos"] = (photo_run(photos, work) if font_available() and photos
                            else {"skipped": "fonts-noto-cjk not installed or --photos 0"})
    result["peak_rss_mb"] = peak_rss_mb()
    write_result(out, result)
    if "text" in result:
        print("\n" + summary(result["text"]))
        if "baseline" in result:
            print("\nbaseline " + str(args.baseline_src) + ":\n" + summary(
                {"letters_root": str(root), "documents": "-", "errors": None, "splits": {
                    k: v for k, v in result["baseline"].items() if k != "source"}}))
        print(f"\nwritten to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
