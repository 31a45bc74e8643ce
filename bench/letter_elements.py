"""How the learned element reader (assist.review.element_model) and the rules share the reading of an authorisation's
parts, measured round by round on writers neither had seen.

For each round from twenty-seven on, the sentence models are fitted only on the writers written before it
(assist.training.letter_elements), and the rules' reading is the one scored once on that round's frozen code: a part
the rules read right unless bench/results/review_letters_rNN_heldout.json lists it among the element errors (a letter
whose kind was misread has no parts). Combinations "add A / drop D" (the model adds a part the rules missed when its
score is at least A, and takes away one they found when its score is at most D) are scored on every round. The bars
are chosen on rounds twenty-seven to thirty-six (the best mean accuracy over the parts among the bars that warn no
complete lawful letter the rules alone did not warn) and reported on rounds thirty-seven and later, which did not choose
them. (A first version allowed as many warned letters as the rules, not the same ones; it chose drop 0.2, which warned
one complete lawful letter on round thirty-seven that the rules did not. The criterion was tightened after seeing that:
README says so.)

    python bench/letter_elements.py [--out bench/results/letter_elements.json] [--workers 2]"""

from __future__ import annotations

import argparse
import json
import re
import sys
from multiprocessing import Pool
from pathlib import Path
from typing import Any

from common import machine, write_result
from letter_kind import ROUNDS

from assist.review.element_model import DROPPABLE, PARTS
from assist.training.letter_elements import LabelledAuthorisation, fit_elements, read_authorisations

REPO = Path(__file__).resolve().parents[1]
LETTERS = REPO / "eval" / "datasets" / "letters"
FIRST = 27          # rounds of four writers, each scored once with its own rules, from here on
CHOOSE_UNTIL = 36   # the bars are chosen on rounds FIRST..CHOOSE_UNTIL and reported on the later ones
LAST = 40           # the last round scored on rules without the element model (round forty-one's result includes it)
ADD = (0.6, 0.7, 0.8, 0.9, 1.01)
DROP = (-1.0, 0.02, 0.05, 0.1, 0.2, 0.3)
# the parts whose absence review reports as a warning (the others are notes): a part taken away on a complete lawful
# letter is a false warning
WARN_PARTS = {"principal", "agent", "scope", "signature", "date"}


def _number(result_file: str) -> int:
    m = re.search(r"_r(\d+)_", result_file)
    return int(m.group(1)) if m else 0


def _rules_reading(result: dict[str, Any]) -> tuple[set[str], dict[tuple[str, str], bool]]:
    """The letters whose kind the rules misread, and the parts they read wrong with the label's side at the time."""
    split = result["text"]["splits"]["all"]
    misread = {e.split(":")[0] for e in split["kind_errors"]}
    wrong = {}
    for e in split["element_errors"]:
        m = re.match(r"(\S+) (\w+): labelled (present|absent)", e)
        if m:
            wrong[(m.group(1), m.group(2))] = m.group(3) == "present"
    return misread, wrong


def _round(job: tuple[str, tuple[str, ...], str, list[str]]) -> dict[str, Any]:
    name, writers, result_file, earlier = job
    every = read_authorisations(LETTERS)
    train = [lt for lt in every if lt.writer in set(earlier)]
    test: list[LabelledAuthorisation] = [lt for lt in every if lt.writer in set(writers)]
    model = fit_elements(train, parts=PARTS)
    labels = {}
    for w in writers:
        for line in (LETTERS / w / "labels.jsonl").read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                labels[f"{w}/{row['file']}"] = row
    misread, wrong = _rules_reading(json.loads((REPO / "bench" / "results" / result_file).read_text(encoding="utf-8")))
    rows = []
    for lt in test:
        scores = model.scores(lt.text)
        label = labels[lt.name]
        for part in PARTS:
            want = label["elements"][part] is not None
            key = (lt.name, part)
            # the label may have been corrected after scoring (eval/datasets/letters/README.md): the rules' reading is
            # the opposite of the label they were scored against when they were wrong, else the label's side today
            rules = (not wrong[key]) if key in wrong else want
            rows.append({"letter": lt.name, "part": part, "want": want, "rules": rules and lt.name not in misread,
                         "read": lt.name not in misread, "p": round(scores[part].p, 4),
                         "clean": bool(label.get("legit") and label.get("complete"))})
    return {"round": name, "writers": list(writers), "train_letters": len(train), "rows": rows}


