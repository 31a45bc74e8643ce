"""ReviewService: the document-review use-case. Read a submitted file, run the checks for its kind, find the earlier
documents it nearly copies, remember it (masked) for the next review; or do all of that for a folder and write a
report. Built from Settings once at the edge; heavy parts (OCR models, jieba, the store) load on first use."""

from __future__ import annotations

import hashlib
import threading
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assist.review.checks import dates, finding, run_checks
from assist.review.privacy import MaskedText, mask_name
from assist.review.reader import DocumentError, read_document
from assist.review.similarity import (Fingerprint, NearDuplicateIndex, compare, fingerprint, minhash,
                                      minhash_from_bytes, minhash_to_bytes, shared_passages)
from assist.review.store import ReviewStore, StoredDocument
from assist.review.types import SEVERITY_ORDER, Finding, ReadDocument, ReviewResult, Severity, SimilarDocument

if TYPE_CHECKING:
    from assist.review.ocr import OcrEngine
    from assist.review.types import BatchReport
    from assist.risk.rules import RuleMatcher
    from assist.settings import Settings

STORE_FILE = "review.sqlite"
WAVE_SIZE = 3        # a cluster of this many documents is a wave (a template in use), not a coincidence


def signals_path(settings: "Settings") -> Path:
    """knowledge/signals.yaml of the first configured knowledge folder, else the one shipped with the package."""
    for folder in settings.knowledge_dirs:
        if (Path(folder) / "signals.yaml").is_file():
            return Path(folder) / "signals.yaml"
    return Path(str(resources.files("assist.data.knowledge"))) / "signals.yaml"


