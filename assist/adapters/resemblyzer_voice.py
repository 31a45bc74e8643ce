"""Speaker embeddings from Resemblyzer's speaker encoder (a 3-layer LSTM over 40 mel bands, 256-d output), run with
torch from the weights its PyPI wheel ships, without installing Resemblyzer (whose dependencies pull a CUDA torch and
a source build of webrtcvad). The SpeakerEncoder port.

``install_voice_encoder`` takes the pinned wheel (a file the user gives, else `pip download --no-deps` from the
package registry, an explicit setup step, never at run time), checks the wheel's and the weights' SHA-256, and keeps
the tensors as a plain .npz under the data folder. The mel front end reproduces librosa's (Slaney mel filters,
centred Hann STFT, power spectrum) in numpy."""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
import tempfile
import zipfile
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from assist.audio.types import SAMPLE_RATE
from assist.audio.vad import frame_levels
from assist.errors import ConfigError, DependencyError

RESEMBLYZER_VERSION = "0.1.4"
WHEEL_SHA256 = "8f12eb2f1a9982d32e8db7856de754709b59c93a77bcf0ff536584b619a9dd1f"
WEIGHTS_SHA256 = "39373b86598fa3da9fcddee6142382efe09777e8d37dc9c0561f41f0070f134e"
WEIGHTS_FILE = "resemblyzer_encoder.npz"
N_FFT, HOP, N_MELS, PARTIAL = 400, 160, 40, 160     # 25 ms window, 10 ms step, 1.6 s partial utterances
MIN_VOICED_S = 1.0


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def install_voice_encoder(target: Path, wheel: Path | None = None) -> Path:
    """Resemblyzer's encoder weights as ``target/resemblyzer_encoder.npz`` (checked; written once)."""
    out = target / WEIGHTS_FILE
    if out.is_file():
        return out
    with tempfile.TemporaryDirectory() as tmp:
        if wheel is None:
            cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "-q", "-d", tmp,
                   f"resemblyzer=={RESEMBLYZER_VERSION}"]
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
            found = sorted(Path(tmp).glob("*.whl"))
            if done.returncode != 0 or not found:
                raise DependencyError(f"could not download the resemblyzer {RESEMBLYZER_VERSION} wheel from the package "
                                      f"registry ({done.stderr.strip()[-300:]}); pass --wheel FILE instead",
                                      field="voiceprint")
            wheel = found[0]
        data = wheel.read_bytes()
        if _sha(data) != WHEEL_SHA256:
            raise ConfigError(f"not the pinned resemblyzer {RESEMBLYZER_VERSION} wheel (SHA-256 {_sha(data)})",
                              path=str(wheel))
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            weights = z.read("resemblyzer/pretrained.pt")
    if _sha(weights) != WEIGHTS_SHA256:
        raise ConfigError("resemblyzer/pretrained.pt inside the wheel has an unexpected SHA-256", path=str(wheel))
    import torch

    state = torch.load(io.BytesIO(weights), map_location="cpu", weights_only=True)["model_state"]
    arrays = {k.replace(".", "__"): v.numpy() for k, v in state.items() if k.startswith(("lstm.", "linear."))}
    target.mkdir(parents=True, exist_ok=True)
    tmp_out = target / f"{WEIGHTS_FILE}.{os.getpid()}.tmp.npz"
    np.savez(tmp_out, **arrays)
    os.replace(tmp_out, out)
    return out


