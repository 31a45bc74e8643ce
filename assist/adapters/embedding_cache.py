"""The EmbeddingCache port on SQLite: vectors by (embedder name, text key), so unchanged text is never re-embedded."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np


class SqliteEmbeddingCache:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS emb (model TEXT, key TEXT, dim INTEGER, vec BLOB, "
                         "PRIMARY KEY (model, key))")

    def get_many(self, model: str, keys: Sequence[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        with self._lock:
            for i in range(0, len(keys), 500):   # within SQLite's bound-parameter limit
                part = list(keys[i:i + 500])
                q = f"SELECT key, vec FROM emb WHERE model=? AND key IN ({','.join('?' * len(part))})"
                for key, blob in self._db.execute(q, [model, *part]):
                    found[key] = np.frombuffer(blob, dtype=np.float32)
        return found

    def put_many(self, model: str, items: Sequence[tuple[str, Sequence[float]]]) -> None:
        with self._lock, self._db:
            self._db.executemany("INSERT OR REPLACE INTO emb (model, key, dim, vec) VALUES (?, ?, ?, ?)",
                                 [(model, k, len(v), np.asarray(v, dtype=np.float32).tobytes()) for k, v in items])

    def close(self) -> None:
        with self._lock:
            self._db.close()