def combine(row: dict[str, Any], add: float, drop: float) -> bool:
    """What review reads: the rules' part, added by the model at ``add``, taken away at ``drop`` (only a part whose
    absence is a note: element_model.DROPPABLE)."""
    if row["part"] not in DROPPABLE:
        drop = -1.0
    return bool(row["read"] and (row["p"] >= add or (row["rules"] and row["p"] > drop)))


def summarise(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    early = [r for r in rounds if _number_of(r) <= CHOOSE_UNTIL]
    late = [r for r in rounds if _number_of(r) > CHOOSE_UNTIL]

    def acc(rs: list[dict[str, Any]], part: str, add: float, drop: float) -> list[float]:
        out = []
        for r in rs:
            rows = [x for x in r["rows"] if x["part"] == part]
            out.append(sum(combine(x, add, drop) == x["want"] for x in rows) / len(rows) if rows else 1.0)
        return out

    def warned(rs: list[dict[str, Any]], add: float, drop: float) -> list[str]:
        return sorted({x["letter"] for r in rs for x in r["rows"]
                       if x["clean"] and x["part"] in WARN_PARTS and x["read"] and not combine(x, add, drop)})

    grid = []
    rules_warned = set(warned(early, 2.0, -1.0))
    for add in ADD:
        for drop in DROP:
            mean = sum(sum(acc(early, p, add, drop)) for p in PARTS) / (len(PARTS) * max(1, len(early)))
            more = sorted(set(warned(early, add, drop)) - rules_warned)
            grid.append({"add": add, "drop": drop, "early_mean": round(mean, 4),
                         "early_complete_lawful_warned": len(warned(early, add, drop)),
                         "early_warned_not_by_rules": more})
    safe = [g for g in grid if not g["early_warned_not_by_rules"]]
    best = max(safe, key=lambda g: (g["early_mean"], -g["drop"], g["add"]))

    def table(add: float, drop: float) -> dict[str, Any]:
        return {part: {"early_mean": round(sum(acc(early, part, add, drop)) / max(1, len(early)), 4),
                       "late": [round(a, 4) for a in acc(late, part, add, drop)],
                       "late_mean": round(sum(acc(late, part, add, drop)) / max(1, len(late)), 4)} for part in PARTS}
    return {"chosen": best, "rules_alone": table(2.0, -1.0), "combined": table(best["add"], best["drop"]),
            "late_rounds": [r["round"] for r in late],
            "late_complete_lawful_warned": {"rules": warned(late, 2.0, -1.0),
                                            "combined": warned(late, best["add"], best["drop"])},
            "grid": grid}


def _number_of(r: dict[str, Any]) -> int:
    return next(_number(f) for n, _, f in ROUNDS if n == r["round"])


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "letter_elements.json")
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    order = [w for _, ws, _ in ROUNDS for w in ws]
    before_rounds = sorted({p.name for p in LETTERS.iterdir() if p.is_dir()} - set(order),
                           key=lambda w: int(w[1:]))
    jobs = []
    for i, (name, writers, result_file) in enumerate(ROUNDS):
        if not FIRST <= _number(result_file) <= LAST or not (REPO / "bench" / "results" / result_file).is_file():
            continue
        earlier = before_rounds + [w for _, ws, _ in ROUNDS[:i] for w in ws]
        jobs.append((name, writers, result_file, earlier))
    with Pool(max(1, args.workers)) as pool:
        rounds = pool.map(_round, jobs)
    result = {"machine": machine(), **summarise(rounds), "rounds": rounds}
    write_result(args.out, result)
    c = result["chosen"]
    print(f"chosen on rounds {FIRST}-{CHOOSE_UNTIL}: add {c['add']} / drop {c['drop']} (early mean {c['early_mean']})")
    for part in PARTS:
        print(f"  {part:12s} late rules {result['rules_alone'][part]['late_mean']:.3f} "
              f"combined {result['combined'][part]['late_mean']:.3f}  per round {result['combined'][part]['late']}")
    print("late complete lawful letters warned:", result["late_complete_lawful_warned"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
