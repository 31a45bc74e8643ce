"""A distilled embedder for the risk hint: a linear map from a caller window's character n-grams to the foundation
embedder's vector of that window. This module serves it; assist.training.distill fits it.

Why: the semantic layer compares every caller turn with the signals' examples and look-alikes. Embedding the turn
with the foundation embedder costs more than the hint's whole per-turn budget on a 2-core CPU (README, "The risk
hint", has the measurements); the distilled embedder approximates the same vector for a small fraction of that. The
examples and look-alikes are still embedded by the foundation embedder itself (once, cached), so editing
signals.yaml needs no re-distillation.

How: kernel ridge regression (dual form) from TF-IDF-weighted character unigrams and bigrams to the teacher's
centred query vectors, fitted on windows of the *train* split's turns, the signals' examples and the knowledge base;
stored as a low-rank factorisation (vocabulary x k, k x dim). Regression shrinks predictions towards the mean, so a
single scale factor, chosen on dev-split windows to make the similarities to the examples as close as possible to
the teacher's, is applied before normalising. `assist distill-risk-embedder` rebuilds it; README, "Risk hint"."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assist.core.artefacts import Artefact, load_artefact, save_artefact
from assist.core.text import normalize
from assist.errors import ConfigError

KIND, VERSION = "distilled-embedder", 2
NGRAMS = (1, 2)
_REMEDY = "rebuild it with `assist distill-risk-embedder`"


def weights(text: str, vocab: dict[str, int], idf: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(vocabulary indices, unit-length TF-IDF weights) of the text's known n-grams; both empty when none is known.
    The one weighting used to fit the map and to serve it."""
    counts = Counter(g for g in grams(text) if g in vocab)
    idx = np.fromiter((vocab[g] for g in counts), dtype=np.int64, count=len(counts))
    w = np.fromiter(counts.values(), dtype=np.float64, count=len(counts)) * idf[idx]
    return idx, (w / np.linalg.norm(w) if len(w) else w)


def grams(text: str) -> list[str]:
    """Character unigrams and bigrams of the matching form of ``text``, punctuation and spaces left out."""
    s = "".join(ch for ch in normalize(text, simplify=True) if ch.isalnum())
    return [s[i:i + n] for n in NGRAMS for i in range(len(s) - n + 1)]


@dataclass(frozen=True, eq=False)
class DistilledEmbedder:
    """Implements the Embedder port; queries and passages are treated alike (the teacher's query form)."""

    vocab: dict[str, int]
    idf: np.ndarray          # (V,)
    coords: np.ndarray       # (V, k): each n-gram's contribution in the teacher's principal directions
    basis: np.ndarray        # (k, dim)
    mean: np.ndarray         # (dim,): the teacher's mean vector
    scale: float
    teacher: str
    data_hash: str

    @property
    def name(self) -> str:
        return f"distilled-{self.data_hash[:12]}:{self.teacher}"

    @property
    def dim(self) -> int:
        return int(self.mean.shape[0])

    def embed_query(self, text: str) -> list[float]:
        return self.vector(text).tolist()  # type: ignore[no-any-return]

    def embed_passages(self, passages: Sequence[str]) -> list[list[float]]:
        return [self.embed_query(p) for p in passages]

    def vector(self, text: str) -> np.ndarray:
        idx, w = weights(text, self.vocab, self.idf)
        v = self.mean
        if len(idx):
            v = v + self.scale * ((w @ self.coords[idx].astype(np.float64)) @ self.basis)
        out: np.ndarray = (v / np.linalg.norm(v)).astype(np.float32)
        return out

    def save(self, path: Path) -> None:
        words = sorted(self.vocab, key=self.vocab.__getitem__)
        save_artefact(path, Artefact(KIND, VERSION, self.teacher, self.data_hash, {},
                                     {"ngrams": list(NGRAMS), "scale": self.scale},
                                     {"vocab": np.asarray("\n".join(words)), "idf": self.idf.astype(np.float32),
                                      "coords": self.coords.astype(np.float16), "basis": self.basis.astype(np.float32),
                                      "mean": self.mean.astype(np.float32)}))

    @classmethod
    def load(cls, path: Path) -> "DistilledEmbedder":
        a = load_artefact(path, KIND, VERSION, _REMEDY)
        if a.fields.get("ngrams") != list(NGRAMS):
            raise ConfigError(f"distilled risk embedder uses n-grams {a.fields.get('ngrams')}, not {list(NGRAMS)}; "
                              f"{_REMEDY}", path=str(path))
        try:
            words = str(a.arrays["vocab"]).split("\n")
            idf, coords, basis, mean = (a.arrays[k] for k in ("idf", "coords", "basis", "mean"))
        except KeyError as exc:
            raise ConfigError(f"distilled risk embedder lacks the array {exc}; {_REMEDY}", path=str(path)) from exc
        v, k = coords.shape
        if len(words) != v or idf.shape != (v,) or basis.shape[0] != k or mean.shape != (basis.shape[1],):
            raise ConfigError("distilled risk embedder is inconsistent (array shapes do not agree)", path=str(path))
        return cls({w: i for i, w in enumerate(words)}, idf.astype(np.float64), coords, basis.astype(np.float64),
                   mean.astype(np.float64), float(a.fields["scale"]), str(a.embedder), a.data_hash)
