"""Audit and feedback writes that never take the assistance down: a FeedbackStore in front of the real one that, when
the database cannot be written (down, locked, read-only), logs the failure, keeps the rows in memory in order and
writes them later. Staff keep getting the risk hint and suggestions while the database is away; nothing is written
twice and nothing is lost unless the queue overflows (then the oldest rows go, counted in the log)."""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from typing import Any

from assist.errors import StoreUnavailable
from assist.ports import FeedbackStore

log = logging.getLogger("assist.audit")

RETRY_AFTER_S = 5.0       # after a failed write, later writes go straight to the queue for this long (no waiting)


class QueuedFeedbackStore:
    """The FeedbackStore port over ``inner``, with a bounded in-memory queue for writes that failed."""

    def __init__(self, inner: FeedbackStore, max_queued: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.inner = inner
        self.max_queued = max_queued
        self.dropped = 0
        self._clock = clock
        self._queue: deque[tuple[str, tuple[Any, ...]]] = deque()
        self._pending_shown: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()
        self._flushing = threading.Lock()
        self._down_until = 0.0

    @property
    def queued(self) -> int:
        with self._lock:
            return len(self._queue)

    # -- writes --------------------------------------------------------------------------------------------------
    def record_shown(self, rows: Sequence[dict[str, Any]]) -> None:
        self._write("record_shown", (list(rows),))

    def record_feedback(self, suggestion_id: str, action: str, edited_text: str | None, agent_id: str | None) -> None:
        self._write("record_feedback", (suggestion_id, action, edited_text, agent_id))

    def record_tag(self, session_id: str, tag: str, value: bool, agent_id: str | None) -> None:
        self._write("record_tag", (session_id, tag, value, agent_id))

    def _write(self, method: str, args: tuple[Any, ...]) -> None:
        if self._clock() >= self._down_until and self.flush():
            try:
                getattr(self.inner, method)(*args)
                return
            except StoreUnavailable as exc:
                self._failed(exc)
        self._enqueue(method, args)

    def _failed(self, exc: StoreUnavailable) -> None:
        with self._lock:
            first = self._clock() >= self._down_until
            self._down_until = self._clock() + RETRY_AFTER_S
        if first:
            log.warning("feedback/audit store unavailable, queueing writes (%d queued): %s", self.queued, exc.message)

    def _enqueue(self, method: str, args: tuple[Any, ...]) -> None:
        with self._lock:
            if len(self._queue) >= self.max_queued:
                old_method, old_args = self._queue.popleft()
                if old_method == "record_shown":
                    for row in old_args[0]:
                        self._pending_shown.pop(row["id"], None)
                self.dropped += 1
                if self.dropped == 1 or self.dropped % 1000 == 0:
                    log.error("feedback/audit queue full (%d rows): %d oldest rows dropped so far",
                              self.max_queued, self.dropped)
            self._queue.append((method, args))
            if method == "record_shown":
                for row in args[0]:
                    self._pending_shown[row["id"]] = row

    def flush(self) -> bool:
        """Write queued rows in order; True when the queue is empty afterwards. One thread flushes at a time (the
        others carry on and queue behind it)."""
        if not self._flushing.acquire(blocking=False):
            return False
        try:
            while True:
                with self._lock:
                    if not self._queue:
                        return True
                    method, args = self._queue[0]
                try:
                    getattr(self.inner, method)(*args)
                except StoreUnavailable as exc:
                    self._failed(exc)
                    return False
                with self._lock:
                    if self._queue and self._queue[0] == (method, args):
                        self._queue.popleft()
                    if method == "record_shown":
                        for row in args[0]:
                            self._pending_shown.pop(row["id"], None)
        finally:
            self._flushing.release()

    # -- reads ---------------------------------------------------------------------------------------------------
    def shown_row(self, suggestion_id: str) -> dict[str, Any] | None:
        with self._lock:
            pending = self._pending_shown.get(suggestion_id)
        return dict(pending) if pending is not None else self.inner.shown_row(suggestion_id)

    def tag_state(self, session_id: str, tag: str) -> bool:
        self.flush()
        return self.inner.tag_state(session_id, tag)

    def knows_session(self, session_id: str) -> bool:
        self.flush()
        return self.inner.knows_session(session_id)

    def feedback_counts(self) -> dict[tuple[str, str], dict[str, int]]:
        return self.inner.feedback_counts()

    def vote_rows(self) -> list[tuple[str, str, str, str, str]]:
        self.flush()
        return self.inner.vote_rows()

    def votes(self, *, script_id: str | None = None, agent_id: str | None = None,
              limit: int = 200) -> list[dict[str, Any]]:
        self.flush()
        return self.inner.votes(script_id=script_id, agent_id=agent_id, limit=limit)

    def undo_vote(self, vote_id: int, by: str) -> bool:
        return self.inner.undo_vote(vote_id, by)

    def ping(self) -> None:
        """Raise StoreUnavailable when the database does not answer or does not take the queued writes (read-only,
        locked); when it does, the queue is written now."""
        self.inner.ping()
        with self._lock:
            self._down_until = 0.0
        if not self.flush() and self.queued:
            raise StoreUnavailable(f"{self.queued} feedback/audit rows are waiting: the database does not take writes")
