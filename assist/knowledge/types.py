"""The knowledge base's plain data: documents, their passages, filters, search hits and the problems a file has."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

KINDS: tuple[str, ...] = ("regulation", "guide", "script", "education")
AUDIENCES: tuple[str, ...] = ("agent", "consumer", "all")
# What a script is for (its front matter `family`): a caller's own need; identity or authorisation checks;
# lawful representatives; protecting a victim; the signals of a paid intermediary or a coached borrower (offered only
# when the risk hint is at least medium, or when staff ask for them).
SCRIPT_FAMILIES: tuple[str, ...] = ("need", "verification", "representative", "victim", "intermediary")


@dataclass(frozen=True)
class Document:
    """A loaded knowledge document: validated metadata plus its text as written."""

    id: str
    title: str
    kind: str
    audience: str
    path: str                       # where it was read from
    text: str                       # the whole decoded file, as written (offsets refer to it)
    body_start: int                 # offset of the body (after front matter) in ``text``
    tags: tuple[str, ...] = ()
    source: Any = None              # mapping for regulations, list/str otherwise
    meta: dict[str, Any] = field(default_factory=dict)   # every other front-matter field (scripts' slots etc.)

    @property
    def body(self) -> str:
        return self.text[self.body_start:]


@dataclass(frozen=True)
class Chunk:
    """A retrievable passage of a document, with where it came from."""

    id: str                         # stable: document id + content hash
    doc_id: str
    title: str
    kind: str
    audience: str
    text: str                       # as written in the source
    start: int                      # character offsets into Document.text
    end: int
    source_path: str
    headings: tuple[str, ...] = ()
    article: str | None = None      # 第X条 when the chunk is (part of) an article
    tags: tuple[str, ...] = ()
    citation: str = ""              # "law, articles" for regulations
    law: str = ""                   # the law a statute's article belongs to, or the law a digest cites
    cites: tuple[str, ...] = ()     # a digest's cited articles as statutes.article_key (law#第X条)

    def context_text(self) -> str:
        """Text given to the indexes: title and heading path add context the chunk itself lacks."""
        head = " / ".join(h for h in self.headings if h)
        parts = [self.title]
        if head:
            parts.append(head)
        if self.tags:
            parts.append(" ".join(self.tags))
        parts.append(self.text)
        return "\n".join(parts)

    def to_meta(self) -> dict[str, Any]:
        meta: dict[str, Any] = {
            "doc_id": self.doc_id, "title": self.title, "kind": self.kind, "audience": self.audience,
            "start": self.start, "end": self.end, "source_path": self.source_path,
            "headings": " / ".join(self.headings), "article": self.article or "", "citation": self.citation,
        }
        if self.tags:
            meta["tags"] = list(self.tags)
        if self.law:
            meta["law"] = self.law
        if self.cites:
            meta["cites"] = list(self.cites)
        return meta

    @property
    def unit(self) -> str:
        """What a result list shows once: an article of a statute text, otherwise the whole document."""
        return f"{self.doc_id}#{self.article}" if self.law and self.article and not self.cites else self.doc_id

    @classmethod
    def from_meta(cls, chunk_id: str, text: str, meta: dict[str, Any]) -> "Chunk":
        heads = tuple(h for h in str(meta.get("headings", "")).split(" / ") if h)
        return cls(id=chunk_id, doc_id=meta["doc_id"], title=meta["title"], kind=meta["kind"],
                   audience=meta["audience"], text=text, start=int(meta["start"]), end=int(meta["end"]),
                   source_path=meta["source_path"], headings=heads, article=meta.get("article") or None,
                   tags=tuple(meta.get("tags") or ()), citation=meta.get("citation", ""), law=meta.get("law", ""),
                   cites=tuple(meta.get("cites") or ()))


@dataclass(frozen=True)
class DocumentDefaults:
    """Fields for documents without front matter: from the command line, a folder's ``_defaults.yaml`` or settings.
    None leaves the field to inference (kind from the text's shape; audience always falls back to staff-only)."""

    kind: str | None = None
    audience: str | None = None
    tags: tuple[str, ...] = ()
    origin: str = ""                # where these came from, for the ingest summary
    kind_origin: str = ""           # where the kind came from, when merged from several
    audience_origin: str = ""

    def where(self, field: str) -> str:
        """Where ``field`` (kind or audience) came from."""
        return str(getattr(self, f"{field}_origin")) or self.origin

    def over(self, other: "DocumentDefaults") -> "DocumentDefaults":
        """These defaults, with ``other`` filling what these leave open."""
        return DocumentDefaults(self.kind or other.kind, self.audience or other.audience,
                                tuple(dict.fromkeys((*self.tags, *other.tags))), self.origin or other.origin,
                                self.where("kind") if self.kind else other.where("kind"),
                                self.where("audience") if self.audience else other.where("audience"))


@dataclass(frozen=True)
class Filter:
    """Metadata filter applied inside the stores' queries."""

    audiences: tuple[str, ...] | None = None   # None = any
    kinds: tuple[str, ...] | None = None
    tags: tuple[str, ...] | None = None        # any of these tags

    @classmethod
    def for_audience(cls, audience: str | None, kinds: tuple[str, ...] | None = None,
                     tags: tuple[str, ...] | None = None) -> "Filter":
        """Audience 'agent' sees agent+all documents, 'consumer' sees consumer+all; None sees everything."""
        auds: tuple[str, ...] | None
        if audience is None or audience == "any":
            auds = None
        else:
            auds = (audience,) if audience == "all" else (audience, "all")
        return cls(audiences=auds, kinds=kinds or None, tags=tags or None)


@dataclass(frozen=True)
class Hit:
    """One search result."""

    chunk: Chunk
    score: float                    # fused score used for ranking (RRF, or reranker score)
    relevance: float                # cosine similarity to the query (what the floor looks at)
    dense_rank: int | None = None
    lexical_rank: int | None = None


@dataclass(frozen=True)
class Problem:
    """One problem found in a knowledge file: what is wrong and where."""

    path: str
    message: str
    line: int | None = None
    field: str | None = None
    severity: str = "error"  # error | warning

    def describe(self) -> str:
        where = self.path + (f":{self.line}" if self.line else "")
        fld = f" [{self.field}]" if self.field else ""
        return f"{where}{fld}: {self.severity}: {self.message}"
