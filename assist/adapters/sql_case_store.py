"""Case store (SQLAlchemy): SQLite beside the index by default, a PostgreSQL URL works too (the same code).

Three tables: cases, their items (masked content and its hash), and a per-case log whose entries are chained by
hash (assist.cases.types.entry_hash). Nothing here updates or deletes a row; a second writer appending to the same
case's log at the same moment loses the race on the (case_id, seq) key and tries again on the new last entry."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import (
    Column,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    insert,
    select,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from assist.adapters.sql_database import SqlDatabase
from assist.cases.types import GENESIS, CaseRecord, Item, LogEntry, entry_hash
from assist.errors import CaseError, StoreUnavailable

_meta = MetaData()

cases = Table(
    "case_file", _meta,
    Column("case_id", String(40), primary_key=True),
    Column("record", Text, nullable=False),                     # CaseRecord as JSON (masked)
    Column("created_at", String(40), nullable=False),
)

items = Table(
    "case_item", _meta,
    Column("case_id", String(40), nullable=False),
    Column("item_id", String(80), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("at", String(40), nullable=False),
    Column("content", Text, nullable=False),                    # masked JSON
    Column("content_sha256", String(64), nullable=False),
    Column("source_sha256", String(64), nullable=False),
    Column("added_by", String(128), nullable=False),
    Column("added_at", String(40), nullable=False),
    PrimaryKeyConstraint("case_id", "item_id"),
)

log = Table(
    "case_log", _meta,
    Column("case_id", String(40), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("at", String(40), nullable=False),
    Column("actor", String(128), nullable=False),
    Column("role", String(32), nullable=False),
    Column("action", String(32), nullable=False),
    Column("detail", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    PrimaryKeyConstraint("case_id", "seq"),
)


deleted = Table(
    "case_deleted", _meta,                                     # a deleted case leaves this row and nothing else
    Column("case_id", String(40), primary_key=True),
    Column("at", String(40), nullable=False),
    Column("actor", String(128), nullable=False),
    Column("reason", Text, nullable=False),
    Column("items", Integer, nullable=False),
    Column("last_hash", String(64), nullable=False),           # the log's last hash: packages can still be matched
)


class SqlCaseStore:
    """The CaseStore port over a SQLAlchemy URL, on the shared engine helper (assist.adapters.sql_database: one
    connection pool per URL, WAL and one writer at a time on SQLite, outages as StoreUnavailable naming the
    setting)."""

    def __init__(self, url: str, timeout_s: float = 5.0) -> None:
        self.db = SqlDatabase(url, timeout_s=timeout_s, setting="cases.store_url", name="case store")
        self.engine: Engine = self.db.engine

    @contextmanager
    def _writing(self) -> Iterator[Connection]:
        self.db.ensure(_meta)
        with self.db.unavailable("write a case"), self.db.writing() as c:
            yield c

    @contextmanager
    def _reading(self) -> Iterator[Connection]:
        self.db.ensure(_meta)
        with self.db.unavailable("read a case"), self.engine.connect() as c:
            yield c

    # -- cases -----------------------------------------------------------------------------------------------------
    def create(self, case: CaseRecord) -> None:
        try:
            with self._writing() as c:
                c.execute(insert(cases).values(case_id=case.case_id, created_at=case.created_at,
                                               record=json.dumps(case.to_dict(), ensure_ascii=False)))
        except IntegrityError as exc:
            raise CaseError(f"case {case.case_id} exists already", field="case_id") from exc

    def get(self, case_id: str) -> CaseRecord | None:
        with self._reading() as c:
            row = c.execute(select(cases.c.record).where(cases.c.case_id == case_id)).first()
        return CaseRecord.of(json.loads(row[0])) if row else None

    def cases(self) -> list[CaseRecord]:
        with self._reading() as c:
            rows = c.execute(select(cases.c.record).order_by(cases.c.created_at.desc(), cases.c.case_id)).all()
        return [CaseRecord.of(json.loads(r[0])) for r in rows]

    # -- items -----------------------------------------------------------------------------------------------------
    def add_items(self, case_id: str, new: Sequence[Item]) -> list[Item]:
        added: list[Item] = []
        with self._writing() as c:
            have = {r[0] for r in c.execute(select(items.c.item_id).where(items.c.case_id == case_id))}
            for it in new:
                if it.item_id in have:
                    continue
                have.add(it.item_id)
                c.execute(insert(items).values(
                    case_id=case_id, item_id=it.item_id, kind=it.kind, at=it.at,
                    content=json.dumps(it.content, ensure_ascii=False, sort_keys=True),
                    content_sha256=it.content_sha256, source_sha256=it.source_sha256, added_by=it.added_by,
                    added_at=it.added_at))
                added.append(it)
        return added

    def items(self, case_id: str) -> list[Item]:
        with self._reading() as c:
            rows = c.execute(select(items.c.item_id, items.c.kind, items.c.at, items.c.content, items.c.source_sha256,
                                    items.c.content_sha256, items.c.added_by, items.c.added_at)
                             .where(items.c.case_id == case_id).order_by(items.c.at, items.c.item_id)).all()
        return [Item(r[0], r[1], r[2], json.loads(r[3]), r[4], r[5], r[6], r[7]) for r in rows]

    # -- log -------------------------------------------------------------------------------------------------------
    def append_log(self, case_id: str, at: str, actor: str, role: str, action: str,
                   detail: dict[str, Any]) -> LogEntry:
        for _ in range(5):
            try:
                with self._writing() as c:
                    last = c.execute(select(log.c.seq, log.c.hash).where(log.c.case_id == case_id)
                                     .order_by(log.c.seq.desc()).limit(1)).first()
                    seq, prev = (int(last[0]) + 1, str(last[1])) if last else (1, GENESIS)
                    body = LogEntry(seq, case_id, at, actor, role, action, detail, prev, "")
                    entry = LogEntry(**{**body.to_dict(), "hash": entry_hash(prev, body.body())})
                    c.execute(insert(log).values(case_id=case_id, seq=seq, at=at, actor=actor, role=role, action=action,
                                                 detail=json.dumps(detail, ensure_ascii=False, sort_keys=True),
                                                 prev_hash=prev, hash=entry.hash))
                return entry
            except IntegrityError:      # another writer took this seq: chain onto its entry instead
                continue
        raise StoreUnavailable("case log is too busy to append to just now", field="cases.store_url")

    def log(self, case_id: str) -> list[LogEntry]:
        with self._reading() as c:
            rows = c.execute(select(log.c.seq, log.c.case_id, log.c.at, log.c.actor, log.c.role, log.c.action,
                                    log.c.detail, log.c.prev_hash, log.c.hash)
                             .where(log.c.case_id == case_id).order_by(log.c.seq)).all()
        return [LogEntry(int(r[0]), r[1], r[2], r[3], r[4], r[5], json.loads(r[6]), r[7], r[8]) for r in rows]

    def delete(self, case_id: str, at: str, actor: str, reason: str) -> int:
        """Remove a case, its items and its log in one transaction (retention over, or the purpose achieved), leaving
        a row that says who deleted it, when, why and the log's last hash. Returns the number of items removed."""
        from sqlalchemy import delete as sql_delete

        with self._writing() as c:
            n = len(c.execute(select(items.c.item_id).where(items.c.case_id == case_id)).all())
            last = c.execute(select(log.c.hash).where(log.c.case_id == case_id).order_by(log.c.seq.desc())
                             .limit(1)).first()
            c.execute(sql_delete(items).where(items.c.case_id == case_id))
            c.execute(sql_delete(log).where(log.c.case_id == case_id))
            c.execute(sql_delete(cases).where(cases.c.case_id == case_id))
            c.execute(insert(deleted).values(case_id=case_id, at=at, actor=actor, reason=reason, items=n,
                                             last_hash=str(last[0]) if last else ""))
        return n

    def deleted(self) -> list[dict[str, Any]]:
        """Every deletion, oldest first."""
        with self._reading() as c:
            rows = c.execute(select(deleted).order_by(deleted.c.at)).mappings().all()
        return [dict(r) for r in rows]

    def ping(self) -> None:
        with self._reading() as c:
            c.execute(select(cases.c.case_id).limit(1)).first()
