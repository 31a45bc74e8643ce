"""The Gradio sidebar, mounted in the real app on 127.0.0.1: driven through gradio_client, and rendered once in
headless Chromium (screenshot saved under test-artifacts/)."""

import shutil
import urllib.request

import pytest

from testkit.auth import PASSWORD, cookie_of
from testkit.helpers import REPO


@pytest.fixture(scope="module")
def base_url(web_url):
    return web_url


def test_sidebar_page_is_served_without_outside_assets(base_url):
    req = urllib.request.Request(base_url + "/assist/", headers=cookie_of(base_url, "agent"))
    page = urllib.request.urlopen(req, timeout=30).read().decode("utf-8")
    assert "坐席助手" in page
    for cdn in ("cdn.jsdelivr", "unpkg.com", "googleapis", "gradio.s3", "huggingface.co"):
        assert cdn not in page, cdn


def _value(update):
    return update["value"] if isinstance(update, dict) else update


def test_demo_call_replays_turn_by_turn_through_gradio_client(base_url):
    from gradio_client import Client

    c = Client(base_url + "/assist/", verbose=False, headers=cookie_of(base_url, "agent"))  # one client = one session
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

    c = Client(base_url + "/assist/", verbose=False, headers=cookie_of(base_url, "agent"))
    out = c.predict("no", "caller", "我是借款人的法务，以后他的事都由我来谈，别打他原来那个号了。", api_name="/add_turn")
    assert "疑似第三方代理" in out[0]
    text = _value(out[3])
    assert text and "{" not in text
    assert "内部参考提示" in out[0]
    status = c.predict(True, api_name="/set_tag")
    assert "已标注" in status
    done = c.predict(text + "（坐席补充一句）", api_name="/feedback_edited_1")   # the agent edited, then used it
    assert done == "已记录：修改后采用"
    quiet = Client(base_url + "/assist/", verbose=False, headers=cookie_of(base_url, "admin"))
    out = quiet.predict("yes", "caller", "我想问一下我这个月的还款日是几号", api_name="/add_turn")
    assert "未见异常" in out[0]


def test_screenshot_in_headless_chromium_after_signing_in(base_url):
    """A browser sent to /assist/ is asked to sign in first; after the /login form it sees the sidebar (the cookie is
    Secure: Chromium keeps it on http://127.0.0.1, a trustworthy origin)."""
    from playwright.sync_api import sync_playwright

    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        pytest.fail("chromium is not installed (.ci/run installs Debian's chromium and fonts-noto-cjk)")
    out_dir = REPO / "test-artifacts"
    out_dir.mkdir(exist_ok=True)
    shot = out_dir / "agent-sidebar.png"
    shot.unlink(missing_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 440, "height": 1400})
        page.goto(base_url + "/assist/")
        assert "/login" in page.url                                   # not signed in: the sign-in page
        page.fill("#u", "agent1")
        page.fill("#p", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(base_url + "/assist/")
        page.get_by_text("坐席助手").first.wait_for(timeout=30_000)
        page.screenshot(path=str(shot))
        browser.close()
    assert shot.stat().st_size > 10_000


def test_consoles_and_their_functions_check_roles(base_url):
    import httpx
    from gradio_client import Client

    r = httpx.get(base_url + "/assist/", headers={"Accept": "text/html"}, timeout=30)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    assert httpx.post(base_url + "/assist/gradio_api/queue/join", json={}, timeout=30).status_code == 401
    assert httpx.get(base_url + "/assist/", headers=cookie_of(base_url, "reviewer"), timeout=30).status_code == 403
    assert "frame-ancestors 'self'" in httpx.get(base_url + "/trainer/", headers=cookie_of(base_url, "reviewer"),
                                                 timeout=30).headers["content-security-policy"]
    reviewer = Client(base_url + "/trainer/", verbose=False, headers=cookie_of(base_url, "reviewer"))
    with pytest.raises(Exception, match="培训师"):
        reviewer.predict(["scams"], "随产品提供的评测集", api_name="/run_eval")
    with pytest.raises(Exception, match="坐席"):
        reviewer.predict("x", "随机", api_name="/practice_start")


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
    reviewer = cookie_of(base_url, "reviewer")
    r = httpx.post(base_url + "/v1/documents/review", files={"file": ("委托书.txt", letter, "text/plain")}, timeout=60,
                   headers=reviewer)
    assert r.status_code == 200, r.text
    body = r.json()
    assert "110101199003074477" not in r.text                       # quotes are masked
    assert any(f["severity"] == "high" for f in body["findings"])   # a company, not a law firm, as agent
    bad = httpx.post(base_url + "/v1/documents/review", files={"file": ("x.exe", b"MZ\x00\x01", "application/octet-stream")},
                     timeout=60, headers=reviewer)
    assert bad.status_code == 400 and bad.json()["error"]
