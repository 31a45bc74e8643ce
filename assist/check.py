"""`assist check`: validate a knowledge folder — every file's schema plus the references between files."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from assist.errors import Problem
from assist.ingest import load_documents
from assist.models import Document

SIGNAL_CATEGORIES = ("intermediary", "coached", "victim")
SIGNAL_WEIGHTS = ("high", "medium", "low")
# Official numbers as the knowledge base writes them; any other 12xxx / 96xxx number is probably a typo.
HOTLINES = {"110", "12378", "12363", "96110", "12381", "12321", "12377", "12315", "12345"}
CHANNEL_WORDS = ("金融消费者保护服务平台", "国家反诈中心", "credit.acla.org.cn", "征信中心") + tuple(sorted(HOTLINES))
_HOTLINE_LIKE = re.compile(r"(?<![\d\-])(12\d{3}|96\d{3})(?![\d\-])")


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def load_signals(path: Path) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Parse and validate signals.yaml."""
    sp = str(path)
    try:
        raw = path.read_text(encoding="utf-8")
        node = yaml.compose(raw, Loader=yaml.SafeLoader)
        data = yaml.safe_load(raw)
    except (OSError, UnicodeDecodeError) as exc:
        return [], [Problem(sp, f"cannot read: {exc}")]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return [], [Problem(sp, f"not valid YAML: {getattr(exc, 'problem', exc)}", line=mark.line + 1 if mark else None)]
    if not isinstance(data, dict) or not isinstance(data.get("signals"), list):
        return [], [Problem(sp, "expected a top-level 'signals:' list", line=1)]
    lines: list[int] = []
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if k.value == "signals" and isinstance(v, yaml.SequenceNode):
                lines = [item.start_mark.line + 1 for item in v.value]
    problems: list[Problem] = []
    seen: set[str] = set()
    for i, sig in enumerate(data["signals"]):
        line = lines[i] if i < len(lines) else None
        if not isinstance(sig, dict):
            problems.append(Problem(sp, "each signal must be a mapping", line=line))
            continue
        sid = sig.get("id")
        if not isinstance(sid, str) or not re.fullmatch(r"S\d{1,3}", sid):
            problems.append(Problem(sp, f"signal id {sid!r} must look like S1, S12", line=line, field="id"))
        elif sid in seen:
            problems.append(Problem(sp, f"duplicate signal id {sid}", line=line, field="id"))
        else:
            seen.add(sid)
        for fld in ("name", "description"):
            if not isinstance(sig.get(fld), str) or not sig[fld].strip():
                problems.append(Problem(sp, f"signal {sid}: missing {fld}", line=line, field=fld))
        if sig.get("category") not in SIGNAL_CATEGORIES:
            problems.append(Problem(sp, f"signal {sid}: category must be one of {', '.join(SIGNAL_CATEGORIES)}",
                                    line=line, field="category"))
        if sig.get("weight") not in SIGNAL_WEIGHTS:
            problems.append(Problem(sp, f"signal {sid}: weight must be one of {', '.join(SIGNAL_WEIGHTS)}",
                                    line=line, field="weight"))
        if sig.get("alone_at_most", "high") not in ("medium", "high"):
            problems.append(Problem(sp, f"signal {sid}: alone_at_most must be medium or high", line=line,
                                    field="alone_at_most"))
        for fld, minimum in (("examples", 8), ("lookalikes", 3)):
            vals = sig.get(fld)
            if not isinstance(vals, list) or not all(isinstance(v, str) and v.strip() for v in vals):
                problems.append(Problem(sp, f"signal {sid}: {fld} must be a list of utterances", line=line, field=fld))
            elif len(vals) < minimum:
                problems.append(Problem(sp, f"signal {sid}: {fld} has {len(vals)}, at least {minimum} needed",
                                        line=line, field=fld))
    return data["signals"], problems


def check_references(docs: list[Document], signal_ids: set[str] | None) -> list[Problem]:
    """Cross-file rules: scripts' rests_on and signals resolve, channels named, hotline numbers known."""
    problems: list[Problem] = []
    by_id = {d.id: d for d in docs}
    for d in docs:
        if d.kind == "script":
            for ref in d.meta.get("rests_on") or []:
                target = by_id.get(ref)
                if target is None:
                    problems.append(Problem(d.path, f"rests_on names {ref!r}, which is not a document here", field="rests_on"))
                elif target.kind not in ("regulation", "guide"):
                    problems.append(Problem(d.path, f"rests_on names {ref!r}, a {target.kind}; it must be a regulation or guide",
                                            field="rests_on"))
            if signal_ids is not None:
                for sid in d.meta.get("signals") or []:
                    if sid not in signal_ids:
                        problems.append(Problem(d.path, f"signals names {sid!r}, which is not in signals.yaml", field="signals"))
        if d.kind == "education" and not any(w in d.body for w in CHANNEL_WORDS):
            problems.append(Problem(d.path, "an education article must name at least one official channel "
                                            "(e.g. 12378, 12363, 110, 96110, 国家反诈中心APP)", field="body"))
        for m in _HOTLINE_LIKE.finditer(d.text):
            if m.group(1) not in HOTLINES:
                problems.append(Problem(d.path, f"{m.group(1)} looks like a hotline number but is not one of the official "
                                                f"numbers ({', '.join(sorted(HOTLINES))}); check it",
                                        line=_line_of(d.text, m.start()), field="body"))
    return problems


def check_knowledge(folder: Path, max_bytes: int = 20 * 1024 * 1024) -> tuple[list[Document], list[Problem]]:
    """Everything `assist check` reports for one folder."""
    docs, problems, _ = load_documents([folder], max_bytes)
    signal_ids: set[str] | None = None
    sig_path = folder / "signals.yaml"
    if sig_path.is_file():
        signals, sig_problems = load_signals(sig_path)
        problems.extend(sig_problems)
        signal_ids = {s["id"] for s in signals if isinstance(s, dict) and isinstance(s.get("id"), str)}
    problems.extend(check_references(docs, signal_ids))
    return docs, problems
