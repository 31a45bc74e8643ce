"""One contract for the review, watchlist and practice stores, run over the single-machine SQLite files and over
the shared database (SQLite URL, and PostgreSQL from ASSIST_TEST_PG_URL, which CI provides): what several workers
write, each reads back the same; duplicates are kept once; the watchlist keeps the latest sighting."""

import os
import threading
import uuid

import pytest

from assist.adapters.sql_database import SqlDatabase
from assist.adapters.sql_stores import SqlPracticeStore, SqlReviewStore, SqlWatchlistStore
from assist.adapters.sqlite_stores import PRACTICE_COLUMNS, SqlitePracticeStore, SqliteReviewStore, SqliteWatchlistStore
from assist.errors import ConfigError
from assist.review.types import Link, StoredDocument

PG = os.environ.get("ASSIST_TEST_PG_URL")


def _fresh_pg(tables: str) -> str:
    """The test PostgreSQL with ``tables`` dropped (CI must have one; elsewhere the case is skipped)."""
    if not PG:
        if os.environ.get("CI"):
            pytest.fail("CI must provide PostgreSQL (ASSIST_TEST_PG_URL): .ci/run sets it up")
        pytest.skip("no PostgreSQL (set ASSIST_TEST_PG_URL)")
    from sqlalchemy import create_engine, text

    engine = create_engine(PG)
    with engine.begin() as c:
        c.execute(text(f"DROP TABLE IF EXISTS {tables}"))
    engine.dispose()
    return PG


@pytest.fixture(params=["sqlite-files", "sqlite-database", "postgresql"])
def stores(request, tmp_path):
    if request.param == "sqlite-files":
        return (SqliteReviewStore(tmp_path / "r.sqlite", {"sketch": "t"}), SqliteWatchlistStore(tmp_path / "w.sqlite"),
                SqlitePracticeStore(tmp_path / "p.sqlite"), lambda: SqliteReviewStore(tmp_path / "r.sqlite",
                                                                                      {"sketch": "other"}))
    if request.param == "postgresql":
        url = _fresh_pg("review_meta, review_documents, review_links, watchlist_sightings, practice_results")
    else:
        url = f"sqlite:///{tmp_path / 'shared.sqlite'}"
    db = SqlDatabase(url)
    return (SqlReviewStore(db, {"sketch": "t"}), SqlWatchlistStore(db), SqlPracticeStore(db),
            lambda: SqlReviewStore(SqlDatabase(url), {"sketch": "other"}))


def _doc(i, kind="complaint"):
    return StoredDocument(f"d{i}", f"信{i}.txt", kind, f"投诉信正文【手机号】{i}", bytes([i % 256]) * 16, None,
                          "2026-12-01T00:00:00+00:00")


def test_review_store_contract(stores):
    review, _, _, reopen_other = stores
    assert review.add(_doc(1), []) and not review.add(_doc(1), [])          # once
    assert review.add(_doc(2), [Link("d1", "d2", 0.9, 0.95)]) and review.add(_doc(3), [Link("d3", "d2", 0.8, 0.9)])
    assert review.add(_doc(4), [])
    assert review.get("d1") == _doc(1) and review.get("nope") is None and review.count() == 4
    assert set(review.get_many(["d1", "d3", "x"])) == {"d1", "d3"}
    assert [d for d, _ in review.sketches()] == ["d1", "d2", "d3", "d4"] and dict(review.sketches())["d2"] == bytes([2]) * 16
    assert review.cluster("d3") == ("K-d1", ["d1", "d2", "d3"]) and review.cluster("d4") == (None, ["d4"])
    assert {(ln.a, ln.b) for ln in review.links_of("d2")} == {("d1", "d2"), ("d2", "d3")}
    review.ping()
    with pytest.raises(ConfigError):                                          # sketches made otherwise are refused
        reopen_other()


