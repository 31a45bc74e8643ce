"""The risk-signal taxonomy (knowledge/signals.yaml): read and validated once, for `assist check`, the risk hint and
document review alike. Every signal-specific policy lives in the file as a field (how high it may raise the hint on
its own, whether it calls for escalation, what document review says about it), not as an id in the code."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from assist.errors import KnowledgeError
from assist.knowledge.types import Problem
from assist.knowledge.yaml_files import read_yaml

SIGNAL_CATEGORIES: tuple[str, ...] = ("intermediary", "coached", "victim")
WEIGHTS = {"high": 2.0, "medium": 1.0, "low": 0.5}
SEVERITIES = ("info", "warn", "high")
MIN_EXAMPLES, MIN_LOOKALIKES = 8, 3
LEVELS: tuple[str, ...] = ("low", "medium", "high")
DISCOURSE_READINGS: tuple[str, ...] = ("third_party", "withholding", "yes_no_trap")  # knowledge.discourse.READINGS


@dataclass(frozen=True)
class LetterPattern:
    """How a letter phrases the signal (the spoken patterns were written for calls)."""

    severity: str                       # info | warn | high
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class ReviewRules:
    """What document review does with a signal."""

    advice: str = ""                    # what staff should make of it in a complaint letter ("" = not reported)
    findings: tuple[str, ...] = ()      # review checks whose findings this signal explains (e.g. auth.agent_company)
    letter_name: str = ""               # the finding's name for a letter pattern hit
    letter_patterns: tuple[LetterPattern, ...] = ()
    family_note: bool = False           # written by the borrower's family, a hit is a note (the lawful case), not a warning


@dataclass(frozen=True)
class Signal:
    id: str
    name: str
    category: str                       # intermediary | coached | victim
    weight: str                         # high | medium | low
    examples: tuple[str, ...]
    lookalikes: tuple[str, ...]
    patterns: tuple[re.Pattern[str], ...] = ()
    keywords: tuple[tuple[str, ...], ...] = ()
    unless: tuple[re.Pattern[str], ...] = ()
    channels: tuple[str, ...] = field(default_factory=tuple)
    alone_at_most: str = "high"         # highest level this signal may justify without another signal's evidence
    at_least: str = "low"               # lowest level its evidence (in the caller's own words) leaves the hint at
    discourse: str | None = None        # a discourse reading that is evidence of it (third_party: the caller says
                                        # they are not the borrower; knowledge/discourse.yaml)
    escalate: bool = False              # evidence of it at level high calls for escalation (消保/反欺诈/法务)
    paraphrase_evidence: bool = True    # a paraphrase match (semantic layer) may be quoted as evidence of it; false
                                        # where the signal lies in facts the words do not carry (a voice that does not
                                        # fit, someone prompting in the background): its similarity is a feature only
    review: ReviewRules = field(default_factory=ReviewRules)

    @property
    def weight_value(self) -> float:
        return WEIGHTS[self.weight]


def read_signals(path: Path) -> tuple[list[Signal], list[Problem]]:
    """Every valid signal of the file, and a problem (with line and field) for everything wrong in it."""
    sp = str(path)
    read = read_yaml(path)
    if isinstance(read, Problem):
        return [], [read]
    raw, data = read
    node = yaml.compose(raw, Loader=yaml.SafeLoader)
    if not isinstance(data, dict) or not isinstance(data.get("signals"), list):
        return [], [Problem(sp, "expected a top-level 'signals:' list", line=1)]
    lines: list[int] = []
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if k.value == "signals" and isinstance(v, yaml.SequenceNode):
                lines = [item.start_mark.line + 1 for item in v.value]
    signals: list[Signal] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for i, raw_sig in enumerate(data["signals"]):
        found: list[Problem] = []
        sig = _signal(raw_sig, sp, lines[i] if i < len(lines) else None, seen, found)
        problems.extend(found)
        if sig is not None and not found:
            signals.append(sig)
    return signals, problems


def load_signals(path: Path) -> list[Signal]:
    """The taxonomy, or a KnowledgeError naming the first problem (file, line, field)."""
    signals, problems = read_signals(path)
    for p in problems:
        if p.severity == "error":
            raise KnowledgeError(f"signal taxonomy: {p.message}", path=p.path, line=p.line, field=p.field)
    return signals


def _signal(raw: Any, sp: str, line: int | None, seen: set[str], problems: list[Problem]) -> Signal | None:
    def bad(message: str, fld: str | None = None) -> None:
        problems.append(Problem(sp, message, line=line, field=fld))

    if not isinstance(raw, dict):
        bad("each signal must be a mapping")
        return None
    sid = raw.get("id")
    if not isinstance(sid, str) or not re.fullmatch(r"S\d{1,3}", sid):
        bad(f"signal id {sid!r} must look like S1, S12", "id")
    elif sid in seen:
        bad(f"duplicate signal id {sid}", "id")
    else:
        seen.add(sid)
    for fld in ("name", "description"):
        if not isinstance(raw.get(fld), str) or not raw[fld].strip():
            bad(f"signal {sid}: missing {fld}", fld)
    if raw.get("category") not in SIGNAL_CATEGORIES:
        bad(f"signal {sid}: category must be one of {', '.join(SIGNAL_CATEGORIES)}", "category")
    if raw.get("weight") not in WEIGHTS:
        bad(f"signal {sid}: weight must be one of {', '.join(WEIGHTS)}", "weight")
    if raw.get("alone_at_most", "high") not in LEVELS:
        bad(f"signal {sid}: alone_at_most must be low, medium or high", "alone_at_most")
    if raw.get("at_least", "low") not in LEVELS:
        bad(f"signal {sid}: at_least must be low, medium or high", "at_least")
    if raw.get("discourse") not in (None, *DISCOURSE_READINGS):
        bad(f"signal {sid}: discourse must be one of {', '.join(DISCOURSE_READINGS)}", "discourse")
    if not isinstance(raw.get("escalate", False), bool):
        bad(f"signal {sid}: escalate must be true or false", "escalate")
    if not isinstance(raw.get("paraphrase_evidence", True), bool):
        bad(f"signal {sid}: paraphrase_evidence must be true or false", "paraphrase_evidence")
    for fld, minimum in (("examples", MIN_EXAMPLES), ("lookalikes", MIN_LOOKALIKES)):
        vals = raw.get(fld)
        if not isinstance(vals, list) or not _strings(vals):
            bad(f"signal {sid}: {fld} must be a list of utterances", fld)
        elif len(vals) < minimum:
            bad(f"signal {sid}: {fld} has {len(vals)}, at least {minimum} needed", fld)
    patterns = _patterns(raw.get("patterns"), f"signal {sid}: patterns", "patterns", bad)
    unless = _patterns(raw.get("unless"), f"signal {sid}: unless", "unless", bad)
    keywords = raw.get("keywords") or []
    if not isinstance(keywords, list) or not all(_strings(k) and k for k in keywords):
        bad(f"signal {sid}: keywords must be a list of word groups (lists of words)", "keywords")
        keywords = []
    review = _review(raw.get("review"), sid, bad)
    if problems or not isinstance(sid, str):
        return None
    return Signal(id=sid, name=raw["name"], category=raw["category"], weight=raw["weight"],
                  examples=tuple(raw["examples"]), lookalikes=tuple(raw["lookalikes"]), patterns=patterns,
                  keywords=tuple(tuple(k) for k in keywords), unless=unless,
                  channels=tuple(raw.get("channel") or ()), alone_at_most=raw.get("alone_at_most", "high"),
                  at_least=raw.get("at_least", "low"), discourse=raw.get("discourse"),
                  escalate=bool(raw.get("escalate", False)), paraphrase_evidence=bool(raw.get("paraphrase_evidence", True)),
                  review=review)


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)


def _patterns(value: Any, what: str, fld: str, bad: Any) -> tuple[re.Pattern[str], ...]:
    if value is None:
        return ()
    if not _strings(value):
        bad(f"{what} must be a list of regular expressions", fld)
        return ()
    out = []
    for p in value:
        try:
            out.append(re.compile(p))
        except re.error as exc:
            bad(f"{what}: bad pattern {p!r}: {exc}", fld)
    return tuple(out)


def _review(value: Any, sid: Any, bad: Any) -> ReviewRules:
    if value is None:
        return ReviewRules()
    if not isinstance(value, dict) or set(value) - {"advice", "findings", "letter_name", "letter_patterns", "family_note"}:
        bad(f"signal {sid}: review must be a mapping of advice, findings, letter_name, letter_patterns, family_note",
            "review")
        return ReviewRules()
    advice, name = value.get("advice", ""), value.get("letter_name", "")
    if not isinstance(advice, str) or not isinstance(name, str):
        bad(f"signal {sid}: review.advice and review.letter_name must be text", "review")
    findings = value.get("findings") or []
    if not _strings(findings):
        bad(f"signal {sid}: review.findings must be a list of check ids", "review.findings")
        findings = []
    letter: list[LetterPattern] = []
    for item in value.get("letter_patterns") or []:
        if not isinstance(item, dict) or item.get("severity") not in SEVERITIES or not isinstance(item.get("pattern"), str):
            bad(f"signal {sid}: each review.letter_patterns item needs severity ({', '.join(SEVERITIES)}) and pattern",
                "review.letter_patterns")
            continue
        for pat in _patterns([item["pattern"]], f"signal {sid}: review.letter_patterns", "review.letter_patterns", bad):
            letter.append(LetterPattern(item["severity"], pat))
    if letter and not name:
        bad(f"signal {sid}: review.letter_patterns need a review.letter_name", "review.letter_name")
    family = value.get("family_note", False)
    if not isinstance(family, bool):
        bad(f"signal {sid}: review.family_note must be true or false", "review.family_note")
        family = False
    return ReviewRules(str(advice or ""), tuple(findings), str(name or ""), tuple(letter), family)