@lru_cache(maxsize=1)
def _mel_filters() -> npt.NDArray[np.float64]:
    """librosa.filters.mel(sr=16000, n_fft=400, n_mels=40): Slaney scale and area normalisation."""
    f_sp, min_log_hz, min_log_mel, logstep = 200.0 / 3, 1000.0, 15.0, np.log(6.4) / 27.0

    def hz_to_mel(f: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        m = f / f_sp
        return np.where(f >= min_log_hz, min_log_mel + np.log(np.maximum(f, 1e-10) / min_log_hz) / logstep, m)

    def mel_to_hz(m: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        return np.where(m >= min_log_mel, min_log_hz * np.exp(logstep * (m - min_log_mel)), f_sp * m)

    fft_freqs = np.linspace(0, SAMPLE_RATE / 2, 1 + N_FFT // 2)
    mel_f = mel_to_hz(np.linspace(hz_to_mel(np.array(0.0)), hz_to_mel(np.array(SAMPLE_RATE / 2.0)), N_MELS + 2))
    fdiff = np.diff(mel_f)
    ramps = np.subtract.outer(mel_f, fft_freqs)
    weights = np.zeros((N_MELS, len(fft_freqs)))
    for i in range(N_MELS):
        lower = -ramps[i] / fdiff[i]
        upper = ramps[i + 2] / fdiff[i + 1]
        weights[i] = np.maximum(0, np.minimum(lower, upper))
    weights *= (2.0 / (mel_f[2:N_MELS + 2] - mel_f[:N_MELS]))[:, None]
    return weights


def mel_frames(wav: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """(frames, 40) mel power spectrogram, as librosa.feature.melspectrogram with centre padding (zeros)."""
    padded = np.pad(wav.astype(np.float64), (N_FFT // 2, N_FFT // 2))
    n = 1 + (len(padded) - N_FFT) // HOP
    idx = np.arange(N_FFT)[None, :] + HOP * np.arange(n)[:, None]
    window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(N_FFT) / N_FFT)       # periodic Hann
    spec = np.abs(np.fft.rfft(padded[idx] * window, axis=1)) ** 2
    return (spec @ _mel_filters().T).astype(np.float32)


def prepare(wav: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """Resemblyzer's preprocessing: raise quiet audio to -30 dBFS and drop long unvoiced stretches."""
    rms = float(np.sqrt(np.mean(wav.astype(np.float64) ** 2))) if len(wav) else 0.0
    if rms > 0:
        gain = 10 ** ((-30 - 20 * np.log10(rms)) / 20)
        if gain > 1:
            wav = (wav * gain).astype(np.float32)
    frame = SAMPLE_RATE * 30 // 1000
    levels = frame_levels(wav, frame)
    if not len(levels):
        return wav[:0]
    voiced = levels > max(float(np.percentile(levels, 20)) + 10.0, -50.0)
    # keep voiced frames and up to 6 frames (180 ms) around them, like its webrtcvad dilation
    keep = np.convolve(voiced.astype(float), np.ones(13), mode="same") > 0
    return np.asarray(wav[: len(keep) * frame].reshape(-1, frame)[keep].reshape(-1), dtype=np.float32)


class ResemblyzerEncoder:
    """Speaker embeddings (256-d, unit length) from Resemblyzer's weights; loaded on the first call."""

    def __init__(self, weights: Path) -> None:
        if not weights.is_file():
            raise ConfigError("the voice encoder weights are not installed: run `assist voiceprint install-model`",
                              path=str(weights), field="audio.voiceprint")
        self.weights = weights
        self._net: Any = None

    @property
    def name(self) -> str:
        return f"resemblyzer-{RESEMBLYZER_VERSION}"

    def _load(self) -> Any:
        if self._net is None:
            import torch

            data = np.load(self.weights)
            lstm = torch.nn.LSTM(N_MELS, 256, 3, batch_first=True)
            linear = torch.nn.Linear(256, 256)
            lstm.load_state_dict({k.split("__", 1)[1]: torch.from_numpy(data[k]) for k in data.files
                                  if k.startswith("lstm__")})
            linear.load_state_dict({k.split("__", 1)[1]: torch.from_numpy(data[k]) for k in data.files
                                    if k.startswith("linear__")})
            lstm.eval()
            linear.eval()
            self._net = (torch, lstm, linear)
        return self._net

    def embed(self, audio: Any) -> list[float] | None:
        wav = prepare(np.asarray(audio, dtype=np.float32))
        if len(wav) < MIN_VOICED_S * SAMPLE_RATE:
            return None
        torch, lstm, linear = self._load()
        # partial utterances of 1.6 s, 1.3 per second, the last one kept when at least 75 % covered
        n_frames = int(np.ceil((len(wav) + 1) / HOP))
        step = int(round(SAMPLE_RATE / 1.3 / HOP))
        starts = list(range(0, max(1, n_frames - PARTIAL + step + 1), step))
        if len(starts) > 1 and (len(wav) - starts[-1] * HOP) / (PARTIAL * HOP) < 0.75:
            starts = starts[:-1]
        need = (starts[-1] + PARTIAL) * HOP
        if need > len(wav):
            wav = np.pad(wav, (0, need - len(wav)))
        mel = mel_frames(wav)
        batch = np.stack([mel[s:s + PARTIAL] for s in starts])
        with torch.no_grad():
            _, (hidden, _) = lstm(torch.from_numpy(batch))
            raw = torch.relu(linear(hidden[-1]))
            parts = raw / torch.norm(raw, dim=1, keepdim=True)
        mean = parts.numpy().mean(axis=0)
        return [float(x) for x in mean / np.linalg.norm(mean)]
