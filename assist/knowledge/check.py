"""`assist check`: validate a knowledge folder — every file's schema, the signal taxonomy, and the references
between files."""

from __future__ import annotations

import re
from pathlib import Path

from assist.core.channels import HOTLINES, OFFICIAL_CHANNELS
from assist.knowledge.discourse import read_discourse
from assist.knowledge.lexicon import LEXICON_FILE, read_lexicon
from assist.knowledge.loaders import KnowledgeLoader
from assist.knowledge.needs import NEEDS_FILE, read_needs
from assist.knowledge.signals import read_signals
from assist.knowledge.types import Document, Problem

# What an education article must name at least one of: an official channel, or the credit-report centre.
CHANNEL_WORDS = tuple(c.key for c in OFFICIAL_CHANNELS) + ("credit.acla.org.cn", "征信中心")
_HOTLINE_LIKE = re.compile(r"(?<![\d\-])(12\d{3}|96\d{3})(?![\d\-])")


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def check_references(docs: list[Document], signal_ids: set[str] | None,
                     need_ids: frozenset[str] | None = None) -> list[Problem]:
    """Cross-file rules: scripts' rests_on, signals and needs resolve, channels named, hotline numbers known."""
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
            if need_ids is not None:
                for nid in d.meta.get("needs") or []:
                    if nid not in need_ids:
                        problems.append(Problem(d.path, f"needs names {nid!r}, which is not in {NEEDS_FILE}", field="needs"))
        if d.kind == "education" and not any(w in d.body for w in CHANNEL_WORDS):
            problems.append(Problem(d.path, "an education article must name at least one official channel "
                                            "(e.g. 12378, 12363, 110, 96110, 国家反诈中心APP)", field="body"))
        for m in _HOTLINE_LIKE.finditer(d.text):
            if m.group(1) not in HOTLINES:
                problems.append(Problem(d.path, f"{m.group(1)} looks like a hotline number but is not one of the official "
                                                f"numbers ({', '.join(sorted(HOTLINES))}); check it",
                                        line=_line_of(d.text, m.start()), field="body"))
    return problems


def check_knowledge(folder: Path, loader: KnowledgeLoader) -> tuple[list[Document], list[Problem]]:
    """Everything `assist check` reports for one folder: a file without front matter is a warning that lists the
    fields inferred for it; a lexicon.yaml is validated too."""
    inferred: dict[str, dict[str, str]] = {}
    docs, problems, _ = loader.load([folder], None, inferred)
    for path, how in inferred.items():
        fields = "; ".join(f"{k}: {v}" for k, v in how.items())
        problems.append(Problem(path, f"no front matter; inferred {fields}", severity="warning"))
    lex_path = folder / LEXICON_FILE
    if lex_path.is_file():
        problems.extend(read_lexicon(lex_path)[1])
    signal_ids: set[str] | None = None
    sig_path = folder / "signals.yaml"
    if sig_path.is_file():
        signals, sig_problems = read_signals(sig_path)
        problems.extend(sig_problems)
        signal_ids = {s.id for s in signals}
    if (folder / "discourse.yaml").is_file():
        problems.extend(read_discourse(folder / "discourse.yaml")[1])
    need_ids: frozenset[str] | None = None
    if (folder / NEEDS_FILE).is_file():
        lex, need_problems = read_needs(folder / NEEDS_FILE)
        problems.extend(need_problems)
        need_ids = lex.ids if lex is not None else None
    problems.extend(check_references(docs, signal_ids, need_ids))
    return docs, problems
