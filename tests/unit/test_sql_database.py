"""The one SQL set-up (assist.adapters.sql_database) as the feedback store and the index catalog use it: tables made on
first use (a database down at start-up does not stop the server), an older feedback database upgraded in place, WAL
on SQLite, outages as StoreUnavailable naming each store's setting, and the catalog's refusal of other databases."""

import sqlite3

import pytest

from assist.adapters.sql_feedback_store import SqlFeedbackStore
from assist.adapters.sql_index_catalog import SqlIndexCatalog
from assist.errors import ConfigError, StoreUnavailable


def test_feedback_store_waits_for_a_database_that_is_down_at_start_up(tmp_path):
    folder = tmp_path / "not" / "yet"
    store = SqlFeedbackStore(f"sqlite:///{folder / 'fb.sqlite'}", timeout_s=0.2)      # no error here
    with pytest.raises(StoreUnavailable, match="feedback store cannot") as exc:
        store.ping()
    assert exc.value.field == "agent.feedback_url"
    folder.mkdir(parents=True)
    store.record_tag("s1", "疑似代理", True, "a1")                                     # tables made now
    assert store.tag_state("s1", "疑似代理") is True
    assert sqlite3.connect(folder / "fb.sqlite").execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_feedback_store_adds_the_undo_columns_to_an_older_database(tmp_path):
    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as c:
        c.execute("CREATE TABLE suggestion_feedback (id INTEGER PRIMARY KEY, suggestion_id VARCHAR(40) NOT NULL, "
                  "action VARCHAR(12) NOT NULL, edited_text TEXT, agent_id VARCHAR(130), created_at TIMESTAMP NOT NULL)")
    store = SqlFeedbackStore(f"sqlite:///{path}")
    store.record_shown([{"id": "g1", "session_id": "s1", "turn_index": 0, "script_id": "x", "situation": "none",
                         "text": "您好", "risk_level": "low", "risk_score": 0.1}])
    store.record_feedback("g1", "rejected", None, "a1")
    vote = store.votes()[0]
    assert store.undo_vote(vote["vote_id"], "admin") and store.votes()[0]["undone_by"] == "admin"


def test_index_catalog_takes_only_sqlite_or_postgresql_and_names_its_setting(tmp_path):
    with pytest.raises(ConfigError) as exc:
        SqlIndexCatalog("mysql+pymysql://u:p@127.0.0.1/x", "assist")
    assert exc.value.field == "index.catalog_url"
    cat = SqlIndexCatalog(f"sqlite:///{tmp_path / 'no' / 'dir.sqlite'}", "assist", timeout_s=0.2)
    with pytest.raises(StoreUnavailable, match="the index catalog cannot") as down:
        cat.stamp()
    assert down.value.field == "index.catalog_url"
    ok = SqlIndexCatalog(f"sqlite:///{tmp_path / 'c.sqlite'}", "assist")
    assert ok.stamp() is None
    assert sqlite3.connect(tmp_path / "c.sqlite").execute("PRAGMA journal_mode").fetchone() == ("wal",)
