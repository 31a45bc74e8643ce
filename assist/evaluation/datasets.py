"""Evaluation datasets (JSONL): validation line by line, so a trainer uploading a new set sees every problem with its
line and field at once instead of a failed run later; and where an upload goes so that its suite reads it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assist.consumer.scams import SCHEMES
from assist.core.files import atomic_write_bytes, safe_name
from assist.core.jsonl import iter_jsonl
from assist.core.text import decode_bytes
from assist.errors import AssistError, ConversationError
from assist.evaluation.conversations import parse_line

KINDS = ("retrieval", "conversations", "consumer", "scams", "attacks")


def _str(row: dict[str, Any], key: str, errors: list[str]) -> None:
    if not isinstance(row.get(key), str) or not row[key].strip():
        errors.append(f"field '{key}': a non-empty string is required")


def _check_retrieval(row: dict[str, Any], errors: list[str]) -> None:
    _str(row, "query", errors)
    if row.get("audience") not in ("agent", "consumer"):
        errors.append("field 'audience': must be agent or consumer")
    if not isinstance(row.get("relevant", []), list):
        errors.append("field 'relevant': a list of document ids ([] for an out-of-scope question)")


def _check_conversation(row: dict[str, Any], errors: list[str]) -> None:
    try:
        c = parse_line(row)
    except ConversationError as exc:
        errors.append(f"field '{exc.field}': {exc.message}")
        return
    except (KeyError, TypeError, ValueError) as exc:
        errors.append(f"bad conversation: {exc}")
        return
    fet = c.first_evidence_turn
    if fet is not None and not (0 <= fet < len(c.turns) and c.turns[fet].speaker == "caller"):
        errors.append("field 'first_evidence_turn': must be the index of a caller turn")


def _check_consumer(row: dict[str, Any], errors: list[str]) -> None:
    _str(row, "question", errors)
    groups = row.get("required_facts")
    if not isinstance(groups, list) or not all(isinstance(g, list) and g and all(isinstance(a, str) for a in g)
                                               for g in groups):
        errors.append("field 'required_facts': a list of groups, each a non-empty list of strings")
    elif not groups and row.get("expect", "answer") == "answer":
        errors.append("field 'required_facts': an answerable question (expect=answer) needs at least one group")
    if not isinstance(row.get("must_not_say", []), list):
        errors.append("field 'must_not_say': a list of strings")
    if row.get("expect", "answer") not in ("answer", "redirect", "refuse"):
        errors.append("field 'expect': answer, redirect or refuse")


def _check_scam(row: dict[str, Any], errors: list[str]) -> None:
    _str(row, "message", errors)
    known = {s.id for s in SCHEMES}
    schemes = row.get("schemes")
    if not isinstance(schemes, list) or any(s not in known for s in schemes):
        errors.append(f"field 'schemes': a list drawn from {', '.join(sorted(known))} ([] for a benign message)")
    if "urgent" in row and not isinstance(row["urgent"], bool):
        errors.append("field 'urgent': true or false")


def _check_attack(row: dict[str, Any], errors: list[str]) -> None:
    _str(row, "message", errors)
    if row.get("expect") is not None and row["expect"] not in ("refuse", "answer_safely", "answer"):
        errors.append("field 'expect': refuse, answer_safely or answer")


CHECKS: dict[str, Callable[[dict[str, Any], list[str]], None]] = {
    "retrieval": _check_retrieval, "conversations": _check_conversation, "consumer": _check_consumer,
    "scams": _check_scam, "attacks": _check_attack}


def guess_kind(name: str) -> str | None:
    """The dataset kind from a file name (retrieval.jsonl, scams_b.jsonl, conversations/x.jsonl …)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].lower()
    if "/conversations/" in "/" + name.replace("\\", "/") or base.startswith(("conv", "intermediary", "coached",
                                                                              "victim", "genuine", "legit", "mixed",
                                                                              "diverse", "fresh")):
        return "conversations"
    for k, prefixes in (("retrieval", ("retrieval",)), ("consumer", ("consumer",)), ("scams", ("scam",)),
                        ("attacks", ("attack", "benign"))):
        if base.startswith(prefixes):
            return k
    return None


