"""What a paper is, read by the learned model (assist.review.kind_model) on writers it was not fitted on: for each
round of held-out writers, the model is fitted on the writers that existed before that round (the same split the rules
were scored on), then scored on the round's writers; beside it the rules' own once-scored accuracy from that round's
result file, and the model with the rules' safety turn (a complaint the model reads as an authorisation stays a
complaint: checks.document_kind) where the rules are the ones that round was scored on.

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
          ("round seven", ("L22", "L23"), "review_letters_r7_heldout.json")]
LATER = {"round five": {"L17", "L18", "L20", "L21", "L22", "L23"}, "round six": {"L20", "L21", "L22", "L23"},
         "round seven": {"L22", "L23"}}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "letter_kind.json")
    args = ap.parse_args()
    from assist.review.checks import classify
    from assist.review.checks.reading import reading_view
    from assist.review.reader import read_text_document
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
        if name == "round seven":       # the rules today are the rules round seven was scored on (a013fd6)
            ruled = []
            for lt, p in zip(test, learned):
                path = REPO / "eval" / "datasets" / "letters" / lt.name
                r = classify(reading_view(read_text_document(path.read_bytes(), path.name)))
                ruled.append(r if r == "complaint" and p == "authorisation" else p)
            row["model_with_safety_turn"] = round(sum(p == lt.kind for p, lt in zip(ruled, test)) / len(test), 4)
            row["errors_with_safety_turn"] = [f"{lt.name}: {lt.kind} read as {p}" for p, lt in zip(ruled, test)
                                              if p != lt.kind]
        rounds[name] = row
        print(name, row)
    write_result(args.out, {"bench": "letter_kind", "machine": machine(), "rounds": rounds})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
