"""Call audio with the real components: whisper-base assembled from its two wheels and checked, real recognition on
the benchmark's real Mandarin (read from ../shared at run time; those tests skip cleanly without it), recordings
over real HTTP, the live WebSocket on a real server (including a client that drops mid-turn), the microphone demo
page in headless Chromium with a fake microphone, and Resemblyzer's encoder weights taken from its wheel."""

import json
import shutil
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import numpy as np
import pytest

from assist.adapters.faster_whisper_stt import WHISPER_BASE_SHA256
from assist.adapters.pyav_audio import PyAvDecoder
from assist.audio.noise import cer
from assist.audio.text import from_segments, plain
from assist.bootstrap import build_speech_to_text, whisper_base_dir
from assist.settings import Settings
from testkit.audio import SHARED_ASR
from testkit.helpers import REPO

needs_bench = pytest.mark.skipif(not SHARED_ASR.is_dir(), reason="../shared/benchmarks/asr-zh not present")


def _load(path):
    return np.concatenate([c[0] for c in PyAvDecoder().chunks(path, 30)])


@pytest.fixture(scope="module")
def stt(tmp_path_factory):
    settings = Settings(data_dir=tmp_path_factory.mktemp("asr"))
    return settings, build_speech_to_text(settings)


def test_whisper_base_is_assembled_once_and_checked(stt):
    settings, model = stt
    model.transcribe(np.zeros(8000, np.float32))          # first use joins part1 + part2
    folder = whisper_base_dir(settings)
    assert (folder / "model.bin.sha256").read_text().strip() == WHISPER_BASE_SHA256
    before = (folder / "model.bin").stat().st_mtime_ns
    build_speech_to_text(settings).transcribe(np.zeros(8000, np.float32))
    assert (folder / "model.bin").stat().st_mtime_ns == before


def test_a_tampered_model_file_is_refused(tmp_path):
    from assist.adapters.faster_whisper_stt import assemble_whisper_base
    from assist.errors import DependencyError

    good = assemble_whisper_base(tmp_path / "a")
    copy = tmp_path / "b"
    shutil.copytree(good, copy)
    (copy / "model.bin.sha256").write_text("0" * 64)     # a stale stamp: the file is rebuilt, not trusted
    assemble_whisper_base(copy)
    assert (copy / "model.bin.sha256").read_text().strip() == WHISPER_BASE_SHA256
    with pytest.raises(DependencyError):
        import assist.adapters.faster_whisper_stt as fw

        real = fw.WHISPER_BASE_SHA256
        fw.WHISPER_BASE_SHA256 = "f" * 64
        try:
            assemble_whisper_base(tmp_path / "c")
        finally:
            fw.WHISPER_BASE_SHA256 = real
    assert not (tmp_path / "c" / "model.bin").exists()


@needs_bench
def test_real_mandarin_is_recognised_in_simplified_characters(stt):
    _, model = stt
    refs = {line.split("\t")[0]: line.split("\t")[-1] for line in
            (SHARED_ASR / "sources.tsv").read_text(encoding="utf-8").splitlines()[1:]}
    text = from_segments(model.transcribe(_load(SHARED_ASR / "wav16k" / "far_4.wav"))).text
    edits, n = cer(plain(refs["far_4"]), plain(text))
    assert edits / n < 0.35, text
    assert "遗憾" in text and "遺" not in text                 # whisper writes 遺憾; the product shows 遗憾


@pytest.fixture(scope="module")
def web(web_url):
    return web_url


def _upload(url, name, data):
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
            f"Content-Type: application/octet-stream\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    req = urllib.request.Request(url + "/v1/calls", data=body, method="POST",
                                 headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    try:
        with urllib.request.urlopen(req, timeout=300) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def test_bad_recordings_over_http_leave_the_server_healthy(web):
    status, body = _upload(web, "notes.wav", "不是录音".encode() * 100)
    assert status == 400 and body["file"] == "notes.wav"
    status, body = _upload(web, "empty.amr", b"")
    assert status == 400 and "0 字节" in body["error"]
    with urllib.request.urlopen(web + "/healthz", timeout=10) as r:
        assert json.loads(r.read()) == {"status": "ok"}


@needs_bench
def test_a_stereo_call_over_http_maps_channels_and_times(web):
    status, body = _upload(web, "call.wav", (SHARED_ASR / "stereo_call_8k.wav").read_bytes())
    assert status == 200, body
    turns = body["turns"]
    speakers = [t["speaker"] for t in turns]
    assert speakers[0] == "agent" and "caller" in speakers
    caller = [t for t in turns if t["speaker"] == "caller"]
    assert all(t["channel"] == 0 for t in turns if t["speaker"] == "agent")
    assert turns[0]["start"] < 0.5 and 9.0 < caller[0]["start"] < 10.0      # the caller starts at 9.5 s
    assert "逛街" in "".join(t["text"] for t in caller) and body["warnings"] == []


