"""A recorded call reviewed: its turns replayed through the staff assistance (risk hint, suggested scripts, actions),
every piece of evidence linked to its time in the audio; the voice sighting when it is on and a borrower is named.
A folder gives a batch: one report per call, a summary, the files that could not be read."""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assist.audio.recordings import CallTranscriber, ProgressFn
from assist.audio.types import CallTranscript, CallTurn
from assist.audio.voiceprint import VoiceSighting, VoiceWatch
from assist.core.files import atomic_write_text, safe_name
from assist.errors import AssistError, AudioError
from assist.staff.assist import StaffAssist

AUDIO_SUFFIXES = (".wav", ".mp3", ".m4a", ".aac", ".amr", ".flac", ".ogg", ".opus")


def with_times(risk: dict[str, Any], turns: list[CallTurn]) -> dict[str, Any]:
    """The risk dict with each piece of evidence given its audio time (audio_start / audio_end, seconds)."""
    evidence = []
    for e in risk.get("evidence", []):
        i = e["turn_index"]
        if 0 <= i < len(turns):
            t0, t1 = turns[i].time_of(e["start"], e["end"])
            e = e | {"audio_start": round(t0, 2), "audio_end": round(t1, 2)}
        evidence.append(e)
    return risk | {"evidence": evidence}


@dataclass
class CallReview:
    name: str
    transcript: CallTranscript
    risk: dict[str, Any]                       # the hint at the end of the call, evidence with audio times
    steps: list[dict[str, Any]]                # after each caller turn: the turn and what staff would have seen
    voice: VoiceSighting | None = None
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, **self.transcript.to_dict(), "risk": self.risk, "steps": self.steps,
                "voice_sighting": self.voice.to_dict() if self.voice else None, "notes": self.notes}


class CallReviewer:
    """Recordings through the transcriber and the staff assistance."""

    def __init__(self, transcriber: CallTranscriber, staff: StaffAssist, voice: VoiceWatch | None = None) -> None:
        self.transcriber = transcriber
        self.staff = staff
        self.voice = voice

    def review(self, path: Path, *, meta: dict[str, Any] | None = None, borrower: str | None = None,
               name: str | None = None, progress: ProgressFn | None = None) -> CallReview:
        want_voice = self.voice is not None and bool(borrower)
        transcript, sample = self.transcriber.transcribe(path, progress, keep_voice=want_voice)
        sid = self.staff.start(meta or {})
        steps: list[dict[str, Any]] = []
        risk: dict[str, Any] = self.staff.session(sid).risk.current().to_dict()
        for turn in transcript.turns:
            a = self.staff.on_turn(sid, {"speaker": turn.speaker, "text": turn.text, "time": turn.start}).to_dict()
            risk = a["risk"]
            if turn.speaker == "caller":
                steps.append({"turn": turn.to_dict(), "risk": with_times(risk, transcript.turns),
                              "suggestions": a["suggestions"], "actions": a["actions"], "probes": a["probes"],
                              "message": a["message"]})
        notes = []
        sighting = None
        if want_voice and self.voice is not None and borrower:
            if sample is None:
                notes.append("声纹：只有双声道录音能取来电人声道（voiceprint needs the caller's own channel: stereo)")
            else:
                sighting = self.voice.record(sample, borrower, f"{name or path.name}:{secrets.token_hex(4)}")
                if sighting is None:
                    notes.append("声纹：来电人语音不足 1 秒，未记录（too little caller speech for a voiceprint）")
        return CallReview(name or path.name, transcript, with_times(risk, transcript.turns), steps, sighting, notes)


@dataclass
class BatchReport:
    items: list[tuple[Path, CallReview, str]]          # file, review, its page relative to the report
    errors: list[dict[str, str]]
    html_path: Path
    json_path: Path

    def to_dict(self) -> dict[str, Any]:
        return {"calls": [_summary(p, r, page) for p, r, page in self.items], "errors": self.errors,
                "report": str(self.html_path), "results": str(self.json_path)}


def _summary(path: Path, r: CallReview, page: str) -> dict[str, Any]:
    return {"file": str(path), "name": r.name, "level": r.risk["level"], "category": r.risk["category"],
            "evidence": len(r.risk["evidence"]), "turns": len(r.transcript.turns),
            "duration": round(r.transcript.decoded_seconds, 1), "warnings": r.transcript.warnings,
            "partial": r.transcript.partial, "report": page}


def audio_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in AUDIO_SUFFIXES)


def review_folder(reviewer: CallReviewer, folder: Path, out: Path, *, meta: dict[str, Any] | None = None,
                  on_file: Callable[[Path, float, float | None], None] | None = None,
                  after_file: Callable[[Path], None] | None = None) -> BatchReport:
    """Every recording under ``folder``: a report per call in out/calls/, out/report.html and out/results.json.
    A file that cannot be read is listed with its error; the others are reviewed."""
    from assist.audio.report import batch_html, call_html

    files = audio_files(folder)
    if not files:
        raise AudioError(f"no recordings ({', '.join(AUDIO_SUFFIXES)}) in this folder", path=str(folder))
    (out / "calls").mkdir(parents=True, exist_ok=True)
    items: list[tuple[Path, CallReview, str]] = []
    errors: list[dict[str, str]] = []
    for f in files:
        try:
            progress = (lambda done, total, f=f: on_file(f, done, total)) if on_file else None
            r = reviewer.review(f, meta=meta, name=f.name, progress=progress)
        except AssistError as exc:
            errors.append({"file": str(f), "error": exc.describe()})
        else:
            rel = f"calls/{len(items) + 1:04d}_{safe_name(f.stem)}.html"
            atomic_write_text(out / rel, call_html(r.to_dict(), f, (out / rel).parent))
            items.append((f, r, rel))
        if after_file:
            after_file(f)
    report = BatchReport(items, errors, out / "report.html", out / "results.json")
    atomic_write_text(report.json_path, json.dumps(report.to_dict() | {"details": [r.to_dict() for _, r, _ in items]},
                                                   ensure_ascii=False, indent=1))
    atomic_write_text(report.html_path, batch_html(report.to_dict()))
    return report
