"""The FeedbackStore contract, on SQLite (the default) and on a real PostgreSQL server. .ci/run starts one and sets
ASSIST_TEST_PG_URL, and fails when it cannot; run by hand without it, the PostgreSQL case is skipped with a reason."""

import os
import uuid

import pytest

from assist.adapters.sql_feedback_store import SqlFeedbackStore

PG = os.environ.get("ASSIST_TEST_PG_URL")


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    if request.param == "sqlite":
        return SqlFeedbackStore(f"sqlite:///{tmp_path / 'fb.sqlite'}")
    if not PG:
        if os.environ.get("CI"):
            pytest.fail("CI must provide PostgreSQL (ASSIST_TEST_PG_URL): .ci/run sets it up")
        pytest.skip("no PostgreSQL server: .ci/run starts one and sets ASSIST_TEST_PG_URL")
    return SqlFeedbackStore(PG)


def test_shown_feedback_tags_and_counts(store):
    sid = "s-" + uuid.uuid4().hex[:8]
    script = "script-" + uuid.uuid4().hex[:6]
    ids = []
    for i in range(3):
        sug = uuid.uuid4().hex[:16]
        ids.append(sug)
        store.record_shown([{"id": sug, "session_id": sid, "turn_index": i, "script_id": script,
                             "situation": "intermediary", "text": "话术", "risk_level": "medium", "risk_score": 0.6}])
    assert store.shown_row(ids[0])["risk_level"] == "medium"
    assert store.shown_row(ids[0])["created_at"] is not None
    store.record_feedback(ids[0], "rejected", None, "a1")
    store.record_feedback(ids[1], "rejected", None, "a1")
    store.record_feedback(ids[2], "edited", "改过的话术", "a2")
    assert store.feedback_counts()[(script, "intermediary")] == {"rejected": 2, "edited": 1}
    assert store.shown_row("missing") is None
    assert store.tag_state(sid, "疑似代理") is False
    store.record_tag(sid, "疑似代理", True, "a1")
    assert store.tag_state(sid, "疑似代理") is True
    store.record_tag(sid, "疑似代理", False, "a1")
    assert store.tag_state(sid, "疑似代理") is False
