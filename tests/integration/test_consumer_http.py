"""The consumer endpoint over real HTTP (uvicorn on 127.0.0.1): per-client rate limit, message length limit, and no
unmasked personal data in logs or in the session store."""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request

import pytest
from fastapi import FastAPI

from assist.consumer.sessions import ConsumerSessions
from assist.core.ttl import ExpiringMap
from assist.edges.http import consumer
from assist.edges.http.ratelimit import RateLimiter
from testkit.helpers import serve
from testkit.pii_cases import SAMPLE_ID_CARD, SAMPLE_PHONE, SAMPLE_TYPO_ID

ID_CARD, TYPO_ID, PHONE = SAMPLE_ID_CARD, SAMPLE_TYPO_ID, SAMPLE_PHONE


@pytest.fixture
def chat(consumer_chat):
    return consumer_chat


def _app(sessions: ConsumerSessions, per_minute: int = 600, burst: int = 100, max_chars: int = 1000,
         proxies: tuple[str, ...] = ()) -> FastAPI:
    from assist.edges.http.limits import networks

    app = FastAPI()
    app.include_router(consumer.router(sessions, [], RateLimiter(per_minute, burst), max_chars, networks(proxies)))
    return app


def _post(url: str, body: dict, headers: dict | None = None) -> tuple[int, dict, dict]:
    req = urllib.request.Request(url + "/v1/consumer/messages", json.dumps(body).encode(),
                                 {"Content-Type": "application/json", **(headers or {})})
    try:
        r = urllib.request.urlopen(req, timeout=30)
        return r.status, json.loads(r.read()), dict(r.headers)
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read()), dict(e.headers)


def test_rate_limit_per_client_over_http(chat):
    # one token a minute, so that no token comes back while a slow machine answers the burst
    with serve(_app(ConsumerSessions(chat, ExpiringMap(600)), per_minute=1, burst=3)) as url:
        codes = [_post(url, {"message": "征信能花钱修复吗"})[0] for _ in range(3)]
        assert codes == [200, 200, 200]
        code, body, headers = _post(url, {"message": "征信能花钱修复吗"})
        assert code == 429 and "频繁" in body["error"] and int(headers["retry-after"]) >= 1


def test_rotating_x_forwarded_for_does_not_escape_the_limit(chat):
    # without trusted proxies the header is ignored: every request is 127.0.0.1's
    with serve(_app(ConsumerSessions(chat, ExpiringMap(600)), per_minute=1, burst=2)) as url:
        codes = [_post(url, {"message": "征信能花钱修复吗"}, {"X-Forwarded-For": f"10.9.{i}.{i}"})[0] for i in range(4)]
        assert codes == [200, 200, 429, 429]
    # behind a trusted proxy (127.0.0.1 here) the client is the address the proxy appended, whatever came before it
    with serve(_app(ConsumerSessions(chat, ExpiringMap(600)), per_minute=1, burst=2, proxies=("127.0.0.1",))) as url:
        spoofed = [_post(url, {"message": "征信能花钱修复吗"}, {"X-Forwarded-For": f"6.6.6.{i}, 203.0.113.5"})[0]
                   for i in range(3)]
        assert spoofed == [200, 200, 429]
        assert _post(url, {"message": "征信能花钱修复吗"}, {"X-Forwarded-For": "203.0.113.6"})[0] == 200   # another client


def test_message_length_limit(chat):
    with serve(_app(ConsumerSessions(chat, ExpiringMap(600)), max_chars=50)) as url:
        code, body, _ = _post(url, {"message": "征" * 51})
        assert code == 400 and "50" in body["error"] and body["field"] == "message"
        assert body["limit"] == "consumer.max_message_chars"
        assert _post(url, {"message": "征" * 50})[0] == 200


def test_personal_data_never_reaches_logs_or_the_session_store(chat, caplog):
    sessions = ConsumerSessions(chat, ExpiringMap(600))
    with caplog.at_level(logging.INFO, logger="assist.consumer"), serve(_app(sessions)) as url:
        code, body, _ = _post(url, {"message": f"我身份证{ID_CARD}（也可能是{TYPO_ID}），手机{PHONE}，有人说能修复征信"})
    assert code == 200
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name == "assist.consumer")
    assert "consumer message" in logged                          # the message was logged ...
    assert ID_CARD not in logged and PHONE not in logged and TYPO_ID not in logged   # ... masked
    assert body["kind"] != "refusal"                              # a pasted ID number is not an "encoded" attack
    stored = json.dumps(sessions.history(body["session_id"]), ensure_ascii=False)
    assert "修复征信" in stored and ID_CARD not in stored and PHONE not in stored and TYPO_ID not in stored
    assert ID_CARD not in body["text"] and PHONE not in body["text"]


def test_frame_policy_lists_only_configured_origins():
    p = consumer.frame_policy(["https://www.lender.example"])
    assert p.endswith("frame-ancestors 'self' https://www.lender.example")
    assert consumer.frame_policy([]).endswith("frame-ancestors 'self'")


# One message per vector, sent over real HTTP: the JSON that comes back (text and red flags) carries no markup and no
# link, whatever the widget or a native app does with it.
ECHO_VECTORS = [
    ("tag", "<b>点这里</b>", r"<\s*/?\s*b\s*>"),
    ("event handler", "<img src=x onerror=alert(1)>", r"onerror|<img|alert\("),
    ("javascript url", "javascript:alert(document.cookie)", r"javascript\s*:"),
    ("http link", "http://pay-x.top/a?b=1", r"https?://|pay-x\.top"),
    ("markdown link", "[官方客服](http://fake.example/x)", r"\]\(|fake\.example"),
    ("markdown image", "![](http://fake.example/p.png)", r"!\[|fake\.example"),
]


@pytest.mark.parametrize("vector,payload,banned", ECHO_VECTORS, ids=[v[0] for v in ECHO_VECTORS])
def test_nothing_echoed_over_the_api_can_act(chat, vector, payload, banned):
    import re

    message = f"收到一条短信：【某银行】您的账户已冻结，请点{payload}登录，输入银行卡号和验证码解冻，否则今天注销。这是真的吗？"
    with serve(_app(ConsumerSessions(chat, ExpiringMap(600)))) as url:
        code, body, _ = _post(url, {"message": message})
    assert code == 200 and body["kind"] == "scam"
    flags = [f for s in body["scam"]["schemes"] for f in s["red_flags"]]
    assert flags
    for shown in [body["text"], *flags]:
        assert not re.search(banned, shown, re.I), (vector, shown)
        assert "<" not in shown and ">" not in shown
