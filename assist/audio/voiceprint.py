"""The voice sighting (opt-in, off by default): "this voice has spoken for N different borrowers within the window".

A voiceprint is biometric, sensitive personal information under PIPL (第二十八条); README, "Voiceprint sighting",
says what an institution must settle before turning this on. What is kept: one speaker embedding per call's caller
channel (256 numbers, never audio), a keyed hash of the borrower it spoke for and of the call, and the time. Rows
older than the retention period are deleted on every write; a borrower's rows can be deleted on request. A sighting
is a reason to verify, never a decision about a customer."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from assist.ports import SpeakerEncoder, VoiceprintStore


@dataclass(frozen=True)
class VoiceSighting:
    borrowers: int               # other borrowers this voice has spoken for within the window
    calls: int                   # matching calls
    best: float                  # highest cosine similarity found
    flagged: bool                # borrowers + 1 >= min_borrowers
    threshold: float
    window_days: int

    def to_dict(self) -> dict[str, Any]:
        return {"other_borrowers": self.borrowers, "matching_calls": self.calls, "best_similarity": round(self.best, 3),
                "flagged": self.flagged, "threshold": self.threshold, "window_days": self.window_days,
                "note": "声纹相似仅供核实参考，不得据此认定身份或拒绝服务。"}


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def keyed(secret: bytes, kind: str, value: str) -> str:
    """The keyed hash kept instead of a borrower's or a call's id (HMAC-SHA256 under audio.voiceprint_secret)."""
    return hmac.new(secret, f"{kind}:{value.strip()}".encode(), hashlib.sha256).hexdigest()


class VoiceIndex:
    """The kept voiceprints read back, for a case file: which calls (and borrowers) the caller's voice of one recorded
    call matches within the window. Needs no encoder: it compares embeddings already kept."""

    def __init__(self, store: VoiceprintStore, secret: str, *, window_days: int, threshold: float,
                 clock: Callable[[], dt.datetime] = _now) -> None:
        self.store = store
        self._key = secret.encode("utf-8")
        self.window_days = window_days
        self.threshold = threshold
        self.clock = clock

    def key(self, kind: str, value: str) -> str:
        return keyed(self._key, kind, value)

    def same_voice(self, call_hash: str) -> list[tuple[str, str, str, float]]:
        """(borrower hash, call hash, seen, similarity) of every kept call within the window whose caller voice is
        the one of ``call_hash`` (that call included); empty when no voiceprint of that call is kept."""
        rows = self.store.since("")
        mine = [r for r in rows if r[1] == call_hash]
        if not mine:
            return []
        v = np.asarray(mine[0][3], dtype=np.float32)
        since = (self.clock() - dt.timedelta(days=self.window_days)).isoformat()
        out = []
        for borrower, call, seen, vec in rows:
            sim = float(np.asarray(vec, dtype=np.float32) @ v)
            if call == call_hash or (seen >= since and sim >= self.threshold):
                out.append((borrower, call, seen, round(sim, 4)))
        return out


class VoiceWatch:
    """Voice sightings over a VoiceprintStore, with the keyed hash of borrower and call ids."""

    def __init__(self, encoder: SpeakerEncoder, store: VoiceprintStore, secret: str, *, window_days: int,
                 min_borrowers: int, threshold: float, retention_days: int,
                 clock: Callable[[], dt.datetime] = _now) -> None:
        self.encoder = encoder
        self.store = store
        self._key = secret.encode("utf-8")
        self.window_days = window_days
        self.min_borrowers = min_borrowers
        self.threshold = threshold
        self.retention_days = retention_days
        self.clock = clock

    def key(self, kind: str, value: str) -> str:
        return keyed(self._key, kind, value)

    def check(self, vector: list[float], borrower: str | None = None) -> VoiceSighting:
        """How many other borrowers a voice has spoken for within the window (nothing is stored)."""
        since = (self.clock() - dt.timedelta(days=self.window_days)).isoformat()
        own = self.key("borrower", borrower) if borrower else None
        rows = [r for r in self.store.since(since) if r[0] != own]
        if not rows:
            return VoiceSighting(0, 0, 0.0, False, self.threshold, self.window_days)
        M = np.array([r[3] for r in rows], dtype=np.float32)
        sims = M @ np.asarray(vector, dtype=np.float32)
        hit = sims >= self.threshold
        borrowers = len({rows[i][0] for i in np.flatnonzero(hit)})
        return VoiceSighting(borrowers, int(hit.sum()), float(sims.max()), borrowers + 1 >= self.min_borrowers,
                             self.threshold, self.window_days)

    def record(self, audio: Any, borrower: str, call_id: str) -> VoiceSighting | None:
        """Embed the caller's voice, report the sighting, then keep the embedding (None: too little speech)."""
        vector = self.encoder.embed(audio)
        if vector is None:
            return None
        sighting = self.check(vector, borrower)
        now = self.clock()
        self.store.delete_before((now - dt.timedelta(days=self.retention_days)).isoformat())
        self.store.add(self.key("borrower", borrower), self.key("call", call_id), now.isoformat(), vector)
        return sighting

    def forget(self, borrower: str) -> int:
        """Delete every embedding kept for a borrower (a deletion request, PIPL 第四十七条)."""
        return self.store.delete_borrower(self.key("borrower", borrower))

    def purge(self) -> int:
        return self.store.delete_before((self.clock() - dt.timedelta(days=self.retention_days)).isoformat())
