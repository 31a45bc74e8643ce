"""One SQLAlchemy database (SQLite by default, PostgreSQL when configured) and the one way every SQL store here talks
to it: accounts and keys, the audit trail and request log, feedback votes, live sessions, cases, the index catalog.
One engine (one connection pool) per URL and setting; each store creates its own tables on first use (a database that
is down at start-up does not stop the server); a database that is down, locked or read-only comes out as
StoreUnavailable naming the store and its setting."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlalchemy import MetaData, create_engine, event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, OperationalError, TimeoutError

from assist.errors import StoreUnavailable

R = TypeVar("R")


def _sqlite_wal(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    """Write-ahead log: readers never wait for a writer (in SQLite's default journal a steady stream of commits
    starves readers past the timeout). A file that cannot switch just now (locked, read-only) keeps its journal; the
    store's own errors say what is wrong when it is used."""
    try:
        dbapi_connection.execute("PRAGMA journal_mode=WAL")
        dbapi_connection.execute("PRAGMA synchronous=NORMAL")     # consistent after a crash; at worst the last rows go
    except sqlite3.OperationalError:
        pass


class SqlDatabase:
    """``timeout_s``: how long to wait for a locked SQLite file, a PostgreSQL connection or a free pooled one.
    ``setting``: the field named by its errors; ``name``: what its messages call it ("feedback store cannot …")."""

    def __init__(self, url: str, timeout_s: float = 5.0, setting: str = "database_url", name: str = "database") -> None:
        args: dict[str, Any] = {}
        self.sqlite = url.startswith("sqlite")
        if self.sqlite:
            args = {"timeout": timeout_s, "check_same_thread": False}
        elif url.startswith("postgresql"):
            args = {"connect_timeout": max(1, round(timeout_s))}
        kw: dict[str, Any] = {} if self.sqlite else {"pool_size": 10, "max_overflow": 20, "pool_timeout": timeout_s}
        self.engine: Engine = create_engine(url, future=True, pool_pre_ping=True, connect_args=args, **kw)
        if self.sqlite:
            event.listen(self.engine, "connect", _sqlite_wal)
        self.setting = setting
        self.name = name
        self._write_lock = threading.Lock()
        self._made: set[int] = set()
        self._schema_lock = threading.Lock()

    @property
    def postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    @contextmanager
    def unavailable(self, what: str) -> Iterator[None]:
        try:
            yield
        except (OperationalError, TimeoutError) as exc:
            raise StoreUnavailable(f"{self.name} cannot {what}: {str(getattr(exc, 'orig', exc))[:200]}",
                                   field=self.setting) from exc
        except DBAPIError as exc:
            if exc.connection_invalidated:
                raise StoreUnavailable(f"{self.name} lost its connection while trying to {what}",
                                       field=self.setting) from exc
            raise

    def ensure(self, meta: MetaData, upgrade: Callable[[Engine], None] | None = None) -> None:
        """Create ``meta``'s tables once (and then run ``upgrade``, e.g. adding a column an older database lacks);
        a failure is StoreUnavailable and is tried again at the next use."""
        if id(meta) in self._made:
            return
        with self._schema_lock, self.unavailable("create its tables"):
            if id(meta) not in self._made:
                meta.create_all(self.engine)
                if upgrade is not None:
                    upgrade(self.engine)
                self._made.add(id(meta))

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """A write transaction. On SQLite this process's writers take turns (one file has one writer at a time anyway;
        left to SQLite's busy handler, which sleeps and retries without a queue, a writer among many can starve past
        the timeout), and each takes the file's write lock at its start (BEGIN IMMEDIATE), where another process's
        lock is waited for, rather than at its first write, where SQLite may answer "database is locked" at once."""
        if not self.sqlite:
            with self.engine.begin() as c:
                yield c
            return
        with self._write_lock, self.engine.begin() as c:
            c.exec_driver_sql("BEGIN IMMEDIATE")
            yield c

    def do(self, meta: MetaData, what: str, fn: Callable[[], R], upgrade: Callable[[Engine], None] | None = None) -> R:
        """``fn`` after ``meta``'s tables exist, its database errors as StoreUnavailable."""
        self.ensure(meta, upgrade)
        with self.unavailable(what):
            return fn()
