"""Every error this package raises on purpose, and the one table of exit codes.

A message is meant for the person using the tool; ``path``, ``line`` and ``field`` say where the fault is. The edges
(CLI, HTTP, UI) translate errors into exit codes, status codes or messages; nothing else does."""

from __future__ import annotations

from pathlib import Path

# The CLI's exit codes (README, "Exit codes"). 1 is also "done, but some inputs failed" (files, lines).
EXIT_CODES: dict[str, int] = {
    "ok": 0,
    "partial": 1,             # some files or lines had errors; the good ones were still processed
    "config": 2,              # settings are missing or inconsistent
    "knowledge": 3,           # a knowledge or dataset file cannot be read or validated
    "index_not_ready": 4,     # nothing indexed yet
    "dependency": 5,          # a model directory or a Chroma server is unavailable
    "conversation": 6,        # a conversation cannot be assessed as given
    "watchlist": 7,           # a watchlist identifier or exchange file is bad
    "session": 8,             # a call session is unknown or expired
    "prompt": 9,              # a prompt file is missing or cannot be rendered
    "gate": 10,               # `assist eval --gate`: a metric is past its floor or ceiling
    "auth": 11,               # an account, key or role is unknown or not allowed
    "case": 12,               # a case is unknown, or what was asked of it cannot be done as given
    "denied": 13,             # the role may not do this (an unmasked case export without an authorised role)
    "tampered": 14,           # `assist case verify`: a package does not match its manifest or the case log
    "interrupted": 130,
}


class AssistError(Exception):
    """Root of every error this package raises on purpose."""

    exit_code = EXIT_CODES["partial"]

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
    """Settings are missing or inconsistent, or a configured file does not fit them."""

    exit_code = EXIT_CODES["config"]


class KnowledgeError(AssistError):
    """A knowledge or dataset file cannot be read, decoded, parsed or validated."""

    exit_code = EXIT_CODES["knowledge"]


class IndexNotReadyError(AssistError):
    """Search was asked for before anything was ingested."""

    exit_code = EXIT_CODES["index_not_ready"]


class DependencyError(AssistError):
    """An optional component (model directory, Chroma server) is unavailable."""

    exit_code = EXIT_CODES["dependency"]


class ConversationError(AssistError):
    """A conversation cannot be assessed as given (unknown speaker, wrong types)."""

    exit_code = EXIT_CODES["conversation"]


class WatchlistError(AssistError):
    """A watchlist identifier or exchange file is not usable."""

    exit_code = EXIT_CODES["watchlist"]


class SessionNotFound(AssistError):
    """A call session id is unknown or has expired."""

    exit_code = EXIT_CODES["session"]


class PromptError(AssistError):
    """A prompt file is missing, malformed, or rendered without one of its variables."""

    exit_code = EXIT_CODES["prompt"]


class DocumentError(AssistError):
    """A submitted document cannot be read: unsupported type, empty, corrupt, or no text found."""

    exit_code = EXIT_CODES["partial"]


class BudgetExceeded(AssistError):
    """An input is over one of the configured budgets (size, length, pixels, pages, time, turns). ``limit`` names the
    setting, so the message can tell the client which limit it hit and the operator which one to raise. Checked
    before the work, never after."""

    exit_code = EXIT_CODES["partial"]

    def __init__(self, message: str, *, limit: str, path: str | Path | None = None, line: int | None = None,
                 field: str | None = None) -> None:
        self.limit = limit
        super().__init__(message, path=path, line=line, field=field)


class DocumentOverBudget(BudgetExceeded, DocumentError):
    """A submitted document is over a reading budget (compressed or unpacked size, entries, pixels, pages, OCR)."""


class SessionFull(BudgetExceeded):
    """A session has taken all the turns it may (start a new one)."""

    exit_code = EXIT_CODES["session"]


class TurnConflict(AssistError):
    """A resent turn's id names an earlier turn with different words, or one that later turns already followed."""

    exit_code = EXIT_CODES["session"]


class CapacityExceeded(BudgetExceeded):
    """The server holds all the live sessions it may; a new one can start when some have ended or expired."""


class StoreUnavailable(DependencyError):
    """A database or the vector store cannot be reached or written just now (down, locked, read-only)."""



class AuthError(AssistError):
    """Sign-in failed (unknown account, wrong password or key, revoked key): 401 at the HTTP edge."""

    exit_code = EXIT_CODES["auth"]


class Forbidden(AuthError):
    """Signed in, but none of the caller's roles (or key scopes) may do this: 403 at the HTTP edge."""


class AccountError(AssistError):
    """An account or key cannot be created or changed as asked (weak password, unknown role or scope, duplicate)."""

    exit_code = EXIT_CODES["auth"]


class AudioError(AssistError):
    """A recording or an audio stream cannot be used: not audio, empty, corrupt, or an unsupported rate or codec."""

    exit_code = EXIT_CODES["partial"]


class CaseError(AssistError):
    """A case is unknown, or an item cannot be added to it or exported as given."""

    exit_code = EXIT_CODES["case"]


class PermissionDenied(AssistError):
    """The acting role may not do this (only assist.cases.types.UNMASKED_ROLES export unmasked copies)."""

    exit_code = EXIT_CODES["denied"]
