"""One root error with a few subclasses; edges translate them into exit codes, HTTP codes or UI messages."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class AssistError(Exception):
    """Root of every error this package raises on purpose.

    ``message`` is meant for the person using the tool; ``where`` names the file, line and field at fault.
    """

    exit_code = 1

    def __init__(self, message: str, *, path: str | Path | None = None, line: int | None = None,
                 field: str | None = None) -> None:
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.field = field
        super().__init__(self.describe())

    @property
    def where(self) -> str:
        parts = []
        if self.path:
            parts.append(self.path + (f":{self.line}" if self.line else ""))
        if self.field:
            parts.append(f"field '{self.field}'")
        return ", ".join(parts)

    def describe(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class ConfigError(AssistError):
    """Settings are missing or inconsistent."""

    exit_code = 2


class KnowledgeError(AssistError):
    """A knowledge file cannot be read, decoded, parsed or validated."""

    exit_code = 3


class IndexNotReadyError(AssistError):
    """Search was asked for before anything was ingested."""

    exit_code = 4


class DependencyError(AssistError):
    """An optional component (model directory, Chroma server) is unavailable."""

    exit_code = 5


@dataclass(frozen=True)
class Problem:
    """One problem found in a knowledge file: what is wrong and where."""

    path: str
    message: str
    line: int | None = None
    field: str | None = None
    severity: str = "error"  # error | warning

    def describe(self) -> str:
        where = self.path + (f":{self.line}" if self.line else "")
        fld = f" [{self.field}]" if self.field else ""
        return f"{where}{fld}: {self.severity}: {self.message}"
