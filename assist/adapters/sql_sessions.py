"""Live sessions and rate-limit buckets in the shared database (SQLAlchemy: SQLite on one machine, PostgreSQL for
several hosts), so that any worker can serve any turn of a call and a worker that dies loses nothing.

- ``SqlSessionStore`` implements the SessionStore port: one row per session (kind, key) holding the value as JSON
  (the caller's codec turns it into plain data and back: masked turns, the risk state, slots). ``hold`` is a
  transaction that locks the row (``SELECT … FOR UPDATE`` on PostgreSQL, the file's write lock on SQLite) and writes
  the value back when the block ends without an error; an error rolls back, so a turn is applied whole or not at all.
- Expiry is by an indexed ``expires`` column: a read ignores an expired row, and expired rows are deleted at most
  every ``sweep_every_s`` seconds in one indexed statement, so no request ever scans the sessions.
- ``SqlRateLimiter`` is the same token bucket as the in-process one (assist.edges.http.ratelimit), one row per client,
  updated in one locked transaction, so every worker enforces one shared budget.

Times are wall-clock (time.time) because several processes and hosts compare them."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Generic, TypeVar

from sqlalchemy import Column, Float, Index, MetaData, String, Table, Text, and_, delete, func, insert, select, update

from assist.adapters.sql_database import SqlDatabase

T = TypeVar("T")

_meta = MetaData()
_sessions = Table(
    "live_sessions", _meta,
    Column("kind", String(16), primary_key=True),
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
    Column("expires", Float, nullable=False),
    Index("ix_live_sessions_expiry", "kind", "expires"),
)
_buckets = Table(
    "rate_buckets", _meta,
    Column("scope", String(32), primary_key=True),
    Column("client", String(128), primary_key=True),
    Column("tokens", Float, nullable=False),
    Column("updated", Float, nullable=False),
    Index("ix_rate_buckets_updated", "scope", "updated"),
)


class SqlSessionStore(Generic[T]):
    """Sessions of one ``kind`` (e.g. "call", "consumer") in the database. ``encode``/``decode`` turn a value into
    JSON-able data and back. ``max_entries``: ``add`` refuses a new key beyond it (``evict``: drops the longest idle
    one instead). The number of live sessions is counted at most every COUNT_EVERY_S and followed in between by this
    worker's own adds, so a new session costs no count of all sessions (a capacity guard, not an exact quota: other
    workers' adds show at the next count)."""

    COUNT_EVERY_S = 2.0

    def __init__(self, db: SqlDatabase, kind: str, ttl_s: float, encode: Callable[[T], Any],
                 decode: Callable[[Any], T], *, max_entries: int | None = None, evict: bool = False,
                 clock: Callable[[], float] = time.time, sweep_every_s: float = 30.0) -> None:
        self.db = db
        self.kind = kind
        self.ttl_s = ttl_s
        self.max_entries = max_entries
        self.evict = evict
        self.evicted = 0
        self._encode, self._decode = encode, decode
        self._clock = clock
        self._sweep_every = sweep_every_s
        self._swept = -float("inf")
        self._sweep_lock = threading.Lock()
        self._live = 0
        self._counted_at = -float("inf")

    # -- helpers ---------------------------------------------------------------------------------------------------
    def _dump(self, value: T) -> str:
        return json.dumps(self._encode(value), ensure_ascii=False, separators=(",", ":"))

    def _where(self, key: str) -> Any:
        return and_(_sessions.c.kind == self.kind, _sessions.c.key == key)

    def _sweep(self, now: float) -> None:
        """Delete expired rows, at most once per ``sweep_every_s`` in this process (one indexed statement)."""
        if now - self._swept < self._sweep_every or not self._sweep_lock.acquire(blocking=False):
            return
        try:
            self._swept = now
            with self.db.writing() as c:
                c.execute(delete(_sessions).where(and_(_sessions.c.kind == self.kind, _sessions.c.expires < now)))
        finally:
            self._sweep_lock.release()

    # -- the port --------------------------------------------------------------------------------------------------
    def add(self, key: str, value: T) -> bool:
        data = self._dump(value)

        def run() -> bool:
            now = self._clock()
            self._sweep(now)
            with self.db.writing() as c:
                exists = c.execute(select(_sessions.c.key).where(self._where(key))).first() is not None
                if not exists and self.max_entries is not None:
                    if now - self._counted_at >= self.COUNT_EVERY_S:
                        self._live = c.execute(select(func.count()).select_from(_sessions).where(
                            and_(_sessions.c.kind == self.kind, _sessions.c.expires >= now))).scalar_one()
                        self._counted_at = now
                    if self._live >= self.max_entries:
                        if not self.evict:
                            return False
                        oldest = c.execute(select(_sessions.c.key).where(and_(
                            _sessions.c.kind == self.kind, _sessions.c.expires >= now)).order_by(
                            _sessions.c.expires).limit(1)).scalar_one_or_none()
                        if oldest is not None:
                            c.execute(delete(_sessions).where(self._where(oldest)))
                            self.evicted += 1
                            self._live -= 1
                if exists:
                    c.execute(update(_sessions).where(self._where(key)).values(value=data, expires=now + self.ttl_s))
                else:
                    c.execute(delete(_sessions).where(self._where(key)))       # an expired row under the same key
                    c.execute(insert(_sessions).values(kind=self.kind, key=key, value=data,
                                                       expires=now + self.ttl_s))
                    self._live += 1
            return True

        return self.db.do(_meta, "store a live session", run)

    def put(self, key: str, value: T) -> None:
        if not self.add(key, value):
            evict, self.evict = self.evict, True
            try:
                self.add(key, value)
            finally:
                self.evict = evict

    def get(self, key: str) -> T | None:
        def run() -> Any:
            now = self._clock()
            self._sweep(now)
            with self.db.writing() as c:
                row = c.execute(select(_sessions.c.value).where(
                    and_(self._where(key), _sessions.c.expires >= now))).first()
                if row is None:
                    return None
                c.execute(update(_sessions).where(self._where(key)).values(expires=now + self.ttl_s))
                return row[0]

        raw = self.db.do(_meta, "read a live session", run)
        return None if raw is None else self._decode(json.loads(raw))

    @contextmanager
    def hold(self, key: str) -> Iterator[T | None]:
        self.db.ensure(_meta)
        now = self._clock()
        self._sweep(now)
        with self.db.unavailable("hold a live session"), self.db.writing() as c:
            q = select(_sessions.c.value).where(and_(self._where(key), _sessions.c.expires >= now))
            if self.db.postgres:
                q = q.with_for_update()
            row = c.execute(q).first()
            if row is None:
                yield None
                return
            value = self._decode(json.loads(row[0]))
            yield value
            c.execute(update(_sessions).where(self._where(key)).values(value=self._dump(value),
                                                                       expires=self._clock() + self.ttl_s))

    def discard(self, key: str) -> None:
        def run() -> None:
            with self.db.writing() as c:
                c.execute(delete(_sessions).where(self._where(key)))

        self.db.do(_meta, "end a live session", run)

    def __len__(self) -> int:
        def run() -> int:
            with self.db.engine.connect() as c:
                return int(c.execute(select(func.count()).select_from(_sessions).where(
                    and_(_sessions.c.kind == self.kind, _sessions.c.expires >= self._clock()))).scalar_one())

        return self.db.do(_meta, "count live sessions", run)