class ReviewService:
    """Document review: ``review`` one file, ``review_folder`` a batch. Safe to share between API threads."""

    def __init__(self, settings: "Settings", *, ocr: "OcrEngine | None" = None, matcher: "RuleMatcher | None" = None,
                 store_path: Path | None = None) -> None:
        self.settings = settings
        self.store_path = store_path or Path(settings.data_dir) / STORE_FILE
        self.max_bytes = int(settings.ingest.max_file_mb * 2**20)
        self._ocr = ocr
        self._matcher = matcher
        self._store: ReviewStore | None = None
        self._index: NearDuplicateIndex | None = None
        self._lock = threading.RLock()

    # -- lazily built parts -------------------------------------------------------------------------------------
    def matcher(self) -> "RuleMatcher":
        """The signal rules (knowledge/signals.yaml) with jieba keyword groups, built on first use."""
        with self._lock:
            if self._matcher is None:
                from assist.adapters.lexical import BASE_TERMS, JiebaTokenizer
                from assist.risk.rules import RuleMatcher
                from assist.risk.signals import load_signal_set

                words = JiebaTokenizer(BASE_TERMS, cache_dir=Path(self.settings.data_dir) / "jieba").words
                self._matcher = RuleMatcher(load_signal_set(signals_path(self.settings)), words)
            return self._matcher

    def _open(self) -> tuple[ReviewStore, NearDuplicateIndex]:
        with self._lock:
            if self._store is None or self._index is None:
                store = ReviewStore(self.store_path)
                index = NearDuplicateIndex()
                for doc_id, blob in store.sketches():
                    index.add(doc_id, minhash_from_bytes(blob))
                self._store, self._index = store, index
            return self._store, self._index

    def close(self) -> None:
        with self._lock:
            if self._store is not None:
                self._store.close()
            self._store = self._index = None

    # -- use-cases ----------------------------------------------------------------------------------------------
    def read(self, data: bytes, file_name: str) -> ReadDocument:
        return read_document(data, file_name, ocr=self._ocr, max_bytes=self.max_bytes)

    def review(self, path_or_bytes: Path | str | bytes, filename: str | None = None) -> ReviewResult:
        """Review one document given as a path or as bytes (then ``filename`` gives its type). Raises DocumentError
        when it cannot be read. Reviewing the same bytes again stores nothing new and gives the same answer."""
        if isinstance(path_or_bytes, bytes):
            if not filename:
                raise DocumentError("a file name is needed to tell the document's type", path="<upload>")
            data, name = path_or_bytes, filename
        else:
            path = Path(path_or_bytes)
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise DocumentError(f"cannot read file: {exc.strerror or exc}", path=str(path)) from exc
            name = filename or path.name
        doc_id = hashlib.sha256(data).hexdigest()
        doc = self.read(data, name)
        return self.analyse(doc, doc_id)

    def analyse(self, doc: ReadDocument, doc_id: str) -> ReviewResult:
        """Checks + near-duplicate search + store, for a document already read."""
        kind, findings = run_checks(doc, self.matcher())
        masked = MaskedText(doc.text)
        fp = fingerprint(masked.text)
        sketch = minhash(fp.shingles)
        found = dates(doc.text)
        doc_date = found[-1][0].isoformat() if found else None  # the signature date closes a letter
        store, index = self._open()
        with self._lock:
            before = store.get(doc_id)
            similar, links = self._similar(doc_id, fp, masked.text, store, index, sketch)
            record = StoredDocument(doc_id, mask_name(doc.file_name), kind, masked.text, minhash_to_bytes(sketch), doc_date,
                                    before.reviewed_at if before else store.now())
            store.add(record, links)
            if fp.usable:
                index.add(doc_id, sketch)
            cluster_id, members = store.cluster(doc_id)
        if similar:
            findings = [self._template_finding(doc, masked, kind, similar, len(members)), *findings]
            findings.sort(key=lambda f: SEVERITY_ORDER[f.severity])  # stable: keeps position order within a level
        return ReviewResult(doc_id=doc_id, file_name=mask_name(doc.file_name), kind=kind, source=doc.source, pages=doc.pages,
                            lines=len(doc.lines), findings=tuple(findings), similar=tuple(similar),
                            cluster_id=cluster_id, cluster_size=len(members), masked_text=masked.text,
                            doc_date=doc_date, ocr_confidence=doc.mean_confidence, seen_before=before is not None)

    def _similar(self, doc_id: str, fp: Fingerprint, masked: str, store: ReviewStore, index: NearDuplicateIndex,
                 sketch: Any) -> tuple[list[SimilarDocument], list[Any]]:
        if not fp.usable:
            return [], []
        candidates = [c for c in index.candidates(sketch) if c != doc_id]
        rows = store.get_many(candidates)
        similar, links = [], []
        for cid in candidates:
            row = rows.get(cid)
            if row is None:
                continue
            other = fingerprint(row.masked_text)
            link = compare(doc_id, fp, cid, other)
            if link is None:
                continue
            links.append(link)
            similar.append(SimilarDocument(cid, row.file_name, row.kind, link.jaccard, link.containment, row.reviewed_at,
                                           shared_passages(fp, other, masked)))
        similar.sort(key=lambda s: (-s.jaccard, s.reviewed_at))
        return similar, links

    @staticmethod
    def _template_finding(doc: ReadDocument, masked: MaskedText, kind: str, similar: list[SimilarDocument],
                          cluster_size: int) -> Finding:
        top = similar[0]
        wave = cluster_size >= WAVE_SIZE
        what = "证明" if kind == "certificate" else "材料"
        msg = (f"与此前{len(similar)}份{what}高度雷同（最高Jaccard {top.jaccard:.2f}，覆盖 {top.containment:.0%}），"
               f"所在雷同簇共{cluster_size}份。")
        msg += ("成批出现的模板化材料是付费代理的典型迹象：交专人核实，并直接联系借款人本人。" if wave else
                "可能是照模板书写；单独一对雷同不足以下结论，请结合其他迹象。")
        signal = "S11" if kind == "certificate" else "S10"
        severity: Severity = "high" if wave else "warn"
        if kind == "authorisation":  # standard forms are common: the agent named in it matters, not the layout
            msg = (f"与此前{len(similar)}份委托书格式雷同（最高Jaccard {top.jaccard:.2f}）。委托书常用标准格式，雷同本身不说明"
                   "问题；若多份委托书指向同一受托公司或同一联系电话，请一并核查。")
            severity = "info"
        if not top.passages:
            return finding(doc, "similar.templated", severity, msg, signal=signal)
        p = max(top.passages, key=lambda p: p.end - p.start)
        start, end = masked.to_original(p.start), masked.to_original(p.end)
        return finding(doc, "similar.templated", severity, msg, start, end, signal=signal, quote=p.text[:120])

    def review_folder(self, folder: Path | str, out_dir: Path | str) -> "BatchReport":
        """Review every supported file under ``folder``, cluster them, write report.html and results.json."""
        from assist.review.batch import review_folder

        return review_folder(self, Path(folder), Path(out_dir))

