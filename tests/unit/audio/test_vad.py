"""The energy VAD cuts a stream into turns in bounded pieces, whatever the block sizes."""

import numpy as np

from assist.audio.vad import TurnCutter, VadParams
from testkit.audio import hush, tone


def _cut(x, params=None, block=1234):
    c = TurnCutter(params or VadParams())
    out = []
    for i in range(0, len(x), block):
        out += c.feed(x[i:i + block])
    return out, c.flush()


def test_turns_start_and_end_where_the_sound_does():
    x = np.concatenate([hush(1), tone(2), hush(1), tone(3), hush(2)])
    turns, last = _cut(x)
    assert last is None
    bounds = [(t.start, t.end) for t in turns]                # 150 ms of padding around the sound
    assert len(bounds) == 2
    assert np.allclose(bounds, [(0.85, 3.15), (3.85, 7.15)], atol=0.06)
    assert not any(t.cut for t in turns)


def test_a_click_is_not_a_turn_and_a_short_pause_does_not_split_one():
    x = np.concatenate([hush(1), tone(0.1), hush(1), tone(1), hush(0.3), tone(1), hush(1)])
    turns, _ = _cut(x)
    assert len(turns) == 1 and 2.3 < turns[0].end - turns[0].start < 2.8


def test_a_long_turn_is_cut_and_the_stream_end_flushes_the_rest():
    x = np.concatenate([hush(0.5), tone(12)])
    turns, last = _cut(x, VadParams(max_turn_s=5))
    assert len(turns) == 2 and all(t.cut for t in turns)
    assert last is not None and last.cut and last.end - last.start > 1.5


def test_steady_background_noise_is_learnt_as_the_floor():
    noise = np.random.default_rng(1).normal(0, 0.01, 16000 * 8).astype(np.float32)      # about -40 dBFS
    x = noise.copy()
    x[16000 * 4:16000 * 6] += tone(2, amp=0.3)
    turns, _ = _cut(x)
    assert len(turns) == 1 and 3.5 < turns[0].start < 4.1


def test_silence_gives_nothing():
    turns, last = _cut(np.zeros(16000 * 5, dtype=np.float32))
    assert turns == [] and last is None
