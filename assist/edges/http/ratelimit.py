"""Per-client token bucket: a burst of messages, then a steady rate. In memory, per process (one uvicorn worker
serves the widget; behind several workers each enforces its own share, which errs on the generous side)."""

from __future__ import annotations

import time
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
        self._buckets: dict[str, _Bucket] = {}

    def allow(self, client: str) -> float:
        """0.0 when the message may go through (and is counted), else the seconds to wait before retrying."""
        now = self._clock()
        b = self._buckets.get(client)
        if b is None:
            if len(self._buckets) >= self._max_clients:   # bound memory: drop buckets that have refilled
                for k in [k for k, v in self._buckets.items() if v.tokens + (now - v.updated) * self.rate >= self.burst]:
                    del self._buckets[k]
            b = self._buckets[client] = _Bucket(self.burst, now)
        b.tokens = min(self.burst, b.tokens + (now - b.updated) * self.rate)
        b.updated = now
        if b.tokens >= 1.0:
            b.tokens -= 1.0
            return 0.0
        return (1.0 - b.tokens) / self.rate
