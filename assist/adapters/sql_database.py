"""One SQLAlchemy database (SQLite by default, PostgreSQL when configured) shared by the stores that live in it:
accounts and keys, the audit trail and request log, feedback votes, live sessions. One engine (one connection pool)
per URL; each store creates its own tables on first use; a database that is down, locked or read-only comes out as
StoreUnavailable naming the setting."""

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
    try:
        dbapi_connection.execute("PRAGMA journal_mode=WAL")
        dbapi_connection.execute("PRAGMA synchronous=NORMAL")
    except sqlite3.OperationalError:
        pass


class SqlDatabase:
    def __init__(self, url: str, timeout_s: float = 5.0, setting: str = "database_url") -> None:
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
            raise StoreUnavailable(f"database cannot {what}: {str(getattr(exc, 'orig', exc))[:200]}",
                                   field=self.setting) from exc
        except DBAPIError as exc:
            if exc.connection_invalidated:
                raise StoreUnavailable(f"database connection lost while trying to {what}", field=self.setting) from exc
            raise

    def ensure(self, meta: MetaData) -> None:
        if id(meta) in self._made:
            return
        with self._schema_lock, self.unavailable("create its tables"):
            if id(meta) not in self._made:
                meta.create_all(self.engine)
                self._made.add(id(meta))

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """A write transaction (on SQLite one writer of this process at a time, taking the file's lock at BEGIN)."""
        if not self.sqlite:
            with self.engine.begin() as c:
                yield c
            return
        with self._write_lock, self.engine.begin() as c:
            c.exec_driver_sql("BEGIN IMMEDIATE")
            yield c

    def do(self, meta: MetaData, what: str, fn: Callable[[], R]) -> R:
        self.ensure(meta)
        with self.unavailable(what):
            return fn()
