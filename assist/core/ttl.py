"""A thread-safe map whose entries expire after an idle time: live call sessions and consumer chat sessions.

Entries are kept in order of last use, so expiring costs only the entries that expire (not a scan of every session
on every request)."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class ExpiringMap(Generic[K, V]):
    """``get`` refreshes an entry; one not used for ``ttl_s`` seconds is gone."""

    def __init__(self, ttl_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl_s = ttl_s
        self._clock = clock
        self._items: OrderedDict[K, tuple[float, V]] = OrderedDict()
        self._lock = threading.Lock()

    def _expire(self, now: float) -> None:
        while self._items:
            key, (touched, _) = next(iter(self._items.items()))
            if now - touched <= self.ttl_s:
                break
            del self._items[key]

    def put(self, key: K, value: V) -> None:
        with self._lock:
            now = self._clock()
            self._expire(now)
            self._items[key] = (now, value)
            self._items.move_to_end(key)

    def get(self, key: K) -> V | None:
        """The live value (its idle time starts again), or None when unknown or expired."""
        with self._lock:
            now = self._clock()
            self._expire(now)
            item = self._items.get(key)
            if item is None:
                return None
            self._items[key] = (now, item[1])
            self._items.move_to_end(key)
            return item[1]

    def __len__(self) -> int:
        with self._lock:
            self._expire(self._clock())
            return len(self._items)
