"""Whether a paper reads like a paid agency's, learned (the posing model, assist.training.letter_kind with target
"posing"), on writers it was not fitted on: for each round of held-out writers from round fifteen, the model is fitted
on the writers that existed before that round and scored on the round's writers. Beside it, what the rules frozen for
that round found (the round's result file): a posing letter already high, a lawful letter already warned. The shipped
combination (checks._learned_posing) adds a high finding when the rules found none and the model's probability of
"posing" is at least the bar, so for each bar this reports posing letters high (rules or model) and letters that are
not posing which the model would newly flag. The bar is chosen on rounds fifteen to twenty-four; round twenty-five,
whose writers the shipped model was not fitted on and whose code was frozen before the bar was chosen, is reported
apart.

    python bench/letter_posing.py [--out bench/results/letter_posing.json]"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from common import machine, write_result

REPO = Path(__file__).resolve().parents[1]
ROUNDS = {15: ("L38", "L39"), 16: ("L40", "L41"), 17: ("L42", "L43"), 18: ("L44", "L45"), 19: ("L46", "L47"),
          20: ("L48", "L49"), 21: ("L50", "L51"), 22: ("L52", "L53"), 23: ("L54", "L55"), 24: ("L56", "L57"),
          25: ("L58", "L59")}
BARS = (0.5, 0.6, 0.7, 0.8, 0.9, 1.01)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(REPO / "bench" / "results" / "letter_posing.json"))
    args = ap.parse_args()
    from assist.training.letter_kind import POSING_LABELS, fit, read_letters

    root = REPO / "eval" / "datasets" / "letters"
    letters = read_letters(root, target="posing")
    writers = sorted({lt.writer for lt in letters})
    raw = {json.loads(line)["file"]: json.loads(line) for w in writers
           for line in (root / w / "labels.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()}
    per_round = {}
    for r, held in ROUNDS.items():
        first = writers.index(held[0])
        model = fit([lt for lt in letters if writers.index(lt.writer) < first], labels=POSING_LABELS)
        scored = json.loads((REPO / "bench" / "results" / f"review_letters_r{r}_heldout.json").read_text(encoding="utf-8"))
        split = scored["text"]["splits"]["all"]
        missed = set(split["posing_without_high"])
        warned = set(split["complete_lawful_with_warning"]) | set(split["lawful_complaints_with_warning"])
        rows = []
        for lt in (x for x in letters if x.writer in held):
            label = raw[lt.name.split("/")[1]]
            rows.append({"name": lt.name, "posing": bool(label["posing"]), "legit": bool(label.get("legit")),
                         "rules_high": lt.name not in missed if label["posing"] else None,
                         "rules_warned": lt.name in warned, "p": round(model.probabilities(lt.text)["posing"], 4)})
        per_round[r] = rows

    def tally(rounds: list[int], bar: float) -> dict[str, object]:
        rows = [x for r in rounds for x in per_round[r]]
        posing = [x for x in rows if x["posing"]]
        other = [x for x in rows if not x["posing"]]
        return {"posing_letters": len(posing), "rules_high": sum(bool(x["rules_high"]) for x in posing),
                "rules_or_model_high": sum(bool(x["rules_high"]) or x["p"] >= bar for x in posing),
                "not_posing_letters": len(other), "model_flags_not_posing": sum(x["p"] >= bar for x in other),
                "newly_flagged_lawful": [x["name"] for x in other if x["p"] >= bar and not x["rules_warned"]]}

    chosen = [r for r in ROUNDS if r < 25]
    result = {"bench": "letter_posing", "machine": machine(),
              "bars": {str(b): {"rounds_15_24": tally(chosen, b), "round_25": tally([25], b)} for b in BARS},
              "letters": {str(r): rows for r, rows in per_round.items()}}
    write_result(Path(args.out), result)
    for b in BARS:
        a, c = result["bars"][str(b)]["rounds_15_24"], result["bars"][str(b)]["round_25"]
        print(f"bar {b}: rounds 15-24 posing high {a['rules_or_model_high']}/{a['posing_letters']} (rules "
              f"{a['rules_high']}), not posing flagged {a['model_flags_not_posing']}/{a['not_posing_letters']}; "
              f"round 25 posing high {c['rules_or_model_high']}/{c['posing_letters']} (rules {c['rules_high']}), "
              f"not posing flagged {c['model_flags_not_posing']}/{c['not_posing_letters']}")


if __name__ == "__main__":
    main()
