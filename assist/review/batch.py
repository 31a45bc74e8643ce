"""Folder review: every file reviewed (and remembered) one by one, then the folder clustered on its own so the report
does not depend on what the store saw before, then report.html and results.json written."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import replace
from pathlib import Path

from assist.errors import DocumentError
from assist.ports import Sketcher
from assist.review.masking import mask_name
from assist.review.reader import SUPPORTED
from assist.review.report import write_report
from assist.review.service import ReviewService
from assist.review.similarity import UnionFind, compare, fingerprint, shared_passages
from assist.review.types import BatchItem, BatchReport, Cluster, ReadDocument


def discover(folder: Path) -> list[Path]:
    """Supported files under ``folder``, sorted, skipping hidden files and folders."""
    if not folder.is_dir():
        raise DocumentError("no such folder", path=str(folder))
    return sorted(p for p in folder.rglob("*")
                  if p.is_file() and p.suffix.lower() in SUPPORTED
                  and not any(part.startswith(".") for part in p.relative_to(folder).parts))


def review_folder(service: ReviewService, folder: Path, out_dir: Path) -> BatchReport:
    """Review and cluster a folder; write the report files into ``out_dir``."""
    report = BatchReport(folder=mask_name(str(folder)))
    seen: set[str] = set()
    read: dict[str, tuple[ReadDocument, str]] = {}
    for path in discover(folder):
        rel = mask_name(path.relative_to(folder).as_posix())
        if rel in seen:  # two names that differ only in a masked number
            rel = f"{rel}#{len(seen)}"
        seen.add(rel)
        try:
            data = path.read_bytes()
            doc_id = hashlib.sha256(data).hexdigest()
            doc = service.read(data, path.name)
            result = service.analyse(doc, doc_id)
        except DocumentError as exc:
            report.errors.append({"file": rel, "error": exc.message})
            continue
        except OSError as exc:
            report.errors.append({"file": rel, "error": f"cannot read file: {exc.strerror or exc}"})
            continue
        read[rel] = (doc, doc_id)
        if result.doc_date:
            date, source = result.doc_date, "letter"
        else:
            date, source = dt.date.fromtimestamp(path.stat().st_mtime).isoformat(), "mtime"
        report.items.append(BatchItem(rel, result, date, source))  # type: ignore[arg-type]
    cluster_folder(report, service.sketcher)
    # Early copies of a wave were reviewed before the later ones existed; now that the store holds the whole folder,
    # analyse cluster members again (idempotent, no re-reading) so each shows every copy and the wave's final size.
    for n, item in enumerate(report.items):
        if item.cluster_id:
            doc, doc_id = read[item.path]
            report.items[n] = replace(item, result=service.analyse(doc, doc_id))
    write_report(report, out_dir)
    return report


def cluster_folder(report: BatchReport, sketcher: Sketcher) -> None:
    """Link the folder's documents (sketch index candidates, exact Jaccard/containment to confirm) and group them."""
    fps = [fingerprint(item.result.masked_text) for item in report.items]
    index = sketcher.index()
    uf = UnionFind()
    by_path = {item.path: i for i, item in enumerate(report.items)}
    for item, fp in zip(report.items, fps):
        uf.find(item.path)
        if not fp.usable:
            continue
        sketch = sketcher.sketch(fp.shingles)
        for other in index.candidates(sketch):
            j = by_path[other]
            link = compare(other, fps[j], item.path, fp,
                           forms=item.result.kind == report.items[j].result.kind == "certificate")
            if link is not None:
                report.links.append(link.to_dict())
                uf.union(other, item.path)
        index.add(item.path, sketch)
    groups = [g for g in uf.groups().values() if len(g) > 1]
    order = {item.path: (item.date, item.path) for item in report.items}
    groups = [sorted(g, key=lambda p: order[p]) for g in groups]
    groups.sort(key=lambda g: (-len(g), order[g[0]]))
    for n, members in enumerate(groups, start=1):
        cid = f"C{n}"
        first = by_path[members[0]]
        second = by_path[members[1]]
        passages = shared_passages(fps[first], fps[second], report.items[first].result.masked_text)
        longest = sorted((p.text for p in passages), key=len, reverse=True)[:5]
        report.clusters.append(Cluster(cid, tuple(members), tuple(longest)))
        for p in members:
            i = by_path[p]
            it = report.items[i]
            report.items[i] = replace(it, cluster_id=cid)
