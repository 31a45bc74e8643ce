"""Recordings through the real PyAV decoder and a scripted recogniser: formats, channels, and every kind of bad file
named clearly, with nothing lost."""

import numpy as np
import pytest

from assist.adapters.pyav_audio import PyAvDecoder
from assist.audio.recordings import CallAudioParams, CallTranscriber, cluster_speakers
from assist.errors import AudioError
from testkit.audio import ScriptedSpeech, encode, hush, tone, write_wav


def _transcriber(lines=("您好，请问有什么可以帮您", "我是她委托的法务"), **kw):
    return CallTranscriber(PyAvDecoder(), ScriptedSpeech(lines), CallAudioParams(**kw))


def _call(rate=8000):
    """Agent speaks 0.5–2.5 s on the left, caller 3.5–6.5 s on the right."""
    left = np.concatenate([hush(0.5, rate=rate), tone(2, rate=rate), hush(5, rate=rate)])
    right = np.concatenate([hush(3.5, rate=rate, seed=1), tone(3, 330, rate=rate), hush(1.5, rate=rate, seed=1)])
    return left, right


def test_stereo_channels_map_to_agent_and_caller_with_times(tmp_path):
    path = write_wav(tmp_path / "call.wav", _call(), rate=8000)
    t, _ = _transcriber().transcribe(path)
    assert [(x.speaker, x.channel) for x in t.turns] == [("agent", 0), ("caller", 1)]
    assert abs(t.turns[0].start - 0.35) < 0.1 and abs(t.turns[1].start - 3.35) < 0.1
    assert t.turns[1].text == "我是她委托的法务。" and t.warnings == [] and not t.partial
    swapped, _ = _transcriber(channel_speakers=("caller", "agent")).transcribe(path)
    assert [x.speaker for x in swapped.turns] == ["caller", "agent"]


def test_a_silent_channel_is_named_and_the_other_still_transcribed(tmp_path):
    left, right = _call()
    path = write_wav(tmp_path / "one-sided.wav", [left, np.zeros_like(right)], rate=8000)
    t, _ = _transcriber().transcribe(path)
    assert [x.speaker for x in t.turns] == ["agent"]
    assert any("右声道" in w and "caller" in w for w in t.warnings)


def test_mono_turns_alternate_or_all_go_to_the_caller(tmp_path):
    x = np.concatenate([hush(0.3), tone(1), hush(1), tone(1), hush(1), tone(1), hush(0.5)])
    path = write_wav(tmp_path / "mono.wav", x)
    t, _ = _transcriber().transcribe(path)
    assert [x.speaker for x in t.turns] == ["agent", "caller", "agent"]
    t, _ = _transcriber(mono_speakers="caller").transcribe(path)
    assert [x.speaker for x in t.turns] == ["caller"] * 3


def test_clustering_groups_turns_by_voice():
    a, b = np.eye(4)[0] + 0.1, np.eye(4)[1] + 0.1
    voices = [list(a / np.linalg.norm(a)), list(b / np.linalg.norm(b)), None, list(b / np.linalg.norm(b)),
              list(a / np.linalg.norm(a))]
    assert cluster_speakers(voices) == ["agent", "caller", "caller", "caller", "agent"]


@pytest.mark.parametrize("codec,container,suffix,rate", [("libmp3lame", "mp3", ".mp3", 16000),
                                                          ("aac", "ipod", ".m4a", 16000),
                                                          ("libopencore_amrnb", "amr", ".amr", 8000)])
def test_mp3_m4a_and_amr_decode(tmp_path, codec, container, suffix, rate):
    x = np.concatenate([hush(0.5, rate=rate), tone(1.5, rate=rate), hush(1.5, rate=rate)])
    path = encode(tmp_path / f"call{suffix}", x, rate, codec, container)
    t, _ = _transcriber().transcribe(path)
    assert len(t.turns) == 1 and 0.2 < t.turns[0].start < 0.6 and t.info.channels == 1


