"""Data types of call audio: recognised words and segments, what a recording is, and the turns of a call."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SAMPLE_RATE = 16000          # every decoder and recogniser port speaks 16 kHz mono float32


@dataclass(frozen=True)
class Word:
    text: str
    start: float                 # seconds from the start of the audio given to the recogniser
    end: float


@dataclass(frozen=True)
class Segment:
    """One recognised stretch of speech, as the engine returned it (before normalisation)."""

    start: float
    end: float
    text: str
    words: tuple[Word, ...] = ()


@dataclass(frozen=True)
class AudioInfo:
    """What a recording is, from its header."""

    path: str
    container: str
    codec: str
    sample_rate: int
    channels: int
    duration: float | None       # seconds, when the header says
    warnings: tuple[str, ...] = ()   # what the header shows is wrong (a WAV shorter than its header says)

    def to_dict(self) -> dict[str, Any]:
        return self.__dict__ | {"warnings": list(self.warnings)}


@dataclass(frozen=True)
class TimedChar:
    char_start: int
    char_end: int
    start: float
    end: float


@dataclass(frozen=True)
class CallTurn:
    """One turn of a call: who spoke, when, and what (normalised and masked), with the time of every character
    range (``pieces``: character offsets into ``text`` and seconds from the start of the call)."""

    index: int
    speaker: str                 # caller | agent
    channel: int
    start: float
    end: float
    text: str
    pieces: tuple[TimedChar, ...] = ()
    partial: bool = False        # cut short (the stream stopped mid-turn, or the turn hit the longest-turn limit)

    def time_of(self, char_start: int, char_end: int) -> tuple[float, float]:
        """The audio time of a character range of ``text`` (the turn's bounds when no piece covers it)."""
        hit = [p for p in self.pieces if p.char_end > char_start and p.char_start < char_end]
        if not hit:
            return self.start, self.end
        return min(p.start for p in hit), max(p.end for p in hit)

    def to_dict(self) -> dict[str, Any]:
        return {"index": self.index, "speaker": self.speaker, "channel": self.channel, "start": round(self.start, 2),
                "end": round(self.end, 2), "text": self.text, "partial": self.partial}


@dataclass
class CallTranscript:
    """The turns of one recording, with what was noticed on the way (a silent channel, a truncated file …)."""

    info: AudioInfo
    turns: list[CallTurn]
    warnings: list[str] = field(default_factory=list)
    decoded_seconds: float = 0.0
    engine: str = ""
    partial: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"audio": self.info.to_dict(), "engine": self.engine, "decoded_seconds": round(self.decoded_seconds, 2),
                "partial": self.partial, "warnings": list(self.warnings), "turns": [t.to_dict() for t in self.turns]}
