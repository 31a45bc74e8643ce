"""SQLite stores behind their ports: reviewed documents (ReviewStore), watchlist sightings (WatchlistStore) and
practice results (PracticeStore). Callers mask personal data before anything is written (assist.core.pii); these
stores never see raw text. One connection per store, used from request threads under a lock; WAL journalling. A
database file that is locked past the timeout, read-only or gone comes out as StoreUnavailable (the service decides
how to carry on without it)."""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from assist.errors import ConfigError, StoreUnavailable
from assist.review.types import Link, StoredDocument

TIMEOUT_S = 2.0       # how long a statement waits for a file another connection has locked


def _connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(str(path), check_same_thread=False, timeout=TIMEOUT_S)
    db.execute("PRAGMA journal_mode=WAL")
    # WAL + NORMAL stays consistent after a crash; at worst the last writes are lost.
    db.execute("PRAGMA synchronous=NORMAL")
    return db


@contextmanager
def _guard(lock: threading.Lock, path: Path) -> Iterator[None]:
    """The store's lock, with SQLite's operational errors (locked, read-only, disk I/O) as StoreUnavailable."""
    with lock:
        try:
            yield
        except sqlite3.OperationalError as exc:
            raise StoreUnavailable(f"{path.name} cannot be used just now: {exc}", path=path) from exc


# -- document review --------------------------------------------------------------------------------------------------

