"""ReviewService: the document-review use-case. Read a submitted file, run the checks for its kind, find the earlier
documents it nearly copies, remember it (masked) for the next review. A folder is assist.review.batch's work."""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

from assist.core.documents import DocumentBudgets
from assist.errors import DocumentError, StoreUnavailable
from assist.ports import NearDuplicateIndex, OcrEngine, OfficeReader, ReviewStore, Sketcher
from assist.review.checks import run_checks
from assist.review.checks.elements import find_elements
from assist.review.checks.evidence import dates, finding
from assist.review.checks.reading import reading_text
from assist.review.masking import MaskedText, mask_name
from assist.review.policy import ReviewPolicy
from assist.review.reader import read_document
from assist.review.similarity import Fingerprint, compare, fingerprint, shared_passages
from assist.review.types import (
    SEVERITY_ORDER,
    Finding,
    Link,
    ReadDocument,
    ReviewResult,
    Severity,
    SimilarDocument,
    StoredDocument,
)

WAVE_SIZE = 3        # a cluster of this many documents is a wave (a template in use), not a coincidence
NOT_STORED = "暂时无法连接评审数据库：本份材料未与此前材料比对，也未保存；请稍后重新评审。"

log = logging.getLogger("assist.review")


class ReviewService:
    """Document review over its collaborators; safe to share between API threads. The store's sketches are read
    into an in-memory index on first use."""

    def __init__(self, policy: ReviewPolicy, store: ReviewStore, sketcher: Sketcher, ocr: OcrEngine,
                 office: OfficeReader, *, max_bytes: int, budgets: DocumentBudgets,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.policy = policy
        self.store = store
        self.sketcher = sketcher
        self.ocr = ocr
        self.office = office
        self.max_bytes = max_bytes
        self.budgets = budgets
        self._clock = clock
        self._index: NearDuplicateIndex | None = None
        self._lock = threading.RLock()

    def _near_copies(self) -> NearDuplicateIndex:
        with self._lock:
            if self._index is None:
                index = self.sketcher.index()
                for doc_id, blob in self.store.sketches():
                    index.add(doc_id, blob)
                self._index = index
            return self._index

    @staticmethod
    def shown_name(file_name: str) -> str:
        """A submitted file's name as it may be shown or stored (personal numbers in it masked)."""
        return mask_name(file_name)

    def ping(self) -> None:
        """Raise StoreUnavailable when the review store cannot be reached (readiness)."""
        self.store.ping()

    def close(self) -> None:
        with self._lock:
            self.store.close()
            self._index = None

    # -- use-cases ----------------------------------------------------------------------------------------------
    def read(self, data: bytes, file_name: str) -> ReadDocument:
        return read_document(data, file_name, ocr=self.ocr, office=self.office, max_bytes=self.max_bytes,
                             budgets=self.budgets, clock=self._clock)

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
        return self.analyse(self.read(data, name), hashlib.sha256(data).hexdigest())

    def analyse(self, doc: ReadDocument, doc_id: str) -> ReviewResult:
        """Checks + near-duplicate search + store, for a document already read."""
        kind, findings = run_checks(doc, self.policy)
        elements = tuple(find_elements(doc, self.policy.element_reading).values()) if kind == "authorisation" else ()
        masked = MaskedText(doc.text)
        fp = fingerprint(masked.text)
        sketch = self.sketcher.sketch(fp.shingles)
        found = dates(reading_text(doc.text))
        doc_date = found[-1][0].isoformat() if found else None  # the signature date closes a letter
        try:
            index = self._near_copies()
            with self._lock:
                before = self.store.get(doc_id)
                similar, links = self._similar(doc_id, fp, masked.text, index, sketch, kind)
                record = StoredDocument(doc_id, mask_name(doc.file_name), kind, masked.text, sketch, doc_date,
                                        before.reviewed_at if before else self.store.now())
                self.store.add(record, links)
                if fp.usable:
                    index.add(doc_id, sketch)
                cluster_id, members = self.store.cluster(doc_id)
        except StoreUnavailable as exc:
            # The checks still stand on their own; say plainly that nothing was compared or kept.
            log.warning("review store unavailable, document reviewed without near-copy search: %s", exc.message)
            findings = [finding(doc, "store.unavailable", "info", NOT_STORED), *findings]
            return ReviewResult(doc_id=doc_id, file_name=mask_name(doc.file_name), kind=kind, source=doc.source,
                                pages=doc.pages, lines=len(doc.lines), findings=tuple(findings), similar=(),
                                cluster_id=None, cluster_size=1, masked_text=masked.text, doc_date=doc_date,
                                ocr_confidence=doc.mean_confidence, seen_before=False)
        if similar:
            findings = [self._template_finding(doc, masked, kind, similar, len(members)), *findings]
            findings.sort(key=lambda f: SEVERITY_ORDER[f.severity])  # stable: keeps position order within a level
        return ReviewResult(doc_id=doc_id, file_name=mask_name(doc.file_name), kind=kind, source=doc.source,
                            pages=doc.pages, lines=len(doc.lines), findings=tuple(findings), similar=tuple(similar),
                            cluster_id=cluster_id, cluster_size=len(members), masked_text=masked.text,
                            doc_date=doc_date, ocr_confidence=doc.mean_confidence, seen_before=before is not None,
                            elements=elements)

    def _similar(self, doc_id: str, fp: Fingerprint, masked: str, index: NearDuplicateIndex,
                 sketch: bytes, kind: str) -> tuple[list[SimilarDocument], list[Link]]:
        if not fp.usable:
            return [], []
        candidates = [c for c in index.candidates(sketch) if c != doc_id]
        rows = self.store.get_many(candidates)
        similar, links = [], []
        for cid in candidates:
            row = rows.get(cid)
            if row is None:
                continue
            other = fingerprint(row.masked_text)
            link = compare(doc_id, fp, cid, other, forms=kind == row.kind == "certificate")
            if link is None:
                continue
            links.append(link)
            similar.append(SimilarDocument(cid, row.file_name, row.kind, link.jaccard, link.containment, row.reviewed_at,
                                           shared_passages(fp, other, masked)))
        similar.sort(key=lambda s: (-s.jaccard, s.reviewed_at))
        return similar, links

    def _template_finding(self, doc: ReadDocument, masked: MaskedText, kind: str, similar: list[SimilarDocument],
                          cluster_size: int) -> Finding:
        top = similar[0]
        wave = cluster_size >= WAVE_SIZE
        what = "证明" if kind == "certificate" else "材料"
        msg = (f"与此前{len(similar)}份{what}高度雷同（最高Jaccard {top.jaccard:.2f}，覆盖 {top.containment:.0%}），"
               f"所在雷同簇共{cluster_size}份。")
        msg += ("成批出现的模板化材料是付费代理的典型迹象：交专人核实，并直接联系借款人本人。" if wave else
                "可能是照模板书写；单独一对雷同不足以下结论，请结合其他迹象。")
        signal = self.policy.signal_for("similar.templated.certificate" if kind == "certificate"
                                        else "similar.templated.letter")
        severity: Severity = "high" if wave else "info"     # one pair proves nothing (the message says so)
        if kind == "authorisation":  # standard forms are common: the trustee named in it matters, not the layout
            msg = (f"与此前{len(similar)}份委托书格式雷同（最高Jaccard {top.jaccard:.2f}）。委托书常用标准格式，雷同本身不说明"
                   "问题；若多份委托书指向同一受托公司或同一联系电话，请一并核查。")
            severity = "info"
        if not top.passages:
            return finding(doc, "similar.templated", severity, msg, signal=signal)
        p = max(top.passages, key=lambda p: p.end - p.start)
        start, end = masked.to_original(p.start), masked.to_original(p.end)
        return finding(doc, "similar.templated", severity, msg, start, end, signal=signal, quote=p.text[:120])
