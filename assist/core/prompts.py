"""Prompt templates are files in prompts/ (package data), rendered strictly: a missing variable raises."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from pathlib import Path

from assist.errors import PromptError

_SECTION = re.compile(r"^###\s*(system|user)\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Prompt:
    name: str
    system: str
    user: str

    @property
    def variables(self) -> set[str]:
        fields = set()
        for part in (self.system, self.user):
            fields |= {f for _, f, _, _ in string.Formatter().parse(part) if f}
        return fields

    def render(self, **values: object) -> tuple[str, str]:
        """(system, user) with every variable filled; a missing or empty variable is an error, never a blank."""
        missing = sorted(v for v in self.variables if v not in values or values[v] in (None, ""))
        if missing:
            raise PromptError(f"prompt {self.name!r} needs {', '.join(missing)}", field="variables")
        return self.system.format(**values), self.user.format(**values)


def load_prompt(folder: Path, name: str) -> Prompt:
    path = folder / f"{name}.md"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PromptError(f"prompt file not found: {exc}", path=str(path)) from exc
    parts = _SECTION.split(text)
    sections = {parts[i]: parts[i + 1].strip() for i in range(1, len(parts) - 1, 2)}
    if "user" not in sections:
        raise PromptError("a prompt file needs a '### user' section (and optionally '### system')", path=str(path))
    return Prompt(name, sections.get("system", ""), sections["user"])
