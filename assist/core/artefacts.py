"""One envelope for every learned artefact the product ships or trains (the risk model, the consumer text models,
the distilled window embedder): what it is, its format version, the embedder it depends on, the hash of the data it
was fitted on, free-form training info, its own plain fields and its arrays. JSON for small models, compressed NumPy
(.npz) for large ones; never pickle. Loading checks the kind and version and names the file when they do not fit."""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from assist.core.files import atomic_write_bytes, atomic_write_text
from assist.errors import ConfigError

ENVELOPE = 1


@dataclass(frozen=True)
class Artefact:
    kind: str                                  # e.g. "risk-model", "text-model:scams", "distilled-embedder"
    version: int                               # the kind's own format version
    embedder: str | None                       # what its inputs were embedded with (None: no embedder)
    data_hash: str                             # SHA-256 of the data it was fitted on
    info: dict[str, Any] = field(default_factory=dict)      # training details, for people
    fields: dict[str, Any] = field(default_factory=dict)    # the kind's own plain values
    arrays: dict[str, np.ndarray] = field(default_factory=dict)


def _header(a: Artefact) -> dict[str, Any]:
    return {"envelope": ENVELOPE, "kind": a.kind, "version": a.version, "embedder": a.embedder,
            "data_hash": a.data_hash, "info": a.info, "fields": a.fields}


def save_artefact(path: Path, a: Artefact) -> None:
    """Write atomically: arrays as nested lists in a .json file, or natively (dtype kept) in a .npz file."""
    path = Path(path)
    if path.suffix == ".npz":
        buf = io.BytesIO()
        arrays: dict[str, Any] = {"__header__": np.asarray(json.dumps(_header(a), ensure_ascii=False)), **a.arrays}
        np.savez_compressed(buf, **arrays)
        atomic_write_bytes(path, buf.getvalue())
    else:
        doc = {**_header(a), "arrays": {k: v.tolist() for k, v in a.arrays.items()}}
        atomic_write_text(path, json.dumps(doc, ensure_ascii=False))


def load_artefact(path: Path, kind: str, version: int, remedy: str) -> Artefact:
    """The artefact in ``path``; ConfigError naming the file (and ``remedy``, e.g. the command that rebuilds it)
    when it cannot be read or is not a ``kind`` of this ``version``."""
    path = Path(path)
    try:
        if path.suffix == ".npz":
            with open(path, "rb") as fh, np.load(fh, allow_pickle=False) as z:
                header = json.loads(str(z["__header__"]))
                arrays = {k: z[k] for k in z.files if k != "__header__"}
        else:
            doc = json.loads(path.read_text(encoding="utf-8"))
            header = doc
            arrays = {k: np.asarray(v) for k, v in (doc.get("arrays") or {}).items()}
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, EOFError) as exc:
        raise ConfigError(f"cannot read the {kind} file: {type(exc).__name__}: {exc}", path=str(path)) from exc
    if not isinstance(header, dict) or header.get("envelope") != ENVELOPE or header.get("kind") != kind \
            or header.get("version") != version:
        found = f"{header.get('kind')} v{header.get('version')}" if isinstance(header, dict) else "something else"
        raise ConfigError(f"not a {kind} file of format {version} (found {found}); {remedy}", path=str(path))
    return Artefact(kind, version, header.get("embedder"), str(header.get("data_hash", "")),
                    dict(header.get("info") or {}), dict(header.get("fields") or {}), arrays)
