"""The domain lexicon: everyday phrasing -> statutory terms (knowledge/lexicon.yaml), used to expand a question
before it is matched against statute text, plus short names of laws (个保法 -> 个人信息保护法)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import yaml

from assist.core.text import normalize
from assist.errors import KnowledgeError
from assist.knowledge.types import Problem
from assist.knowledge.yaml_files import read_yaml

LEXICON_FILE = "lexicon.yaml"


GAP = 2      # a phrase of three characters or more still matches with up to this many characters inserted between
             # two of its characters (爆通讯录 ~ 爆我通讯录, 打电话催 ~ 打了好几个电话催)


def _pattern(phrase: str) -> str:
    if len(phrase) < 3:
        return re.escape(phrase)
    return f".{{0,{GAP}}}".join(re.escape(ch) for ch in phrase)


@dataclass(frozen=True)
class Entry:
    say: tuple[str, ...]            # normalised everyday phrasings
    law: tuple[str, ...]            # statutory terms they stand for

    @cached_property
    def regex(self) -> re.Pattern[str]:
        return re.compile("|".join(f"(?:{_pattern(s)})" for s in sorted(self.say, key=len, reverse=True)))


@dataclass(frozen=True)
class Expansion:
    """What the lexicon made of a question: the phrases it recognised and the statutory terms they bring."""

    matched: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()
    laws: tuple[str, ...] = ()      # law names the question names (aliases resolved)
    fixed: str = ""                 # the question's matching form with misspellings fixed
    content: str = ""               # ``fixed`` without filler words (who is asking, how): for lexical matching

    def text(self) -> str:
        return " ".join(self.terms)


@dataclass
class Lexicon:
    entries: list[Entry] = field(default_factory=list)
    aliases: dict[str, str] = field(default_factory=dict)   # normalised short name -> law name
    fixes: dict[str, str] = field(default_factory=dict)     # normalised misspelling -> right form
    filler: tuple[str, ...] = ()

    def fix(self, query: str) -> str:
        """The matching form of ``query`` with known misspellings and speech-recognition slips fixed."""
        q = normalize(query)
        for wrong in sorted(self.fixes, key=len, reverse=True):
            if wrong in q:
                q = q.replace(wrong, self.fixes[wrong])
        return q

    def expand(self, query: str) -> Expansion:
        """Statutory terms for the everyday phrases found in ``query`` (each term once, in entry order)."""
        q = self.fix(query)
        matched: list[str] = []
        terms: dict[str, None] = {}
        for e in self.entries:
            hit = [m.group(0) for m in e.regex.finditer(q)]
            if hit:
                matched.extend(hit)
                for t in e.law:
                    if t not in q:
                        terms.setdefault(t, None)
        laws = tuple(dict.fromkeys(law for short, law in self.aliases.items() if short in q))
        content = q
        for w in sorted(self.filler, key=len, reverse=True):
            content = content.replace(w, " ")
        return Expansion(tuple(dict.fromkeys(matched)), tuple(terms), laws, q, " ".join(content.split()))

    def merged(self, other: "Lexicon") -> "Lexicon":
        return Lexicon(self.entries + other.entries, {**self.aliases, **other.aliases}, {**self.fixes, **other.fixes},
                       tuple(dict.fromkeys((*self.filler, *other.filler))))

    def __len__(self) -> int:
        return len(self.entries)


def _phrases(value: object) -> list[str] | None:
    if not isinstance(value, list) or not value:
        return None
    out = [normalize(str(v)) for v in value if isinstance(v, (str, int)) and str(v).strip()]
    return out if len(out) == len(value) else None


def read_lexicon(path: Path) -> tuple[Lexicon, list[Problem]]:
    """Read one lexicon file; every bad entry is a problem naming the file, line and field (good entries load)."""
    spath = str(path)
    read = read_yaml(path, "cannot read the lexicon", empty={})
    if isinstance(read, Problem):
        return Lexicon(), [read]
    text, data = read
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    if not isinstance(data, dict) or not isinstance(data.get("entries", []), list):
        return Lexicon(), [Problem(spath, "a lexicon is a mapping with 'entries' (a list of {say, law}) and optional "
                                          "'aliases' (short name: law name)", line=1)]
    lines: list[int] = []
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if k.value == "entries" and isinstance(v, yaml.SequenceNode):
                lines = [item.start_mark.line + 1 for item in v.value]
    problems: list[Problem] = []
    lex = Lexicon()
    for i, item in enumerate(data.get("entries") or []):
        line = lines[i] if i < len(lines) else None
        if not isinstance(item, dict):
            problems.append(Problem(spath, "an entry must be a mapping {say: [...], law: [...]}", line=line))
            continue
        say, law = _phrases(item.get("say")), _phrases(item.get("law"))
        if say is None:
            problems.append(Problem(spath, "'say' must be a non-empty list of everyday phrases", line=line, field="say"))
        if law is None:
            problems.append(Problem(spath, "'law' must be a non-empty list of statutory terms", line=line, field="law"))
        if say is not None and law is not None:
            lex.entries.append(Entry(tuple(say), tuple(law)))
    for name in ("aliases", "fix"):
        table = data.get(name) or {}
        if not isinstance(table, dict):
            problems.append(Problem(spath, f"'{name}' must map one phrase to another", field=name))
            continue
        clean = {normalize(str(k)): (normalize(str(v)) if name == "fix" else str(v))
                 for k, v in table.items() if str(k).strip() and str(v).strip()}
        if name == "aliases":
            lex.aliases = clean
        else:
            lex.fixes = clean
    filler = data.get("filler") or []
    if not isinstance(filler, list):
        problems.append(Problem(spath, "'filler' must be a list of words", field="filler"))
    else:
        lex.filler = tuple(normalize(str(w)) for w in filler if str(w).strip())
    return lex, problems


def load_lexicon(paths: Iterable[Path]) -> Lexicon:
    """The lexicons at ``paths`` merged (missing files are skipped); a bad file is an error naming it."""
    lex = Lexicon()
    for p in paths:
        if not p.is_file():
            continue
        one, problems = read_lexicon(p)
        if problems:
            first = problems[0]
            raise KnowledgeError(first.message, path=first.path, line=first.line, field=first.field)
        lex = lex.merged(one)
    return lex
