"""A learned reading of what a paper is (authorisation, complaint, certificate, other), beside the rules in
assist.review.checks.classify. The rules read titles and phrasings one writer at a time and score 100 % on the writers
they were written for, but 80-84 % on each new round of writers; this model, fitted on every labelled letter, generalises
better (README, "Document review", has both, measured on writers neither had seen).

Features: TF-IDF of character 1-3-grams of the letter's head (its first two lines, where titles and addressees are) and
of its whole text, each block unit-length, the head weighted more; a multinomial logistic regression over them. The
same ``features`` function is used to fit (assist.training.letter_kind) and to serve, so what is served is what was
measured. Stored in the artefact envelope (no pickle); `assist review-train-kind` rebuilds it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assist.core.artefacts import Artefact, load_artefact, save_artefact
from assist.errors import ConfigError

KIND, VERSION = "letter-kind", 1
NGRAMS = (1, 2, 3)
HEAD_WEIGHT = 1.5
_REMEDY = "rebuild it with `assist review-train-kind`"


def head_of(text: str) -> str:
    """The first two non-blank lines, joined: where a letter's title, issuer or addressee stands."""
    return " ".join([ln.strip() for ln in text.splitlines() if ln.strip()][:2])


def grams(text: str) -> Counter[str]:
    """Character 1-3-grams of ``text`` with runs of white space made one space."""
    s = " ".join(text.split())
    return Counter(s[i:i + n] for n in NGRAMS for i in range(len(s) - n + 1))


def block(counts: Counter[str], vocab: dict[str, int], idf: np.ndarray, offset: int) -> dict[int, float]:
    """Unit-length sublinear TF-IDF weights of the known n-grams, keyed by column (``offset`` + vocabulary index)."""
    w = {vocab[g]: (1.0 + np.log(c)) * idf[vocab[g]] for g, c in counts.items() if g in vocab}
    norm = float(np.sqrt(sum(v * v for v in w.values())))
    return {offset + i: v / norm for i, v in w.items()} if norm > 0 else {}


@dataclass(frozen=True, eq=False)
class KindModel:
    labels: tuple[str, ...]
    head_vocab: dict[str, int]
    head_idf: np.ndarray
    body_vocab: dict[str, int]
    body_idf: np.ndarray
    coef: np.ndarray          # (labels, head + body columns)
    intercept: np.ndarray     # (labels,)
    data_hash: str

    def features(self, text: str) -> dict[int, float]:
        """Sparse features of a letter (its reading form): column -> value."""
        head = block(grams(head_of(text)), self.head_vocab, self.head_idf, 0)
        body = block(grams(text), self.body_vocab, self.body_idf, len(self.head_vocab))
        return {**{k: HEAD_WEIGHT * v for k, v in head.items()}, **body}

    def probabilities(self, text: str) -> dict[str, float]:
        f = self.features(text)
        cols = np.fromiter(f.keys(), dtype=np.int64, count=len(f))
        vals = np.fromiter(f.values(), dtype=np.float64, count=len(f))
        z = self.coef[:, cols] @ vals + self.intercept if len(f) else self.intercept.copy()
        p = np.exp(z - z.max())
        p /= p.sum()
        return {k: float(v) for k, v in zip(self.labels, p)}

    def predict(self, text: str) -> str:
        p = self.probabilities(text)
        return max(p, key=lambda k: p[k])

    def save(self, path: Path) -> None:
        def words(vocab: dict[str, int]) -> np.ndarray:
            return np.asarray("\x1f".join(sorted(vocab, key=vocab.__getitem__)))

        save_artefact(path, Artefact(KIND, VERSION, None, self.data_hash, {},
                                     {"labels": list(self.labels), "ngrams": list(NGRAMS), "head_weight": HEAD_WEIGHT},
                                     {"head_vocab": words(self.head_vocab), "head_idf": self.head_idf.astype(np.float32),
                                      "body_vocab": words(self.body_vocab), "body_idf": self.body_idf.astype(np.float32),
                                      "coef": self.coef.astype(np.float32), "intercept": self.intercept.astype(np.float32)}))

    @classmethod
    def load(cls, path: Path) -> "KindModel":
        a = load_artefact(path, KIND, VERSION, _REMEDY)
        if a.fields.get("ngrams") != list(NGRAMS) or a.fields.get("head_weight") != HEAD_WEIGHT:
            raise ConfigError(f"letter kind model was fitted with other features; {_REMEDY}", path=str(path))
        try:
            head = str(a.arrays["head_vocab"]).split("\x1f")
            body = str(a.arrays["body_vocab"]).split("\x1f")
            hidf, bidf, coef, icpt = (a.arrays[k] for k in ("head_idf", "body_idf", "coef", "intercept"))
        except KeyError as exc:
            raise ConfigError(f"letter kind model lacks the array {exc}; {_REMEDY}", path=str(path)) from exc
        labels = tuple(str(x) for x in a.fields.get("labels", []))
        if coef.shape != (len(labels), len(head) + len(body)) or icpt.shape != (len(labels),) \
                or hidf.shape != (len(head),) or bidf.shape != (len(body),):
            raise ConfigError("letter kind model is inconsistent (array shapes do not agree)", path=str(path))
        return cls(labels, {w: i for i, w in enumerate(head)}, hidf.astype(np.float64),
                   {w: i for i, w in enumerate(body)}, bidf.astype(np.float64), coef.astype(np.float64),
                   icpt.astype(np.float64), a.data_hash)
