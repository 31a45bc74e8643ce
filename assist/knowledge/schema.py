"""Front-matter parsing and validation for knowledge files, with file/line/field in every problem."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import yaml

from assist.knowledge.types import AUDIENCES, KINDS, SCRIPT_FAMILIES, Problem

ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,127}$")
SLOT_RE = re.compile(r"\{([^{}\s]{1,20})\}")
_FENCE = re.compile(r"^---[ \t]*$", re.MULTILINE)


@dataclass(frozen=True)
class FrontMatter:
    data: dict[str, Any]
    lines: dict[str, int]           # field -> 1-based line in the file
    body_start: int                 # character offset of the body
    end_line: int                   # line of the closing fence


def split_front_matter(text: str, path: str) -> tuple[FrontMatter | None, list[Problem]]:
    """Parse a leading ``---`` YAML block. Returns (None, []) when the file has no front matter."""
    stripped = text.lstrip("\ufeff")
    lead = len(text) - len(stripped)
    if not stripped.startswith("---"):
        return None, []
    first_nl = stripped.find("\n")
    if first_nl < 0 or stripped[:first_nl].strip() != "---":
        return None, [Problem(path, "front matter must start with a line containing only '---'", line=1)]
    close = _FENCE.search(stripped, first_nl + 1)
    if close is None:
        return None, [Problem(path, "front matter is not closed: add a line containing only '---' after it", line=1)]
    block = stripped[first_nl + 1:close.start()]
    body_start = lead + close.end() + (1 if stripped[close.end():close.end() + 1] == "\n" else 0)
    end_line = stripped[:close.start()].count("\n") + 1
    try:
        node = yaml.compose(block, Loader=yaml.SafeLoader)
        data = yaml.safe_load(block)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return None, [Problem(path, f"front matter is not valid YAML: {problem}", line=line)]
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return None, [Problem(path, "front matter must be a mapping of fields (key: value)", line=2)]
    lines: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, _ in node.value:
            lines[str(key_node.value)] = key_node.start_mark.line + 2  # +1 for 1-based, +1 for the fence line
    return FrontMatter(data={str(k): v for k, v in data.items()}, lines=lines, body_start=body_start,
                       end_line=end_line), []


def _str_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)


def validate_front_matter(fm: FrontMatter, path: str, body: str) -> list[Problem]:
    """Check every field against the knowledge format (knowledge/README.md)."""
    d, problems = fm.data, []

    def bad(field: str, message: str) -> None:
        problems.append(Problem(path, message, line=fm.lines.get(field, 2 if field not in d else None), field=field))

    for field in ("id", "title", "kind", "audience"):
        if field not in d or d[field] in (None, ""):
            problems.append(Problem(path, f"missing required field '{field}'", line=fm.end_line, field=field))
    if "id" in d and d["id"] not in (None, ""):
        if not isinstance(d["id"], str) or not ID_RE.match(d["id"]):
            bad("id", f"id {d['id']!r} must be lower case letters, digits, '.', '_' or '-' (2-128 characters)")
    if "title" in d and d["title"] not in (None, "") and not isinstance(d["title"], str):
        bad("title", "title must be text")
    kind = d.get("kind")
    if kind not in (None, "") and kind not in KINDS:
        bad("kind", f"unknown kind {kind!r}; expected one of: {', '.join(KINDS)}")
    audience = d.get("audience")
    if audience not in (None, "") and audience not in AUDIENCES:
        bad("audience", f"unknown audience {audience!r}; expected one of: {', '.join(AUDIENCES)}")
    if "tags" not in d:
        problems.append(Problem(path, "missing required field 'tags' (a list, may be empty)", line=fm.end_line, field="tags"))
    elif not isinstance(d["tags"], list) or not all(isinstance(t, (str, int)) and str(t).strip() for t in d["tags"]):
        bad("tags", "tags must be a list of non-empty strings, e.g. [征信, 异议]")
    if "updated" in d and not isinstance(d["updated"], (dt.date, str)):
        bad("updated", "updated must be a date like 2026-11-25")
    if "verify" in d and not isinstance(d["verify"], bool):
        bad("verify", "verify must be true or false")
    source = d.get("source")
    if kind == "regulation":
        if not isinstance(source, dict):
            bad("source", "a regulation needs source: {law, articles, effective} (the law's name, its article(s) and the date in force)")
        else:
            if not isinstance(source.get("law"), str) or not source.get("law"):
                bad("source", "source.law must name the law or rule")
            arts = source.get("articles")
            if not (isinstance(arts, str) and arts) and not _str_list(arts):
                bad("source", "source.articles must list the article(s) cited, e.g. [第二十三条]")
            if source.get("effective") in (None, ""):
                bad("source", "source.effective must give the date the cited version is in force")
    elif source is not None and not isinstance(source, (str, list, dict)):
        bad("source", "source must be text, a list of references or a mapping")
    if kind in ("script", "guide") and audience == "consumer":
        bad("audience", f"a {kind} is internal and cannot have audience 'consumer'")
    if kind == "script":
        for field in ("situation", "when_to_use"):
            if not isinstance(d.get(field), str) or not d.get(field, "").strip():
                problems.append(Problem(path, f"a script needs '{field}' (one line of text)",
                                        line=fm.lines.get(field, fm.end_line), field=field))
        for field in ("signals", "must_not_say", "rests_on"):
            if field in d and not (d[field] == [] or _str_list(d[field])):
                bad(field, f"{field} must be a list of strings")
        if "rests_on" not in d or not d.get("rests_on"):
            problems.append(Problem(path, "a script must rest on at least one regulation digest or guide (rests_on: [id, ...])",
                                    line=fm.lines.get("rests_on", fm.end_line), field="rests_on"))
        if "family" in d and d["family"] not in SCRIPT_FAMILIES:
            bad("family", f"unknown family {d['family']!r}; expected one of: {', '.join(SCRIPT_FAMILIES)}")
        if "needs" in d and not (d["needs"] == [] or _str_list(d["needs"])):
            bad("needs", "needs must be a list of need ids from needs.yaml")
        slots = d.get("slots", {}) or {}
        if not isinstance(slots, dict):
            bad("slots", "slots must be a mapping of slot name to default value")
            slots = {}
        reply = script_reply(body)
        if reply is None:
            problems.append(Problem(path, "a script body needs a '## 话术' section with the reply", line=fm.end_line + 1,
                                    field="body"))
        else:
            for name in SLOT_RE.findall(reply):
                if name not in slots:
                    bad("slots", f"the reply uses {{{name}}} but slots gives it no default")
    if not body.strip():
        problems.append(Problem(path, "the document has no text after the front matter", line=fm.end_line + 1, field="body"))
    return problems


_SECTION = re.compile(r"^##\s*话术\s*$", re.MULTILINE)


def script_reply(body: str) -> str | None:
    """The reply text of a script: the content of its ``## 话术`` section."""
    m = _SECTION.search(body)
    if not m:
        return None
    rest = body[m.end():]
    nxt = re.search(r"^#{1,6}\s", rest, re.MULTILINE)
    reply = (rest[:nxt.start()] if nxt else rest).strip()
    return reply or None
