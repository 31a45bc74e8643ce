"""Voice activity by frame energy against a tracked noise floor, and a streaming turn cutter built on it.

A turn starts at the first voiced frame (with a little audio before it) and ends after ``min_silence_ms`` of
unvoiced frames; turns with less than ``min_speech_ms`` of voiced audio are dropped (a click, a cough), and a turn
that reaches ``max_turn_s`` is cut there. Only the audio of the turn in progress is held, so a stream of any length
runs in bounded memory. Energy VAD is deliberately simple: steady noise well below speech is tracked as the floor;
loud non-speech (music, a television) is taken for speech and left to the recogniser."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from assist.audio.types import SAMPLE_RATE


@dataclass(frozen=True)
class VadParams:
    frame_ms: int = 30
    threshold_db: float = 12.0        # voiced: this far above the noise floor …
    min_level_dbfs: float = -45.0     # … and above this absolute level
    min_speech_ms: int = 250
    min_silence_ms: int = 600
    pad_ms: int = 150
    max_turn_s: float = 30.0


@dataclass(frozen=True)
class SpeechTurn:
    """A finished stretch of speech: its audio and its place in the stream (seconds)."""

    start: float
    end: float
    audio: npt.NDArray[np.float32]
    cut: bool = False                 # ended by max_turn_s or by the end of the stream, not by silence


def frame_levels(samples: npt.NDArray[np.float32], frame: int) -> npt.NDArray[np.float64]:
    """dBFS of each whole frame (RMS; digital silence is -100)."""
    n = len(samples) // frame
    if n == 0:
        return np.zeros(0)
    x = samples[: n * frame].reshape(n, frame).astype(np.float32, copy=False)
    power = np.einsum("ij,ij->i", x, x, dtype=np.float64) / frame
    return np.asarray(10 * np.log10(np.maximum(power, 1e-10)), dtype=np.float64)


@dataclass
class TurnCutter:
    """Feed 16 kHz mono samples in any block sizes; finished turns come out as they end."""

    params: VadParams = field(default_factory=VadParams)
    _pending: npt.NDArray[np.float32] = field(default_factory=lambda: np.zeros(0, np.float32))
    _pre: list[npt.NDArray[np.float32]] = field(default_factory=list)
    _turn: list[npt.NDArray[np.float32]] = field(default_factory=list)
    _turn_start: float = 0.0
    _voiced: int = 0
    _silence: int = 0
    _frames_in_turn: int = 0
    _last_voiced_end: float = 0.0
    _frames_seen: int = 0
    floor_db: float = -70.0
    in_turn: bool = False
    voiced_seconds: float = 0.0       # every voiced frame so far (a channel with none is silent)
    _block_min: float = 100.0
    _block_n: int = 0
    _minima: list[float] = field(default_factory=list)

    @property
    def frame(self) -> int:
        return SAMPLE_RATE * self.params.frame_ms // 1000

    @property
    def seconds(self) -> float:
        """Stream time consumed so far."""
        return self._frames_seen * self.params.frame_ms / 1000

    def feed(self, samples: npt.NDArray[np.float32]) -> list[SpeechTurn]:
        p = self.params
        buf = np.concatenate([self._pending, samples.astype(np.float32, copy=False)]) if len(self._pending) else \
            samples.astype(np.float32, copy=False)
        frame = self.frame
        n = len(buf) // frame
        self._pending = buf[n * frame:].copy()
        levels = frame_levels(buf[: n * frame], frame)
        out: list[SpeechTurn] = []
        pre_frames = max(1, p.pad_ms // p.frame_ms)
        for i in range(n):
            chunk = buf[i * frame:(i + 1) * frame]
            level = float(levels[i])
            t0 = self._frames_seen * p.frame_ms / 1000
            self._frames_seen += 1
            self._track_floor(level)
            voiced = level > max(self.floor_db + p.threshold_db, p.min_level_dbfs)
            if voiced:
                self.voiced_seconds += p.frame_ms / 1000
            if not self.in_turn:
                if voiced:
                    self.in_turn = True
                    self._turn = list(self._pre)
                    self._turn_start = t0 - len(self._pre) * p.frame_ms / 1000
                    self._turn.append(chunk.copy())
                    self._voiced, self._silence, self._frames_in_turn = 1, 0, len(self._turn)
                    self._last_voiced_end = t0 + p.frame_ms / 1000
                    self._pre = []
                else:
                    self._pre.append(chunk.copy())
                    if len(self._pre) > pre_frames:
                        self._pre.pop(0)
                continue
            self._turn.append(chunk.copy())
            self._frames_in_turn += 1
            if voiced:
                self._voiced += 1
                self._silence = 0
                self._last_voiced_end = t0 + p.frame_ms / 1000
            else:
                self._silence += 1
            if self._silence * p.frame_ms >= p.min_silence_ms:
                turn = self._close(cut=False)
                if turn is not None:
                    out.append(turn)
            elif self._frames_in_turn * p.frame_ms >= p.max_turn_s * 1000:
                turn = self._close(cut=True)
                if turn is not None:
                    out.append(turn)
        return out

    def _track_floor(self, level: float) -> None:
        """The noise floor: the quietest frame of the last ~3 s (minima of 0.3 s blocks), never above -35 dBFS, so
        steady noise is learnt within seconds while the dips between words keep speech from becoming the floor."""
        self._block_min = min(self._block_min, level)
        self._block_n += 1
        if self._block_n >= 10:
            self._minima.append(self._block_min)
            if len(self._minima) > 10:
                self._minima.pop(0)
            self._block_min, self._block_n = 100.0, 0
        current = min([*self._minima, self._block_min])
        self.floor_db = min(current, -35.0)

    def flush(self) -> SpeechTurn | None:
        """The turn in progress when the stream ends (marked ``cut``), if it holds enough speech."""
        if not self.in_turn:
            return None
        return self._close(cut=True)

    def _close(self, cut: bool) -> SpeechTurn | None:
        p = self.params
        audio = np.concatenate(self._turn) if self._turn else np.zeros(0, np.float32)
        keep = self._voiced * p.frame_ms >= p.min_speech_ms
        end = self._turn_start + len(audio) / SAMPLE_RATE
        if not cut:
            # trim the trailing silence to pad_ms after the last voiced frame
            end = min(end, self._last_voiced_end + p.pad_ms / 1000)
            audio = audio[: max(0, int(round((end - self._turn_start) * SAMPLE_RATE)))]
        start = self._turn_start
        self.in_turn, self._turn, self._voiced, self._silence, self._frames_in_turn = False, [], 0, 0, 0
        if not keep:
            return None
        return SpeechTurn(max(0.0, start), end, audio, cut)
