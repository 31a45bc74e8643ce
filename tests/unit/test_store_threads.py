"""The database-backed stores hammered from many threads at once (the HTTP routes run in a thread pool): every write
kept once, reads in between never fail, and the rows come back whole. The in-process session stores and the rate
limiter have their own hammer tests (tests/unit/core/test_core.py, tests/unit/consumer/test_sessions.py)."""

from __future__ import annotations

import threading
from collections.abc import Callable

from assist.adapters.sql_feedback_store import SqlFeedbackStore
from assist.adapters.sqlite_stores import PRACTICE_COLUMNS, SqlitePracticeStore, SqliteReviewStore, SqliteWatchlistStore
from assist.review.types import StoredDocument

THREADS = 8
EACH = 40
FEEDBACK_EACH = EACH


def _hammer(work: Callable[[int, int], None], each: int = EACH) -> None:
    errors: list[BaseException] = []
    barrier = threading.Barrier(THREADS)

    def run(k: int) -> None:
        barrier.wait()
        try:
            for j in range(each):
                work(k, j)
        except BaseException as exc:  # noqa: BLE001 - reported below, from the main thread
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(k,)) for k in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_feedback_store_under_concurrent_writes_and_reads(tmp_path):
    store = SqlFeedbackStore(f"sqlite:///{tmp_path / 'feedback.sqlite'}", timeout_s=1.0)   # the server's default wait

    def work(k: int, j: int) -> None:
        sid = f"s{k}-{j}"
        store.record_shown([{"id": sid, "session_id": f"sess{k}", "turn_index": j, "script_id": f"script{j % 3}",
                             "situation": "none", "text": "您好", "risk_level": "low", "risk_score": 0.1}])
        store.record_feedback(sid, ("used", "edited", "rejected")[j % 3], None, f"a{k}")
        store.record_tag(f"sess{k}", "suspected_intermediary", j % 2 == 0, None)
        assert store.shown_row(sid) is not None
        store.feedback_counts()

    _hammer(work, FEEDBACK_EACH)
    counts = store.feedback_counts()
    assert sum(n for per in counts.values() for n in per.values()) == THREADS * FEEDBACK_EACH
    assert all(store.tag_state(f"sess{k}", "suspected_intermediary") is False for k in range(THREADS))  # last j odd


def test_sqlite_stores_under_concurrent_writes_and_reads(tmp_path):
    review = SqliteReviewStore(tmp_path / "review.sqlite", {"sketch": "test"})
    watch = SqliteWatchlistStore(tmp_path / "watch.sqlite")
    practice = SqlitePracticeStore(tmp_path / "practice.sqlite")

    def work(k: int, j: int) -> None:
        doc = f"d{k}-{j}"
        assert review.add(StoredDocument(doc, f"{doc}.txt", "letter", "投诉信", b"\x00" * 8, None, review.now()), [])
        assert review.get(doc) is not None and review.count() >= 1
        watch.add([("phone", f"h{j}", f"b{k}", "2026-01-01T00:00:00", "test")])
        watch.linkage("phone", f"h{j}", "2025-01-01", "2027-01-01")
        practice.save({c: (f"学员{k}" if c == "trainee" else 0 if c in ("started", "finished", "score") else "")
                       for c in PRACTICE_COLUMNS})
        practice.rows(f"学员{k}")

    _hammer(work)
    assert review.count() == THREADS * EACH
    assert len(list(review.sketches())) == THREADS * EACH
    assert all(watch.linkage("phone", f"h{j}", "2025-01-01", "2027-01-01") == (THREADS, THREADS) for j in range(EACH))
    assert len(practice.rows()) == THREADS * EACH and all(len(practice.rows(f"学员{k}")) == EACH for k in range(THREADS))
