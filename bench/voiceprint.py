"""Voiceprint separation on ../shared/benchmarks/asr-zh with Resemblyzer's encoder weights (as installed by
`assist voiceprint install-model`): cosine similarity of same-speaker pairs (the two halves of every clip of 6 s or
more; the two clips of AISHELL speaker S0764; a half at 16 kHz against the other half through the telephone band)
against different-speaker pairs (halves of different clips, the S0764 pair excluded), and the false-match rate at
thresholds around audio.voiceprint_threshold.

    python bench/voiceprint.py [--out bench/results/voiceprint.json]

Caveats, in the result too: 21 clips from public repositories, speakers not labelled beyond AISHELL's ids (two clips
could share a speaker unknown to us, which would count as a false match here), far fewer pairs than a real
assessment needs."""

from __future__ import annotations

import argparse
import itertools
from pathlib import Path

import numpy as np
from common import machine, write_result

BENCH = Path(__file__).resolve().parents[1].parent / "shared" / "benchmarks" / "asr-zh"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=str(Path(__file__).parent / "results" / "voiceprint.json"))
    args = ap.parse_args()
    from assist.adapters.pyav_audio import PyAvDecoder
    from assist.adapters.resemblyzer_voice import ResemblyzerEncoder
    from assist.bootstrap import install_voice_encoder_weights
    from assist.settings import load_settings

    settings = load_settings()
    enc = ResemblyzerEncoder(install_voice_encoder_weights(settings))
    dec = PyAvDecoder()

    def load(band: str, cid: str) -> np.ndarray:
        return np.concatenate([c[0] for c in dec.chunks(BENCH / band / f"{cid}.wav", 30)])

    ids = sorted(p.stem for p in (BENCH / "wav16k").glob("*.wav"))
    halves: dict[str, tuple[list[float], list[float], list[float] | None]] = {}
    tel_halves: dict[str, tuple[list[float], list[float]]] = {}
    whole: dict[str, list[float]] = {}
    for cid in ids:
        a = load("wav16k", cid)
        whole[cid] = enc.embed(a) or []
        if len(a) >= 6 * 16000:
            mid = len(a) // 2
            tel = load("tel8k", cid)
            h1, h2, t2 = enc.embed(a[:mid]), enc.embed(a[mid:]), enc.embed(tel[mid:])
            if h1 and h2:
                halves[cid] = (h1, h2, t2)
            t1 = enc.embed(tel[:mid])
            if t1 and t2:
                tel_halves[cid] = (t1, t2)

    def cos(x: list[float], y: list[float]) -> float:
        return float(np.dot(x, y))

    same = {f"{c} halves": cos(h1, h2) for c, (h1, h2, _) in halves.items()}
    same["S0764 two clips"] = cos(whole["aishell_S0764W0121"], whole["aishell_S0764W0122"])
    same_tel = {f"{c} 16k half vs 8k half": cos(h1, t2) for c, (h1, _, t2) in halves.items() if t2}
    diff = []
    for a, b in itertools.combinations(sorted(halves), 2):
        if {a, b} == {"aishell_S0764W0121", "aishell_S0764W0122"}:
            continue
        diff += [cos(halves[a][0], halves[b][1]), cos(halves[a][1], halves[b][0])]
    thresholds = [0.75, 0.80, 0.85, 0.90]
    # both sides through the telephone band: the condition of real calls
    tel_same = [cos(a, b) for a, b in tel_halves.values()]
    tel_diff = []
    for a, b in itertools.combinations(sorted(tel_halves), 2):
        tel_diff += [cos(tel_halves[a][0], tel_halves[b][1]), cos(tel_halves[a][1], tel_halves[b][0])]
    s_all = list(same.values())
    result = {
        "machine": machine(), "encoder": enc.name, "clips": len(ids), "clips_with_halves": len(halves),
        "same_speaker": {"pairs": len(s_all), "min": round(min(s_all), 3), "median": round(float(np.median(s_all)), 3)},
        "same_speaker_across_bands": {"pairs": len(same_tel), "min": round(min(same_tel.values()), 3),
                                      "median": round(float(np.median(list(same_tel.values()))), 3)},
        "different_speakers": {"pairs": len(diff), "max": round(max(diff), 3),
                               "p95": round(float(np.percentile(diff, 95)), 3),
                               "median": round(float(np.median(diff)), 3)},
        "false_match_rate": {str(t): round(sum(d >= t for d in diff) / len(diff), 4) for t in thresholds},
        "same_speaker_missed": {str(t): round(sum(s < t for s in s_all) / len(s_all), 4) for t in thresholds},
        "same_speaker_missed_across_bands": {str(t): round(sum(s < t for s in same_tel.values()) / len(same_tel), 4)
                                             for t in thresholds},
        "telephone_band": {
            "same_speaker": {"pairs": len(tel_same), "min": round(min(tel_same), 3),
                             "median": round(float(np.median(tel_same)), 3)},
            "different_speakers": {"pairs": len(tel_diff), "max": round(max(tel_diff), 3),
                                   "p95": round(float(np.percentile(tel_diff, 95)), 3)},
            "false_match_rate": {str(t): round(sum(d >= t for d in tel_diff) / len(tel_diff), 4) for t in thresholds},
            "same_speaker_missed": {str(t): round(sum(s < t for s in tel_same) / len(tel_same), 4) for t in thresholds},
        },
        "caveats": "21 public clips, speakers unlabelled beyond AISHELL ids; a false match here may be an unknown "
                   "shared speaker; far too few pairs to set a threshold for production",
    }
    write_result(Path(args.out), result)


if __name__ == "__main__":
    main()
