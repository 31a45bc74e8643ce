"""Per-client token bucket: a burst of messages, then a steady rate. In memory, per process (one uvicorn worker
serves the widget; behind several workers each enforces its own share, which errs on the generous side). Safe to
call from request threads; bounded: past ``max_clients`` the longest unseen client is forgotten (one step, no scan).
Who a client is comes from assist.edges.http.limits.client_address (X-Forwarded-For only from trusted proxies)."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    def __init__(self, per_minute: int, burst: int, clock: Callable[[], float] = time.monotonic,
                 max_clients: int = 100_000) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self._clock = clock
        self._max_clients = max_clients
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()
        self._lock = threading.Lock()

    def allow(self, client: str) -> float:
        """0.0 when the message may go through (and is counted), else the seconds to wait before retrying."""
        with self._lock:
            now = self._clock()
            b = self._buckets.get(client)
            if b is None:
                if len(self._buckets) >= self._max_clients:
                    # the least recently seen client: its bucket has refilled longest ago, or it comes back full
                    self._buckets.popitem(last=False)
                b = self._buckets[client] = _Bucket(self.burst, now)
            else:
                self._buckets.move_to_end(client)
            b.tokens = min(self.burst, b.tokens + (now - b.updated) * self.rate)
            b.updated = now
            if b.tokens >= 1.0:
                b.tokens -= 1.0
                return 0.0
            return (1.0 - b.tokens) / self.rate

    def __len__(self) -> int:
        with self._lock:
            return len(self._buckets)
