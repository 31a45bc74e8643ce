"""Speech recognition on ../shared/benchmarks/asr-zh (21 real Mandarin clips, 16 kHz and telephone-band 8 kHz copies):
CER on all clips and without the three hardest (voice dialling, very fast speech, a tongue twister), real-time factor
(CPU seconds per audio second, and wall), peak memory, and the character confusions of the recogniser, saved as the
noise model bench/asr_noise_risk.py uses.

    python bench/asr.py [--stt whisper-base] [--out bench/results/asr.json]

The recogniser is built the production way (assist.bootstrap.build_speech_to_text, settings from the environment),
so ASSIST_AUDIO__STT=faster-whisper ASSIST_AUDIO__MODEL_PATH=DIR measures another model the same way."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from common import machine, peak_rss_mb, write_result

BENCH = Path(__file__).resolve().parents[1].parent / "shared" / "benchmarks" / "asr-zh"
HARDEST = ("noise2_dialing", "fast1", "raokouling")


def references(root: Path) -> dict[str, str]:
    refs = {}
    for line in (root / "sources.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        cols = line.split("\t")
        refs[cols[0]] = cols[-1]
    return refs


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bench", default=str(BENCH))
    ap.add_argument("--out", default=str(Path(__file__).parent / "results" / "asr.json"))
    ap.add_argument("--confusions", default=str(Path(__file__).parent / "results" / "asr_confusions.json"))
    args = ap.parse_args()
    root = Path(args.bench)
    if not root.is_dir():
        raise SystemExit(f"benchmark not found: {root}")
    import numpy as np

    from assist.audio.noise import ConfusionModel, cer
    from assist.audio.text import from_segments, plain
    from assist.bootstrap import build_audio_decoder, build_speech_to_text
    from assist.settings import load_settings

    settings = load_settings()
    stt = build_speech_to_text(settings)
    decoder = build_audio_decoder()
    refs = references(root)
    t0 = time.perf_counter()
    stt.transcribe(np.zeros(16000, dtype=np.float32))            # load the model outside the timings
    load_s = time.perf_counter() - t0
    rss_loaded = peak_rss_mb()
    result: dict[str, object] = {"engine": stt.name, "machine": machine(), "model_load_s": round(load_s, 2)}
    for band in ("wav16k", "tel8k"):
        rows, pairs = [], []
        cpu = wall = audio_s = 0.0
        for cid, ref in sorted(refs.items()):
            audio = np.concatenate([c[0] for c in decoder.chunks(root / band / f"{cid}.wav", 30.0)])
            c0, w0 = time.process_time(), time.perf_counter()
            segments = stt.transcribe(audio)
            cpu += time.process_time() - c0
            wall += time.perf_counter() - w0
            audio_s += len(audio) / 16000
            hyp = plain(from_segments(segments).text)     # simplified, no punctuation (as the benchmark's README)
            r = plain(ref)
            edits, n = cer(r, hyp)
            # the recognised text is not written out: it would copy the benchmark's content into the repository
            rows.append({"id": cid, "cer": round(edits / n, 3), "edits": edits, "chars": n})
            pairs.append((cid, r, hyp))
        def total(sel: list[dict]) -> float:  # noqa: E306
            return round(sum(x["edits"] for x in sel) / sum(x["chars"] for x in sel), 4)
        easy = [x for x in rows if x["id"] not in HARDEST]
        result[band] = {"cer_all": total(rows), "cer_without_hardest": total(easy), "clips": len(rows),
                        "audio_s": round(audio_s, 1), "cpu_s_per_audio_s": round(cpu / audio_s, 3),
                        "wall_s_per_audio_s": round(wall / audio_s, 3), "per_clip": rows}
        model = ConfusionModel.fit((r, h) for cid, r, h in pairs if cid not in HARDEST)
        path = Path(args.confusions).with_name(Path(args.confusions).stem + f"_{band}.json")
        model.save(path)
        result[band]["noise_model"] = {"file": str(path.name), "rates_without_hardest": model.rates}  # type: ignore[index]
    result["peak_rss_mb"] = peak_rss_mb()
    result["rss_after_load_mb"] = rss_loaded
    write_result(Path(args.out), result)


if __name__ == "__main__":
    main()