def test_watchlist_and_practice_contract(stores):
    _, watch, practice, _ = stores
    watch.add([("phone", "h1", "b1", "2026-11-01T00:00:00", "call"), ("phone", "h1", "b2", "2026-11-02T00:00:00", "call")])
    watch.add([("phone", "h1", "b1", "2026-11-20T00:00:00", "call"), ("phone", "h1", "b1", "2026-10-01T00:00:00", "call")])
    assert watch.linkage("phone", "h1", "2026-11-10", "2026-12-01") == (1, 1)     # b1's latest sighting kept
    assert watch.linkage("phone", "h1", "2026-01-01", "2026-12-01") == (2, 2)
    assert len(list(watch.rows())) == 2
    row = {c: 0 for c in PRACTICE_COLUMNS} | {"trainee": "学员甲", "conversation": "c1", "label": "genuine",
                                              "handled_well": "[]", "missed": "[]", "violations": "[]", "replies": "[]"}
    practice.save(row)
    practice.save(row | {"trainee": "学员乙", "finished": 5})
    assert [r["trainee"] for r in practice.rows()] == ["学员甲", "学员乙"] and len(practice.rows("学员乙")) == 1


def test_two_workers_writing_at_once_keep_every_row(stores):
    review, watch, practice, _ = stores
    errors = []
    tag = uuid.uuid4().hex[:6]

    def worker(k):
        try:
            for j in range(15):
                review.add(StoredDocument(f"{tag}-{k}-{j}", "x.txt", "complaint", "正文", b"\x01" * 8, None,
                                          "2026-12-01T00:00:00+00:00"), [])
                review.add(_doc(999), [])                                     # the same document from every worker
                watch.add([("name", "hx", f"b{k}", f"2026-11-{j + 1:02d}T00:00:00", "letter")])
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and review.count() == 4 * 15 + 1
    assert watch.linkage("name", "hx", "2026-11-15", "2026-12-31") == (4, 4)


@pytest.fixture(params=["sqlite-file", "sqlite-database", "postgresql"])
def voiceprints(request, tmp_path):
    """Two handles on one voiceprint store (two workers): the single-machine file, or the shared database."""
    from assist.adapters.sql_stores import SqlVoiceprintStore
    from assist.adapters.sqlite_voiceprints import SqliteVoiceprintStore

    if request.param == "sqlite-file":
        return SqliteVoiceprintStore(tmp_path / "v.sqlite"), SqliteVoiceprintStore(tmp_path / "v.sqlite")
    url = f"sqlite:///{tmp_path / 'shared.sqlite'}"
    if request.param == "postgresql":
        url = _fresh_pg("voiceprints")
    return SqlVoiceprintStore(SqlDatabase(url)), SqlVoiceprintStore(SqlDatabase(url))


def test_voiceprint_store_contract(voiceprints):
    one, two = voiceprints
    v = [0.25, -0.5, 0.125, 1.0]
    one.add("b1", "c1", "2026-11-01T00:00:00+00:00", v)
    two.add("b2", "c2", "2026-11-20T00:00:00+00:00", [x / 2 for x in v])
    one.add("b1", "c3", "2026-12-01T00:00:00+00:00", [-x for x in v])
    assert one.count() == two.count() == 3                           # what one worker keeps, the other reads
    got = two.since("2026-11-10T00:00:00+00:00")
    assert got == [("b2", "c2", "2026-11-20T00:00:00+00:00", [0.125, -0.25, 0.0625, 0.5]),
                   ("b1", "c3", "2026-12-01T00:00:00+00:00", [-0.25, 0.5, -0.125, -1.0])]     # float32, exact
    assert two.delete_borrower("b1") == 2 and one.count() == 1
    assert one.delete_before("2026-12-01T00:00:00+00:00") == 1 and two.count() == 0 and one.since("") == []
    one.close()
    two.close()


def test_voiceprints_go_to_the_shared_database_when_there_is_one(tmp_path):
    from assist.adapters.sql_stores import SqlVoiceprintStore
    from assist.adapters.sqlite_voiceprints import SqliteVoiceprintStore
    from assist.bootstrap import voiceprint_store
    from assist.settings import Settings

    alone = Settings(data_dir=tmp_path / "a")
    assert isinstance(voiceprint_store(alone), SqliteVoiceprintStore)
    shared = Settings(data_dir=tmp_path / "b", database_url=f"sqlite:///{tmp_path / 'db.sqlite'}")
    store = voiceprint_store(shared)
    assert isinstance(store, SqlVoiceprintStore)
    store.add("b", "c", "2026-12-01T00:00:00+00:00", [1.0, 0.0])
    assert voiceprint_store(shared).count() == 1 and not (tmp_path / "b" / "voiceprints.sqlite").exists()
