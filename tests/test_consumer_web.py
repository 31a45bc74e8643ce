"""The consumer endpoint's abuse protection over real HTTP: per-client rate limit, message length limit, sessions that
expire, and no unmasked personal data in logs or in the session store."""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request

import pytest
from fastapi import FastAPI

from assist.bootstrap import build_consumer_chat, build_ingestor
from assist.consumer import ConsumerSessions
from assist.web.consumer_web import add_consumer_routes, frame_policy
from assist.web.ratelimit import RateLimiter

from conftest import serve

ID_CARD = "110101199003074477"      # valid check digit
TYPO_ID = "110101199003074478"      # wrong check digit: still personal data
PHONE = "13812345678"


@pytest.fixture(scope="module")
def chat(tmp_path_factory):
    from assist.settings import EmbedderSettings, RetrievalSettings, Settings
    from conftest import doc, write

    kb = tmp_path_factory.mktemp("kb")
    write(kb / "edu.md", doc("edu-credit-repair", "征信修复是骗局",
                             "## 红旗信号\n\n声称收费就能洗白征信、删除逾期记录的，都是骗局。\n\n## 求助渠道\n\n征信问题可拨打12363。",
                             kind="education", audience="consumer", tags="[征信修复]"))
    s = Settings(data_dir=tmp_path_factory.mktemp("data"), embedder=EmbedderSettings(kind="hash"),
                 retrieval=RetrievalSettings(min_relevance=-1), knowledge_dirs=[kb])
    build_ingestor(s).ingest([kb])
    return build_consumer_chat(s)


def _post(url: str, body: dict) -> tuple[int, dict, dict]:
    req = urllib.request.Request(url + "/v1/consumer/messages", json.dumps(body).encode(),
                                 {"Content-Type": "application/json"})
    try:
        r = urllib.request.urlopen(req, timeout=30)
        return r.status, json.loads(r.read()), dict(r.headers)
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read()), dict(e.headers)


def test_rate_limit_per_client_over_http(chat):
    # one token a minute, so that no token comes back while a slow machine answers the burst (refill: next test)
    app = add_consumer_routes(FastAPI(), ConsumerSessions(chat), per_minute=1, burst=3)
    with serve(app) as url:
        codes = [_post(url, {"message": "征信能花钱修复吗"})[0] for _ in range(3)]
        assert codes == [200, 200, 200]
        code, body, headers = _post(url, {"message": "征信能花钱修复吗"})
        assert code == 429 and "频繁" in body["error"] and int(headers["retry-after"]) >= 1


def test_rate_limiter_refills_and_keeps_clients_apart():
    now = [0.0]
    rl = RateLimiter(per_minute=60, burst=2, clock=lambda: now[0])
    assert rl.allow("a") == 0 and rl.allow("a") == 0
    assert rl.allow("a") == pytest.approx(1.0)      # one token a second: wait one second
    assert rl.allow("b") == 0                         # another client is not affected
    now[0] += 1.0
    assert rl.allow("a") == 0


def test_message_length_limit(chat):
    app = add_consumer_routes(FastAPI(), ConsumerSessions(chat), max_chars=50)
    with serve(app) as url:
        code, body, _ = _post(url, {"message": "征" * 51})
        assert code == 400 and "50" in body["error"] and body["field"] == "message"
        assert _post(url, {"message": "征" * 2001})[0] == 422      # over the hard API limit


def test_sessions_continue_then_expire(chat):
    now = [0.0]
    sessions = ConsumerSessions(chat, ttl_s=60, clock=lambda: now[0])
    sid, _ = sessions.respond(None, "有人说花钱能洗白征信")
    sid2, _ = sessions.respond(sid, "那我该怎么办")
    assert sid2 == sid and len(sessions.history(sid)) == 4
    now[0] += 61
    sid3, _ = sessions.respond(sid, "还在吗")
    assert sid3 != sid and sessions.history(sid) == []          # expired: a fresh session, old history gone


def test_short_follow_up_uses_the_previous_message(chat):
    sessions = ConsumerSessions(chat)
    sid, _ = sessions.respond(None, "网上有人说交2000块能帮我征信修复，删除逾期记录")
    _, a = sessions.respond(sid, "那怎么办")
    assert a.scam is not None and "fake_credit_repair" in {s["id"] for s in a.scam.schemes}


def test_personal_data_never_reaches_logs_or_the_session_store(chat, caplog):
    sessions = ConsumerSessions(chat)
    app = add_consumer_routes(FastAPI(), sessions)
    with caplog.at_level(logging.INFO, logger="assist.consumer"), serve(app) as url:
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
    p = frame_policy(["https://www.lender.example"])
    assert p.endswith("frame-ancestors 'self' https://www.lender.example")
    assert frame_policy([]).endswith("frame-ancestors 'self'")
