"""Recordings read through PyAV (FFmpeg's decoders, shipped inside the av wheel): WAV (PCM, G.711 A/mu-law), MP3,
M4A/AAC, AMR-NB/WB, FLAC, Ogg/Opus. Every channel is resampled to 16 kHz float32 and handed out in bounded blocks,
so a three-hour file never sits in memory. The AudioDecoder port (assist.ports)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from assist.audio.types import SAMPLE_RATE, AudioInfo
from assist.errors import AudioError

SUPPORTED_CODECS = {
    "pcm_s16le", "pcm_s16be", "pcm_s24le", "pcm_s32le", "pcm_f32le", "pcm_f64le", "pcm_u8", "pcm_mulaw", "pcm_alaw",
    "mp3", "mp3float", "aac", "amrnb", "amr_nb", "amrwb", "amr_wb", "flac", "opus", "vorbis", "gsm", "gsm_ms",
}
MIN_RATE, MAX_RATE = 8000, 48000
HINT = "请转换为 8–48 kHz 的 WAV、MP3、M4A 或 AMR（convert to WAV, MP3, M4A or AMR at 8–48 kHz）"


def _open(path: Path) -> Any:
    import av

    if not path.is_file():
        raise AudioError("文件不存在（file not found）", path=str(path))
    if path.stat().st_size == 0:
        raise AudioError("文件为空，0 字节（empty file）", path=str(path))
    try:
        # large WAV packets (the demuxer's default is 1,024 samples): a 3-hour file in about 700 frames, not 170,000
        return av.open(str(path), metadata_errors="ignore", options={"max_size": "262144"})
    except (av.error.FFmpegError, UnicodeDecodeError, ValueError) as exc:
        raise AudioError(f"不是可读的音频文件，或文件已损坏（not audio, or corrupt: {exc}）", path=str(path)) from exc


def _wav_truncation(path: Path, rate: int, channels: int) -> tuple[str, ...]:
    """A WAV whose data chunk claims more bytes than the file holds was cut short (FFmpeg quietly reports the
    shorter length); say how much is missing."""
    with path.open("rb") as f:
        head = f.read(4096)
    pos = 12
    while pos + 8 <= len(head):
        cid, size = head[pos:pos + 4], int.from_bytes(head[pos + 4:pos + 8], "little")
        if cid == b"data":
            have = path.stat().st_size - (pos + 8)
            fmt_bits = 16
            k = head.find(b"fmt ")
            if k >= 0 and k + 24 <= len(head):
                fmt_bits = int.from_bytes(head[k + 22:k + 24], "little") or 16
            per_second = rate * channels * max(1, fmt_bits // 8)
            if size not in (0, 0xFFFFFFFF) and have < size and per_second:
                return (f"WAV 文件被截断：头部声明 {size / per_second:.1f} 秒，实际只有 {max(have, 0) / per_second:.1f} 秒"
                        f"（truncated: header says {size / per_second:.1f} s, file holds {max(have, 0) / per_second:.1f} s）",)
            return ()
        pos += 8 + size + (size & 1)
    return ()


class PyAvDecoder:
    """The AudioDecoder over PyAV."""

    def probe(self, path: Path) -> AudioInfo:
        container = _open(path)
        try:
            stream = self._stream(container, path)
            ctx = stream.codec_context
            duration = None
            if stream.duration is not None and stream.time_base is not None:
                duration = float(stream.duration * stream.time_base)
            elif container.duration is not None:
                duration = container.duration / 1_000_000
            warnings = _wav_truncation(path, int(ctx.sample_rate or 0), int(ctx.channels or 0)) \
                if container.format.name == "wav" else ()
            return AudioInfo(str(path), container.format.name, ctx.name, int(ctx.sample_rate or 0),
                             int(ctx.channels or 0), duration, warnings)
        finally:
            container.close()

    def _stream(self, container: Any, path: Path) -> Any:
        streams = [s for s in container.streams if s.type == "audio"]
        if not streams:
            raise AudioError(f"文件中没有音频流（no audio stream）；{HINT}", path=str(path))
        stream = streams[0]
        ctx = stream.codec_context
        if ctx.name not in SUPPORTED_CODECS:
            raise AudioError(f"不支持的音频编码 {ctx.name}（unsupported codec）；{HINT}", path=str(path), field="codec")
        rate = int(ctx.sample_rate or 0)
        if not MIN_RATE <= rate <= MAX_RATE:
            raise AudioError(f"不支持的采样率 {rate} Hz（unsupported sample rate）；{HINT}", path=str(path),
                             field="sample_rate")
        if not 1 <= int(ctx.channels or 0) <= 2:
            raise AudioError(f"只支持单声道或双声道，此文件有 {ctx.channels} 个声道（mono or stereo only）",
                             path=str(path), field="channels")
        return stream

    def chunks(self, path: Path, seconds: float) -> Iterator[npt.NDArray[np.float32]]:
        import av

        container = _open(path)
        try:
            stream = self._stream(container, path)
            channels = int(stream.codec_context.channels)
            resampler = av.AudioResampler(format="fltp", layout="stereo" if channels == 2 else "mono",
                                          rate=SAMPLE_RATE)
            block = max(1, int(seconds * SAMPLE_RATE))
            parts: list[npt.NDArray[np.float32]] = []
            held = 0
            decoded = 0
            frames: Iterator[Any] = container.decode(stream)
            while True:
                try:
                    frame = next(frames)
                except StopIteration:
                    break
                except (av.error.FFmpegError, ValueError):
                    # damaged or truncated data: stop here; the caller reports how far the file could be read
                    break
                decoded += 1
                for out in resampler.resample(frame):
                    arr = out.to_ndarray().astype(np.float32, copy=False)
                    parts.append(arr.reshape(channels, -1))
                    held += arr.shape[-1]
                    while held >= block:
                        joined = np.concatenate(parts, axis=1)
                        yield joined[:, :block]
                        rest = joined[:, block:]
                        parts, held = ([rest] if rest.shape[1] else []), rest.shape[1]
            if decoded == 0:
                raise AudioError(f"无法解码任何音频数据，文件已损坏（no audio could be decoded）；{HINT}", path=str(path))
            for out in resampler.resample(None):
                parts.append(out.to_ndarray().astype(np.float32, copy=False).reshape(channels, -1))
            if parts:
                joined = np.concatenate(parts, axis=1)
                if joined.shape[1]:
                    yield joined
        finally:
            container.close()
