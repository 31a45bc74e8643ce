"""Consumer chat sessions (masked, bounded, expiring) and the per-client rate limit, without a server."""

import json

import pytest

from assist.bootstrap import build_consumer_sessions
from assist.consumer.sessions import MAX_TURNS, ConsumerSessions
from assist.edges.http.ratelimit import RateLimiter
from testkit.pii_cases import SAMPLE_ID_CARD, SAMPLE_PHONE, SAMPLE_TYPO_ID

ID_CARD, TYPO_ID, PHONE = SAMPLE_ID_CARD, SAMPLE_TYPO_ID, SAMPLE_PHONE


@pytest.fixture
def chat(consumer_chat):
    return consumer_chat


def test_sessions_continue_then_expire(chat):
    now = [0.0]
    sessions = ConsumerSessions(chat, ttl_s=60, clock=lambda: now[0])
    sid, _ = sessions.respond(None, "有人说花钱能洗白征信")
    sid2, _ = sessions.respond(sid, "那我该怎么办")
    assert sid2 == sid and len(sessions.history(sid)) == 4
    now[0] += 61
    sid3, _ = sessions.respond(sid, "还在吗")
    assert sid3 != sid and sessions.history(sid) == []          # expired: a fresh session, old history gone


def test_history_is_bounded_and_masked(chat, hash_index):
    sessions = build_consumer_sessions(hash_index, chat)
    sid = None
    for i in range(MAX_TURNS + 3):
        sid, _ = sessions.respond(sid, f"第{i}个问题：我身份证{ID_CARD}，也可能是{TYPO_ID}，手机{PHONE}")
    history = sessions.history(sid)
    assert len(history) == 2 * MAX_TURNS and history[0]["text"].startswith("第3个问题")
    stored = json.dumps(history, ensure_ascii=False)
    assert ID_CARD not in stored and TYPO_ID not in stored and PHONE not in stored


def test_short_follow_up_uses_the_previous_message(chat):
    sessions = ConsumerSessions(chat, ttl_s=600)
    sid, _ = sessions.respond(None, "网上有人说交2000块能帮我征信修复，删除逾期记录")
    _, a = sessions.respond(sid, "那怎么办")
    assert a.scam is not None and "fake_credit_repair" in {s["id"] for s in a.scam.schemes}


def test_rate_limiter_refills_and_keeps_clients_apart():
    now = [0.0]
    rl = RateLimiter(per_minute=60, burst=2, clock=lambda: now[0])
    assert rl.allow("a") == 0 and rl.allow("a") == 0
    assert rl.allow("a") == pytest.approx(1.0)      # one token a second: wait one second
    assert rl.allow("b") == 0                         # another client is not affected
    now[0] += 1.0
    assert rl.allow("a") == 0
