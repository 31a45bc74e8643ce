"""Document review on the synthetic corpus (testkit.review_corpus): templated-letter clustering (pairwise precision and
recall, purity, false links on individual letters, a threshold sweep), the checks on known cases, OCR character
accuracy on rendered pages, and throughput for text and images. Writes JSON.

    python bench/review.py [--out bench/results/review.json] [--seeds 3] [--images 12]
"""

from __future__ import annotations

import argparse
import itertools
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from common import machine, pct, peak_rss_mb, write_result

from assist.adapters.minhash import NUM_PERM
from assist.bootstrap import build_review_service
from assist.review import similarity as sim
from assist.review.batch import review_folder
from assist.review.masking import mask_text as mask
from assist.settings import Settings
from testkit.review_corpus import SynthDoc, font_available, generate, render_png, write_corpus

REPO = Path(__file__).resolve().parents[1]


def edit_distance(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def _squeeze(text: str) -> str:
    return "".join(text.split())


def pairwise(groups: dict[str, str | None], clusters: list[list[str]]) -> dict[str, Any]:
    """Pairwise precision/recall of clusters against the true groups, purity, and false links of individual docs."""
    cluster_of = {m: n for n, c in enumerate(clusters) for m in c}
    names = sorted(groups)
    tp = fp = fn = 0
    for a, b in itertools.combinations(names, 2):
        same_truth = groups[a] is not None and groups[a] == groups[b]
        same_pred = a in cluster_of and cluster_of.get(a) == cluster_of.get(b)
        tp += same_truth and same_pred
        fp += same_pred and not same_truth
        fn += same_truth and not same_pred
    purity_hits = sum(max(sum(1 for m in c if groups[m] == g) for g in {groups[m] for m in c}) for c in clusters)
    individual = [n for n in names if groups[n] is None]
    linked = [n for n in individual if n in cluster_of]
    return {"pairwise_precision": round(tp / (tp + fp), 4) if tp + fp else None,
            "pairwise_recall": round(tp / (tp + fn), 4) if tp + fn else None,
            "purity": round(purity_hits / sum(len(c) for c in clusters), 4) if clusters else None,
            "true_pairs": tp + fn, "false_pairs": fp,
            "individual_documents": len(individual), "individual_linked": len(linked),
            "false_link_rate_individual": round(len(linked) / len(individual), 4) if individual else None}


def sweep(docs: list[SynthDoc]) -> list[dict[str, Any]]:
    """Cluster quality over a grid of Jaccard and containment link thresholds ("off" = that test unused), on all
    pairs (no LSH), plus the score distributions the thresholds sit between."""
    fps = [sim.fingerprint(mask(d.text)) for d in docs]
    pairs = [(i, j, sim.jaccard(fps[i].shingles, fps[j].shingles), sim.containment(fps[i].shingles, fps[j].shingles))
             for i, j in itertools.combinations(range(len(docs)), 2) if fps[i].usable and fps[j].usable]
    groups = {d.name: d.group for d in docs}
    out = []
    for t, c in itertools.product((0.2, 0.3, 0.4, 0.5, 0.6, 1.01), (0.4, 0.5, 0.6, 0.7, 1.01)):
        uf = sim.UnionFind()
        for d in docs:
            uf.find(d.name)
        for i, j, jac, con in pairs:
            if jac >= t or con >= c:
                uf.union(docs[i].name, docs[j].name)
        q = pairwise(groups, [g for g in uf.groups().values() if len(g) > 1])
        out.append({"jaccard": t if t <= 1 else "off", "containment": c if c <= 1 else "off",
                    "precision": q["pairwise_precision"], "recall": q["pairwise_recall"],
                    "individual_linked": q["individual_linked"]})
    same = sorted(p[2] for p in pairs if docs[p[0]].group and docs[p[0]].group == docs[p[1]].group)
    other = sorted(p[2] for p in pairs if not (docs[p[0]].group and docs[p[0]].group == docs[p[1]].group))
    out.append({"same_group_jaccard": {"min": round(same[0], 3), "p10": pct(same, 0.1), "median": pct(same, 0.5)},
                "other_pairs_jaccard": {"max": round(other[-1], 3), "p99": round(other[int(0.99 * (len(other) - 1))], 3)},
                "other_pairs_containment_max": round(max(p[3] for p in pairs if not (
                    docs[p[0]].group and docs[p[0]].group == docs[p[1]].group)), 3)})
    return out


def check_metrics(items: list[Any], docs: dict[str, SynthDoc]) -> dict[str, Any]:
    """How the checks behave on documents whose nature we know ("k/n": k of the n documents of that family)."""
    by_family: dict[str, list[Any]] = {}
    for it in items:
        by_family.setdefault(docs[it.path].family, []).append(it)

    def count(family: str, pred: Any) -> str:
        members = by_family.get(family, [])
        return f"{sum(any(pred(f) for f in it.result.findings) for it in members)}/{len(members)}"

    def own(f: Any) -> bool:  # a finding of the checks themselves, not of the near-copy search
        return not f.check.startswith("similar.")

    return {
        "kind_accuracy": round(sum(it.result.kind == docs[it.path].kind for it in items) / len(items), 4),
        "auth_fake_with_high_finding": count("auth-fake", lambda f: f.severity == "high" and own(f)),
        "auth_firm_with_warn_or_high": count("auth-firm", lambda f: f.severity != "info" and own(f)),
        "auth_family_with_warn_or_high": count("auth-family", lambda f: f.severity != "info"),
        "templated_complaints_with_warn_or_high_signal": count(
            "complaint-template", lambda f: f.severity != "info" and f.check.startswith("complaint.")),
        "individual_letters_with_warn_or_high": count("complaint-individual", lambda f: f.severity != "info"),
        "individual_letters_with_any_finding": count("complaint-individual", lambda f: True),
        "wave_certificates_with_high_similarity_finding": count(
            "cert-wave", lambda f: f.check == "similar.templated" and f.severity == "high"),
    }


def text_run(seed: int, workdir: Path) -> dict[str, Any]:
    docs = generate(seed)
    write_corpus(docs, workdir / f"in-{seed}")
    service = build_review_service(Settings(data_dir=workdir / f"data-{seed}"))
    service.policy.matcher.match("预热")  # jieba loads once; not part of per-document throughput
    t0 = time.perf_counter()
    report = review_folder(service, workdir / f"in-{seed}", workdir / f"out-{seed}")
    seconds = time.perf_counter() - t0
    service.close()
    groups = {d.name: d.group for d in docs}
    result = {"seed": seed, "documents": len(docs), "clusters": len(report.clusters), "errors": len(report.errors),
              "folder_seconds": round(seconds, 2), "text_docs_per_s": round(len(docs) / seconds, 1),
              **pairwise(groups, [list(c.members) for c in report.clusters]),
              "checks": check_metrics(report.items, {d.name: d for d in docs})}
    return result


def ocr_run(n_images: int, workdir: Path) -> dict[str, Any]:
    """Rendered pages of clean (noise-free) letters: half plain, half 'phone photo'; OCR accuracy, speed, and whether
    an OCR'd copy still links to its typed siblings."""
    docs = [d for d in generate(11) if not d.noisy]
    rng = random.Random(3)
    picked = rng.sample(docs, n_images)
    service = build_review_service(Settings(data_dir=workdir / "data-ocr"))
    for d in docs:  # the typed corpus is already known; the images arrive later
        if d not in picked:
            service.review(d.text.encode(), d.name)
    service.read(render_png("预热"), "warm.png")  # load the OCR models outside the timing
    accuracy: dict[str, list[float]] = {"plain": [], "scan": []}
    seconds: list[float] = []
    linked = should_link = 0
    for n, d in enumerate(picked):
        style = "scan" if n % 2 else "plain"
        png = render_png(d.text, scan=style == "scan", seed=n)
        t0 = time.perf_counter()
        result = service.review(png, d.name.replace(".txt", ".png"))
        seconds.append(time.perf_counter() - t0)
        # Compared after masking both sides: the review only ever keeps masked text.
        got, want = _squeeze(result.masked_text), _squeeze(mask(d.text))
        accuracy[style].append(1 - edit_distance(got, want) / max(1, len(want)))
        if d.group is not None:
            should_link += 1
            linked += bool(result.similar)
    service.close()
    everything = accuracy["plain"] + accuracy["scan"]
    return {"images": n_images, "image_width_px": 1100,
            "char_accuracy_mean": round(statistics.mean(everything), 4),
            "char_accuracy_plain_mean": round(statistics.mean(accuracy["plain"]), 4),
            "char_accuracy_scan_mean": round(statistics.mean(accuracy["scan"]), 4),
            "char_accuracy_min": round(min(everything), 4),
            "review_seconds_per_image": {"p50": pct(seconds, 0.5), "max": pct(seconds, 1.0)},
            "image_docs_per_s": round(len(seconds) / sum(seconds), 3),
            "ocr_copies_linked_to_typed_siblings": f"{linked}/{should_link}"}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "review.json")
    ap.add_argument("--seeds", type=int, default=3, help="independent synthetic corpora to cluster")
    ap.add_argument("--images", type=int, default=12, help="rendered pages to OCR")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        runs = [text_run(20240601 + s, work) for s in range(args.seeds)]
        ocr = ocr_run(args.images, work) if font_available() else {"skipped": "fonts-noto-cjk not installed"}
    result = {
        "machine": machine(),
        "thresholds": {"lsh": sim.LSH_THRESHOLD, "link_jaccard": sim.LINK_JACCARD,
                       "link_containment": sim.LINK_CONTAINMENT, "shingle": sim.SHINGLE, "num_perm": NUM_PERM},
        "corpus": "testkit.review_corpus: 4 complaint templates x 8, 2 certificate waves x 6, 36 individual letters, "
                  "3 individual certificates, 6 consulting-company + 4 law-firm authorisations (2 forms each), 1 family",
        "clustering": runs,
        "clustering_summary": {k: [r[k] for r in runs] for k in ("pairwise_precision", "pairwise_recall", "purity",
                                                                 "false_link_rate_individual", "text_docs_per_s")},
        "threshold_sweep_seed0": sweep(generate(20240601)),
        "ocr": ocr,
        "peak_rss_mb": peak_rss_mb(),
    }
    write_result(args.out, result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
