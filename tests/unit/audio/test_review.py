"""A recorded call through the staff assistance: evidence linked to its time in the audio, the HTML report's player
jumps there, a folder gives a batch report, and nothing from the call can run as markup."""

import json

import numpy as np
import pytest

from assist.adapters.pyav_audio import PyAvDecoder
from assist.audio.recordings import CallAudioParams, CallTranscriber
from assist.audio.report import call_html
from assist.audio.review import CallReviewer, review_folder
from assist.bootstrap import build_staff_assist
from testkit.audio import ScriptedSpeech, hush, tone, write_wav

AGENT = "您好，这里是客服中心，请问有什么可以帮您"
CALLER = "<img src=x onerror=alert(1)>我是她委托的法务，以后她的事都找我，电话13800138000"


@pytest.fixture(scope="module")
def staff(hash_index, tmp_path_factory):
    """One staff assistance over the shared hash index, with this module's own feedback store."""
    s = hash_index.model_copy(update={"agent": hash_index.agent.model_copy(
        update={"feedback_url": f"sqlite:///{tmp_path_factory.mktemp('fb') / 'feedback.sqlite'}"})})
    return build_staff_assist(s)


def _reviewer(staff, lines=(AGENT, CALLER)):
    return CallReviewer(CallTranscriber(PyAvDecoder(), ScriptedSpeech(lines), CallAudioParams()), staff)


def _call(path):
    left = np.concatenate([hush(0.5, rate=8000), tone(2, rate=8000), hush(7, rate=8000)])
    right = np.concatenate([hush(4, rate=8000, seed=1), tone(4, 330, rate=8000), hush(1.5, rate=8000, seed=1)])
    return write_wav(path, [left, right], rate=8000)


def test_evidence_points_at_the_caller_s_words_in_the_audio(staff, tmp_path):
    review = _reviewer(staff).review(_call(tmp_path / "call.wav"))
    d = review.to_dict()
    caller = d["turns"][1]
    assert caller["speaker"] == "caller" and "【手机号】" in caller["text"] and "138" not in json.dumps(d)
    ev = [e for e in d["risk"]["evidence"] if e["signal_id"] == "S1"]
    assert ev, d["risk"]
    e = ev[0]
    assert caller["start"] <= e["audio_start"] < e["audio_end"] <= caller["end"]
    # the quote sits after the 28-character markup prefix: its time is well into the turn, not at its start
    assert e["audio_start"] > caller["start"] + 1.0
    assert d["steps"] and d["steps"][-1]["turn"]["index"] == 1


def test_the_report_jumps_to_evidence_and_shows_no_markup(staff, tmp_path):
    audio = _call(tmp_path / "rec" / "call.wav")
    d = _reviewer(staff).review(audio).to_dict()
    page = call_html(d, audio, tmp_path / "out")
    e = [e for e in d["risk"]["evidence"] if e["signal_id"] == "S1"][0]
    assert '<audio id="player"' in page and 'src="../rec/call.wav"' in page
    assert f"data-t='{e['audio_start']}'" in page
    assert "<img" not in page and "&lt;img" in page


def test_a_folder_gives_one_report_per_call_and_names_the_bad_file(staff, tmp_path):
    calls = tmp_path / "calls"
    _call(calls / "a.wav")
    _call(calls / "sub" / "a.wav")                       # same name in another folder: its own page
    (calls / "broken.mp3").write_bytes(b"not audio at all")
    report = review_folder(_reviewer(staff, (AGENT, CALLER) * 4), calls, tmp_path / "out")
    d = report.to_dict()
    assert len(d["calls"]) == 2 and len({c["report"] for c in d["calls"]}) == 2
    assert [e["file"].endswith("broken.mp3") for e in d["errors"]] == [True]
    assert all((tmp_path / "out" / c["report"]).is_file() for c in d["calls"])
    assert "broken.mp3" in report.html_path.read_text(encoding="utf-8")
    assert json.loads(report.json_path.read_text(encoding="utf-8"))["details"][0]["turns"]
