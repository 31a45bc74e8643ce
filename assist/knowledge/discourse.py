"""The call-discourse lexicon (knowledge/discourse.yaml): who is speaking relative to the borrower, which words are
reported speech, which sentences are questions, and the cues of cooperation, refusal, dictation, victimisation and
hardship. Read and validated once, for `assist check` and the risk hint; every pattern names its field and item
when it is wrong."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from assist.errors import KnowledgeError
from assist.knowledge.types import Problem
from assist.knowledge.yaml_files import read_yaml

ROLES: tuple[str, ...] = ("relative", "friend", "colleague", "assistant", "company", "lawyer")
PATTERN_FIELDS: tuple[str, ...] = ("reported_speech", "questions", "rhetorical", "third_party", "self", "cooperation",
                                   "refusal", "dictation", "agency", "payment", "handover", "deceived",
                                   "hypothetical", "hardship")
REQUIRED: tuple[str, ...] = ("reported_speech", "questions", "third_party", "self")
# Readings that are evidence of a signal (signals.yaml `discourse:`): third_party from its own section, the others
# from the `evidence:` section.
EVIDENCE_READINGS: tuple[str, ...] = ("withholding", "yes_no_trap")
READINGS: tuple[str, ...] = ("third_party", *EVIDENCE_READINGS)
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class DiscourseLexicon:
    roles: dict[str, tuple[str, ...]]                     # role -> nouns
    patterns: dict[str, tuple[re.Pattern[str], ...]]      # field -> compiled patterns (placeholders expanded)

    def get(self, name: str) -> tuple[re.Pattern[str], ...]:
        return self.patterns.get(name, ())

    def role_in(self, text: str) -> str | None:
        """The role whose longest noun occurs in ``text`` (a matched third-party phrase), else None."""
        best: tuple[int, str] | None = None
        for role, nouns in self.roles.items():
            for n in nouns:
                if n in text and (best is None or len(n) > best[0]):
                    best = (len(n), role)
        return best[1] if best else None


def read_discourse(path: Path) -> tuple[DiscourseLexicon | None, list[Problem]]:
    """The lexicon, and a problem (with line and field) for everything wrong in the file."""
    sp = str(path)
    read = read_yaml(path, mapping="expected a mapping of pattern lists")
    if isinstance(read, Problem):
        return None, [read]
    raw, data = read
    lines = _field_lines(raw)
    problems: list[Problem] = []
    roles: dict[str, tuple[str, ...]] = {}
    raw_roles = data.get("roles")
    if not isinstance(raw_roles, dict):
        problems.append(Problem(sp, "roles must map each role to a list of nouns", line=lines.get("roles"), field="roles"))
    else:
        for role, nouns in raw_roles.items():
            if role not in ROLES:
                problems.append(Problem(sp, f"unknown role {role!r}; roles are {', '.join(ROLES)}",
                                        line=lines.get("roles"), field=f"roles.{role}"))
            elif not isinstance(nouns, list) or not nouns or not all(isinstance(n, str) and n.strip() for n in nouns):
                problems.append(Problem(sp, f"roles.{role} must be a non-empty list of nouns", line=lines.get("roles"),
                                        field=f"roles.{role}"))
            else:
                roles[role] = tuple(sorted({n.strip() for n in nouns}, key=lambda n: (-len(n), n)))
    for name in set(data) - set(PATTERN_FIELDS) - {"roles", "evidence"}:
        problems.append(Problem(sp, f"unknown field {name!r}", line=lines.get(str(name)), field=str(name)))
    groups = {role: "|".join(re.escape(n) for n in nouns) for role, nouns in roles.items()}
    groups["noun"] = "|".join(re.escape(n) for n in sorted({n for ns in roles.values() for n in ns}, key=lambda n: -len(n)))
    patterns: dict[str, tuple[re.Pattern[str], ...]] = {}
    for name in PATTERN_FIELDS:
        items = data.get(name)
        if items is None:
            if name in REQUIRED:
                problems.append(Problem(sp, f"missing {name}", field=name))
            continue
        if not isinstance(items, list) or not all(isinstance(p, str) and p.strip() for p in items):
            problems.append(Problem(sp, f"{name} must be a list of regular expressions", line=lines.get(name), field=name))
            continue
        compiled = []
        for i, p in enumerate(items):
            unknown = [g for g in _PLACEHOLDER.findall(p) if g not in groups]
            if unknown:
                problems.append(Problem(sp, f"{name}[{i}]: unknown placeholder {{{unknown[0]}}} (use a role or noun)",
                                        line=lines.get(f"{name}[{i}]", lines.get(name)), field=f"{name}[{i}]"))
                continue
            expanded = _PLACEHOLDER.sub(lambda m: groups[m.group(1)], p)
            try:
                compiled.append(re.compile(expanded))
            except re.error as exc:
                problems.append(Problem(sp, f"{name}[{i}]: bad pattern {p!r}: {exc}",
                                        line=lines.get(f"{name}[{i}]", lines.get(name)), field=f"{name}[{i}]"))
        patterns[name] = tuple(compiled)
    ev = data.get("evidence") or {}
    if not isinstance(ev, dict):
        problems.append(Problem(sp, "evidence must map reading names to pattern lists", line=lines.get("evidence"),
                                field="evidence"))
        ev = {}
    for name, items in ev.items():
        if name not in EVIDENCE_READINGS:
            problems.append(Problem(sp, f"unknown evidence reading {name!r}; readings are {', '.join(EVIDENCE_READINGS)}",
                                    line=lines.get("evidence"), field=f"evidence.{name}"))
            continue
        if not isinstance(items, list) or not all(isinstance(p, str) and p.strip() for p in items):
            problems.append(Problem(sp, f"evidence.{name} must be a list of regular expressions", line=lines.get("evidence"),
                                    field=f"evidence.{name}"))
            continue
        compiled = []
        for i, p in enumerate(items):
            try:
                compiled.append(re.compile(_PLACEHOLDER.sub(lambda m: groups.get(m.group(1), m.group(0)), p)))
            except re.error as exc:
                problems.append(Problem(sp, f"evidence.{name}[{i}]: bad pattern {p!r}: {exc}",
                                        line=lines.get(f"evidence.{name}[{i}]", lines.get("evidence")),
                                        field=f"evidence.{name}[{i}]"))
        patterns[f"evidence.{name}"] = tuple(compiled)
    if problems:
        return None, problems
    return DiscourseLexicon(roles, patterns), []


def load_discourse(path: Path) -> DiscourseLexicon:
    """The lexicon, or a KnowledgeError naming the first problem (file, line, field)."""
    lex, problems = read_discourse(path)
    if lex is None:
        p = problems[0]
        raise KnowledgeError(f"discourse lexicon: {p.message}", path=p.path, line=p.line, field=p.field)
    return lex


def _field_lines(raw: str) -> dict[str, int]:
    """Line of each top-level key, of each list entry ("name[i]") and of each evidence entry ("evidence.name[i]")."""
    out: dict[str, int] = {}
    node: Any = yaml.compose(raw, Loader=yaml.SafeLoader)

    def entries(prefix: str, value: Any) -> None:
        if isinstance(value, yaml.SequenceNode):
            for i, item in enumerate(value.value):
                out[f"{prefix}[{i}]"] = item.start_mark.line + 1
        elif isinstance(value, yaml.MappingNode):
            for k, v in value.value:
                out[f"{prefix}.{k.value}"] = k.start_mark.line + 1
                entries(f"{prefix}.{k.value}", v)

    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            out[str(k.value)] = k.start_mark.line + 1
            entries(str(k.value), v)
    return out
