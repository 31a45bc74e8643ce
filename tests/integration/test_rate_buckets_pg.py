"""The consumer widget's rate-limit buckets on PostgreSQL under workers racing for one client: a bucket swept as stale
by one worker while another worker reads it must not end in a duplicate-key error (that was a 500 to a consumer in
the load bench, bench/load.py, on the reference deployment). Skipped without ASSIST_TEST_PG_URL (CI provides it)."""

from __future__ import annotations

import os
import threading

import pytest

from assist.adapters.sql_database import SqlDatabase
from assist.adapters.sql_sessions import SqlRateLimiter

PG = os.environ.get("ASSIST_TEST_PG_URL")


@pytest.fixture
def pg():
    if not PG:
        if os.environ.get("CI"):
            pytest.fail("CI must provide PostgreSQL (ASSIST_TEST_PG_URL): .ci/run sets it up")
        pytest.skip("no PostgreSQL (set ASSIST_TEST_PG_URL)")
    return PG


def test_workers_racing_over_a_swept_bucket_never_fail(pg):
    # every bucket is stale a moment after it is written (burst 1 refills in a millisecond) and every call sweeps, so
    # workers keep deleting the row the others are about to read
    scope = f"race{os.getpid()}"
    limiters = [SqlRateLimiter(SqlDatabase(pg), scope, per_minute=60_000, burst=1, sweep_every_s=0.0)
                for _ in range(4)]
    errors: list[BaseException] = []
    waits: list[float] = []

    def worker(lim: SqlRateLimiter) -> None:
        for _ in range(60):
            try:
                waits.append(lim.allow("127.0.0.1"))
            except BaseException as e:  # noqa: BLE001 - every failure is the finding
                errors.append(e)

    threads = [threading.Thread(target=worker, args=(lim,)) for lim in limiters for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [], errors[:1]
    assert len(waits) == 480 and all(w >= 0.0 for w in waits)
    assert len(limiters[0]) <= 1                      # one bucket for the client, never two
