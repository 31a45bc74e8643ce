"""A live call: PCM frames per speaker in, finished turns and the staff assistance for them out.

Each speaker has its own turn cutter; when a turn ends (``min_silence_ms`` of quiet, or the longest-turn limit) its
audio is recognised, normalised and masked, and passed to the staff assistance like a typed turn. The stream may stop
at any moment: ``stop`` recognises the turn in progress and marks it partial, so nothing said is lost."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from assist.audio.review import with_times
from assist.audio.text import turn_text
from assist.audio.types import SAMPLE_RATE, CallTurn
from assist.audio.vad import SpeechTurn, TurnCutter, VadParams
from assist.errors import AudioError
from assist.ports import SpeechToText
from assist.staff.assist import StaffAssist

LIVE_RATES = (8000, 16000)
SPEAKERS = ("caller", "agent")


def pcm16_to_float(data: bytes, rate: int) -> npt.NDArray[np.float32]:
    """Little-endian 16-bit mono PCM at ``rate`` as 16 kHz float32 (8 kHz is upsampled by interpolation)."""
    if len(data) % 2:
        raise AudioError(f"PCM 数据长度 {len(data)} 不是偶数：需要 16 位小端单声道（odd byte count: 16-bit PCM expected）",
                         field="audio")
    x: npt.NDArray[np.float32] = np.frombuffer(data, dtype="<i2").astype(np.float32) / np.float32(32768.0)
    if rate == SAMPLE_RATE or len(x) == 0:
        return x
    n = len(x) * SAMPLE_RATE // rate
    up: npt.NDArray[np.float32] = np.interp(np.arange(n) * (rate / SAMPLE_RATE), np.arange(len(x)), x).astype(np.float32)
    return up


@dataclass
class LiveCall:
    """One call's audio on its way in; ``session_id`` is the StaffAssist session its turns go to."""

    staff: StaffAssist
    stt: SpeechToText
    session_id: str
    rate: int = SAMPLE_RATE
    vad: VadParams = field(default_factory=VadParams)
    language: str = "zh"
    turns: list[CallTurn] = field(default_factory=list)
    _cutters: dict[str, TurnCutter] = field(default_factory=dict)
    _carry: dict[str, npt.NDArray[np.float32]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.rate not in LIVE_RATES:
            raise AudioError(f"不支持的采样率 {self.rate} Hz：实时音频只接受 8000 或 16000（unsupported sample rate）",
                             field="sample_rate")
        self._cutters = {s: TurnCutter(self.vad) for s in SPEAKERS}

    def feed(self, speaker: str, pcm: bytes) -> list[dict[str, Any]]:
        """Audio of one speaker; the events of every turn it finished (usually none)."""
        if speaker not in self._cutters:
            raise AudioError(f"unknown speaker {speaker!r}: caller or agent", field="speaker")
        samples = pcm16_to_float(pcm, self.rate)
        return [self._turn(speaker, st) for st in self._cutters[speaker].feed(samples)]

    def stop(self) -> list[dict[str, Any]]:
        """The stream ended: the turns still in progress, recognised and marked partial."""
        out = []
        for speaker, cutter in self._cutters.items():
            st = cutter.flush()
            if st is not None:
                out.append(self._turn(speaker, st))
        return [e for e in out if e]

    def _turn(self, speaker: str, st: SpeechTurn) -> dict[str, Any]:
        began = time.perf_counter()
        tt = turn_text(self.stt.transcribe(st.audio, language=self.language), offset=st.start)
        if not tt.text.strip("。，"):
            return {"type": "no_speech", "speaker": speaker, "start": round(st.start, 2), "end": round(st.end, 2)}
        turn = CallTurn(len(self.turns), speaker, SPEAKERS.index(speaker), st.start, st.end, tt.text, tt.pieces(),
                        st.cut)
        self.turns.append(turn)
        a = self.staff.on_turn(self.session_id, {"speaker": speaker, "text": turn.text, "time": turn.start}).to_dict()
        a["risk"] = with_times(a["risk"], self.turns)
        return {"type": "assistance", "turn": turn.to_dict(), "assistance": a,
                "processing_ms": round((time.perf_counter() - began) * 1000, 1)}
