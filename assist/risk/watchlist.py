"""Linkage beyond a single call: keyed hashes of identifiers (calling number, contact numbers a caller gives, a
representative's stated name or company), flagged when one identifier shows up for several different borrowers
within a window. Only HMAC-SHA256 digests are stored or exchanged, never the raw values (see README, PIPL)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from assist.core.files import atomic_write_text
from assist.core.jsonl import iter_jsonl
from assist.errors import ConfigError, WatchlistError
from assist.ports import WatchlistStore

KINDS = ("phone", "name", "company")


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
    """Keyed hashes of identifiers over a WatchlistStore. ``secret`` is the institution's (or a consortium's shared)
    HMAC key."""

    def __init__(self, store: WatchlistStore, secret: str | bytes, window_days: int, min_borrowers: int,
                 source: str = "local") -> None:
        if not secret or len(secret) < 16:
            raise ConfigError("the watchlist needs a secret of at least 16 characters (ASSIST_RISK__WATCHLIST_SECRET)",
                              field="risk.watchlist_secret")
        self.store = store
        self._key = secret.encode() if isinstance(secret, str) else secret
        self.window_days = window_days
        self.min_borrowers = min_borrowers
        self.source = source

    def digest(self, kind: str, value: str) -> str:
        return hmac.new(self._key, f"{kind}:{normalize_identifier(kind, value)}".encode(), hashlib.sha256).hexdigest()

    def _borrower(self, borrower_id: str) -> str:
        if not str(borrower_id).strip():
            raise WatchlistError("borrower id is empty", field="borrower")
        return hmac.new(self._key, f"borrower:{borrower_id}".encode(), hashlib.sha256).hexdigest()

    def borrower_digest(self, borrower_id: str) -> str:
        """A borrower's keyed hash, as sightings store it (cases count distinct borrowers by it)."""
        return self._borrower(borrower_id)

    @staticmethod
    def _now(when: dt.datetime | None) -> dt.datetime:
        return (when or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)

    def record(self, kind: str, value: str, borrower_id: str, when: dt.datetime | None = None) -> Linkage:
        """Note that this identifier came up on this borrower's account; returns the linkage after recording."""
        h, b, now = self.digest(kind, value), self._borrower(borrower_id), self._now(when)
        self.store.add([(kind, h, b, now.isoformat(), self.source)])
        return self._linkage(kind, h, now)

    def check(self, kind: str, value: str, when: dt.datetime | None = None) -> Linkage:
        return self._linkage(kind, self.digest(kind, value), self._now(when))

    def _linkage(self, kind: str, h: str, now: dt.datetime) -> Linkage:
        since = (now - dt.timedelta(days=self.window_days)).isoformat()
        borrowers, sightings = self.store.linkage(kind, h, since, now.isoformat())
        return Linkage(kind, h, borrowers, sightings, borrowers >= self.min_borrowers, self.window_days)

    def export(self, path: Path) -> int:
        """Write hashes only (JSONL) for another institution holding the same key."""
        lines = [json.dumps({"kind": kind, "id_hash": h, "borrower_hash": b, "seen": seen, "source": source})
                 for kind, h, b, seen, source in self.store.rows()]
        atomic_write_text(path, "".join(line + "\n" for line in lines))
        return len(lines)

    def merge(self, path: Path, source: str) -> int:
        """Merge another institution's export; its borrowers count as distinct from ours (source-qualified)."""
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise WatchlistError(f"cannot read the watchlist file: {exc}", path=str(path)) from exc
        rows = []
        for item in iter_jsonl(text):
            r = item.value
            try:
                if item.error is not None:
                    raise ValueError(item.error)
                if r["kind"] not in KINDS or not re.fullmatch(r"[0-9a-f]{64}", r["id_hash"]) \
                        or not re.fullmatch(r"[0-9a-f]{64}", r["borrower_hash"]):
                    raise ValueError("kind, id_hash and borrower_hash must be a known kind and 64 hex digits")
                dt.datetime.fromisoformat(r["seen"])
            except (KeyError, ValueError, TypeError) as exc:
                raise WatchlistError(f"bad watchlist row: {exc}", path=str(path), line=item.line) from exc
            rows.append((r["kind"], r["id_hash"], r["borrower_hash"], r["seen"], source))
        self.store.add(rows)
        return len(rows)
