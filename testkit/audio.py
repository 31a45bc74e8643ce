"""Audio the tests synthesise (tones, noise, silence; our own, no licence question) and a scripted recogniser."""

from __future__ import annotations

import wave
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from assist.audio.types import SAMPLE_RATE, Segment, Word

SHARED_ASR = Path(__file__).resolve().parents[1].parent / "shared" / "benchmarks" / "asr-zh"


def tone(seconds: float, freq: float = 220.0, amp: float = 0.3, rate: int = SAMPLE_RATE) -> np.ndarray:
    """A voiced-like signal: a harmonic tone with a slow tremolo."""
    t = np.arange(int(seconds * rate)) / rate
    x = sum(np.sin(2 * np.pi * freq * k * t) / k for k in (1, 2, 3))
    return (amp * 0.6 * x * (0.8 + 0.2 * np.sin(2 * np.pi * 3 * t))).astype(np.float32)


def hush(seconds: float, level: float = 0.0005, rate: int = SAMPLE_RATE, seed: int = 0) -> np.ndarray:
    """Quiet background noise (about -66 dBFS)."""
    return (np.random.default_rng(seed).normal(0, level, int(seconds * rate))).astype(np.float32)


def write_wav(path: Path, channels: Sequence[np.ndarray] | np.ndarray, rate: int = SAMPLE_RATE) -> Path:
    """16-bit PCM WAV; ``channels`` is one array (mono) or a list of equal-length arrays."""
    chans = [channels] if isinstance(channels, np.ndarray) else list(channels)
    n = max(len(c) for c in chans)
    data = np.stack([np.pad(c, (0, n - len(c))) for c in chans], axis=1)
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(len(chans))
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes((np.clip(data, -1, 1) * 32767).astype("<i2").tobytes())
    return path


def encode(path: Path, samples: np.ndarray, rate: int, codec: str, container: str | None = None) -> Path:
    """Mono audio encoded with PyAV (mp3: libmp3lame, m4a: aac, amr: libopencore_amrnb at 8 kHz, …)."""
    import av

    with av.open(str(path), "w", format=container) as out:
        stream = out.add_stream(codec, rate=rate)
        stream.layout = "mono"  # type: ignore[union-attr]
        frame_size = 1024 if codec not in ("libopencore_amrnb",) else 160
        pcm = (np.clip(samples, -1, 1) * 32767).astype(np.int16)
        for i in range(0, len(pcm), frame_size):
            block = pcm[i:i + frame_size]
            if len(block) < frame_size:
                block = np.pad(block, (0, frame_size - len(block)))
            frame = av.AudioFrame.from_ndarray(block.reshape(1, -1), format="s16", layout="mono")
            frame.sample_rate = rate
            for packet in stream.encode(frame):  # type: ignore[union-attr]
                out.mux(packet)
        for packet in stream.encode(None):  # type: ignore[union-attr]
            out.mux(packet)
    return path


class ScriptedSpeech:
    """The SpeechToText port: the n-th turn it hears reads as ``lines[n]`` (then the last line again), one word per
    character spread over the audio; audio with nothing louder than -45 dBFS reads as nothing."""

    name = "scripted"

    def __init__(self, lines: Sequence[str]) -> None:
        self.lines = list(lines)
        self.heard: list[float] = []

    def transcribe(self, audio: Any, *, language: str = "zh") -> list[Segment]:
        seconds = len(audio) / SAMPLE_RATE
        self.heard.append(seconds)
        if not len(audio) or float(np.max(np.abs(audio))) < 0.006:
            return []
        text = self.lines[min(len(self.heard) - 1, len(self.lines) - 1)]
        step = seconds / max(1, len(text))
        words = tuple(Word(ch, i * step, (i + 1) * step) for i, ch in enumerate(text))
        return [Segment(0.0, seconds, text, words)]
