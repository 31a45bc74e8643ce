"""Live-call latency: benchmark clips (their first 10 s) streamed as the caller over the staff WebSocket of a real
server on 127.0.0.1, paced in real time (20 ms frames), then silence until the assistance for the turn arrives.
Reported: seconds from the end of the speech to the assistance (what staff feel: includes the min_silence_ms the VAD
waits before it calls a turn finished) and the server's processing time per turn (recognition + normalisation +
assistance), p50 / p95, at 16 kHz and at 8 kHz.

    python bench/live_latency.py [--out bench/results/live.json]

The app is built the production way (assist.bootstrap.create_web_app, settings from the environment) over the
shipped knowledge indexed into a temporary folder with the embedder named by --embedder (default hash: retrieval is
a few ms of the turn either way; recognition is what is measured)."""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import numpy as np
from common import machine, pct, peak_rss_mb, write_result

BENCH = Path(__file__).resolve().parents[1].parent / "shared" / "benchmarks" / "asr-zh"
FRAME_S = 0.02


def stream(url: str, audio: np.ndarray, rate: int) -> tuple[float, list[dict]]:  # type: ignore[type-arg]
    from websockets.sync.client import connect

    pcm = (np.clip(audio, -1, 1) * 32767).astype("<i2").tobytes()
    step = int(rate * FRAME_S) * 2
    events: list[dict] = []  # type: ignore[type-arg]
    with connect(url.replace("http://", "ws://") + "/v1/calls/live", max_size=2**24) as ws:
        ws.send(json.dumps({"type": "start", "sample_rate": rate}))
        assert json.loads(ws.recv())["type"] == "ready"
        t0 = time.perf_counter()
        for k, i in enumerate(range(0, len(pcm), step)):
            ws.send(b"C" + pcm[i:i + step])
            time.sleep(max(0.0, t0 + (k + 1) * FRAME_S - time.perf_counter()))
            try:
                while True:
                    events.append(json.loads(ws.recv(timeout=0)))
            except TimeoutError:
                pass
        speech_end = time.perf_counter()
        silence = b"C" + bytes(step)
        done = None
        k = 0
        while done is None and k < 500:                      # at most 10 s of silence
            ws.send(silence)
            k += 1
            time.sleep(max(0.0, speech_end + k * FRAME_S - time.perf_counter()))
            try:
                while True:
                    msg = json.loads(ws.recv(timeout=0))
                    events.append(msg)
                    if msg["type"] in ("assistance", "no_speech"):
                        done = time.perf_counter()
            except TimeoutError:
                pass
        ws.send(json.dumps({"type": "stop"}))
    return (done - speech_end) if done else float("nan"), events


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=str(Path(__file__).parent / "results" / "live.json"))
    ap.add_argument("--embedder", default="hash")
    ap.add_argument("--seconds", type=float, default=10.0)
    args = ap.parse_args()
    import os

    from assist.adapters.pyav_audio import PyAvDecoder
    from assist.bootstrap import build_ingestor, create_web_app, packaged_knowledge_dir
    from assist.settings import EmbedderSettings, load_settings
    from testkit.helpers import serve

    base = load_settings()
    tmp = Path(tempfile.mkdtemp(prefix="assist-live-bench-"))
    models = base.data_dir / "models"
    settings = base.model_copy(update={"data_dir": tmp, "embedder": EmbedderSettings(kind=args.embedder)})  # type: ignore[arg-type]
    if models.is_dir():                                        # reuse the assembled whisper-base
        os.symlink(models, tmp / "models")
    build_ingestor(settings).ingest([packaged_knowledge_dir()])
    app = create_web_app(settings)
    decoder = PyAvDecoder()
    clips = sorted((BENCH / "wav16k").glob("*.wav"))
    result: dict[str, object] = {"machine": machine(), "embedder": args.embedder, "turn_seconds_max": args.seconds,
                                 "beam_size": settings.audio.live_beam_size, "min_silence_ms": settings.audio.min_silence_ms}
    with serve(app) as url:
        stream(url, np.zeros(16000, np.float32) + 0.0, 16000)    # warm-up: loads the model
        for band, rate in (("wav16k", 16000), ("tel8k", 8000)):
            felt, processing, turns = [], [], []
            for clip in clips:
                audio16 = np.concatenate([c[0] for c in decoder.chunks(BENCH / band / clip.name, 30)])[: int(args.seconds * 16000)]
                audio = audio16 if rate == 16000 else audio16[::2]     # the 8 kHz file resampled to 16 k, back to 8 k
                latency, events = stream(url, audio, rate)
                felt.append(latency)
                done = [e for e in events if e["type"] == "assistance"]
                processing += [e["processing_ms"] / 1000 for e in done]
                turns.append(len(done))
            ok = [x for x in felt if x == x]
            result[band] = {"clips": len(clips), "no_answer": len(felt) - len(ok),
                            "speech_end_to_assistance_s": {"p50": pct(ok, 0.5), "p95": pct(ok, 0.95), "max": round(max(ok), 2)},
                            "processing_per_turn_s": {"p50": pct(processing, 0.5), "p95": pct(processing, 0.95)},
                            "turns_per_clip": turns}
    result["peak_rss_mb"] = peak_rss_mb()
    write_result(Path(args.out), result)


if __name__ == "__main__":
    main()
