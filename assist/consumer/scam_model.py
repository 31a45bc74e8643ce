"""The learned layer of the scam check: logistic regressions over hashed character n-grams (1-3) of the evidence
text (what the other party said, and the consumer's own account), plus the rules' flags. One head says "is this a
scam" (P(scam)); one head per scheme says which. No embedder: a 2,000-character pasted call costs a few
milliseconds, where embedding it with the foundation model took seconds.

A third part, the naming head, says which of the benchmark's schemes a pasted call is, as one choice (softmax)
rather than one yes/no per scheme: the one-vs-rest heads confuse fake bank / customer service, identity theft and
phishing, which in the benchmark are nearly all "bank customer service asks for your ID and card", and what tells them
apart is mostly who the caller says they are in the opening words. It is the product of two multinomial experts: the
opening's n-grams (the first OPENING_CHARS characters of the evidence) and the whole evidence's n-grams, the latter
weighted by ``weight``.

Fitted by assist.training.text_models.train_scam_model on the public TeleAntiFraud dialogues (train split), the team's
hand-written messages and look-alikes; saved in the artefact envelope (.npz) with the hashes of its data. A file
without the naming head (written before it existed) still loads, without it."""

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


OPENING_CHARS = 40                # the caller's opening words, as the naming head reads them


def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max())
    return np.asarray(e / e.sum())


@dataclass
class NamingHead:
    labels: tuple[str, ...]           # the scheme ids it chooses among
    open_coef: np.ndarray             # (labels, DIM) weights of the opening's n-grams
    open_intercept: np.ndarray        # (labels,)
    ev_coef: np.ndarray               # (labels, DIM) weights of the evidence's n-grams
    ev_intercept: np.ndarray          # (labels,)
    weight: float                     # of the evidence expert (the opening's is 1)

    def scores(self, norm: str, idf: np.ndarray) -> dict[str, float]:
        """P(scheme | the message shows one of these schemes) for a normalised evidence text."""
        z = self.open_intercept.copy()
        idx, w = tfidf(norm[:OPENING_CHARS], idf)
        z += self.open_coef[:, idx].astype(np.float64) @ w
        idx, w = tfidf(norm, idf)
        z2 = self.ev_coef[:, idx].astype(np.float64) @ w + self.ev_intercept
        logp = np.log(_softmax(z)) + self.weight * np.log(_softmax(z2))
        return {s: float(v) for s, v in zip(self.labels, _softmax(logp))}


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
    naming: NamingHead | None = None

    def naming_scores(self, norm: str) -> dict[str, float]:
        """The naming head's P(scheme) ({} without one)."""
        return self.naming.scores(norm, self.idf) if self.naming is not None and norm.strip() else {}

    def scores(self, norm: str, extra: np.ndarray) -> dict[str, float]:
        """P(label) for a normalised evidence text and its rule features."""
        idx, w = tfidf(norm, self.idf)
        z = self.coef[:, idx].astype(np.float64) @ w + self.dense_coef @ extra + self.intercept
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -50, 50)))
        return {s: float(v) for s, v in zip(self.labels, p)}

    def save(self, path: Path) -> None:
        fields: dict[str, Any] = {"labels": list(self.labels), "thresholds": self.thresholds, "dim": int(len(self.idf))}
        arrays: dict[str, np.ndarray] = {
            "coef": self.coef.astype(np.float16), "dense_coef": self.dense_coef.astype(np.float32),
            "intercept": self.intercept.astype(np.float32), "idf": self.idf.astype(np.float32)}
        c = self.naming
        if c is not None:
            fields["naming"] = {"labels": list(c.labels), "weight": c.weight}
            arrays |= {"naming_open_coef": c.open_coef.astype(np.float16),
                       "naming_open_intercept": c.open_intercept.astype(np.float32),
                       "naming_ev_coef": c.ev_coef.astype(np.float16),
                       "naming_ev_intercept": c.ev_intercept.astype(np.float32)}
        save_artefact(path, Artefact(KIND, VERSION, None, self.data_hash, self.info, fields, arrays))

    @classmethod
    def load(cls, path: Path, labels: Sequence[str]) -> "ScamModel":
        remedy = "retrain with `assist train-scams`"
        a = load_artefact(path, KIND, VERSION, remedy)
        if tuple(a.fields.get("labels") or ()) != tuple(labels):
            raise ConfigError(f"not a scam model for labels {list(labels)}; {remedy}", path=str(path))
        naming = None
        head = a.fields.get("naming")
        if isinstance(head, dict):
            names = tuple(str(x) for x in head.get("labels") or ())
            if not names or any(x not in labels for x in names):
                raise ConfigError(f"the naming head names unknown schemes {list(names)}; {remedy}", path=str(path))
            try:
                naming = NamingHead(names, np.asarray(a.arrays["naming_open_coef"], dtype=np.float32),
                                    np.asarray(a.arrays["naming_open_intercept"], dtype=np.float64),
                                    np.asarray(a.arrays["naming_ev_coef"], dtype=np.float32),
                                    np.asarray(a.arrays["naming_ev_intercept"], dtype=np.float64),
                                    float(head["weight"]))
            except (KeyError, TypeError, ValueError) as exc:
                raise ConfigError(f"the naming head is incomplete ({exc}); {remedy}", path=str(path)) from exc
        return cls(tuple(labels), np.asarray(a.arrays["coef"], dtype=np.float32),
                   np.asarray(a.arrays["dense_coef"], dtype=np.float64), np.asarray(a.arrays["intercept"], dtype=np.float64),
                   np.asarray(a.arrays["idf"], dtype=np.float64), {k: float(v) for k, v in a.fields["thresholds"].items()},
                   a.data_hash, a.info, naming)
