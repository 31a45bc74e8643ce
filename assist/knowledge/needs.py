"""The caller-needs lexicon (knowledge/needs.yaml): what a caller asks for or says about their own situation
(hardship, instalments, a fee question, a complaint, anger, a victim's story …), read from their words so that the
staff assistant offers the scripts written for that need. Read and validated once, for `assist check` and the staff
service; every pattern names its field and item when it is wrong."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from assist.core.text import normalize
from assist.errors import KnowledgeError
from assist.knowledge.types import Problem
from assist.knowledge.yaml_files import read_yaml

NEEDS_FILE = "needs.yaml"
NEED_ID = re.compile(r"^[a-z][a-z0-9_]{1,40}$")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Need:
    id: str
    label: str                                   # shown to staff in a suggestion's reason
    patterns: tuple[re.Pattern[str], ...]
    unless: tuple[re.Pattern[str], ...] = ()


@dataclass(frozen=True)
class NeedHit:
    need: str
    label: str
    quote: str                                   # the words that showed it (the caller's, already masked)


@dataclass(frozen=True)
class NeedLexicon:
    needs: tuple[Need, ...]                      # in order of precedence
    filler: tuple[re.Pattern[str], ...]

    @property
    def ids(self) -> frozenset[str]:
        return frozenset(n.id for n in self.needs)

    def detect(self, text: str) -> list[NeedHit]:
        """The needs a caller's turn shows, in the lexicon's order of precedence (at most one hit per need)."""
        t = _plain(text)
        out: list[NeedHit] = []
        for n in self.needs:
            if any(u.search(t) for u in n.unless):
                continue
            for p in n.patterns:
                m = p.search(t)
                if m:
                    out.append(NeedHit(n.id, n.label, m.group(0)[:30]))
                    break
        return out

    def is_filler(self, text: str) -> bool:
        """A turn that asks or claims nothing: empty, a greeting, thanks or an acknowledgement."""
        t = _plain(text)
        return not t or any(p.search(t) for p in self.filler)


EMPTY = NeedLexicon((), ())


def _plain(text: str) -> str:
    """Normalised (NFKC, traditional -> simplified) without the spaces speech recognisers put between words."""
    return _SPACES.sub("", normalize(text))


def read_needs(path: Path) -> tuple[NeedLexicon | None, list[Problem]]:
    """The lexicon, and a problem (with line and field) for everything wrong in the file."""
    sp = str(path)
    read = read_yaml(path, mapping="expected a mapping with 'needs' and 'filler'")
    if isinstance(read, Problem):
        return None, [read]
    raw, data = read
    lines = _id_lines(raw)
    problems: list[Problem] = []
    for name in set(data) - {"needs", "filler"}:
        problems.append(Problem(sp, f"unknown field {name!r}", field=str(name)))
    filler = _compile(data.get("filler") or [], "filler", sp, lines.get("filler"), problems)
    items = data.get("needs")
    needs: list[Need] = []
    if not isinstance(items, list) or not items:
        problems.append(Problem(sp, "needs must be a non-empty list of {id, label, patterns}", field="needs"))
        items = []
    seen: set[str] = set()
    for i, item in enumerate(items):
        where = f"needs[{i}]"
        if not isinstance(item, dict):
            problems.append(Problem(sp, f"{where} must be a mapping", field=where))
            continue
        nid = item.get("id")
        line = lines.get(str(nid))
        if not isinstance(nid, str) or not NEED_ID.match(nid):
            problems.append(Problem(sp, f"{where}.id must be lower case letters, digits or '_'", line=line, field=f"{where}.id"))
            continue
        if nid in seen:
            problems.append(Problem(sp, f"duplicate need id {nid!r}", line=line, field=f"{where}.id"))
            continue
        seen.add(nid)
        label = item.get("label")
        if not isinstance(label, str) or not label.strip():
            problems.append(Problem(sp, f"{where}.label must be text (shown to staff)", line=line, field=f"{where}.label"))
            continue
        for name in set(item) - {"id", "label", "patterns", "unless"}:
            problems.append(Problem(sp, f"{where}: unknown field {name!r}", line=line, field=f"{where}.{name}"))
        pats = _compile(item.get("patterns"), f"{where}.patterns", sp, line, problems, required=True)
        unless = _compile(item.get("unless") or [], f"{where}.unless", sp, line, problems)
        needs.append(Need(nid, label.strip(), pats, unless))
    if problems:
        return None, problems
    return NeedLexicon(tuple(needs), filler), []


def load_needs(path: Path) -> NeedLexicon:
    """The lexicon, or a KnowledgeError naming the first problem (file, line, field)."""
    lex, problems = read_needs(path)
    if lex is None:
        p = problems[0]
        raise KnowledgeError(f"needs lexicon: {p.message}", path=p.path, line=p.line, field=p.field)
    return lex


def _compile(items: object, field: str, path: str, line: int | None, problems: list[Problem], *,
             required: bool = False) -> tuple[re.Pattern[str], ...]:
    if not isinstance(items, list) or not all(isinstance(p, str) and p.strip() for p in items) or (required and not items):
        problems.append(Problem(path, f"{field} must be a list of regular expressions", line=line, field=field))
        return ()
    out = []
    for i, p in enumerate(items):
        try:
            out.append(re.compile(p))
        except re.error as exc:
            problems.append(Problem(path, f"{field}[{i}]: bad pattern {p!r}: {exc}", line=line, field=f"{field}[{i}]"))
    return tuple(out)


def _id_lines(raw: str) -> dict[str, int]:
    """Line of each need's ``id:`` (keyed by the id) and of the top-level fields."""
    out: dict[str, int] = {}
    for n, text in enumerate(raw.splitlines(), 1):
        m = re.match(r"^\s*-\s*id:\s*(\S+)", text)
        if m:
            out.setdefault(m.group(1).strip("'\""), n)
        m = re.match(r"^(\w+):", text)
        if m:
            out.setdefault(m.group(1), n)
    return out
