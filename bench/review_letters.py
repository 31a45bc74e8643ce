"""Document review on the hand-written letters of eval/datasets/letters: kind, the parts of each authorisation,
warnings on complete lawful letters, high findings on companies posing as firms, template clustering; reported
separately for the tuning writers (L01-L06) and the held-out writers (L07, L08). Then phone photos: letters rendered,
distorted (perspective, rotation, shadow, uneven light, blur, JPEG), read by the real OCR, and compared with the
typed version (character accuracy; same kind, same parts found, same findings). Writes JSON.

    python bench/review_letters.py [--out bench/results/review_letters.json] [--photos 24] [--baseline-src DIR]

--baseline-src runs the text part again with the assist package found in DIR (e.g. an export of an older commit)
to put today's numbers beside the earlier ones; elements are then inferred from its "…_missing" findings.
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
from assist.settings import Settings
from testkit.letters import ELEMENTS, HELD_OUT, TUNING, Letter, load, score
from testkit.review_corpus import font_available, phone_photo, render_png

REPO = Path(__file__).resolve().parents[1]


def edit_distance(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def text_run(work: Path) -> dict[str, Any]:
    letters = load(TUNING + HELD_OUT)
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
    clusters = [list(c.members) for c in report.clusters]
    out: dict[str, Any] = {"documents": len(results), "errors": report.errors, "folder_seconds": round(seconds, 2)}
    for split, writers in (("held_out", HELD_OUT), ("tuning", TUNING)):
        part = [lt for lt in letters if lt.writer in writers]
        names = {lt.name for lt in part}
        out[split] = score(part, results, [[m for m in c if m in names] for c in clusters])
    # all 180 letters in one folder: templates of two writers must not merge, individual letters stay alone
    everything = score(letters, results, clusters)
    out["all_letters_clustering"] = everything["clustering"]
    out["all_letters_clustering_complaints_and_certificates"] = everything["clustering_complaints_and_certificates"]
    return out


def photo_run(n: int, work: Path) -> dict[str, Any]:
    rng = random.Random(23)
    held, tuning = load(HELD_OUT), load(TUNING)
    picked = rng.sample(held, n // 2) + rng.sample(tuning, n - n // 2)
    service = build_review_service(Settings(data_dir=work / "data-photo"))
    service.read(render_png("预热"), "warm.png")
    rows = []
    for i, lt in enumerate(picked):
        typed = service.read(lt.path.read_bytes(), lt.path.name)
        png = phone_photo(render_png(lt.text, seed=i), seed=i)
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
        rows.append({"letter": lt.name, "kind": lt.label["kind"], "ocr_seconds": round(secs, 2),
                     "char_accuracy": round(1 - edit_distance(got, want) / max(1, len(want)), 4),
                     "same_kind": k_typed == k_photo,
                     "same_elements": k_typed != "authorisation" or e_typed == e_photo,
                     "element_differences": [e for e in ELEMENTS if e_typed[e] != e_photo[e]]
                     if k_typed == "authorisation" else [],
                     "same_findings": c_typed == c_photo,
                     "finding_differences": {"typed_only": [list(x) for x in c_typed if x not in c_photo],
                                             "photo_only": [list(x) for x in c_photo if x not in c_typed]}})
    service.close()
    acc = [r["char_accuracy"] for r in rows]
    auth = [r for r in rows if r["kind"] == "authorisation"]
    return {"pages": len(rows), "held_out_pages": n // 2,
            "char_accuracy_mean": round(statistics.mean(acc), 4), "char_accuracy_min": round(min(acc), 4),
            "char_accuracy_median": round(statistics.median(acc), 4),
            "same_kind": f"{sum(r['same_kind'] for r in rows)}/{len(rows)}",
            "same_elements_on_authorisations": f"{sum(r['same_elements'] for r in auth)}/{len(auth)}",
            "same_findings": f"{sum(r['same_findings'] for r in rows)}/{len(rows)}",
            "ocr_seconds_per_page_median": round(statistics.median(r["ocr_seconds"] for r in rows), 2),
            "pages_detail": rows}


BASELINE = r'''
import json, sys, tempfile
from pathlib import Path
sys.path.insert(0, sys.argv[1]); sys.path.insert(1, sys.argv[2])
from assist.bootstrap import build_review_service
from assist.settings import Settings
from testkit.letters import load, TUNING, HELD_OUT
MISSING = {"principal": "auth.principal_missing", "agent": "auth.trustee_missing",
           "relationship": "auth.relationship_missing", "scope": "auth.scope_missing", "term": "auth.term_missing",
           "signature": "auth.signature_missing", "date": "auth.date_missing"}
out = {}
with tempfile.TemporaryDirectory() as tmp:
    svc = build_review_service(Settings(data_dir=Path(tmp)))
    for lt in load(TUNING + HELD_OUT):
        r = svc.review(lt.path.read_bytes(), lt.path.name)
        checks = {f.check for f in r.findings}
        auth = r.kind == "authorisation"
        els = {n: auth and (MISSING[n] not in checks if n in MISSING else any(c.startswith("auth.licence") for c in checks))
               for n in ("principal", "agent", "relationship", "scope", "term", "signature", "date", "licence")}
        out[lt.name] = {"kind": r.kind, "elements": els, "findings": [[f.check, f.severity] for f in r.findings]}
print(json.dumps(out))
'''


def baseline_run(src: Path) -> dict[str, Any]:
    """Score an older assist (its package under ``src``) the same way; elements inferred from its missing-findings."""
    from types import SimpleNamespace

    proc = subprocess.run([sys.executable, "-c", BASELINE, str(src), str(REPO)], capture_output=True, text=True,
                          check=True)
    raw = json.loads(proc.stdout.strip().splitlines()[-1])
    results = {}
    for name, r in raw.items():
        findings = tuple(SimpleNamespace(check=c, severity=s) for c, s in r["findings"])
        elements = tuple(SimpleNamespace(name=n, found=f) for n, f in r["elements"].items())
        results[name] = SimpleNamespace(kind=r["kind"], findings=findings, elements=elements)
    letters: list[Letter] = load(TUNING + HELD_OUT)
    return {split: score([lt for lt in letters if lt.writer in ws], results)  # type: ignore[arg-type]
            for split, ws in (("held_out", HELD_OUT), ("tuning", TUNING))}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "review_letters.json")
    ap.add_argument("--photos", type=int, default=24, help="letters rendered, photographed and OCR'd")
    ap.add_argument("--baseline-src", type=Path, help="a directory holding an older assist package to compare")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        result: dict[str, Any] = {"machine": machine(), "text": text_run(work)}
        if args.baseline_src:
            result["baseline"] = {"source": str(args.baseline_src), **baseline_run(args.baseline_src)}
        result["photos"] = (photo_run(args.photos, work) if font_available() and args.photos
                            else {"skipped": "fonts-noto-cjk not installed or --photos 0"})
    result["peak_rss_mb"] = peak_rss_mb()
    write_result(args.out, result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
