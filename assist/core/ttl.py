"""The in-process session store: a thread-safe map whose entries expire after an idle time (live call sessions,
consumer chat sessions), bounded in size, with exclusive use of one entry at a time (``hold``). It implements the
SessionStore port (assist.ports); a database or Redis adapter implements the same port when several workers must
share sessions.

Entries are kept in order of last use, so expiring costs only the entries that expire, and evicting the longest idle
entry when full costs one step (never a scan of every session on every request)."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


@dataclass
class _Entry(Generic[V]):
    touched: float
    value: V
    lock: threading.Lock


class ExpiringMap(Generic[K, V]):
    """``get`` refreshes an entry; one not used for ``ttl_s`` seconds is gone. With ``max_entries`` the map holds at
    most that many: ``add`` then refuses a new key (returns False), or, with ``evict=True``, drops the longest idle
    entry to make room."""

    def __init__(self, ttl_s: float, clock: Callable[[], float] = time.monotonic, *, max_entries: int | None = None,
                 evict: bool = False) -> None:
        self.ttl_s = ttl_s
        self.max_entries = max_entries
        self.evict = evict
        self.evicted = 0
        self._clock = clock
        self._items: OrderedDict[K, _Entry[V]] = OrderedDict()
        self._lock = threading.Lock()

    def _expire(self, now: float) -> None:
        while self._items:
            key, entry = next(iter(self._items.items()))
            if now - entry.touched <= self.ttl_s:
                break
            del self._items[key]

    def _touch(self, key: K, now: float) -> _Entry[V] | None:
        entry = self._items.get(key)
        if entry is not None:
            entry.touched = now
            self._items.move_to_end(key)
        return entry

    def add(self, key: K, value: V) -> bool:
        """Store a value under a new (or existing) key; False when the map is full and may not evict."""
        with self._lock:
            now = self._clock()
            self._expire(now)
            if key not in self._items and self.max_entries is not None and len(self._items) >= self.max_entries:
                if not self.evict:
                    return False
                self._items.popitem(last=False)
                self.evicted += 1
            entry = self._items.get(key)
            if entry is None:
                self._items[key] = _Entry(now, value, threading.Lock())
            else:
                entry.value = value
                self._touch(key, now)
            return True

    def put(self, key: K, value: V) -> None:
        """``add`` that always stores (evicting the longest idle entry when full, whatever ``evict`` says)."""
        if not self.add(key, value):
            with self._lock:
                if self._items:
                    self._items.popitem(last=False)
                    self.evicted += 1
            self.add(key, value)

    def get(self, key: K) -> V | None:
        """The live value (its idle time starts again), or None when unknown or expired."""
        with self._lock:
            now = self._clock()
            self._expire(now)
            entry = self._touch(key, now)
            return entry.value if entry is not None else None

    @contextmanager
    def hold(self, key: K) -> Iterator[V | None]:
        """Exclusive use of one entry for a read-modify-write: another ``hold`` of the same key waits until this
        block ends; other keys are not held up. Yields None when the key is unknown or expired."""
        with self._lock:
            now = self._clock()
            self._expire(now)
            entry = self._touch(key, now)
        if entry is None:
            yield None
            return
        with entry.lock:
            yield entry.value

    def discard(self, key: K) -> None:
        with self._lock:
            self._items.pop(key, None)

    def __len__(self) -> int:
        with self._lock:
            self._expire(self._clock())
            return len(self._items)