@needs_bench
def test_live_socket_pushes_assistance_and_keeps_a_turn_when_the_client_drops(web):
    from websockets.sync.client import connect

    audio = _load(SHARED_ASR / "wav16k" / "far_5.wav")
    pcm = (np.concatenate([np.zeros(8000, np.float32), audio, np.zeros(16000, np.float32)]) * 32767).astype("<i2")
    ws_url = web.replace("http://", "ws://") + "/v1/calls/live"
    with connect(ws_url, max_size=2**24) as ws:
        ws.send(json.dumps({"type": "start", "sample_rate": 16000}))
        assert json.loads(ws.recv(timeout=10))["type"] == "ready"
        for i in range(0, len(pcm), 1600):
            ws.send(b"C" + pcm[i:i + 1600].tobytes())
        pushed = []
        deadline = time.time() + 120
        while time.time() < deadline and not any(m["type"] == "assistance" for m in pushed):
            pushed.append(json.loads(ws.recv(timeout=120)))
        turn = next(m for m in pushed if m["type"] == "assistance")["turn"]
        assert turn["speaker"] == "caller" and "朋友" in "".join(
            m["turn"]["text"] for m in pushed if m["type"] == "assistance") + _rest(ws)
    # a client that drops mid-turn: the turn is still recognised into its session
    status, sid = _post(web + "/v1/sessions", {})
    with connect(ws_url, max_size=2**24) as ws:
        ws.send(json.dumps({"type": "start", "sample_rate": 16000, "session_id": sid["session_id"]}))
        assert json.loads(ws.recv(timeout=10))["type"] == "ready"
        half = pcm[8000:8000 + 16000 * 3]                   # three seconds of speech, no pause after it
        for i in range(0, len(half), 1600):
            ws.send(b"C" + half[i:i + 1600].tobytes())
    for _ in range(120):
        status, a = _post(web + f"/v1/sessions/{sid['session_id']}/turns", {"speaker": "agent", "text": "好的"})
        if a["turn_index"] >= 1:
            break
        time.sleep(0.5)                                      # recognition runs after the socket has gone
    assert a["turn_index"] >= 1


def _rest(ws):
    """Turns still on their way when the first one arrived."""
    ws.send(json.dumps({"type": "stop"}))
    out = []
    while True:
        m = json.loads(ws.recv(timeout=120))
        if m["type"] == "assistance":
            out.append(m["turn"]["text"])
        if m["type"] == "stopped":
            return "".join(out)


def _post(url, body):
    req = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"},
                                 method="POST")
    with urllib.request.urlopen(req, timeout=60) as r:
        return r.status, json.loads(r.read())


@needs_bench
def test_live_page_shows_assistance_from_a_fake_microphone(web, tmp_path):
    """The sidebar's microphone demo in headless Chromium, a benchmark clip as the microphone."""
    from playwright.sync_api import sync_playwright

    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        pytest.fail("chromium is not installed (.ci/run installs Debian's chromium)")
    clip = tmp_path / "mic.wav"
    from testkit.audio import write_wav

    write_wav(clip, np.concatenate([np.zeros(8000, np.float32), _load(SHARED_ASR / "wav16k" / "far_4.wav"),
                                    np.zeros(32000, np.float32)]))
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, headless=True, args=[
            "--disable-gpu", "--no-first-run", "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-audio-capture={clip}"])
        page = b.new_page()
        page.goto(web + "/live")
        page.click("#start")
        page.wait_for_selector(".turn", timeout=120_000)
        shown = page.inner_text("#log")
        out = REPO / "test-artifacts"
        out.mkdir(exist_ok=True)
        page.screenshot(path=str(out / "live-demo.png"), full_page=True)
        b.close()
    assert "来电人" in shown and len(shown) > 8


def test_voice_encoder_weights_from_the_pinned_wheel(tmp_path_factory):
    """Resemblyzer's weights from its wheel (pip download from the registry, as `assist voiceprint install-model`
    does), without Resemblyzer's dependencies; on the benchmark, one speaker's two clips are closer than two
    speakers'."""
    from assist.adapters.resemblyzer_voice import ResemblyzerEncoder, install_voice_encoder
    from assist.errors import DependencyError

    try:
        weights = install_voice_encoder(tmp_path_factory.mktemp("voice"))
    except DependencyError as exc:
        pytest.skip(f"the package registry is not reachable: {exc.message[:120]}")
    enc = ResemblyzerEncoder(weights)
    assert enc.embed(np.zeros(16000 * 3, np.float32)) is None          # silence: no voiceprint
    if not SHARED_ASR.is_dir():
        return
    e = {n: np.array(enc.embed(_load(SHARED_ASR / "wav16k" / f"{n}.wav")))
         for n in ("aishell_S0764W0121", "aishell_S0764W0122", "aishell_S0724W0121", "rag_math")}
    same = e["aishell_S0764W0121"] @ e["aishell_S0764W0122"]
    assert abs(np.linalg.norm(e["rag_math"]) - 1) < 1e-5
    assert same > 0.8 and same > max(e["aishell_S0764W0121"] @ e["aishell_S0724W0121"],
                                     e["aishell_S0764W0121"] @ e["rag_math"]) + 0.15


def test_no_recording_is_kept_in_the_repository():
    """Benchmark clips are read from ../shared at run time, test audio is synthesised: none is committed."""
    import subprocess

    tracked = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True).stdout.split()
    assert not [f for f in tracked if Path(f).suffix.lower() in (".wav", ".mp3", ".m4a", ".amr", ".flac", ".ogg")]
