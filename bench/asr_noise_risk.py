"""How the risk hint holds up when its text comes from speech recognition: the labelled conversations
(eval/datasets/conversations) scored clean and passed through the character-confusion model measured on the
benchmark (bench/asr.py → bench/results/asr_confusions_{wav16k,tel8k}.json, fitted without the three hardest clips),
at the measured rates and at 2x them, three seeds each. The assessor is built the production way
(assist.bootstrap.build_risk_assessor, settings from the environment): re-run after changing the hint.

    python bench/asr.py                # once: measures the recogniser and writes the confusion models
    python bench/asr_noise_risk.py [--out bench/results/asr_noise_risk.json]

Reported per split (the model was fitted on train; dev, test, held-out writers and fresh are not trained on): ROC-AUC
of intermediary involvement, precision at high, genuine callers at high (and at medium or above), detection rate;
and every call that reaches high only under noise, with its label."""

from __future__ import annotations

import argparse
import random
from pathlib import Path
from statistics import mean

from common import machine, write_result

RESULTS = Path(__file__).parent / "results"
SPLITS = ("dev", "test", "heldout", "fresh")
KEYS = ("auc_involvement", "precision_at_high", "high_flags", "fpr_high_genuine", "fpr_medium_or_high_genuine",
        "detection_rate")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=str(RESULTS / "asr_noise_risk.json"))
    ap.add_argument("--seeds", type=int, default=3)
    args = ap.parse_args()
    from assist.audio.noise import ConfusionModel
    from assist.bootstrap import build_risk_assessor, conversations_dir
    from assist.evaluation.conversations import LabelledConversation, load_conversations
    from assist.evaluation.risk_metrics import run, summarize
    from assist.risk.types import Turn
    from assist.settings import load_settings

    settings = load_settings()
    assessor = build_risk_assessor(settings)
    convs = [c for c in load_conversations(conversations_dir(settings)) if c.split in SPLITS]
    models = {band: ConfusionModel.load(RESULTS / f"asr_confusions_{band}.json") for band in ("wav16k", "tel8k")}

    def noised(model: ConfusionModel, scale: float, seed: int) -> list[LabelledConversation]:
        rng = random.Random(seed)
        return [LabelledConversation(c.id, c.label, tuple(Turn(t.speaker, model.apply(t.text, rng, scale), t.time)
                                                          for t in c.turns), c.meta, c.first_evidence_turn,
                                     c.signals, c.hard, c.asr) for c in convs]

    def by_split(results: list) -> dict[str, dict]:  # type: ignore[type-arg]
        out = {}
        for split in (*SPLITS, "all"):
            part = [r for r in results if split == "all" or r.conv.split == split]
            s = summarize(part)
            out[split] = {k: (round(s[k], 4) if isinstance(s[k], float) else s[k]) for k in KEYS} | {"calls": len(part)}
        return out

    clean = run(assessor, convs)
    clean_high = {r.conv.id for r in clean if r.max_level == "high"}
    result: dict[str, object] = {"machine": machine(), "assessor": "full (learned layer)" if assessor.model is not None
                                 else "rules+semantics", "clean": by_split(clean),
                                 "noise_models": {b: m.rates for b, m in models.items()}}
    for band, model in models.items():
        for scale in (1.0, 2.0):
            runs = []
            new_high: dict[str, list[str]] = {}
            for seed in range(args.seeds):
                res = run(assessor, noised(model, scale, seed))
                runs.append(by_split(res))
                for r in res:
                    if r.max_level == "high" and r.conv.id not in clean_high:
                        new_high.setdefault(r.conv.label, []).append(f"{r.conv.id}@{seed}")
            avg = {split: {k: (round(mean(x[split][k] for x in runs if x[split][k] is not None), 4)
                               if any(x[split][k] is not None for x in runs) else None) for k in KEYS}
                   for split in (*SPLITS, "all")}
            result[f"{band}_x{scale:g}"] = {"mean_of_seeds": avg, "seeds": args.seeds,
                                            "new_high_only_under_noise": new_high}
    write_result(Path(args.out), result)


if __name__ == "__main__":
    main()
