"""Publishing index generations (the IndexCatalog port): the manifest file of one data folder, and the pieces every
catalog shares — the list of a generation's files with their checksums, and installing a fetched generation into a
local folder so that a reader sees all of it or none of it.

A generation is a folder (``generations/<gen>``: chunks.jsonl, vectors.npy, terms.json, bm25/, COMPLETE). On one host
the ingestor builds it in place and ``FileCatalog.publish`` replaces manifest.json. With a shared catalog (a
database, assist.adapters.sql_index_catalog) the same files are stored in the database and every instance copies
them into its own data folder before it opens the generation."""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assist.errors import IndexNotReadyError, KnowledgeError
from assist.knowledge.index import IndexLayout

COMPLETE = "COMPLETE"      # written last into a generation folder: the folder holds the whole generation


@dataclass(frozen=True)
class GenerationFile:
    """One file of a generation: its path inside the generation folder (POSIX), size and SHA-256."""

    path: str
    size: int
    sha256: str

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "size": self.size, "sha256": self.sha256}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "GenerationFile":
        return cls(str(d["path"]), int(d["size"]), str(d["sha256"]))


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def generation_files(folder: Path) -> list[GenerationFile]:
    """Every file of a complete generation folder, COMPLETE last (so a copy that stops early lacks it)."""
    if not (folder / COMPLETE).is_file():
        raise KnowledgeError("the generation folder is not complete: nothing to publish", path=str(folder))
    paths = sorted((p for p in folder.rglob("*") if p.is_file()), key=lambda p: (p.name == COMPLETE, str(p)))
    return [GenerationFile(p.relative_to(folder).as_posix(), p.stat().st_size, sha256_file(p)) for p in paths]


def is_complete(folder: Path) -> bool:
    return (folder / COMPLETE).is_file()


def install_generation(folder: Path, files: list[GenerationFile], write: Callable[[GenerationFile, Path], None]) -> None:
    """Copy a generation into ``folder``: ``write(file, target)`` writes each file into a temporary folder beside it,
    every file is checked against its size and checksum, and only then is the temporary folder renamed to
    ``folder``. A reader (or a second process doing the same) sees the whole generation or nothing; a copy that
    fails or is cut off leaves ``folder`` as it was."""
    if is_complete(folder):
        return
    tmp = folder.with_name(f".{folder.name}.fetch-{os.getpid()}-{secrets.token_hex(3)}")
    try:
        for f in files:
            target = tmp / f.path
            if ".." in Path(f.path).parts or Path(f.path).is_absolute():
                raise KnowledgeError(f"a generation file has an unsafe path: {f.path!r}", path=str(folder))
            target.parent.mkdir(parents=True, exist_ok=True)
            write(f, target)
            if target.stat().st_size != f.size or sha256_file(target) != f.sha256:
                raise KnowledgeError(f"a fetched generation file does not match its checksum: {f.path}",
                                     path=str(folder))
        if not (tmp / COMPLETE).is_file():
            raise KnowledgeError("the published generation lacks its COMPLETE marker", path=str(folder))
        if folder.exists() and not is_complete(folder):
            shutil.rmtree(folder, ignore_errors=True)          # an earlier copy that was cut off
        try:
            os.rename(tmp, folder)
        except OSError:
            if not is_complete(folder):                        # another process installed it first: fine
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def prune_local(layout: IndexLayout, keep: set[str], newest: int = 2) -> list[str]:
    """Remove local copies of generations other than ``keep`` and the ``newest`` most recent ones (generation names
    sort by creation time); what an instance fetched from a shared catalog does not pile up. Returns what went."""
    local = layout.generations()
    keep = set(keep) | set(local[-newest:])
    gone = [g for g in local if g not in keep]
    for g in gone:
        layout.remove_generation(g)
    return gone


class FileCatalog:
    """The catalog of one data folder: ``manifest.json`` names the active generation, whose folder the ingestor
    built in place. Instances that share the folder (one host) pick up a new generation by its new manifest."""

    shared = False

    def __init__(self, layout: IndexLayout) -> None:
        self.layout = layout

    def stamp(self) -> object | None:
        try:
            st = self.layout.manifest_path.stat()
        except FileNotFoundError:
            return None
        return (st.st_mtime_ns, st.st_ino, st.st_size)     # replaced atomically: a new inode every time

    def manifest(self) -> dict[str, Any] | None:
        return self.layout.read_manifest()

    def publish(self, gen: str, manifest: dict[str, Any], folder: Path, *, replaces: str | None) -> None:
        current = self.layout.read_manifest()
        if (current or {}).get("active") != replaces:
            raise KnowledgeError(f"another ingestion published generation {(current or {}).get('active')} meanwhile; "
                                 "run `assist ingest` again", path=str(self.layout.root))
        if not is_complete(folder):
            raise KnowledgeError("the generation folder is not complete: nothing to publish", path=str(folder))
        self.layout.write_manifest({**manifest, "active": gen})

    def fetch(self, gen: str, folder: Path) -> None:
        if not is_complete(folder):
            raise IndexNotReadyError(f"index generation is incomplete or missing: {folder}; run `assist ingest`")

    def retire(self, keep: set[str]) -> None:
        """Nothing to forget: the generation folders are the ingestor's to remove."""

    def ingestion(self) -> AbstractContextManager[None]:
        # The ingestor always holds the data folder's own lock; with this catalog that is the whole story.
        return nullcontext()


@contextmanager
def file_lock(path: Path, what: str) -> Iterator[None]:
    """An exclusive, non-blocking lock on ``path`` for the life of the block (released by the OS if the process dies);
    KnowledgeError naming ``what`` when someone else holds it."""
    import fcntl

    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise KnowledgeError(f"another `assist ingest` is running on {what}", path=str(path.parent)) from exc
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
