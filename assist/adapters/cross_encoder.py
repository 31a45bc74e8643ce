"""CrossEncoder loading (sentence-transformers), offline only."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from assist.errors import ConfigError, DependencyError


def load_cross_encoder(model_path: Path) -> Any:
    if not Path(model_path).is_dir():
        raise ConfigError(f"reranker model directory not found: {model_path}", field="retrieval.reranker_model")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        from sentence_transformers import CrossEncoder

        return CrossEncoder(str(model_path), device="cpu", local_files_only=True)
    except (OSError, ValueError) as exc:
        raise DependencyError(f"cannot load the reranker from {model_path}: {exc}") from exc


class CrossEncoderReranker:
    """Optional reranker: a sentence-transformers CrossEncoder from a local directory, loaded on first use."""

    def __init__(self, model_path: Path) -> None:
        if not Path(model_path).is_dir():
            raise ConfigError(f"reranker model directory not found: {model_path}", field="retrieval.reranker_model")
        self.model_path = Path(model_path)
        self._m: Any = None

    def scores(self, query: str, texts: Sequence[str]) -> list[float]:
        if self._m is None:
            self._m = load_cross_encoder(self.model_path)
        return [float(s) for s in self._m.predict([(query, t) for t in texts], show_progress_bar=False)]
