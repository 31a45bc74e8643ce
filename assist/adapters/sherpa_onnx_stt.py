"""Speech to text with sherpa-onnx on a local model directory (SenseVoice or Paraformer, as sherpa-onnx publishes
them: model.onnx or model.int8.onnx and tokens.txt). An optional extra (`pip install -e '.[sherpa]'`): sherpa-onnx
would fetch weights at run time if asked for a model by name, so it is only ever given a directory the institution
already has. The SpeechToText port."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from assist.audio.types import SAMPLE_RATE, Segment, Word
from assist.errors import ConfigError, DependencyError


def find_model(folder: Path) -> tuple[str, Path, Path]:
    """(kind, model file, tokens file) of a sherpa-onnx SenseVoice or Paraformer directory."""
    if not folder.is_dir():
        raise ConfigError("sherpa-onnx model directory not found", path=str(folder), field="audio.model_path")
    tokens = folder / "tokens.txt"
    model = next((folder / n for n in ("model.int8.onnx", "model.onnx") if (folder / n).is_file()), None)
    if model is None or not tokens.is_file():
        raise ConfigError("a sherpa-onnx model directory needs model.onnx (or model.int8.onnx) and tokens.txt",
                          path=str(folder), field="audio.model_path")
    name = folder.name.lower()
    kind = "paraformer" if "paraformer" in name else "sense_voice"
    return kind, model, tokens


class SherpaOnnxSpeechToText:
    """An offline sherpa-onnx recogniser, built on the first call; one recognition at a time."""

    def __init__(self, model_dir: Path, *, threads: int = 2, kind: str | None = None) -> None:
        self.kind, self.model, self.tokens = find_model(model_dir)
        if kind:
            self.kind = kind
        self.threads = threads
        self.model_dir = model_dir
        self._rec: Any = None
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        return f"sherpa-onnx:{self.kind}:{self.model_dir.name}"

    def _load(self) -> Any:
        if self._rec is None:
            try:
                import sherpa_onnx
            except ImportError as exc:
                raise DependencyError("sherpa-onnx is not installed: pip install -e '.[sherpa]'",
                                      field="audio.stt") from exc
            if self.kind == "paraformer":
                self._rec = sherpa_onnx.OfflineRecognizer.from_paraformer(
                    paraformer=str(self.model), tokens=str(self.tokens), num_threads=self.threads)
            else:
                self._rec = sherpa_onnx.OfflineRecognizer.from_sense_voice(
                    model=str(self.model), tokens=str(self.tokens), num_threads=self.threads, language="zh",
                    use_itn=True)
        return self._rec

    def transcribe(self, audio: Any, *, language: str = "zh") -> list[Segment]:
        if len(audio) == 0:
            return []
        with self._lock:
            rec = self._load()
            stream = rec.create_stream()
            stream.accept_waveform(SAMPLE_RATE, audio)
            rec.decode_stream(stream)
            res = stream.result
        text = str(res.text)
        duration = len(audio) / SAMPLE_RATE
        stamps = list(getattr(res, "timestamps", []) or [])
        tokens = list(getattr(res, "tokens", []) or [])
        words = []
        if stamps and len(stamps) == len(tokens):
            for i, (tok, t) in enumerate(zip(tokens, stamps)):
                end = stamps[i + 1] if i + 1 < len(stamps) else duration
                words.append(Word(str(tok), float(t), float(end)))
        return [Segment(0.0, duration, text, tuple(words))] if text.strip() else []
