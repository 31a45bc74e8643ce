"""A recording becomes the timed, masked turns of a call: decoded in bounded blocks, each channel cut into turns by
voice activity, each finished turn recognised at once (so a three-hour file never sits in memory), stereo channels
mapped to agent / caller, mono turns given a speaker by alternation, speaker clustering, or all to the caller."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from assist.audio.text import turn_text
from assist.audio.types import SAMPLE_RATE, CallTranscript, CallTurn
from assist.audio.vad import SpeechTurn, TurnCutter, VadParams
from assist.ports import AudioDecoder, SpeakerEncoder, SpeechToText

SPEAKER_ZH = {"agent": "坐席", "caller": "来电人"}
CHANNEL_ZH = ("左声道", "右声道")
VOICE_SAMPLE_S = 30.0           # caller speech kept (in memory only) for the voiceprint, when asked for


@dataclass(frozen=True)
class CallAudioParams:
    channel_speakers: tuple[str, str] = ("agent", "caller")   # stereo: who is on the left and on the right
    mono_speakers: str = "alternate"                          # alternate | cluster | caller
    vad: VadParams = field(default_factory=VadParams)
    language: str = "zh"
    block_seconds: float = 10.0


@dataclass
class _Heard:
    channel: int
    turn: SpeechTurn
    text_turn: CallTurn
    voice: list[float] | None = None


ProgressFn = Callable[[float, float | None], None]


class CallTranscriber:
    """Recordings to turns, through the decoder and recogniser ports (and a speaker encoder for mono clustering)."""

    def __init__(self, decoder: AudioDecoder, stt: SpeechToText, params: CallAudioParams,
                 speaker_encoder: SpeakerEncoder | None = None) -> None:
        self.decoder = decoder
        self.stt = stt
        self.params = params
        self.encoder = speaker_encoder

    def transcribe(self, path: Path, progress: ProgressFn | None = None, *,
                   keep_voice: bool = False) -> tuple[CallTranscript, npt.NDArray[np.float32] | None]:
        """The call's turns (and, with ``keep_voice``, up to 30 s of the caller's speech for a voiceprint, stereo
        only). Errors in the file (not audio, empty, unsupported) raise AudioError; a damaged tail, a silent channel
        or a call without speech are warnings on a clean, possibly partial, result."""
        p = self.params
        info = self.decoder.probe(path)
        cutters = [TurnCutter(p.vad) for _ in range(info.channels)]
        heard: list[_Heard] = []
        unheard = 0
        caller_ch = p.channel_speakers.index("caller") if info.channels == 2 else None
        voice: list[npt.NDArray[np.float32]] = []
        voice_len = 0
        decoded = 0.0
        cluster = info.channels == 1 and p.mono_speakers == "cluster" and self.encoder is not None

        def handle(ch: int, st: SpeechTurn) -> None:
            nonlocal unheard, voice_len
            segments = self.stt.transcribe(st.audio, language=p.language)
            tt = turn_text(segments, offset=st.start)
            if not tt.text.strip("。，"):
                unheard += 1
                return
            speaker = p.channel_speakers[ch] if info.channels == 2 else "caller"
            turn = CallTurn(0, speaker, ch, st.start, st.end, tt.text, tt.pieces(), st.cut)
            emb = self.encoder.embed(st.audio) if cluster and self.encoder is not None else None
            heard.append(_Heard(ch, st, turn, emb))
            if keep_voice and ch == caller_ch and voice_len < VOICE_SAMPLE_S * SAMPLE_RATE:
                voice.append(st.audio[: int(VOICE_SAMPLE_S * SAMPLE_RATE) - voice_len])
                voice_len += len(voice[-1])

        for block in self.decoder.chunks(path, p.block_seconds):
            for ch in range(info.channels):
                for st in cutters[ch].feed(block[ch]):
                    handle(ch, st)
            decoded += block.shape[1] / SAMPLE_RATE
            if progress is not None:
                progress(decoded, info.duration)
        for ch, cutter in enumerate(cutters):
            last = cutter.flush()
            if last is not None:
                handle(ch, last)

        warnings = list(info.warnings)
        partial = bool(info.warnings)
        if info.duration is not None and decoded + 0.5 < info.duration:
            partial = True
            warnings.append(f"只能解码前 {decoded:.1f} 秒，文件声明 {info.duration:.1f} 秒：其余部分已损坏"
                            f"（decoded {decoded:.1f} s of {info.duration:.1f} s; the rest is damaged）")
        if info.channels == 2:
            for ch in range(2):
                if cutters[ch].voiced_seconds < 0.3 <= cutters[1 - ch].voiced_seconds:
                    who = p.channel_speakers[ch]
                    warnings.append(f"{CHANNEL_ZH[ch]}（{SPEAKER_ZH[who]}）没有语音，只转写了另一方"
                                    f"（the {('left', 'right')[ch]} channel, {who}, is silent）")
        if not heard:
            warnings.append("未检测到可识别的语音（no recognisable speech found）")
        if unheard:
            warnings.append(f"{unheard} 段有声音但未识别出文字（{unheard} stretches of sound gave no text）")
        heard.sort(key=lambda h: (h.turn.start, h.channel))
        speakers = self._speakers(heard, info.channels)
        turns = [CallTurn(i, s, h.channel, h.text_turn.start, h.text_turn.end, h.text_turn.text, h.text_turn.pieces,
                          h.text_turn.partial) for i, (h, s) in enumerate(zip(heard, speakers))]
        sample = np.concatenate(voice) if voice else None
        return CallTranscript(info, turns, warnings, decoded, self.stt.name, partial), sample

    def _speakers(self, heard: list[_Heard], channels: int) -> list[str]:
        if channels == 2:
            return [h.text_turn.speaker for h in heard]
        mode = self.params.mono_speakers
        if mode == "caller":
            return ["caller"] * len(heard)
        if mode == "cluster" and any(h.voice is not None for h in heard):
            return cluster_speakers([h.voice for h in heard])
        # alternate: the agent answers the phone, then the two speak in turn
        return ["agent" if i % 2 == 0 else "caller" for i in range(len(heard))]


def cluster_speakers(voices: list[list[float] | None], iterations: int = 20) -> list[str]:
    """Two speakers from turn embeddings (spherical 2-means, seeded with the first turn and the turn least like it);
    the first turn's cluster is the agent. Turns too short to embed take the speaker of the turn before."""
    idx = [i for i, v in enumerate(voices) if v is not None]
    X = np.array([voices[i] for i in idx], dtype=np.float64)
    labels = np.zeros(len(idx), dtype=int)
    if len(idx) >= 2:
        centres = np.stack([X[0], X[int(np.argmin(X @ X[0]))]])
        for _ in range(iterations):
            new = np.argmax(X @ centres.T, axis=1)
            if (new == labels).all() and _ > 0:
                break
            labels = new
            for k in range(2):
                if (labels == k).any():
                    c = X[labels == k].mean(axis=0)
                    centres[k] = c / np.linalg.norm(c)
        first = labels[0]
        labels = np.where(labels == first, 0, 1)
    out: list[str] = []
    it = iter(labels.tolist())
    for v in voices:
        if v is None:
            out.append(out[-1] if out else "agent")
        else:
            out.append("agent" if next(it) == 0 else "caller")
    return out
