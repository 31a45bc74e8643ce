"""Linkage beyond a single call: keyed hashes of identifiers (calling number, contact numbers a caller gives, a
representative's stated name or company), flagged when one identifier shows up for several different borrowers
within a window. Only HMAC-SHA256 digests are stored or exchanged, never the raw values (see README, PIPL)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import re
import sqlite3
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from assist.errors import AssistError, ConfigError

KINDS = ("phone", "name", "company")


class WatchlistError(AssistError):
    exit_code = 7


def normalize_identifier(kind: str, value: str) -> str:
    """Canonical form before hashing, so that '+86 138-0013-8000' and '13800138000' match."""
    if kind not in KINDS:
        raise WatchlistError(f"unknown identifier kind {kind!r}; use one of {', '.join(KINDS)}", field="kind")
    v = unicodedata.normalize("NFKC", str(value)).strip().lower()
    if kind == "phone":
        digits = re.sub(r"\D", "", v)
        if digits.startswith("0086"):
            digits = digits[4:]
        elif digits.startswith("86") and len(digits) == 13:
            digits = digits[2:]
        if len(digits) < 7:
            raise WatchlistError(f"not a phone number: {value!r}", field="value")
        return digits
    v = re.sub(r"[\s\W_]+", "", v)
    if not v:
        raise WatchlistError("empty identifier", field="value")
    return v


@dataclass(frozen=True)
class Linkage:
    kind: str
    id_hash: str
    borrowers: int            # distinct borrowers seen with this identifier inside the window
    sightings: int
    flagged: bool
    window_days: int


class Watchlist:
    """SQLite-backed store of keyed hashes. ``secret`` is the institution's (or a consortium's shared) HMAC key."""

    def __init__(self, path: Path, secret: str | bytes, window_days: int = 90, min_borrowers: int = 3,
                 source: str = "local") -> None:
        if not secret or len(secret) < 16:
            raise ConfigError("the watchlist needs a secret of at least 16 characters (ASSIST_RISK__WATCHLIST_SECRET)",
                              field="risk.watchlist_secret")
        self._key = secret.encode() if isinstance(secret, str) else secret
        self.window_days = window_days
        self.min_borrowers = min_borrowers
        self.source = source
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path))
        self._db.execute("CREATE TABLE IF NOT EXISTS sighting (kind TEXT, id_hash TEXT, borrower_hash TEXT, seen TEXT, "
                         "source TEXT, PRIMARY KEY (kind, id_hash, borrower_hash, source))")
        self._db.execute("CREATE INDEX IF NOT EXISTS by_id ON sighting (kind, id_hash, seen)")

    def digest(self, kind: str, value: str) -> str:
        return hmac.new(self._key, f"{kind}:{normalize_identifier(kind, value)}".encode(), hashlib.sha256).hexdigest()

    def _borrower(self, borrower_id: str) -> str:
        if not str(borrower_id).strip():
            raise WatchlistError("borrower id is empty", field="borrower")
        return hmac.new(self._key, f"borrower:{borrower_id}".encode(), hashlib.sha256).hexdigest()

    @staticmethod
    def _now(when: dt.datetime | None) -> dt.datetime:
        return (when or dt.datetime.now(dt.timezone.utc)).astimezone(dt.timezone.utc)

    def record(self, kind: str, value: str, borrower_id: str, when: dt.datetime | None = None) -> Linkage:
        """Note that this identifier came up on this borrower's account; returns the linkage after recording."""
        h, b, now = self.digest(kind, value), self._borrower(borrower_id), self._now(when)
        with self._db:
            self._db.execute("INSERT INTO sighting VALUES (?, ?, ?, ?, ?) ON CONFLICT (kind, id_hash, borrower_hash, source) "
                             "DO UPDATE SET seen = MAX(seen, excluded.seen)", (kind, h, b, now.isoformat(), self.source))
        return self._linkage(kind, h, now)

    def check(self, kind: str, value: str, when: dt.datetime | None = None) -> Linkage:
        return self._linkage(kind, self.digest(kind, value), self._now(when))

    def _linkage(self, kind: str, h: str, now: dt.datetime) -> Linkage:
        since = (now - dt.timedelta(days=self.window_days)).isoformat()
        row = self._db.execute("SELECT COUNT(DISTINCT source || borrower_hash), COUNT(*) FROM sighting "
                               "WHERE kind = ? AND id_hash = ? AND seen >= ? AND seen <= ?",
                               (kind, h, since, now.isoformat())).fetchone()
        borrowers, sightings = int(row[0]), int(row[1])
        return Linkage(kind, h, borrowers, sightings, borrowers >= self.min_borrowers, self.window_days)

    def export(self, path: Path) -> int:
        """Write hashes only (JSONL) for another institution holding the same key."""
        n = 0
        with open(path, "w", encoding="utf-8") as fh:
            for kind, h, b, seen, source in self._db.execute("SELECT kind, id_hash, borrower_hash, seen, source FROM sighting "
                                                             "ORDER BY kind, id_hash"):
                fh.write(json.dumps({"kind": kind, "id_hash": h, "borrower_hash": b, "seen": seen, "source": source}) + "\n")
                n += 1
        return n

    def import_(self, path: Path, source: str) -> int:
        """Merge another institution's export; its borrowers count as distinct from ours (source-qualified)."""
        rows = []
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                r = json.loads(line)
                if r["kind"] not in KINDS or not re.fullmatch(r"[0-9a-f]{64}", r["id_hash"]) \
                        or not re.fullmatch(r"[0-9a-f]{64}", r["borrower_hash"]):
                    raise ValueError("kind, id_hash and borrower_hash must be a known kind and 64 hex digits")
                dt.datetime.fromisoformat(r["seen"])
            except (json.JSONDecodeError, KeyError, ValueError, TypeError) as exc:
                raise WatchlistError(f"bad watchlist row: {exc}", path=str(path), line=n) from exc
            rows.append((r["kind"], r["id_hash"], r["borrower_hash"], r["seen"], source))
        with self._db:
            self._db.executemany("INSERT INTO sighting VALUES (?, ?, ?, ?, ?) ON CONFLICT (kind, id_hash, borrower_hash, "
                                 "source) DO UPDATE SET seen = MAX(seen, excluded.seen)", rows)
        return len(rows)

    def close(self) -> None:
        self._db.close()
