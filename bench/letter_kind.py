"""What a paper is, read by the learned model (assist.review.kind_model) on writers it was not fitted on: for each
round of held-out writers, the model is fitted on the writers that existed before that round (the same split the rules
were scored on), then scored on the round's writers; beside it the once-scored accuracy from that round's result file (the rules alone
for rounds five to seven; the shipped model with the rules, checks.document_kind, from round eight on).

It also chooses how the model and the rules share the decision (checks.document_kind): on each round from five on, the
rules as they were frozen for that round (their misreadings are in the round's result file; from round eight on, the
rules alone were run with documents.kind_rules_only on the commit frozen for the round, the one named in SHIPPED below,
into review_letters_r{8,...,26}_rules_alone.json) beside the model fitted before it, for each confidence bar at which
the model overrules the rules, with and without the old "safety turn" (a paper the rules read as a complaint is never made an authorisation).

    python bench/letter_kind.py [--out bench/results/letter_kind.json]

A round's "rules alone" file is made from the code frozen for it (a `git archive COMMIT assist testkit` under SRC) and
the round's writers before they join the repo (DIR holds their folders):

    python bench/letter_kind.py --rules-alone SRC --letters DIR --writers L36,L37 \
        --out bench/results/review_letters_r14_rules_alone.json"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

from common import machine, write_result

REPO = Path(__file__).resolve().parents[1]
# writers in the order they were written; each round's held-out writers, and the result file it was scored in
ROUNDS = [("round five", ("L17", "L18"), "review_letters_r5_heldout.json"),
          ("round six", ("L20", "L21"), "review_letters_r6_heldout.json"),
          ("round seven", ("L22", "L23"), "review_letters_r7_heldout.json"),
          ("round eight", ("L24", "L25"), "review_letters_r8_heldout.json"),
          ("round nine", ("L26", "L27"), "review_letters_r9_heldout.json"),
          ("round ten", ("L28", "L29"), "review_letters_r10_heldout.json"),
          ("round eleven", ("L30", "L31"), "review_letters_r11_heldout.json"),
          ("round twelve", ("L32", "L33"), "review_letters_r12_heldout.json"),
          ("round thirteen", ("L34", "L35"), "review_letters_r13_heldout.json"),
          ("round fourteen", ("L36", "L37"), "review_letters_r14_heldout.json"),
          ("round fifteen", ("L38", "L39"), "review_letters_r15_heldout.json"),
          ("round sixteen", ("L40", "L41"), "review_letters_r16_heldout.json"),
          ("round seventeen", ("L42", "L43"), "review_letters_r17_heldout.json"),
          ("round eighteen", ("L44", "L45"), "review_letters_r18_heldout.json"),
          ("round nineteen", ("L46", "L47"), "review_letters_r19_heldout.json"),
          ("round twenty", ("L48", "L49"), "review_letters_r20_heldout.json"),
          ("round twenty-one", ("L50", "L51"), "review_letters_r21_heldout.json"),
          ("round twenty-two", ("L52", "L53"), "review_letters_r22_heldout.json"),
          ("round twenty-three", ("L54", "L55"), "review_letters_r23_heldout.json"),
          ("round twenty-four", ("L56", "L57"), "review_letters_r24_heldout.json"),
          ("round twenty-five", ("L58", "L59"), "review_letters_r25_heldout.json"),
          ("round twenty-six", ("L60", "L61"), "review_letters_r26_heldout.json"),
          ("round twenty-seven", ("L62", "L63", "L64", "L65"), "review_letters_r27_heldout.json"),
          ("round twenty-eight", ("L66", "L67", "L68", "L69"), "review_letters_r28_heldout.json"),
          ("round twenty-nine", ("L70", "L71", "L72", "L73"), "review_letters_r29_heldout.json"),
          ("round thirty", ("L74", "L75", "L76", "L77"), "review_letters_r30_heldout.json"),
          ("round thirty-one", ("L78", "L79", "L80", "L81"), "review_letters_r31_heldout.json"),
          ("round thirty-two", ("L82", "L83", "L84", "L85"), "review_letters_r32_heldout.json"),
          ("round thirty-three", ("L86", "L87", "L88", "L89"), "review_letters_r33_heldout.json"),
          ("round thirty-four", ("L90", "L91", "L92", "L93"), "review_letters_r34_heldout.json"),
          ("round thirty-five", ("L94", "L95", "L96", "L97"), "review_letters_r35_heldout.json"),
          ("round thirty-six", ("L98", "L99"), "review_letters_r36_heldout.json"),
          ("round thirty-seven", ("L100", "L101", "L102", "L103"), "review_letters_r37_heldout.json"),
          ("round thirty-eight", ("L104", "L105", "L106", "L107"), "review_letters_r38_heldout.json"),
          ("round thirty-nine", ("L108", "L109", "L110", "L111"), "review_letters_r39_heldout.json"),
          ("round forty", ("L112", "L113", "L114", "L115"), "review_letters_r40_heldout.json"),
          ("round forty-one", ("L116", "L117", "L118", "L119"), "review_letters_r41_heldout.json"),
          ("round forty-two", ("L120", "L121", "L122", "L123"), "review_letters_r42_heldout.json"),
          ("round forty-three", ("L124", "L125", "L126", "L127"), "review_letters_r43_heldout.json"),
          ("round forty-four", ("L128", "L129", "L130", "L131"), "review_letters_r44_heldout.json"),
          ("round forty-five", ("L132", "L133", "L134", "L135"), "review_letters_r45_heldout.json"),
          ("round forty-six", ("L136", "L137", "L138", "L139"), "review_letters_r46_heldout.json"),
          ("round forty-seven", ("L140", "L141", "L142", "L143"), "review_letters_r47_heldout.json"),
          ("round forty-eight", ("L144", "L145", "L146", "L147"), "review_letters_r48_heldout.json"),
          ("round forty-nine", ("L148", "L149", "L150", "L151"), "review_letters_r49_heldout.json"),
          ("round fifty", ("L152", "L153", "L154", "L155"), "review_letters_r50_heldout.json"),
          ("round fifty-one", ("L156", "L157", "L158", "L159"), "review_letters_r51_heldout.json"),
          ("round fifty-two", ("L160", "L161", "L162", "L163"), "review_letters_r52_heldout.json"),
          ("round fifty-three", ("L164", "L165", "L166", "L167"), "review_letters_r53_heldout.json"),
          ("round fifty-four", ("L168", "L169", "L170", "L171"), "review_letters_r54_heldout.json"),
          ("round fifty-five", ("L172", "L173", "L174", "L175"), "review_letters_r55_heldout.json"),
          ("round fifty-six", ("L176", "L177", "L178", "L179", "L180", "L181", "L182", "L183"),
           "review_letters_r56_heldout.json"),
          ("round fifty-seven", ("L184", "L185", "L186", "L187", "L188", "L189", "L190", "L191"),
           "review_letters_r57_heldout.json")]
# the writers a round's model must not see: its own and every later round's
LATER = {name: {w for _, held, _ in ROUNDS[i:] for w in held} for i, (name, _, _) in enumerate(ROUNDS)}
# what the rules of an older assist read each letter as (documents.kind_rules_only), run in its own interpreter
RULES_ONLY = r'''
import json, sys, tempfile
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from assist.bootstrap import build_review_service
from assist.settings import Settings
from testkit.letters import load
with tempfile.TemporaryDirectory() as tmp:
    s = Settings(data_dir=Path(tmp))
    svc = build_review_service(s.model_copy(update={"documents": s.documents.model_copy(update={"kind_rules_only": True})}))
    print(json.dumps({lt.name: svc.review(lt.path.read_bytes(), lt.path.name).kind
                      for lt in load(tuple(sys.argv[3].split(",")), Path(sys.argv[2]))}))
'''
RULES_ALONE = {name: f"review_letters_r{n}_rules_alone.json" for name, n in
               (("round eight", 8), ("round nine", 9), ("round ten", 10), ("round eleven", 11), ("round twelve", 12),
                                ("round thirteen", 13), ("round fourteen", 14), ("round fifteen", 15),
                                ("round sixteen", 16), ("round seventeen", 17),
                                ("round eighteen", 18), ("round nineteen", 19),
                                ("round twenty", 20), ("round twenty-one", 21), ("round twenty-two", 22),
                                ("round twenty-three", 23), ("round twenty-four", 24), ("round twenty-five", 25),
                                ("round twenty-six", 26), ("round twenty-seven", 27),
                                ("round twenty-eight", 28), ("round twenty-nine", 29),
                                ("round thirty", 30), ("round thirty-one", 31),
                                ("round thirty-two", 32), ("round thirty-three", 33),
                                ("round thirty-four", 34), ("round thirty-five", 35),
                                ("round thirty-six", 36), ("round thirty-seven", 37),
                                ("round thirty-eight", 38), ("round thirty-nine", 39),
                                ("round forty", 40), ("round forty-one", 41), ("round forty-two", 42), ("round forty-three", 43),
                                ("round forty-four", 44), ("round forty-five", 45),
                                ("round forty-six", 46), ("round forty-seven", 47), ("round forty-eight", 48),
                                ("round forty-nine", 49), ("round fifty", 50),
                                ("round fifty-one", 51), ("round fifty-two", 52),
                                ("round fifty-three", 53), ("round fifty-four", 54),
                                ("round fifty-five", 55), ("round fifty-six", 56),
                                ("round fifty-seven", 57))}
# the rounds scored once with the shipped model and rules (checks.document_kind) rather than the rules alone
SHIPPED = {"round eight": "the model with the safety turn (8fe6da2)", "round nine": "the model when sure, bar 0.6 (820495e)",
           "round ten": "the model when sure, bar 0.6 (09cb5f7)", "round eleven": "the model when sure, bar 0.55 (6e68c50)",
           "round twelve": "the model when sure, bar 0.55 (46a1746)",
           "round thirteen": "the model when sure, bar 0.55 (a1a24ce)",
           "round fourteen": "the model when sure, bar 0.55 (beeb845)",
           "round fifteen": "the model when sure, bar 0.55 (0c1f723)",
           "round sixteen": "the model when sure, bar 0.55 (ef48f5f)",
           "round seventeen": "the model when sure, bar 0.55 (4f719a0)",
           "round eighteen": "the model when sure, bar 0.55 (8e2f0c3)",
           "round nineteen": "the model when sure, bar 0.55 (3baff67)",
           "round twenty": "the model when sure, bar 0.55 (547f68c)",
           "round twenty-one": "the model when sure, bar 0.55 (b7f6242)",
           "round twenty-two": "the model when sure, bar 0.55 (bca015c)",
           "round twenty-three": "the model when sure, bar 0.55 (68ca528)",
           "round twenty-four": "the model when sure, bar 0.55 (e34b31f)",
           "round twenty-five": "the model when sure, bar 0.55 (6cc2274)",
           "round twenty-six": "the model when sure, bar 0.55 (1309f19)",
           "round twenty-seven": "the model when sure, bar 0.55 (1c7f7da)",
           "round twenty-eight": "the model when sure, bar 0.55 (d7524e0)",
           "round twenty-nine": "the model when sure, bar 0.55 (0dc3582)",
           "round thirty": "the model when sure, bar 0.55 (269fef2)",
           "round thirty-one": "the model when sure, bar 0.55 (0e43c54)",
           "round thirty-two": "the model when sure, bar 0.55 (08eeaeb)",
           "round thirty-three": "the model when sure, bar 0.55 (7a5587b)",
           "round thirty-four": "the model when sure, bar 0.55 (7e83816)",
           "round thirty-five": "the model when sure, bar 0.55 (a50da64)",
           "round thirty-six": "the model when sure, bar 0.55 (f303077)",
           "round thirty-seven": "the model when sure, bar 0.55 (4c6fce0)",
           "round thirty-eight": "the model when sure, bar 0.55 (4fe5ab3)",
           "round thirty-nine": "the model when sure, bar 0.55 (3f81ce4)",
           "round forty": "the model when sure, bar 0.55 (5f9fa87)",
           "round forty-one": "the model when sure, bar 0.55 (86064a8)",
           "round forty-two": "the model when sure, bar 0.55 (418bc58)",
           "round forty-three": "the model when sure, bar 0.55 (796ea38)",
           "round forty-four": "the model when sure, bar 0.55 (bdc4523)",
           "round forty-five": "the model when sure, bar 0.55 (df46523)",
           "round forty-six": "the model when sure, bar 0.55 (97c0328)",
           "round forty-seven": "the model when sure, bar 0.55 (ef35bf5)",
           "round forty-eight": "the model when sure, bar 0.55 (04af8bd)",
           "round forty-nine": "the model when sure, bar 0.55 (77e895f)",
           "round fifty": "the model when sure, bar 0.55 (2b07b40)",
           "round fifty-one": "the model when sure, bar 0.55 (585c125)",
           "round fifty-two": "the model when sure, bar 0.55 (2f887c2)",
           "round fifty-three": "the model when sure, bar 0.55 (124fb4a)",
           "round fifty-four": "the model when sure, bar 0.55 (2993951)",
           "round fifty-five": "the model when sure, bar 0.55 (ff390eb)",
           "round fifty-six": "the model when sure, bar 0.55 (b51508d)",
           "round fifty-seven": "the model when sure, bar 0.55 (090fe9f)"}
BARS = (0.0, 0.4, 0.5, 0.55, 0.6, 0.65, 0.7, 1.01)


def frozen_rules(name: str, scored: str, test: list) -> list[str]:
    """What the rules frozen for a round read each of its letters as."""
    if name in RULES_ALONE:
        read = json.loads((REPO / "bench" / "results" / RULES_ALONE[name]).read_text(encoding="utf-8"))
        return [read[lt.name] for lt in test]
    d = json.loads((REPO / "bench" / "results" / scored).read_text(encoding="utf-8"))
    wrong = {m.group(1): m.group(2) for e in d["text"]["splits"]["all"]["kind_errors"]
             if (m := re.match(r"(\S+): \w+ read as (\S+)", e))}
    return [wrong.get(lt.name, lt.kind) for lt in test]


def combine(rules: str, p: dict[str, float], bar: float, turn: bool) -> str:
    learned = max(p, key=lambda k: p[k])
    read = learned if p[learned] >= bar else rules
    return rules if turn and rules == "complaint" and read == "authorisation" else read


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "letter_kind.json")
    ap.add_argument("--rules-alone", type=Path, metavar="SRC", help="write what the rules under SRC read each letter as")
    ap.add_argument("--letters", type=Path, help="with --rules-alone: the folder of the round's writers")
    ap.add_argument("--writers", help="with --rules-alone: the round's writers, comma-separated")
    args = ap.parse_args()
    if args.rules_alone is not None:
        if args.letters is None or not args.writers:
            ap.error("--rules-alone needs --letters and --writers")
        import subprocess
        import sys

        run = subprocess.run([sys.executable, "-c", RULES_ONLY, str(args.rules_alone), str(args.letters), args.writers],
                             capture_output=True, text=True, check=True)
        args.out.write_text(run.stdout, encoding="utf-8")
        print(f"wrote {args.out}")
        return 0
    from assist.training.letter_kind import fit, read_letters

    letters = read_letters(REPO / "eval" / "datasets" / "letters")
    rounds, rows = {}, []
    for name, held, scored in ROUNDS:
        model = fit([lt for lt in letters if lt.writer not in LATER[name]])
        test = [lt for lt in letters if lt.writer in held]
        learned = [model.predict(lt.text) for lt in test]
        rules_then = json.loads((REPO / "bench" / "results" / scored).read_text(encoding="utf-8"))
        row = {"letters": len(test), "fitted_on": sum(lt.writer not in LATER[name] for lt in letters),
               "model": round(sum(p == lt.kind for p, lt in zip(learned, test)) / len(test), 4),
               "rules_scored_once": rules_then["text"]["splits"]["all"]["kind_accuracy"]}
        if name in SHIPPED:            # these rounds were scored with the shipped model and rules
            row["shipped_model_and_rules_scored_once"] = row.pop("rules_scored_once")
            row["shipped"] = SHIPPED[name]
        rounds[name] = row
        print(name, row)
        rows += [(name, lt.kind, r, model.probabilities(lt.text)) for lt, r in zip(test, frozen_rules(name, scored, test))]
    combinations = []
    for bar in BARS:
        for turn in (False, True):
            reads = [(name, gold, combine(r, p, bar, turn)) for name, gold, r, p in rows]
            combinations.append({
                "bar": bar, "safety_turn": turn,
                "per_round": {name: round(sum(g == k for n, g, k in reads if n == name)
                                          / sum(n == name for n, _, _ in reads), 4) for name, _, _ in ROUNDS},
                "all": round(sum(g == k for _, g, k in reads) / len(reads), 4),
                "complaints_read_as_authorisations": sum(g == "complaint" and k == "authorisation" for _, g, k in reads)})
            print(combinations[-1])
    write_result(args.out, {"bench": "letter_kind", "machine": machine(), "rounds": rounds,
                            "combinations": combinations, "letters": len(rows)})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
