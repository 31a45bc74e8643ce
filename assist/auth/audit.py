"""The audit trail: who opened which call's assistance, verified, tagged, exported, downloaded, changed datasets,
accounts or keys, reviewed documents, signed in. Append-only (the store has no update or delete besides the
retention purge); every value is masked (assist.core.pii) before it is written. A write the database does not take
just now is kept in memory, in order, and written with the next one (bounded: past it the oldest go, counted)."""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from typing import Any

from assist.auth.types import Identity
from assist.core.pii import mask_for_storage, mask_value
from assist.errors import StoreUnavailable
from assist.ports import AuditStore

log = logging.getLogger("assist.audit")


class AuditTrail:
    def __init__(self, store: AuditStore, retention_days: int, *, max_queued: int = 10_000,
                 clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self.retention_days = retention_days
        self.max_queued = max_queued
        self.dropped = 0
        self._clock = clock
        self._queue: deque[dict[str, Any]] = deque()
        self._lock = threading.Lock()
        self._flushing = threading.Lock()   # one writer at a time: two must not write (and pop) the same rows
        self._last_purge = 0.0

    def __call__(self, ident: Identity | None, action: str, target: str = "",
                 detail: Mapping[str, Any] | None = None) -> None:
        self.record(ident, action, target, detail)

    def record(self, ident: Identity | None, action: str, target: str = "",
               detail: Mapping[str, Any] | None = None) -> None:
        row = {"at": dt.datetime.fromtimestamp(self._clock(), dt.UTC), "action": action[:48],
               "actor": mask_for_storage(ident.actor)[:130] if ident else "anonymous",
               "roles": ",".join(sorted(ident.roles)) if ident else "",
               "target": mask_for_storage(str(target))[:200], "detail": mask_value(dict(detail or {}))}
        with self._lock:
            self._queue.append(row)
            if len(self._queue) > self.max_queued:
                self._queue.popleft()
                self.dropped += 1
                if self.dropped == 1 or self.dropped % 1000 == 0:
                    log.error("audit queue full: %d oldest events dropped so far", self.dropped)
        self.flush()
        if self._clock() - self._last_purge > 3600:
            self.purge()

    def flush(self) -> bool:
        """Write the queued events, oldest first. Callers wait for a flush already running (which writes their
        event too when it was queued in time), so every event is written exactly once."""
        with self._flushing:
            while True:
                with self._lock:
                    if not self._queue:
                        return True
                    rows = list(self._queue)
                try:
                    self.store.append(rows)
                except StoreUnavailable as exc:
                    log.warning("audit store unavailable, %d events queued: %s", len(rows), exc.message)
                    return False
                written = {id(r) for r in rows}
                with self._lock:                # only this flusher removes rows; new ones were appended behind
                    while self._queue and id(self._queue[0]) in written:
                        self._queue.popleft()

    def purge(self) -> int:
        """Delete events older than the retention (audit.retention_days); returns how many went."""
        self._last_purge = self._clock()
        cutoff = dt.datetime.fromtimestamp(self._clock(), dt.UTC) - dt.timedelta(days=self.retention_days)
        try:
            return self.store.purge_before(cutoff)
        except StoreUnavailable as exc:
            log.warning("audit purge skipped: %s", exc.message)
            return 0

    def query(self, *, actor: str | None = None, action: str | None = None, target: str | None = None,
              since: dt.datetime | None = None, until: dt.datetime | None = None, limit: int = 200) -> list[dict[str, Any]]:
        self.flush()
        return self.store.query(actor=actor, action=action, target=target, since=since, until=until,
                                limit=max(1, min(limit, 5000)))
