"""The voice sighting: embeddings only (never audio), keyed-hash ids, a window, retention and deletion."""

import datetime as dt
import sqlite3

import numpy as np

from assist.adapters.sqlite_voiceprints import SqliteVoiceprintStore
from assist.audio.voiceprint import VoiceWatch


class VoiceByLevel:
    """The SpeakerEncoder port: a 'voice' is the loudness of the audio (one direction per level); silence: None."""

    name = "fake-voice"

    def embed(self, audio):
        peak = float(np.max(np.abs(audio))) if len(audio) else 0.0
        if peak < 0.01:
            return None
        angle = peak * 3.0
        return [float(np.cos(angle)), float(np.sin(angle)), 0.0]


def _watch(tmp_path, now):
    return VoiceWatch(VoiceByLevel(), SqliteVoiceprintStore(tmp_path / "voice.sqlite"), "k" * 16, window_days=90,
                      min_borrowers=3, threshold=0.95, retention_days=180, clock=lambda: now[0])


def voice(level):
    return np.full(16000, level, dtype=np.float32)


def test_one_voice_for_three_borrowers_is_flagged_and_others_are_not(tmp_path):
    now = [dt.datetime(2026, 12, 1, tzinfo=dt.UTC)]
    w = _watch(tmp_path, now)
    assert w.record(voice(0.5), "B1", "c1").borrowers == 0
    assert w.record(voice(0.5), "B1", "c2").borrowers == 0          # the same borrower again does not count
    assert w.record(voice(0.5), "B2", "c3").borrowers == 1
    third = w.record(voice(0.5), "B3", "c4")
    assert third.borrowers == 2 and third.flagged
    other = w.record(voice(0.2), "B4", "c5")                        # another voice
    assert other.borrowers == 0 and not other.flagged and other.best < 0.95
    assert w.record(np.zeros(16000, np.float32), "B5", "c6") is None  # nothing to embed: nothing kept


def test_only_embeddings_and_keyed_hashes_are_stored(tmp_path):
    now = [dt.datetime(2026, 12, 1, tzinfo=dt.UTC)]
    _watch(tmp_path, now).record(voice(0.5), "身份证110101199003074514", "call-1")
    db = sqlite3.connect(tmp_path / "voice.sqlite")
    cols = [r[1] for r in db.execute("PRAGMA table_info(voiceprints)")]
    assert cols == ["id", "borrower_hash", "call_hash", "seen", "vector"]
    borrower, vec = db.execute("SELECT borrower_hash, vector FROM voiceprints").fetchone()
    assert "110101" not in borrower and len(borrower) == 64 and len(vec) == 3 * 4


def test_window_retention_and_deletion(tmp_path):
    now = [dt.datetime(2026, 1, 1, tzinfo=dt.UTC)]
    w = _watch(tmp_path, now)
    w.record(voice(0.5), "B1", "c1")
    w.record(voice(0.5), "B2", "c2")
    now[0] += dt.timedelta(days=100)                                # outside the 90-day window
    assert w.check(w.encoder.embed(voice(0.5)), "B3").borrowers == 0
    assert w.store.count() == 2
    now[0] += dt.timedelta(days=100)                                # past the 180-day retention
    w.record(voice(0.2), "B9", "c9")
    assert w.store.count() == 1                                     # old rows deleted on write
    assert w.forget("B9") == 1 and w.store.count() == 0
