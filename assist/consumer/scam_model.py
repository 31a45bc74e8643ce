"""The learned layer of the scam check: logistic regressions over hashed character n-grams (1-3) of the evidence
text (what the other party said, and the consumer's own account), plus the rules' flags. One head says "is this a
scam" (P(scam)); one head per scheme says which. No embedder: a 2,000-character pasted call costs a few
milliseconds, where embedding it with the foundation model took seconds.

Fitted by assist.training.text_models.train_scam_model on the public TeleAntiFraud dialogues (train split), the team's
hand-written messages and look-alikes; saved in the artefact envelope (.npz) with the hashes of its data."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from assist.core.artefacts import Artefact, load_artefact, save_artefact
from assist.errors import ConfigError

KIND = "scam-ngram-model"
VERSION = 1
DIM = 1 << 17                     # hashed n-gram buckets
ORDERS = (1, 2, 3)
_MUL = np.uint64(0x100000001B3)
_SALTS = {n: np.uint64((0x9E3779B97F4A7C15 * n) % (1 << 64)) for n in ORDERS}


def ngram_buckets(norm: str, dim: int = DIM) -> tuple[np.ndarray, np.ndarray]:
    """(bucket ids, counts) of the character 1-3-grams of an already normalised text; digits count as one digit."""
    s = "".join("0" if c.isdigit() else c for c in norm)
    if not s:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
    codes = np.frombuffer(s.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    parts = []
    for n in ORDERS:
        if len(codes) < n:
            break
        h = np.full(len(codes) - n + 1, _SALTS[n], dtype=np.uint64)
        for k in range(n):
            h = (h ^ codes[k:len(codes) - n + 1 + k]) * _MUL
        parts.append(h ^ (h >> np.uint64(29)))
    buckets = (np.concatenate(parts) % np.uint64(dim)).astype(np.int64)
    idx, counts = np.unique(buckets, return_counts=True)
    return idx, counts.astype(np.float64)


def tfidf(norm: str, idf: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sparse (ids, weights): sublinear term frequency times idf, L2-normalised."""
    idx, counts = ngram_buckets(norm, len(idf))
    if not len(idx):
        return idx, counts
    w = (1.0 + np.log(counts)) * idf[idx]
    n = float(np.sqrt((w * w).sum()))
    return idx, (w / n if n > 0 else w)


@dataclass
class ScamModel:
    labels: tuple[str, ...]           # "scam" then the scheme ids
    coef: np.ndarray                  # (labels, DIM) n-gram weights
    dense_coef: np.ndarray            # (labels, extra features) weights of the rules' flags
    intercept: np.ndarray             # (labels,)
    idf: np.ndarray                   # (DIM,)
    thresholds: dict[str, float]
    data_hash: str
    info: dict[str, Any]

    def scores(self, norm: str, extra: np.ndarray) -> dict[str, float]:
        """P(label) for a normalised evidence text and its rule features."""
        idx, w = tfidf(norm, self.idf)
        z = self.coef[:, idx].astype(np.float64) @ w + self.dense_coef @ extra + self.intercept
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -50, 50)))
        return {s: float(v) for s, v in zip(self.labels, p)}

    def save(self, path: Path) -> None:
        save_artefact(path, Artefact(KIND, VERSION, None, self.data_hash, self.info,
                                     {"labels": list(self.labels), "thresholds": self.thresholds, "dim": int(len(self.idf))},
                                     {"coef": self.coef.astype(np.float16), "dense_coef": self.dense_coef.astype(np.float32),
                                      "intercept": self.intercept.astype(np.float32), "idf": self.idf.astype(np.float32)}))

    @classmethod
    def load(cls, path: Path, labels: Sequence[str]) -> "ScamModel":
        remedy = "retrain with `assist train-scams`"
        a = load_artefact(path, KIND, VERSION, remedy)
        if tuple(a.fields.get("labels") or ()) != tuple(labels):
            raise ConfigError(f"not a scam model for labels {list(labels)}; {remedy}", path=str(path))
        return cls(tuple(labels), np.asarray(a.arrays["coef"], dtype=np.float32),
                   np.asarray(a.arrays["dense_coef"], dtype=np.float64), np.asarray(a.arrays["intercept"], dtype=np.float64),
                   np.asarray(a.arrays["idf"], dtype=np.float64), {k: float(v) for k, v in a.fields["thresholds"].items()},
                   a.data_hash, a.info)
