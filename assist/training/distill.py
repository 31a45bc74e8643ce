"""`assist distill-risk-embedder`: fits the risk hint's distilled window embedder (assist.risk.distilled) to the
foundation embedder, by kernel ridge regression (scipy) on windows of the train split's turns, the signals' examples
and the knowledge base; the scale is chosen on dev-split windows. Test, held-out and fresh windows are never read."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from assist.core.text import text_key
from assist.errors import ConfigError
from assist.evaluation.conversations import LabelledConversation
from assist.knowledge.signals import Signal
from assist.ports import Embedder, EmbeddingCache
from assist.risk.distilled import DistilledEmbedder, grams, weights

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


def knowledge_texts(folders: Iterable[Path]) -> list[str]:
    """The knowledge base's Markdown and YAML files as text (not the signal taxonomy, not READMEs): the distilled
    embedder also learns the knowledge base's wording."""
    return [p.read_text(encoding="utf-8") for d in folders for p in sorted(Path(d).rglob("*"))
            if p.suffix in (".md", ".yaml", ".yml") and p.name not in ("signals.yaml", "README.md")]


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


def build(foundation: Embedder, convs: Sequence[LabelledConversation], signals: Sequence[Signal],
          knowledge: Iterable[str], window: Callable[[str], tuple[int, int]], max_chars: int,
          cache: EmbeddingCache | None = None, progress: bool = False, **fit: float) -> DistilledEmbedder:
    """Distil ``foundation`` from the train split's turns, the signals and the knowledge base; the scale is tuned on
    the dev split's windows. The test and held-out splits are never read. Teacher vectors are cached by text."""
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
