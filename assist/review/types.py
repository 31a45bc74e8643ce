"""Plain data passed between the reader, the checks, the similarity index and the edges of document review."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Severity = Literal["info", "warn", "high"]
DocKind = Literal["authorisation", "complaint", "certificate", "other"]
SEVERITY_ORDER = {"high": 0, "warn": 1, "info": 2}
SEVERITY_ZH = {"high": "高", "warn": "注意", "info": "提示"}
KIND_ZH = {"authorisation": "授权委托书", "complaint": "投诉信", "certificate": "困难证明", "other": "其他材料"}


@dataclass(frozen=True)
class Line:
    """One line of a document as read: its page (1-based), its number on that page (1-based), its text and, for
    OCR, its box in pixels (x0, y0, x1, y1) and recognition confidence."""

    page: int
    line_no: int
    text: str
    bbox: tuple[float, float, float, float] | None = None
    confidence: float | None = None


@dataclass(frozen=True)
class ReadDocument:
    """A document turned into positioned lines. ``text`` joins the lines with newlines; ``starts[i]`` is where line
    ``i`` begins in it, so a finding can give both a line and character offsets."""

    file_name: str
    source: Literal["text", "pdf", "docx", "image", "pdf-ocr"]
    lines: tuple[Line, ...]
    pages: int = 1

    @property
    def text(self) -> str:
        return "\n".join(ln.text for ln in self.lines)

    @property
    def starts(self) -> list[int]:
        out, pos = [], 0
        for ln in self.lines:
            out.append(pos)
            pos += len(ln.text) + 1
        return out

    @property
    def ocr(self) -> bool:
        return self.source in ("image", "pdf-ocr")

    @property
    def mean_confidence(self) -> float | None:
        scores = [ln.confidence for ln in self.lines if ln.confidence is not None]
        return round(sum(scores) / len(scores), 4) if scores else None


@dataclass(frozen=True)
class Finding:
    """One observation with its evidence. ``quote`` is masked (assist.core.pii); ``start``/``end`` are offsets into the
    document text as read (ReadDocument.text). Findings about something *missing* have no quote or position."""

    check: str
    severity: Severity
    message: str
    quote: str = ""
    page: int | None = None
    line: int | None = None
    start: int | None = None
    end: int | None = None
    signal: str | None = None          # signal id from knowledge/signals.yaml when the finding comes from one

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Element:
    """One part of an authorisation letter (principal, agent, relationship, scope, term, signature, date, licence):
    found, with the masked clause that shows it and its position, or missing, with where it was looked for."""

    name: str
    found: bool
    quote: str = ""
    page: int | None = None
    line: int | None = None
    start: int | None = None
    end: int | None = None
    where: str = ""                     # for a missing part: where the letter was searched
    by: str = "rules"                   # what read it: "rules", or "model" (the sentence reader, review.element_model)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class SharedPassage:
    """A passage of the new document that also occurs in an earlier one (masked text)."""

    text: str
    start: int                          # offsets into the masked text of the new document
    end: int


@dataclass(frozen=True)
class SimilarDocument:
    """An earlier document the new one nearly copies."""

    doc_id: str
    file_name: str
    kind: str
    jaccard: float                      # exact Jaccard of the two shingle sets
    containment: float                  # shared shingles / shingles of the smaller document
    reviewed_at: str
    passages: tuple[SharedPassage, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ReviewResult:
    """What reviewing one document gave."""

    doc_id: str                         # sha256 of the file's bytes
    file_name: str                      # masked
    kind: DocKind
    source: str
    pages: int
    lines: int
    findings: tuple[Finding, ...]
    similar: tuple[SimilarDocument, ...]
    cluster_id: str | None              # None when the document links to nothing
    cluster_size: int
    masked_text: str
    doc_date: str | None = None         # the last date written in the document (ISO), if any
    ocr_confidence: float | None = None
    seen_before: bool = False           # the same bytes were reviewed earlier (the result is recomputed, not stored twice)
    elements: tuple[Element, ...] = ()  # an authorisation letter's parts, found or missing (empty for other kinds)

    @property
    def kind_zh(self) -> str:
        return KIND_ZH[self.kind]

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["kind_zh"] = self.kind_zh
        return d


@dataclass(frozen=True)
class Cluster:
    """Documents of one folder linked (directly or through others) by near-copying."""

    cluster_id: str
    members: tuple[str, ...]            # relative paths (masked), in timeline order
    passages: tuple[str, ...] = ()      # passages the members share (masked), longest first

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class BatchItem:
    """One file of a folder review: its path relative to the folder (masked), its result, its timeline date."""

    path: str
    result: ReviewResult
    date: str                           # ISO date
    date_source: Literal["letter", "mtime"]
    cluster_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "date": self.date, "date_source": self.date_source, "cluster_id": self.cluster_id,
                **self.result.to_dict()}


@dataclass
class BatchReport:
    """A folder reviewed as a whole: each document's result, the clusters, files that could not be read."""

    folder: str
    items: list[BatchItem] = field(default_factory=list)
    clusters: list[Cluster] = field(default_factory=list)
    errors: list[dict[str, str]] = field(default_factory=list)      # {"file", "error"}
    links: list[dict[str, Any]] = field(default_factory=list)       # {"a", "b", "jaccard", "containment"} (paths)
    html_path: str | None = None
    json_path: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"folder": self.folder, "documents": [i.to_dict() for i in self.items],
                "clusters": [c.to_dict() for c in self.clusters], "errors": list(self.errors),
                "links": list(self.links), "html_path": self.html_path, "json_path": self.json_path}


@dataclass(frozen=True)
class StoredDocument:
    """A reviewed document as the store keeps it (text already masked)."""

    doc_id: str
    file_name: str
    kind: str
    masked_text: str
    minhash: bytes
    doc_date: str | None
    reviewed_at: str


@dataclass(frozen=True)
class Link:
    """Two documents confirmed as near copies."""

    a: str
    b: str
    jaccard: float
    containment: float

    def to_dict(self) -> dict[str, Any]:
        return {"a": self.a, "b": self.b, "jaccard": self.jaccard, "containment": self.containment}
