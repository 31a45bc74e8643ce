"""The Gradio sidebar, mounted in the real app on 127.0.0.1: driven through gradio_client, and rendered once in
headless Chromium (screenshot saved under test-artifacts/)."""

import os
import shutil
import subprocess
import urllib.request

import pytest

from testkit.helpers import REPO


@pytest.fixture(scope="module")
def base_url(web_url):
    return web_url


def test_sidebar_page_is_served_without_outside_assets(base_url):
    page = urllib.request.urlopen(base_url + "/assist/", timeout=30).read().decode("utf-8")
    assert "坐席助手" in page
    for cdn in ("cdn.jsdelivr", "unpkg.com", "googleapis", "gradio.s3", "huggingface.co"):
        assert cdn not in page, cdn


def _value(update):
    return update["value"] if isinstance(update, dict) else update


def test_demo_call_replays_turn_by_turn_through_gradio_client(base_url):
    from gradio_client import Client

    c = Client(base_url + "/assist/", verbose=False)       # one client = one browser session (its own state)
    levels = []
    for _ in range(5):
        out = c.predict("demo-third-party", api_name="/demo_next")
        levels.append(out[0])
    assert "疑似第三方代理" in levels[-1]
    tokens = [t["token"] for t in out[1]]
    assert sum(tok == "来电人：" for tok in tokens) == 3      # all five turns are in the transcript
    marked = [t for t in out[1] if t["class_or_confidence"]]
    assert marked and any(t["class_or_confidence"] == "S1" for t in marked)   # evidence highlighted
    assert _value(out[3]) and "理由" in out[4]


def test_add_turns_feedback_and_tag_through_gradio_client(base_url):
    from gradio_client import Client

    c = Client(base_url + "/assist/", verbose=False)
    out = c.predict("no", "caller", "我是借款人的法务，以后他的事都由我来谈，别打他原来那个号了。", api_name="/add_turn")
    assert "疑似第三方代理" in out[0]
    text = _value(out[3])
    assert text and "{" not in text
    assert "内部参考提示" in out[0]
    status = c.predict(True, api_name="/set_tag")
    assert "已标注" in status
    done = c.predict(text + "（坐席补充一句）", api_name="/feedback_edited_1")   # the agent edited, then used it
    assert done == "已记录：修改后采用"
    quiet = Client(base_url + "/assist/", verbose=False)
    out = quiet.predict("yes", "caller", "我想问一下我这个月的还款日是几号", api_name="/add_turn")
    assert "未见异常" in out[0]


def test_screenshot_in_headless_chromium(base_url):
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        pytest.fail("chromium is not installed (.ci/run installs Debian's chromium and fonts-noto-cjk)")
    out_dir = REPO / "test-artifacts"
    out_dir.mkdir(exist_ok=True)
    shot = out_dir / "agent-sidebar.png"
    if shot.exists():
        shot.unlink()
    profile = out_dir / "chromium-profile"
    cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={profile}", "--hide-scrollbars", "--window-size=440,1400", "--virtual-time-budget=8000",
           f"--screenshot={shot}", base_url + "/assist/"]
    subprocess.run(cmd, capture_output=True, timeout=120, env={**os.environ, "HOME": str(out_dir)})
    shutil.rmtree(profile, ignore_errors=True)
    assert shot.exists() and shot.stat().st_size > 10_000


def test_consumer_endpoint_in_the_same_app(base_url):
    import json as _json

    req = urllib.request.Request(base_url + "/v1/consumer/messages",
                                 _json.dumps({"session_id": "c1", "message": "<img src=x onerror=alert(1)> 自称客服让我共享屏幕注销校园贷"}).encode(),
                                 {"Content-Type": "application/json"})
    body = _json.loads(urllib.request.urlopen(req, timeout=30).read())
    assert body["kind"] == "scam" and body["channels"]
    assert "<img" not in body["text"]                          # user input is never echoed as markup


def test_document_review_through_the_served_app(base_url):
    import httpx

    letter = ("授权委托书\n委托人：张三，身份证号110101199003074477\n受托人：某某法务咨询有限公司\n"
              "委托事项：全权代理与贵司协商还款、停息挂账事宜\n").encode()
    r = httpx.post(base_url + "/v1/documents/review", files={"file": ("委托书.txt", letter, "text/plain")}, timeout=60)
    assert r.status_code == 200, r.text
    body = r.json()
    assert "110101199003074477" not in r.text                       # quotes are masked
    assert any(f["severity"] == "high" for f in body["findings"])   # a company, not a law firm, as agent
    bad = httpx.post(base_url + "/v1/documents/review", files={"file": ("x.exe", b"MZ\x00\x01", "application/octet-stream")},
                     timeout=60)
    assert bad.status_code == 400 and bad.json()["error"]
