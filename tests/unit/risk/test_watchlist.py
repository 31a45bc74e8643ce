"""The watchlist: keyed hashes of identifiers over the SQLite store, flagged across borrowers, exchanged as hashes."""

import datetime as dt

import pytest

from assist.adapters.sqlite_stores import SqliteWatchlistStore
from assist.errors import ConfigError, WatchlistError
from assist.risk.watchlist import Watchlist, normalize_identifier

SECRET = "consortium-secret-2026-xyz"


def _wl(path, secret=SECRET, window_days=90, min_borrowers=3, source="local"):
    return Watchlist(SqliteWatchlistStore(path), secret, window_days, min_borrowers, source)
T0 = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)


def test_phone_numbers_normalise_before_hashing():
    assert normalize_identifier("phone", "+86 138-0013-8000") == "13800138000"
    assert normalize_identifier("phone", "0086１３８００１３８０００") == "13800138000"
    assert normalize_identifier("company", "ＸＸ 法务咨询 公司") == "xx法务咨询公司"
    with pytest.raises(WatchlistError):
        normalize_identifier("phone", "12")
    with pytest.raises(WatchlistError):
        normalize_identifier("email", "a@b.c")


def test_flags_an_identifier_seen_for_several_borrowers_within_the_window(tmp_path):
    wl = _wl(tmp_path / "w.sqlite", SECRET, window_days=30, min_borrowers=3)
    assert not wl.record("phone", "13800138000", "acct-1", T0).flagged
    assert not wl.record("phone", "138 0013 8000", "acct-1", T0).flagged      # same borrower again
    assert wl.record("phone", "+8613800138000", "acct-2", T0).borrowers == 2
    link = wl.record("phone", "13800138000", "acct-3", T0 + dt.timedelta(days=5))
    assert link.flagged and link.borrowers == 3
    # outside the window the old sightings stop counting
    assert not wl.check("phone", "13800138000", T0 + dt.timedelta(days=40)).flagged


def test_nothing_raw_is_stored(tmp_path):
    wl = _wl(tmp_path / "w.sqlite", SECRET)
    wl.record("phone", "13800138000", "acct-42", T0)
    wl.record("name", "张律师", "acct-42", T0)
    wl.store.close()
    raw = (tmp_path / "w.sqlite").read_bytes()
    for needle in ("13800138000", "acct-42", "张律师"):
        assert needle.encode() not in raw


def test_export_import_between_institutions(tmp_path):
    a = _wl(tmp_path / "a.sqlite", SECRET, min_borrowers=3, source="bank-a")
    b = _wl(tmp_path / "b.sqlite", SECRET, min_borrowers=3, source="bank-b")
    a.record("company", "XX法务咨询公司", "a-1", T0)
    a.record("company", "XX法务咨询公司", "a-2", T0)
    n = a.export(tmp_path / "a.jsonl")
    assert n == 2 and "XX" not in (tmp_path / "a.jsonl").read_text()
    b.merge(tmp_path / "a.jsonl", source="bank-a")
    assert b.record("company", "xx 法务咨询公司", "b-1", T0).flagged
    other_key = _wl(tmp_path / "c.sqlite", "another-secret-0123456")
    other_key.merge(tmp_path / "a.jsonl", source="bank-a")
    assert other_key.check("company", "XX法务咨询公司", T0).borrowers == 0  # hashes only match under the same key


def test_bad_import_names_the_line(tmp_path):
    (tmp_path / "bad.jsonl").write_text('{"kind": "phone", "id_hash": "zz", "borrower_hash": "00", "seen": "x"}\n')
    wl = _wl(tmp_path / "w.sqlite", SECRET)
    with pytest.raises(WatchlistError) as exc:
        wl.merge(tmp_path / "bad.jsonl", "x")
    assert exc.value.line == 1


def test_secret_is_required(tmp_path):
    with pytest.raises(ConfigError):
        _wl(tmp_path / "w.sqlite", "short")