SCHEMA_VERSION = "1"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id TEXT NOT NULL UNIQUE,
    file_name TEXT NOT NULL,
    kind TEXT NOT NULL,
    masked_text TEXT NOT NULL,
    minhash BLOB NOT NULL,
    doc_date TEXT,
    reviewed_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS links (
    a TEXT NOT NULL, b TEXT NOT NULL, jaccard REAL NOT NULL, containment REAL NOT NULL,
    PRIMARY KEY (a, b)
);
CREATE INDEX IF NOT EXISTS links_b ON links (b);
"""


class SqliteReviewStore:
    """Reviewed documents and their links in one SQLite file (WAL; one lock, so one store serves API threads)."""

    def __init__(self, path: Path, params: dict[str, str]) -> None:
        """``params`` say how the sketches were made (the Sketcher's); a store written with others is refused."""
        self.path = path
        self._lock = threading.Lock()
        self._db = _connect(path)
        with self._db:
            self._db.executescript(_SCHEMA)
            params = {"schema": SCHEMA_VERSION, **params}
            for key, value in params.items():
                self._db.execute("INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)", (key, value))
            found = dict(self._db.execute("SELECT key, value FROM meta").fetchall())
        wrong = {k: found[k] for k, v in params.items() if found.get(k) != v}
        if wrong:  # sketches made with other parameters cannot be compared with ours
            raise ConfigError(f"review store was written with other parameters {wrong}; move it away to start afresh",
                              path=path)

    def close(self) -> None:
        with _guard(self._lock, self.path):
            self._db.close()

    @staticmethod
    def now() -> str:
        return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")

    def get(self, doc_id: str) -> StoredDocument | None:
        with _guard(self._lock, self.path):
            row = self._db.execute("SELECT doc_id, file_name, kind, masked_text, minhash, doc_date, reviewed_at "
                                   "FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
        return StoredDocument(*row) if row else None

    def get_many(self, doc_ids: list[str]) -> dict[str, StoredDocument]:
        out: dict[str, StoredDocument] = {}
        for i in range(0, len(doc_ids), 500):  # stay within SQLite's bound-parameter limit
            part = doc_ids[i:i + 500]
            marks = ",".join("?" * len(part))
            with _guard(self._lock, self.path):
                rows = self._db.execute("SELECT doc_id, file_name, kind, masked_text, minhash, doc_date, reviewed_at "
                                        f"FROM documents WHERE doc_id IN ({marks})", part).fetchall()
            out.update({r[0]: StoredDocument(*r) for r in rows})
        return out

    def add(self, doc: StoredDocument, links: Sequence[Link]) -> bool:
        """Insert the document and its links in one transaction; False when it was already there (nothing changes)."""
        with _guard(self._lock, self.path), self._db:
            cur = self._db.execute(
                "INSERT OR IGNORE INTO documents (doc_id, file_name, kind, masked_text, minhash, doc_date, reviewed_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (doc.doc_id, doc.file_name, doc.kind, doc.masked_text, doc.minhash, doc.doc_date, doc.reviewed_at))
            for ln in links:
                a, b = sorted((ln.a, ln.b))
                self._db.execute("INSERT OR IGNORE INTO links (a, b, jaccard, containment) VALUES (?, ?, ?, ?)",
                                 (a, b, ln.jaccard, ln.containment))
            return cur.rowcount == 1

    def sketches(self) -> Iterator[tuple[str, bytes]]:
        """Every stored (doc id, MinHash bytes), oldest first, to rebuild the in-memory LSH index."""
        with _guard(self._lock, self.path):
            rows = self._db.execute("SELECT doc_id, minhash FROM documents ORDER BY seq").fetchall()
        yield from rows

    def count(self) -> int:
        with _guard(self._lock, self.path):
            return int(self._db.execute("SELECT COUNT(*) FROM documents").fetchone()[0])

    def ping(self) -> None:
        """Raise StoreUnavailable when the file cannot be read (readiness)."""
        self.count()

    def links_of(self, doc_id: str) -> list[Link]:
        with _guard(self._lock, self.path):
            rows = self._db.execute("SELECT a, b, jaccard, containment FROM links WHERE a = ? OR b = ?",
                                    (doc_id, doc_id)).fetchall()
        return [Link(*r) for r in rows]

    def cluster(self, doc_id: str, limit: int = 5000) -> tuple[str | None, list[str]]:
        """The connected component of ``doc_id`` over stored links: (cluster id, members oldest first)."""
        return linked_component(doc_id, self.links_of, self._order, limit)

    def _order(self, members: list[str]) -> dict[str, int]:
        with _guard(self._lock, self.path):
            return dict(self._db.execute(
                f"SELECT doc_id, seq FROM documents WHERE doc_id IN ({','.join('?' * len(members))})",
                members).fetchall())


def linked_component(doc_id: str, links_of: Callable[[str], list[Link]],
                     order_of: Callable[[list[str]], dict[str, int]], limit: int = 5000) -> tuple[str | None, list[str]]:
    """The connected component of ``doc_id`` over stored links (breadth first, at most ``limit`` members): (cluster
    id, members oldest first). The id is the earliest member's document id, so it stays stable as later copies
    join; ``order_of`` gives members' insertion order (asked only for up to 900 members)."""
    seen, queue = {doc_id}, deque([doc_id])
    while queue and len(seen) < limit:
        x = queue.popleft()
        for ln in links_of(x):
            y = ln.b if ln.a == x else ln.a
            if y not in seen:
                seen.add(y)
                queue.append(y)
    if len(seen) == 1:
        return None, [doc_id]
    members = list(seen)
    order = order_of(members) if len(members) <= 900 else {}
    members.sort(key=lambda d: (order.get(d, 1 << 62), d))
    return "K-" + members[0][:12], members


# -- watchlist --------------------------------------------------------------------------------------------------------

class SqliteWatchlistStore:
    """Keyed-hash sightings: (kind, id_hash, borrower_hash, source) once each, with the latest time seen."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._db = _connect(path)
        with self._db:
            self._db.execute("CREATE TABLE IF NOT EXISTS sighting (kind TEXT, id_hash TEXT, borrower_hash TEXT, "
                             "seen TEXT, source TEXT, PRIMARY KEY (kind, id_hash, borrower_hash, source))")
            self._db.execute("CREATE INDEX IF NOT EXISTS by_id ON sighting (kind, id_hash, seen)")

    def add(self, rows: Sequence[tuple[str, str, str, str, str]]) -> None:
        with _guard(self._lock, self.path), self._db:
            self._db.executemany("INSERT INTO sighting VALUES (?, ?, ?, ?, ?) ON CONFLICT (kind, id_hash, borrower_hash, "
                                 "source) DO UPDATE SET seen = MAX(seen, excluded.seen)", rows)

    def linkage(self, kind: str, id_hash: str, since: str, until: str) -> tuple[int, int]:
        with _guard(self._lock, self.path):
            row = self._db.execute("SELECT COUNT(DISTINCT source || borrower_hash), COUNT(*) FROM sighting "
                                   "WHERE kind = ? AND id_hash = ? AND seen >= ? AND seen <= ?",
                                   (kind, id_hash, since, until)).fetchone()
        return int(row[0]), int(row[1])

    def rows(self) -> Iterator[tuple[str, str, str, str, str]]:
        with _guard(self._lock, self.path):
            rows = self._db.execute("SELECT kind, id_hash, borrower_hash, seen, source FROM sighting "
                                    "ORDER BY kind, id_hash").fetchall()
        yield from rows

    def close(self) -> None:
        with _guard(self._lock, self.path):
            self._db.close()


# -- practice ---------------------------------------------------------------------------------------------------------

PRACTICE_COLUMNS = ("trainee", "conversation", "label", "started", "finished", "score", "handled_well", "missed",
                    "violations", "mean_similarity", "replies")


class SqlitePracticeStore:
    """One row per finished practice session."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._db = _connect(path)
        with self._db:
            self._db.execute("CREATE TABLE IF NOT EXISTS practice (trainee TEXT, conversation TEXT, label TEXT, "
                             "started REAL, finished REAL, score INTEGER, handled_well TEXT, missed TEXT, "
                             "violations TEXT, mean_similarity REAL, replies TEXT)")

    def save(self, row: dict[str, Any]) -> None:
        with _guard(self._lock, self.path), self._db:
            self._db.execute(f"INSERT INTO practice ({', '.join(PRACTICE_COLUMNS)}) VALUES "
                             f"({', '.join('?' * len(PRACTICE_COLUMNS))})", [row[c] for c in PRACTICE_COLUMNS])

    def rows(self, trainee: str | None = None) -> list[dict[str, Any]]:
        q = f"SELECT {', '.join(PRACTICE_COLUMNS)} FROM practice"
        with _guard(self._lock, self.path):
            found = self._db.execute(q + (" WHERE trainee = ?" if trainee else "") + " ORDER BY finished",
                                     (trainee,) if trainee else ()).fetchall()
        return [dict(zip(PRACTICE_COLUMNS, r)) for r in found]

    def close(self) -> None:
        with _guard(self._lock, self.path):
            self._db.close()
