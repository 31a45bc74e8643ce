"""A small learned text classifier shared by the consumer side's scam check and attack filter: one logistic
regression per label over the message's embedding (the bundled embedder) plus hand-made rule features. Fitted by
assist.training.text_models; stored in the artefact envelope with the training data's hash and the embedder's name;
loading refuses a model trained with another embedder or label list."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from assist.core.artefacts import Artefact, load_artefact, save_artefact
from assist.core.text import normalize
from assist.errors import ConfigError
from assist.ports import Embedder

VERSION = 2
MAX_CHARS = 400          # the part of a message that is embedded


@dataclass
class LinearTextModel:
    kind: str                   # "scams" or "attacks"
    labels: tuple[str, ...]
    coef: np.ndarray            # (labels, features)
    intercept: np.ndarray       # (labels,)
    thresholds: dict[str, float]
    embedder: str
    data_hash: str
    info: dict[str, Any]

    def probabilities(self, x: np.ndarray) -> dict[str, float]:
        z = self.coef @ x + self.intercept
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -50, 50)))
        return {s: float(v) for s, v in zip(self.labels, p)}

    def save(self, path: Path) -> None:
        save_artefact(path, Artefact(f"text-model:{self.kind}", VERSION, self.embedder, self.data_hash, self.info,
                                     {"labels": list(self.labels), "thresholds": self.thresholds},
                                     {"coef": np.round(self.coef, 6), "intercept": np.round(self.intercept, 6)}))

    @classmethod
    def load(cls, path: Path, kind: str, labels: Sequence[str], embedder: str) -> "LinearTextModel":
        remedy = f"retrain with `assist train-{kind}`"
        a = load_artefact(path, f"text-model:{kind}", VERSION, remedy)
        if tuple(a.fields.get("labels") or ()) != tuple(labels):
            raise ConfigError(f"not a {kind} model for labels {list(labels)}; {remedy}", path=str(path))
        if a.embedder != embedder:
            raise ConfigError(f"{kind} model was trained with embedder {a.embedder!r}, not {embedder!r}; {remedy}",
                              path=str(path))
        return cls(kind, tuple(labels), np.asarray(a.arrays["coef"], dtype=np.float64),
                   np.asarray(a.arrays["intercept"], dtype=np.float64), dict(a.fields["thresholds"]), embedder,
                   a.data_hash, a.info)


def featurize(embedder: Embedder, text: str, extra: Callable[[str], np.ndarray]) -> np.ndarray:
    v = np.asarray(embedder.embed_query(normalize(text)[:MAX_CHARS]), dtype=np.float64)
    return np.concatenate([v, extra(text)])
