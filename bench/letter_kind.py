"""What a paper is, read by the learned model (assist.review.kind_model) on writers it was not fitted on: for each
round of held-out writers, the model is fitted on the writers that existed before that round (the same split the rules
were scored on), then scored on the round's writers; beside it the once-scored accuracy from that round's result file (the rules alone for rounds
five to seven; the shipped model with the rules, checks.document_kind, for round eight).

    python bench/letter_kind.py [--out bench/results/letter_kind.json]"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from common import machine, write_result

REPO = Path(__file__).resolve().parents[1]
# writers in the order they were written; each round's held-out writers, and the result file it was scored in
ROUNDS = [("round five", ("L17", "L18"), "review_letters_r5_heldout.json"),
          ("round six", ("L20", "L21"), "review_letters_r6_heldout.json"),
          ("round seven", ("L22", "L23"), "review_letters_r7_heldout.json"),
          ("round eight", ("L24", "L25"), "review_letters_r8_heldout.json")]
# the writers a round's model must not see: its own and every later round's
LATER = {name: {w for _, held, _ in ROUNDS[i:] for w in held} for i, (name, _, _) in enumerate(ROUNDS)}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "letter_kind.json")
    args = ap.parse_args()
    from assist.training.letter_kind import fit, read_letters

    letters = read_letters(REPO / "eval" / "datasets" / "letters")
    rounds = {}
    for name, held, scored in ROUNDS:
        model = fit([lt for lt in letters if lt.writer not in LATER[name]])
        test = [lt for lt in letters if lt.writer in held]
        learned = [model.predict(lt.text) for lt in test]
        rules_then = json.loads((REPO / "bench" / "results" / scored).read_text(encoding="utf-8"))
        row = {"letters": len(test), "fitted_on": sum(lt.writer not in LATER[name] for lt in letters),
               "model": round(sum(p == lt.kind for p, lt in zip(learned, test)) / len(test), 4),
               "rules_scored_once": rules_then["text"]["splits"]["all"]["kind_accuracy"]}
        if name == "round eight":      # the shipped model and rules are the ones round eight was scored on
            row["shipped_model_and_rules_scored_once"] = row.pop("rules_scored_once")
        rounds[name] = row
        print(name, row)
    write_result(args.out, {"bench": "letter_kind", "machine": machine(), "rounds": rounds})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
