"""The IndexCatalog port in a database every instance reaches (SQLAlchemy: PostgreSQL for several hosts, SQLite for
several processes on one): each generation's files (passages, vectors, the BM25 index) stored in pieces, and one
row per index naming the active generation.

Publishing stores every piece first, each in its own short transaction, and then, in one transaction, records the
generation and points the head row at it. Until that commit readers see the previous generation; a run that dies
before it leaves only pieces no head points to, which the next run removes. Readers ask the head row before each
query (one primary-key read), copy a new generation into their own data folder (assist.knowledge.catalog.
install_generation: checksums first, then one rename) and open it."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    delete,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.engine import Engine

from assist.adapters.sql_database import SqlDatabase
from assist.errors import ConfigError, KnowledgeError
from assist.knowledge.catalog import GenerationFile, file_lock, generation_files, install_generation

PIECE_BYTES = 4 << 20          # raw bytes per stored piece: bounded memory and transaction size on both sides

_meta = MetaData()

head = Table(
    "index_head", _meta,
    Column("name", String(64), primary_key=True),          # the index (Chroma collection prefix)
    Column("gen", String(64), nullable=False),
    Column("seq", BigInteger, nullable=False),              # +1 per publication: the readers' stamp
    Column("published_at", String(40), nullable=False),
)

generations = Table(
    "index_generation", _meta,
    Column("name", String(64), primary_key=True),
    Column("gen", String(64), primary_key=True),
    Column("manifest", Text, nullable=False),               # JSON
    Column("files", Text, nullable=False),                  # JSON: [{path, size, sha256}], COMPLETE last
    Column("created_at", String(40), nullable=False),
)

pieces = Table(
    "index_piece", _meta,
    Column("name", String(64), primary_key=True),
    Column("gen", String(64), primary_key=True),
    Column("path", String(255), primary_key=True),
    Column("part", Integer, primary_key=True),
    Column("data", LargeBinary, nullable=False),            # zlib level 1
)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class SqlIndexCatalog:
    """Index generations in a database (``url``: any SQLAlchemy URL of SQLite or PostgreSQL); ``name`` tells indexes
    apart that share one database. Tables are made on first use."""

    shared = True

    def __init__(self, url: str, name: str, timeout_s: float = 5.0) -> None:
        self.url = url
        self.name = name
        if not url.startswith(("sqlite", "postgresql")):
            raise ConfigError("the index catalog supports SQLite and PostgreSQL URLs", field="index.catalog_url")
        self.db = SqlDatabase(url, timeout_s=timeout_s, setting="index.catalog_url", name="the index catalog")
        self.engine: Engine = self.db.engine

    @contextmanager
    def _db(self, what: str) -> Iterator[None]:
        """The block after the tables exist, its database errors as StoreUnavailable."""
        self.db.ensure(_meta)
        with self.db.unavailable(what):
            yield

    # -- reading ----------------------------------------------------------------------------------------------------

    def stamp(self) -> object | None:
        with self._db("read the active generation"), self.engine.connect() as c:
            row = c.execute(select(head.c.gen, head.c.seq).where(head.c.name == self.name)).first()
        return None if row is None else (row.gen, int(row.seq))

    def manifest(self) -> dict[str, Any] | None:
        with self._db("read the active generation"), self.engine.connect() as c:
            row = c.execute(select(generations.c.manifest).select_from(
                head.join(generations, (head.c.name == generations.c.name) & (head.c.gen == generations.c.gen)))
                .where(head.c.name == self.name)).first()
        return None if row is None else dict(json.loads(row.manifest))

    def fetch(self, gen: str, folder: Path) -> None:
        with self._db(f"read generation {gen}"):
            with self.engine.connect() as c:
                row = c.execute(select(generations.c.files).where(
                    (generations.c.name == self.name) & (generations.c.gen == gen))).first()
            if row is None:
                raise KnowledgeError(f"generation {gen} is not in the index catalog (retired meanwhile?)",
                                     field="index.catalog_url")
            files = [GenerationFile.from_dict(d) for d in json.loads(row.files)]
            install_generation(folder, files, lambda f, target: self._read_file(gen, f, target))

    def _read_file(self, gen: str, f: GenerationFile, target: Path) -> None:
        with self.engine.connect() as c, open(target, "wb") as out:
            # one piece at a time: memory stays bounded however large vectors.npy is
            parts = c.execute(select(pieces.c.part).where((pieces.c.name == self.name) & (pieces.c.gen == gen)
                                                          & (pieces.c.path == f.path)).order_by(pieces.c.part)).all()
            for (part,) in parts:
                data: bytes = c.execute(select(pieces.c.data).where(
                    (pieces.c.name == self.name) & (pieces.c.gen == gen) & (pieces.c.path == f.path)
                    & (pieces.c.part == part))).scalar_one()
                out.write(zlib.decompress(data))

    # -- writing ----------------------------------------------------------------------------------------------------

    def publish(self, gen: str, manifest: dict[str, Any], folder: Path, *, replaces: str | None) -> None:
        files = generation_files(folder)
        with self._db(f"store generation {gen}"):
            with self.db.writing() as c:        # leftovers of an earlier attempt under the same name
                c.execute(delete(pieces).where((pieces.c.name == self.name) & (pieces.c.gen == gen)))
            for f in files:
                self._store_file(gen, f, folder / f.path)
            self._flip(gen, {**manifest, "active": gen}, files, replaces)

    def _store_file(self, gen: str, f: GenerationFile, path: Path) -> None:
        h = hashlib.sha256()
        with open(path, "rb") as fh:
            part = 0
            while True:
                raw = fh.read(PIECE_BYTES)
                if not raw and part > 0:
                    break
                h.update(raw)
                self._put_piece(gen, f.path, part, zlib.compress(raw, 1))
                part += 1
                if not raw:
                    break
        if h.hexdigest() != f.sha256:
            raise KnowledgeError(f"a generation file changed while it was being published: {f.path}", path=str(path))

    def _put_piece(self, gen: str, path: str, part: int, data: bytes) -> None:
        with self.db.writing() as c:
            c.execute(insert(pieces), {"name": self.name, "gen": gen, "path": path, "part": part, "data": data})

    def _flip(self, gen: str, manifest: dict[str, Any], files: list[GenerationFile], replaces: str | None) -> None:
        """One transaction: record the generation and point the head at it, if the head is still ``replaces``."""
        with self.db.writing() as c:
            row = c.execute(select(head.c.gen, head.c.seq).where(head.c.name == self.name).with_for_update()).first()
            current = None if row is None else row.gen
            if current != replaces:
                raise KnowledgeError(f"another ingestion published generation {current} meanwhile; run `assist "
                                     "ingest` again", field="index.catalog_url")
            c.execute(insert(generations), {"name": self.name, "gen": gen, "manifest": json.dumps(manifest, ensure_ascii=False),
                                            "files": json.dumps([f.to_dict() for f in files]), "created_at": _now()})
            if row is None:
                c.execute(insert(head), {"name": self.name, "gen": gen, "seq": 1, "published_at": _now()})
            else:
                c.execute(update(head).where(head.c.name == self.name).values(gen=gen, seq=row.seq + 1,
                                                                               published_at=_now()))

    def retire(self, keep: set[str]) -> None:
        with self._db("remove old generations"):
            with self.db.writing() as c:
                active = c.execute(select(head.c.gen).where(head.c.name == self.name)).scalar_one_or_none()
                keep = set(keep) | ({active} if active else set())
                for table in (pieces, generations):
                    c.execute(delete(table).where((table.c.name == self.name) & table.c.gen.not_in(sorted(keep))))

    @contextmanager
    def ingestion(self) -> Iterator[None]:
        """PostgreSQL: a session advisory lock (dropped with the connection if the run dies); SQLite: a file lock
        beside the database file."""
        if self.db.sqlite:
            db = self.engine.url.database
            if not db or db == ":memory:":
                yield
                return
            with file_lock(Path(db).with_name(Path(db).name + f".ingest-{self.name}.lock"), f"index {self.name!r}"):
                yield
            return
        key = int.from_bytes(hashlib.sha256(f"assist-index:{self.name}".encode()).digest()[:8], "big", signed=True)
        with self._db("take the ingestion lock"), self.engine.connect() as c:
            got: bool = c.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar_one()
            c.commit()
            if not got:
                raise KnowledgeError(f"another `assist ingest` is publishing to index {self.name!r}",
                                     field="index.catalog_url")
            try:
                yield
            finally:
                c.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                c.commit()
