"""Suggested replies judged turn by turn against who the caller really is (the conversation's label): does a
genuine borrower see a script for their own situation first, does an intermediary or coached call at medium or high
get a verification or intermediary script among the first three, does a victim get a protection script, and on how
many caller turns that ask or claim something is there any fitting suggestion at all."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

GENUINE_SITUATION = frozenset({"need", "verification", "representative", "victim"})
VERIFY_OR_SIGNAL = frozenset({"verification", "intermediary"})
INVOLVED = ("intermediary", "coached")


@dataclass(frozen=True)
class TurnRecord:
    """One caller turn as replayed: what the call is (label), what the hint showed, what was suggested."""

    conv: str
    label: str
    turn: int
    text: str                         # as stored by the service (masked)
    filler: bool                      # a greeting, thanks or acknowledgement: asks or claims nothing
    level: str                        # risk level after this turn
    from_evidence: bool               # at or after the labelled first evidence turn
    scripts: tuple[str, ...]          # suggested script ids, best first
    families: tuple[str, ...]         # their families
    reasons: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()


@dataclass(frozen=True)
class TurnFailure:
    record: TurnRecord
    check: str                        # coverage | genuine_top | involved_top3 | victim_top3 | legit_rep_top
    reason: str


def _rate(hits: int, n: int) -> float | None:
    return hits / n if n else None


def reply_metrics(records: Sequence[TurnRecord]) -> tuple[dict[str, float | None], list[TurnFailure]]:
    """Metrics per label and the failing turns. Denominators: coverage over caller turns that are not fillers;
    genuine and legitimate-representative checks over turns with a suggestion; intermediary/coached over turns at
    medium or high; victims over non-filler turns from the labelled first evidence on."""
    m: dict[str, float | None] = {}
    fails: list[TurnFailure] = []
    labels = sorted({r.label for r in records})
    substantive = [r for r in records if not r.filler]
    covered = [r for r in substantive if r.scripts]
    m["coverage"] = _rate(len(covered), len(substantive))
    m["no_fit_turns"] = float(len(substantive) - len(covered))
    m["scored_turns"] = float(len(substantive))
    for lab in labels:
        sub = [r for r in substantive if r.label == lab]
        m[f"coverage.{lab}"] = _rate(sum(bool(r.scripts) for r in sub), len(sub))
    fails += [TurnFailure(r, "coverage", "no fitting script") for r in substantive if not r.scripts]

    gen = [r for r in records if r.label == "genuine" and r.scripts]
    m["genuine_top_fits"] = _rate(sum(r.families[0] in GENUINE_SITUATION for r in gen), len(gen))
    m["genuine_top_need"] = _rate(sum(r.families[0] == "need" for r in gen), len(gen))
    m["genuine_suspicion_in_top3"] = _rate(sum("intermediary" in r.families[:3] for r in gen), len(gen))
    m["genuine.scored_turns"] = float(len(gen))
    fails += [TurnFailure(r, "genuine_top", f"a genuine caller's top suggestion is a {r.families[0]} script")
              for r in gen if r.families[0] not in GENUINE_SITUATION]

    inv = [r for r in records if r.label in INVOLVED and r.level in ("medium", "high")]
    m["involved_verify_top3"] = _rate(sum(bool(VERIFY_OR_SIGNAL & set(r.families[:3])) for r in inv), len(inv))
    m["involved_at_risk.scored_turns"] = float(len(inv))
    for lab in INVOLVED:
        sub = [r for r in inv if r.label == lab]
        m[f"involved_verify_top3.{lab}"] = _rate(sum(bool(VERIFY_OR_SIGNAL & set(r.families[:3])) for r in sub), len(sub))
    fails += [TurnFailure(r, "involved_top3", f"level {r.level}, but no verification or intermediary script in the top 3")
              for r in inv if not VERIFY_OR_SIGNAL & set(r.families[:3])]

    vic = [r for r in records if r.label == "victim" and r.from_evidence and not r.filler]
    m["victim_protect_top3"] = _rate(sum("victim" in r.families[:3] for r in vic), len(vic))
    m["victim.scored_turns"] = float(len(vic))
    fails += [TurnFailure(r, "victim_top3", "no victim-protection script in the top 3")
              for r in vic if "victim" not in r.families[:3]]

    rep = [r for r in records if r.label == "legit_rep" and r.scripts]
    m["legit_rep_suspicion_top"] = _rate(sum(r.families[0] == "intermediary" for r in rep), len(rep))
    m["legit_rep.scored_turns"] = float(len(rep))
    fails += [TurnFailure(r, "legit_rep_top", "a legitimate representative's top suggestion is an intermediary script")
              for r in rep if r.families[0] == "intermediary"]
    return m, fails