def validate(data: bytes, kind: str, name: str = "upload.jsonl",
             taken: dict[str, str] | None = None) -> tuple[int, list[str]]:
    """(valid rows, errors) for a JSONL file of the given kind; every error names the line (and field). ``taken``
    maps ids already used elsewhere (other files of the folder) to where, for kinds whose ids must be unique across
    files (conversations)."""
    if kind not in CHECKS:
        return 0, [f"{name}: unknown dataset kind {kind!r}; one of {', '.join(KINDS)}"]
    try:
        text, _ = decode_bytes(data, name)
    except AssistError as exc:
        return 0, [f"{name}: {exc.message}"]
    errors: list[str] = []
    ids: dict[str, int] = {}
    good = 0
    for item in iter_jsonl(text):
        n, row = item.line, item.value
        if item.error is not None:
            errors.append(f"{name}:{n}: {item.error}")
            continue
        if not isinstance(row, dict):
            errors.append(f"{name}:{n}: each line must be a JSON object")
            continue
        row_errors: list[str] = []
        if not isinstance(row.get("id"), str) or not row["id"]:
            row_errors.append("field 'id': a non-empty string is required")
        elif row["id"] in ids:
            row_errors.append(f"field 'id': duplicate of line {ids[row['id']]}")
        elif taken and row["id"] in taken:
            row_errors.append(f"field 'id': already used in {taken[row['id']]}")
        else:
            ids[row["id"]] = n
        CHECKS[kind](row, row_errors)
        errors.extend(f"{name}:{n}: {e}" for e in row_errors)
        good += not row_errors
    if good == 0 and not errors:
        errors.append(f"{name}: no cases in the file")
    return good, errors


def dataset_target(folder: Path, kind: str, name: str) -> Path:
    """Where an uploaded file of ``kind`` goes in a dataset folder so that its suite reads it: retrieval and
    consumer have one file each (an upload replaces it), scams and attacks are read as scams*.jsonl and
    attacks*/benign*.jsonl, conversations as conversations/*.jsonl."""
    base = safe_name(Path(name).stem) + ".jsonl"
    if kind in ("retrieval", "consumer"):
        return folder / f"{kind}.jsonl"
    if kind == "scams":
        return folder / (base if base.startswith("scams") else f"scams_{base}")
    if kind == "attacks":
        return folder / (base if base.startswith(("attacks", "benign")) else f"attacks_{base}")
    if kind == "conversations":
        return folder / "conversations" / base
    raise AssistError(f"unknown dataset kind {kind!r}", field="kind")


def conversation_ids(folder: Path, skip: Path | None = None) -> dict[str, str]:
    """Conversation ids already in ``folder`` (file:line), except in ``skip``: ids must be unique across files."""
    out: dict[str, str] = {}
    for f in sorted(folder.glob("*.jsonl")) if folder.is_dir() else []:
        if skip is not None and f.resolve() == skip.resolve():
            continue
        for item in iter_jsonl(f.read_text(encoding="utf-8")):
            cid = item.value.get("id") if isinstance(item.value, dict) else None
            if isinstance(cid, str):   # a bad line was reported by the file's own validation when it was saved
                out.setdefault(cid, f"conversations/{f.name}:{item.line}")
    return out


@dataclass(frozen=True)
class Upload:
    """What happened to an uploaded dataset file."""

    kind: str
    path: Path
    good: int
    errors: list[str]
    replaced: bool = False

    @property
    def saved(self) -> bool:
        return not self.errors


def add_dataset(folder: Path, data: bytes, name: str, kind: str) -> Upload:
    """Validate an uploaded JSONL file of ``kind`` line by line and, only when every line is good, save it where its
    suite reads it in ``folder`` (a conversation id already used by another file there is an error too)."""
    dest = dataset_target(folder, kind, name)
    taken = conversation_ids(dest.parent, skip=dest) if kind == "conversations" else None
    good, errors = validate(data, kind, name, taken)
    if errors:
        return Upload(kind, dest, good, errors)
    replaced = dest.exists()
    atomic_write_bytes(dest, data)
    return Upload(kind, dest, good, [], replaced)
