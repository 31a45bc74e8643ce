"""Suggested replies replayed turn by turn: the script written for the call's signals in the top 3, every suggestion
through the compliance guard, every citation found in the document it names; and, per caller label, whether the
suggestions fit who the caller is (assist.evaluation.reply_metrics: genuine callers get a script for their own
situation first, intermediary and coached calls at medium or high a verification or intermediary script in the top
3, victims a protection script), with every failing turn listed."""

from __future__ import annotations

import dataclasses
import re

from assist.core.pii import mask_for_storage
from assist.core.text import clean_text, normalize
from assist.evaluation.context import EvalContext, Progress
from assist.evaluation.reply_metrics import TurnRecord, reply_metrics
from assist.evaluation.results import CaseOutcome, SuiteResult, mean
from assist.staff import guard


def suite_replies(ctx: EvalContext, progress: Progress) -> SuiteResult:
    scripts = {d.id: d for d in ctx.documents.values() if d.kind == "script"}
    by_signal: dict[str, set[str]] = {}
    for d in scripts.values():
        for sid in d.meta.get("signals") or []:
            by_signal.setdefault(str(sid), set()).add(d.id)
    convs = ctx.conversations
    outcomes: list[CaseOutcome] = []
    shown = passed_guard = cites = valid_cites = 0
    records: list[TurnRecord] = []
    needs = ctx.staff.needs
    for i, c in enumerate(convs):
        progress("replies", i, len(convs))
        expected = set().union(*(by_signal.get(s, set()) for s in c.signals)) if c.signals else set()
        sid = ctx.staff.start(dataclasses.asdict(c.meta))
        seen_top3: list[str] = []
        start = c.first_evidence_turn or 0
        for j, t in enumerate(c.turns):
            a = ctx.staff.on_turn(sid, {"speaker": t.speaker, "text": t.text})
            for s in a.suggestions:
                shown += 1
                passed_guard += guard.check(s.text).ok
                for ci in s.citations:
                    cites += 1
                    doc = ctx.documents.get(ci.doc_id)
                    valid_cites += bool(doc is not None and _snippet_in(ci.snippet, doc.body))
            if t.speaker == "caller" and j >= start:
                seen_top3.extend(s.script_id for s in a.suggestions[:3])
            if t.speaker == "caller" and t.text.strip():
                text = mask_for_storage(clean_text(t.text))
                records.append(TurnRecord(c.id, c.label, j, text, needs.is_filler(text), str(a.risk.get("level", "low")),
                                          j >= start, tuple(s.script_id for s in a.suggestions),
                                          tuple(s.family for s in a.suggestions), tuple(s.reason for s in a.suggestions),
                                          a.needs))
        if not expected:
            # its suggestions still count for the guard and citation rates above; the script hit cannot be scored
            outcomes.append(CaseOutcome("replies", c.id, "unscorable",
                                        "no script is written for this call's signals: " + (", ".join(c.signals)
                                                                                          or "none labelled"),
                                        {"label": c.label, "signals": list(c.signals)}))
            continue
        hit = sorted(expected & set(seen_top3))
        outcomes.append(CaseOutcome("replies", c.id, "pass" if hit else "fail",
                                    "" if hit else "none of the scripts written for this call's signals was among the top 3",
                                    {"label": c.label, "signals": list(c.signals), "expected_any_of": sorted(expected),
                                     "suggested": list(dict.fromkeys(seen_top3))[:6]}))
    metrics = {"expected_script_in_top3": mean(1.0 if o.outcome == "pass" else 0.0 for o in outcomes
                                               if o.outcome != "unscorable"),
               "guard_pass_rate": passed_guard / shown if shown else None,
               "citation_validity": valid_cites / cites if cites else None,
               "suggestions_shown": float(shown)}
    by_label, failures = reply_metrics(records)
    metrics.update(by_label)
    for f in failures:
        r = f.record
        outcomes.append(CaseOutcome("replies", f"{r.conv}#{r.turn}:{f.check}", "fail", f.reason,
                                    {"label": r.label, "check": f.check, "caller_text": r.text, "risk_level": r.level,
                                     "needs_heard": list(r.needs),
                                     "suggested": [f"{sid} [{fam}] {why}" for sid, fam, why
                                                   in zip(r.scripts, r.families, r.reasons)]}))
    plots = {"by_label": _by_label(records)}
    return SuiteResult("replies", metrics, outcomes, plots=plots,
                       dataset=f"{ctx.data / 'conversations'} ({len(convs)} calls, {ctx.risk_split})")


def _by_label(records: list[TurnRecord]) -> dict[str, dict[str, float | None]]:
    """The per-label table of the report: each label's own metrics."""
    out: dict[str, dict[str, float | None]] = {}
    for lab in sorted({r.label for r in records}):
        m, _ = reply_metrics([r for r in records if r.label == lab])
        out[lab] = {k: v for k, v in m.items() if not k.startswith("coverage.") and not k.endswith("scored_turns")}
    return out


def _letters(text: str) -> str:
    """Text without whitespace, punctuation and Markdown markers: snippets join lines and drop headings' '#'."""
    return re.sub(r"[\W_]+", "", normalize(text))


def _snippet_in(snippet: str, body: str) -> bool:
    s = _letters(snippet.rstrip("…"))
    return bool(s) and s[:40] in _letters(body)
