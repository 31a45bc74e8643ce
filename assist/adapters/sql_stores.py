"""The review, watchlist, practice and voiceprint stores in the shared database (SQLAlchemy Core: PostgreSQL when
``database_url`` is set, so every worker on every host reads and writes the same rows). Same ports and behaviour as
the single-machine SQLite files in assist.adapters.sqlite_stores (tests/integration/test_shared_stores.py runs one
contract over both). Callers mask personal data before anything is written; these stores never see raw text."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
from sqlalchemy import (
    Column,
    Float,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    and_,
    delete,
    func,
    insert,
    or_,
    select,
)
from sqlalchemy.exc import IntegrityError

from assist.adapters.sql_database import SqlDatabase
from assist.adapters.sqlite_stores import PRACTICE_COLUMNS, SCHEMA_VERSION, linked_component
from assist.errors import ConfigError
from assist.review.types import Link, StoredDocument

_meta = MetaData()
_review_meta = Table("review_meta", _meta, Column("key", String(64), primary_key=True),
                     Column("value", Text, nullable=False))
_documents = Table(
    "review_documents", _meta,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("doc_id", String(64), nullable=False, unique=True),
    Column("file_name", Text, nullable=False),
    Column("kind", String(32), nullable=False),
    Column("masked_text", Text, nullable=False),
    Column("minhash", LargeBinary, nullable=False),
    Column("doc_date", String(32)),
    Column("reviewed_at", String(40), nullable=False),
)
_links = Table(
    "review_links", _meta,
    Column("a", String(64), primary_key=True), Column("b", String(64), primary_key=True),
    Column("jaccard", Float, nullable=False), Column("containment", Float, nullable=False),
    Index("ix_review_links_b", "b"),
)
_sightings = Table(
    "watchlist_sightings", _meta,
    Column("kind", String(32), primary_key=True), Column("id_hash", String(128), primary_key=True),
    Column("borrower_hash", String(128), primary_key=True), Column("source", String(64), primary_key=True),
    Column("seen", String(40), nullable=False),
    Index("ix_watchlist_by_id", "kind", "id_hash", "seen"),
)
_practice = Table(
    "practice_results", _meta,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("trainee", String(128)), Column("conversation", String(128)), Column("label", String(32)),
    Column("started", Float), Column("finished", Float), Column("score", Integer), Column("handled_well", Text),
    Column("missed", Text), Column("violations", Text), Column("mean_similarity", Float), Column("replies", Text),
)
_DOC_COLUMNS = ("doc_id", "file_name", "kind", "masked_text", "minhash", "doc_date", "reviewed_at")


class SqlReviewStore:
    """Reviewed documents and their links (ReviewStore port)."""

    def __init__(self, db: SqlDatabase, params: dict[str, str]) -> None:
        self.db = db
        params = {"schema": SCHEMA_VERSION, **params}

        def setup() -> dict[str, str]:
            with db.writing() as c:
                found = dict(c.execute(select(_review_meta.c.key, _review_meta.c.value)).all())
                for key, value in params.items():
                    if key not in found:
                        c.execute(insert(_review_meta).values(key=key, value=value))
                        found[key] = value
                return found

        found = db.do(_meta, "open the review store", setup)
        wrong = {k: found[k] for k, v in params.items() if found.get(k) != v}
        if wrong:
            raise ConfigError(f"review store was written with other parameters {wrong}; start a new database or "
                              "move the review tables away", field=db.setting)

    def close(self) -> None:
        """The engine is shared with the other stores in this database: nothing to close here."""

    @staticmethod
    def now() -> str:
        return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")

    def _read(self, what: str, q: Any) -> list[Any]:
        def run() -> list[Any]:
            with self.db.engine.connect() as c:
                return list(c.execute(q).all())

        return self.db.do(_meta, what, run)

    def get(self, doc_id: str) -> StoredDocument | None:
        rows = self._read("read a reviewed document", select(*(_documents.c[k] for k in _DOC_COLUMNS)).where(
            _documents.c.doc_id == doc_id))
        return StoredDocument(*rows[0]) if rows else None

    def get_many(self, doc_ids: list[str]) -> dict[str, StoredDocument]:
        out: dict[str, StoredDocument] = {}
        for i in range(0, len(doc_ids), 500):
            rows = self._read("read reviewed documents", select(*(_documents.c[k] for k in _DOC_COLUMNS)).where(
                _documents.c.doc_id.in_(doc_ids[i:i + 500])))
            out.update({r[0]: StoredDocument(*r) for r in rows})
        return out

    def add(self, doc: StoredDocument, links: Sequence[Link]) -> bool:
        """Insert the document and its links in one transaction; False when it was already there."""
        def run() -> bool:
            try:
                with self.db.writing() as c:
                    if c.execute(select(_documents.c.seq).where(_documents.c.doc_id == doc.doc_id)).first():
                        return False
                    c.execute(insert(_documents).values(**{k: getattr(doc, k) for k in _DOC_COLUMNS}))
                    for ln in links:
                        a, b = sorted((ln.a, ln.b))
                        if not c.execute(select(_links.c.a).where(and_(_links.c.a == a, _links.c.b == b))).first():
                            c.execute(insert(_links).values(a=a, b=b, jaccard=ln.jaccard, containment=ln.containment))
                    return True
            except IntegrityError:        # another worker stored the same document at the same moment
                return False

        return self.db.do(_meta, "store a reviewed document", run)

    def sketches(self) -> Iterator[tuple[str, bytes]]:
        yield from ((r[0], bytes(r[1])) for r in self._read(
            "read document sketches", select(_documents.c.doc_id, _documents.c.minhash).order_by(_documents.c.seq)))

    def count(self) -> int:
        return int(self._read("count reviewed documents", select(func.count()).select_from(_documents))[0][0])

    def ping(self) -> None:
        self.count()

    def links_of(self, doc_id: str) -> list[Link]:
        rows = self._read("read document links", select(_links.c.a, _links.c.b, _links.c.jaccard,
                                                         _links.c.containment).where(
            or_(_links.c.a == doc_id, _links.c.b == doc_id)))
        return [Link(*r) for r in rows]

    def cluster(self, doc_id: str, limit: int = 5000) -> tuple[str | None, list[str]]:
        """The connected component of ``doc_id`` over stored links (see sqlite_stores.linked_component)."""
        return linked_component(doc_id, self.links_of, self._order, limit)

    def _order(self, members: list[str]) -> dict[str, int]:
        return dict(self._read("order a cluster", select(_documents.c.doc_id, _documents.c.seq).where(
            _documents.c.doc_id.in_(members))))


class SqlWatchlistStore:
    """Keyed-hash sightings (WatchlistStore port): (kind, id_hash, borrower_hash, source) once, latest time seen."""

    def __init__(self, db: SqlDatabase) -> None:
        self.db = db
        db.ensure(_meta)

    def add(self, rows: Sequence[tuple[str, str, str, str, str]]) -> None:
        if not rows:
            return
        if self.db.postgres:
            from sqlalchemy.dialects.postgresql import insert as upsert
        else:
            from sqlalchemy.dialects.sqlite import insert as upsert  # type: ignore[assignment]
        latest: dict[tuple[str, str, str, str], str] = {}     # one row per key per statement (PostgreSQL insists)
        for kind, id_hash, borrower, seen, source in rows:
            k = (kind, id_hash, borrower, source)
            latest[k] = max(seen, latest.get(k, seen))
        values = [{"kind": k[0], "id_hash": k[1], "borrower_hash": k[2], "source": k[3], "seen": seen}
                  for k, seen in latest.items()]
        stmt = upsert(_sightings).values(values)
        stmt = stmt.on_conflict_do_update(index_elements=["kind", "id_hash", "borrower_hash", "source"],
                                          set_={"seen": func.max(_sightings.c.seen, stmt.excluded.seen)
                                                if not self.db.postgres
                                                else func.greatest(_sightings.c.seen, stmt.excluded.seen)})

        def run() -> None:
            with self.db.writing() as c:
                c.execute(stmt)

        self.db.do(_meta, "record watchlist sightings", run)

    def linkage(self, kind: str, id_hash: str, since: str, until: str) -> tuple[int, int]:
        t = _sightings.c

        def run() -> tuple[int, int]:
            with self.db.engine.connect() as c:
                row = c.execute(select(func.count(func.distinct(t.source + t.borrower_hash)), func.count()).where(
                    and_(t.kind == kind, t.id_hash == id_hash, t.seen >= since, t.seen <= until))).one()
            return int(row[0]), int(row[1])

        return self.db.do(_meta, "read watchlist sightings", run)

    def rows(self) -> Iterator[tuple[str, str, str, str, str]]:
        t = _sightings.c

        def run() -> list[Any]:
            with self.db.engine.connect() as c:
                return list(c.execute(select(t.kind, t.id_hash, t.borrower_hash, t.seen, t.source).order_by(
                    t.kind, t.id_hash)).all())

        yield from (tuple(r) for r in self.db.do(_meta, "read watchlist sightings", run))

    def close(self) -> None:
        """Shared engine: nothing to close."""


class SqlPracticeStore:
    """One row per finished practice session (PracticeStore port)."""

    def __init__(self, db: SqlDatabase) -> None:
        self.db = db
        db.ensure(_meta)

    def save(self, row: dict[str, Any]) -> None:
        def run() -> None:
            with self.db.writing() as c:
                c.execute(insert(_practice).values(**{k: row[k] for k in PRACTICE_COLUMNS}))

        self.db.do(_meta, "save a practice result", run)

    def rows(self, trainee: str | None = None) -> list[dict[str, Any]]:
        q = select(*(_practice.c[k] for k in PRACTICE_COLUMNS)).order_by(_practice.c.finished, _practice.c.id)
        if trainee:
            q = q.where(_practice.c.trainee == trainee)

        def run() -> list[dict[str, Any]]:
            with self.db.engine.connect() as c:
                return [dict(zip(PRACTICE_COLUMNS, r)) for r in c.execute(q).all()]

        return self.db.do(_meta, "read practice results", run)

    def close(self) -> None:
        """Shared engine: nothing to close."""


_voice_meta = MetaData()
_voiceprints = Table(
    "voiceprints", _voice_meta,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("borrower_hash", String(128), nullable=False, index=True),
    Column("call_hash", String(128), nullable=False),
    Column("seen", String(40), nullable=False, index=True),
    Column("vector", LargeBinary, nullable=False),
)


class SqlVoiceprintStore:
    """Speaker embeddings (VoiceprintStore port) in the shared database: a voice heard by one worker is compared
    with the voices every worker on every host kept. float32 vectors with keyed-hash borrower and call ids and the
    time seen; never audio, never a raw id (the same rows as assist.adapters.sqlite_voiceprints)."""

    def __init__(self, db: SqlDatabase) -> None:
        self.db = db

    def add(self, borrower_hash: str, call_hash: str, seen: str, vector: Sequence[float]) -> None:
        blob = np.asarray(vector, dtype="<f4").tobytes()

        def run() -> None:
            with self.db.writing() as c:
                c.execute(insert(_voiceprints).values(borrower_hash=borrower_hash, call_hash=call_hash, seen=seen,
                                                      vector=blob))

        self.db.do(_voice_meta, "keep a voiceprint", run)

    def since(self, since: str) -> list[tuple[str, str, str, list[float]]]:
        def run() -> list[tuple[str, str, str, list[float]]]:
            q = select(_voiceprints.c.borrower_hash, _voiceprints.c.call_hash, _voiceprints.c.seen,
                       _voiceprints.c.vector).where(_voiceprints.c.seen >= since).order_by(_voiceprints.c.id)
            with self.db.engine.connect() as c:
                rows: Any = c.execute(q).all()
            return [(str(b), str(k), str(s), np.frombuffer(bytes(v), dtype="<f4").tolist()) for b, k, s, v in rows]

        return self.db.do(_voice_meta, "read voiceprints", run)

    def delete_borrower(self, borrower_hash: str) -> int:
        return self._delete(_voiceprints.c.borrower_hash == borrower_hash)

    def delete_before(self, before: str) -> int:
        return self._delete(_voiceprints.c.seen < before)

    def _delete(self, where: Any) -> int:
        def run() -> int:
            with self.db.writing() as c:
                return int(c.execute(delete(_voiceprints).where(where)).rowcount)

        return self.db.do(_voice_meta, "delete voiceprints", run)

    def count(self) -> int:
        def run() -> int:
            with self.db.engine.connect() as c:
                return int(c.execute(select(func.count()).select_from(_voiceprints)).scalar_one())

        return self.db.do(_voice_meta, "count voiceprints", run)

    def close(self) -> None:
        """The engine is shared with the other stores on this database; nothing of its own to close."""