def test_not_audio_empty_and_corrupt_files_are_named(tmp_path):
    bad = [tmp_path / "notes.wav", tmp_path / "empty.wav", tmp_path / "garbage.mp3"]
    bad[0].write_text("这不是录音，是一段文字。" * 20, encoding="utf-8")
    bad[1].write_bytes(b"")
    bad[2].write_bytes(b"RIFF" + bytes(range(256)) * 8)
    for path in bad:
        with pytest.raises(AudioError) as err:
            _transcriber().transcribe(path)
        assert err.value.path == str(path)
    with pytest.raises(AudioError, match="0 字节"):
        _transcriber().transcribe(bad[1])


def test_unsupported_rate_and_codec_are_refused_with_what_to_do(tmp_path):
    low = write_wav(tmp_path / "low.wav", tone(2, rate=4000), rate=4000)
    with pytest.raises(AudioError) as err:
        _transcriber().transcribe(low)
    assert err.value.field == "sample_rate" and "4000" in err.value.message and "WAV" in err.value.message
    adpcm = encode(tmp_path / "adpcm.wav", tone(1), 16000, "adpcm_ima_wav", "wav")
    with pytest.raises(AudioError) as err:
        _transcriber().transcribe(adpcm)
    assert err.value.field == "codec" and "adpcm_ima_wav" in err.value.message


def test_a_truncated_wav_gives_what_it_holds_and_says_so(tmp_path):
    path = write_wav(tmp_path / "full.wav", _call(), rate=8000)
    data = path.read_bytes()
    cut = tmp_path / "cut.wav"
    cut.write_bytes(data[: int(len(data) * 0.6)])        # the agent's turn is whole, the caller's is cut short
    t, _ = _transcriber().transcribe(cut)
    assert t.partial and any("截断" in w for w in t.warnings)
    assert [x.speaker for x in t.turns] == ["agent", "caller"] and t.turns[1].partial


def test_silence_only_is_a_clean_empty_result(tmp_path):
    path = write_wav(tmp_path / "silence.wav", [np.zeros(8000 * 4, np.float32)] * 2, rate=8000)
    t, _ = _transcriber().transcribe(path)
    assert t.turns == [] and any("未检测到" in w for w in t.warnings) and not t.partial


def test_a_three_hour_file_streams_in_bounded_memory(tmp_path):
    """A sparse 3-hour 8 kHz WAV (173 MB of silence with three turns): memory stays far below the file's size."""
    rate, hours = 8000, 3
    n = rate * 3600 * hours
    path = write_wav(tmp_path / "long.wav", np.zeros(10, np.float32), rate=rate)
    with path.open("r+b") as f:                           # grow the data chunk without writing the zeros
        f.seek(40)
        f.write((n * 2).to_bytes(4, "little"))
        f.seek(4)
        f.write((36 + n * 2).to_bytes(4, "little"))
        f.truncate(44 + n * 2)
        for at in (600, 5400, 10700):                    # seconds
            f.seek(44 + at * rate * 2)
            f.write((tone(2, rate=rate) * 32767).astype("<i2").tobytes())
    base = _rss()
    growth = []
    t, _ = _transcriber().transcribe(path, lambda done, total: growth.append(_rss() - base))
    assert [round(x.start) for x in t.turns] == [600, 5400, 10700]
    assert abs(t.decoded_seconds - 3600 * hours) < 1 and len(growth) > 1000
    # held as 16 kHz float32 the call would take 690 MB; streamed, the process grows by a few MB
    assert max(growth) < 60 * 2**20, f"grew {max(growth) / 2**20:.0f} MB"


def _rss():
    """Resident memory of this process now, in bytes (Linux)."""
    with open("/proc/self/status", encoding="ascii") as f:
        return next(int(line.split()[1]) * 1024 for line in f if line.startswith("VmRSS:"))
