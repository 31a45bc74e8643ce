"""The live WebSocket: turns cut by voice activity per speaker, assistance pushed back on the same socket; garbage,
oversized frames and a stream that stops mid-turn get a clear answer or a clean partial result, and the server
stays healthy."""

import base64
import json

import numpy as np
import pytest
from fastapi.testclient import TestClient

from assist.adapters.pyav_audio import PyAvDecoder
from assist.audio.recordings import CallAudioParams, CallTranscriber
from assist.audio.review import CallReviewer
from assist.audio.vad import VadParams
from assist.bootstrap import build_staff_assist
from assist.edges.http.app import create_api
from assist.edges.http.calls import CallServices
from testkit.audio import ScriptedSpeech, hush, tone

CALLER = "我是她委托的法务，以后她的事都找我"


@pytest.fixture(scope="module")
def client(hash_index, tmp_path_factory):
    s = hash_index.model_copy(update={"agent": hash_index.agent.model_copy(
        update={"feedback_url": f"sqlite:///{tmp_path_factory.mktemp('fb') / 'feedback.sqlite'}"})})
    staff = build_staff_assist(s)
    speech = ScriptedSpeech([CALLER])
    reviewer = CallReviewer(CallTranscriber(PyAvDecoder(), speech, CallAudioParams()), staff)
    services = CallServices(reviewer, speech, VadParams(), max_upload_mb=1, max_frame_kb=16, max_errors=8,
                            language="zh")
    with TestClient(create_api(staff, 64, call_services=services)) as c:
        c.staff = staff
        yield c


def pcm(x, rate=16000):
    return (np.clip(x, -1, 1) * 32767).astype("<i2").tobytes()


def frames(x, speaker=b"C", size=3200):
    data = pcm(x)
    return [speaker + data[i:i + size] for i in range(0, len(data), size)]


def _start(ws, **kw):
    ws.send_text(json.dumps({"type": "start", **kw}))
    msg = ws.receive_json()
    assert msg["type"] == "ready", msg
    return msg


def test_a_finished_turn_comes_back_with_its_assistance(client):
    with client.websocket_connect("/v1/calls/live") as ws:
        sid = _start(ws, meta={"number_matches": "no"})["session_id"]
        for f in frames(np.concatenate([hush(0.5), tone(2.0), hush(1.0)])):
            ws.send_bytes(f)
        msg = ws.receive_json()
        assert msg["type"] == "assistance" and msg["turn"]["speaker"] == "caller"
        assert msg["turn"]["text"] == CALLER + "。" and 0.2 < msg["turn"]["start"] < 0.6
        ev = [e for e in msg["assistance"]["risk"]["evidence"] if e["signal_id"] == "S1"]
        assert ev and msg["turn"]["start"] <= ev[0]["audio_start"] <= msg["turn"]["end"]
        ws.send_text(json.dumps({"type": "stop"}))
        assert ws.receive_json() == {"type": "stopped", "turns": 1}
    assert [t.speaker for t in client.staff.session(sid).turns] == ["caller"]


def test_garbage_gets_errors_and_the_call_goes_on(client):
    with client.websocket_connect("/v1/calls/live") as ws:
        ws.send_bytes(b"C" + pcm(tone(0.1)))                   # audio before start
        assert "start" in ws.receive_json()["message"]
        _start(ws, sample_rate=8000)
        for bad in ("{not json", json.dumps([1, 2]), json.dumps({"type": "dance"})):
            ws.send_text(bad)
            assert ws.receive_json()["type"] == "error"
        ws.send_bytes(b"X" + pcm(tone(0.1)))                   # no speaker byte
        assert "C" in ws.receive_json()["message"]
        ws.send_bytes(b"C\x00\x01\x02")                         # odd number of PCM bytes
        assert "16" in ws.receive_json()["message"]
        ws.send_text(json.dumps({"type": "audio", "speaker": "caller",
                                 "pcm": base64.b64encode(pcm(tone(0.2, rate=8000), 8000)).decode()}))
        ws.send_text(json.dumps({"type": "stop"}))
        last = ws.receive_json()
        assert last["type"] in ("stopped", "assistance", "no_speech")
    assert client.get("/healthz").json() == {"status": "ok"}


def test_too_many_bad_messages_close_the_socket(client):
    from starlette.websockets import WebSocketDisconnect

    with client.websocket_connect("/v1/calls/live") as ws:
        with pytest.raises(WebSocketDisconnect) as closed:
            for _ in range(10):
                ws.send_bytes(b"C" + b"\x00" * (17 * 1024))     # over max_frame_kb
                assert ws.receive_json()["type"] == "error"
        assert closed.value.code == 1008


def test_stopping_mid_turn_gives_the_partial_turn(client):
    with client.websocket_connect("/v1/calls/live") as ws:
        _start(ws)
        for f in frames(np.concatenate([hush(0.3), tone(1.5)])):   # still talking
            ws.send_bytes(f)
        ws.send_text(json.dumps({"type": "stop"}))
        msg = ws.receive_json()
        assert msg["type"] == "assistance" and msg["turn"]["partial"] is True
        assert ws.receive_json()["turns"] == 1


def test_a_stream_that_ends_keeps_what_was_said(client):
    """What the socket handler does when a client drops mid-turn (LiveCall.stop in its finally block; the dropped
    socket itself is tested against a real server in tests/integration/test_audio.py)."""
    from assist.audio.live import LiveCall

    sid = client.staff.start({})
    call = LiveCall(client.staff, ScriptedSpeech([CALLER]), sid)
    assert call.feed("caller", pcm(np.concatenate([hush(0.3), tone(1.5)]))) == []
    events = call.stop()
    assert [e["turn"]["partial"] for e in events] == [True]
    assert [t.text for t in client.staff.session(sid).turns] == [CALLER + "。"]


def test_unsupported_live_rate_is_refused(client):
    with client.websocket_connect("/v1/calls/live") as ws:
        ws.send_text(json.dumps({"type": "start", "sample_rate": 44100}))
        assert "44100" in ws.receive_json()["message"]


def test_recording_upload_over_the_limit_and_not_audio(client):
    r = client.post("/v1/calls", files={"file": ("big.wav", b"\x00" * (2 * 2**20), "audio/wav")})
    assert r.status_code == 413
    r = client.post("/v1/calls", files={"file": ("notes.wav", "这不是录音".encode() * 10, "audio/wav")})
    assert r.status_code == 400 and r.json()["file"] == "notes.wav" and "音频" in r.json()["error"]
