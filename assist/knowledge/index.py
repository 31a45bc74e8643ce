"""On-disk layout of the index: generations, the manifest that names the active one, and loading a generation.

A rebuild writes a new generation (its own folder and Chroma collection) and becomes visible only when the
manifest is atomically replaced; a crash before that leaves the previous generation serving.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from assist.core.files import atomic_write_text
from assist.errors import IndexNotReadyError
from assist.knowledge.types import Chunk

MANIFEST = "manifest.json"


class IndexLayout:
    """Paths under the data directory."""

    def __init__(self, data_dir: Path) -> None:
        self.root = Path(data_dir)

    @property
    def manifest_path(self) -> Path:
        return self.root / MANIFEST

    @property
    def chroma_dir(self) -> Path:
        return self.root / "chroma"

    @property
    def cache_path(self) -> Path:
        return self.root / "embeddings.sqlite"

    @property
    def jieba_dir(self) -> Path:
        return self.root / "jieba"

    def gen_dir(self, gen: str) -> Path:
        return self.root / "generations" / gen

    def generations(self) -> list[str]:
        d = self.root / "generations"
        return sorted(p.name for p in d.iterdir() if p.is_dir()) if d.is_dir() else []

    @staticmethod
    def new_generation() -> str:
        return "g" + dt.datetime.now(dt.UTC).strftime("%Y%m%dt%H%M%S") + "-" + secrets.token_hex(3)

    def read_manifest(self) -> dict[str, Any] | None:
        try:
            return json.loads(self.manifest_path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]
        except FileNotFoundError:
            return None

    def write_manifest(self, manifest: dict[str, Any]) -> None:
        atomic_write_text(self.manifest_path, json.dumps(manifest, ensure_ascii=False, indent=2), durable=True)

    def remove_generation(self, gen: str) -> None:
        shutil.rmtree(self.gen_dir(gen), ignore_errors=True)


@dataclass
class GenerationData:
    """What a generation holds besides its Chroma collection and BM25 files."""

    chunks: list[Chunk]
    vectors: np.ndarray          # (n, dim) float32, rows aligned with chunks
    terms: list[str]             # jieba user dictionary for this generation

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / "chunks.jsonl", "w", encoding="utf-8") as fh:
            for c in self.chunks:
                fh.write(json.dumps({"id": c.id, "text": c.text, "meta": c.to_meta()}, ensure_ascii=False) + "\n")
        np.save(folder / "vectors.npy", self.vectors.astype(np.float32))
        (folder / "terms.json").write_text(json.dumps(self.terms, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> "GenerationData":
        if not (folder / "chunks.jsonl").is_file():
            raise IndexNotReadyError(f"index generation is incomplete or missing: {folder}; run `assist ingest`")
        chunks = []
        with open(folder / "chunks.jsonl", encoding="utf-8") as fh:
            for line in fh:
                row = json.loads(line)
                chunks.append(Chunk.from_meta(row["id"], row["text"], row["meta"]))
        vectors = np.load(folder / "vectors.npy", mmap_mode="r")
        terms = json.loads((folder / "terms.json").read_text(encoding="utf-8"))
        return cls(chunks, vectors, terms)
