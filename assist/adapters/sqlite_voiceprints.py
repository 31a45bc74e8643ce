"""Speaker embeddings in SQLite (the VoiceprintStore port): float32 vectors with keyed-hash borrower and call ids and
the time seen. Never audio, never a raw id."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

_SCHEMA = """
CREATE TABLE IF NOT EXISTS voiceprints (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    borrower_hash TEXT NOT NULL,
    call_hash TEXT NOT NULL,
    seen TEXT NOT NULL,
    vector BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS voiceprints_seen ON voiceprints (seen);
CREATE INDEX IF NOT EXISTS voiceprints_borrower ON voiceprints (borrower_hash);
"""


class SqliteVoiceprintStore:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        with self._db:
            self._db.executescript(_SCHEMA)

    def add(self, borrower_hash: str, call_hash: str, seen: str, vector: Sequence[float]) -> None:
        blob = np.asarray(vector, dtype="<f4").tobytes()
        with self._lock, self._db:
            self._db.execute("INSERT INTO voiceprints (borrower_hash, call_hash, seen, vector) VALUES (?, ?, ?, ?)",
                             (borrower_hash, call_hash, seen, blob))

    def since(self, since: str) -> list[tuple[str, str, str, list[float]]]:
        with self._lock:
            rows = self._db.execute("SELECT borrower_hash, call_hash, seen, vector FROM voiceprints WHERE seen >= ?",
                                    (since,)).fetchall()
        return [(b, c, s, np.frombuffer(v, dtype="<f4").tolist()) for b, c, s, v in rows]

    def delete_borrower(self, borrower_hash: str) -> int:
        with self._lock, self._db:
            return self._db.execute("DELETE FROM voiceprints WHERE borrower_hash = ?", (borrower_hash,)).rowcount

    def delete_before(self, before: str) -> int:
        with self._lock, self._db:
            return self._db.execute("DELETE FROM voiceprints WHERE seen < ?", (before,)).rowcount

    def count(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM voiceprints").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._db.close()