class SqlRateLimiter:
    """A token bucket per client shared by every worker: ``per_minute`` steady, ``burst`` at once. ``allow`` returns
    0.0 when the message may go (and counts it), else the seconds to wait. Buckets idle for longer than a full refill
    are deleted now and then (they would come back full anyway)."""

    def __init__(self, db: SqlDatabase, scope: str, per_minute: int, burst: int,
                 clock: Callable[[], float] = time.time, sweep_every_s: float = 60.0) -> None:
        self.db = db
        self.scope = scope
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self._clock = clock
        self._sweep_every = sweep_every_s
        self._swept = -float("inf")

    def allow(self, client: str) -> float:
        client = client[:128]
        where = and_(_buckets.c.scope == self.scope, _buckets.c.client == client)

        def run() -> float:
            now = self._clock()
            with self.db.writing() as c:
                if now - self._swept >= self._sweep_every:
                    self._swept = now
                    c.execute(delete(_buckets).where(and_(_buckets.c.scope == self.scope,
                                                          _buckets.c.updated < now - self.burst / self.rate)))
                if self.db.postgres:         # two workers meeting a new client at once: one row, then a row lock
                    from sqlalchemy.dialects.postgresql import insert as pg_insert

                    c.execute(pg_insert(_buckets).values(scope=self.scope, client=client, tokens=self.burst,
                                                         updated=now).on_conflict_do_nothing())
                q = select(_buckets.c.tokens, _buckets.c.updated).where(where)
                if self.db.postgres:
                    q = q.with_for_update()
                row = c.execute(q).first()
                tokens = self.burst if row is None else min(self.burst, row[0] + max(0.0, now - row[1]) * self.rate)
                wait = 0.0
                if tokens >= 1.0:
                    tokens -= 1.0
                else:
                    wait = (1.0 - tokens) / self.rate
                if row is None and self.db.postgres:
                    # the row was swept as stale (a full bucket) by another worker between our insert and our read,
                    # and that worker may be writing it again now: write ours over whichever lands first
                    from sqlalchemy.dialects.postgresql import insert as pg_insert

                    up = pg_insert(_buckets).values(scope=self.scope, client=client, tokens=tokens, updated=now)
                    c.execute(up.on_conflict_do_update(index_elements=["scope", "client"],
                                                       set_={"tokens": tokens, "updated": now}))
                elif row is None:
                    c.execute(insert(_buckets).values(scope=self.scope, client=client, tokens=tokens, updated=now))
                else:
                    c.execute(update(_buckets).where(where).values(tokens=tokens, updated=now))
                return wait

        return self.db.do(_meta, "count a message against its rate limit", run)

    def __len__(self) -> int:
        def run() -> int:
            with self.db.engine.connect() as c:
                return int(c.execute(select(func.count()).select_from(_buckets).where(
                    _buckets.c.scope == self.scope)).scalar_one())

        return self.db.do(_meta, "count rate-limit buckets", run)
