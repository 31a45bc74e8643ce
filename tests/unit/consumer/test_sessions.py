"""Consumer chat sessions (masked, bounded, expiring) and the per-client rate limit, without a server."""

import json

import pytest

from assist.bootstrap import build_consumer_sessions
from assist.consumer.sessions import MAX_TURNS, ConsumerSessions
from assist.core.ttl import ExpiringMap
from assist.edges.http.ratelimit import RateLimiter
from testkit.pii_cases import SAMPLE_ID_CARD, SAMPLE_PHONE, SAMPLE_TYPO_ID

ID_CARD, TYPO_ID, PHONE = SAMPLE_ID_CARD, SAMPLE_TYPO_ID, SAMPLE_PHONE


@pytest.fixture
def chat(consumer_chat):
    return consumer_chat


def test_sessions_continue_then_expire(chat):
    now = [0.0]
    sessions = ConsumerSessions(chat, ExpiringMap(60, clock=lambda: now[0]))
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
    sessions = ConsumerSessions(chat, ExpiringMap(600))
    sid, _ = sessions.respond(None, "网上有人说交2000块能帮我征信修复，删除逾期记录")
    _, a = sessions.respond(sid, "那怎么办")
    assert a.scam is not None and "fake_credit_repair" in {s["id"] for s in a.scam.schemes}


def test_a_short_new_question_about_a_lawful_step_is_not_read_as_a_follow_up(chat):
    """Asking how to complain after asking about a 征信修复 company is a new question: no scam verdict carried over;
    a short message that points back ("那我该怎么举报他们") still continues the earlier one."""
    sessions = ConsumerSessions(chat, ExpiringMap(600))
    sid, first = sessions.respond(None, "网上有人说交2000块能帮我征信修复，删除逾期记录")
    assert first.scam is not None
    _, own = sessions.respond(sid, "我想投诉催收，该找谁？")
    assert own.scam is None
    sid2, _ = sessions.respond(None, "网上有人说交2000块能帮我征信修复，删除逾期记录")
    _, back = sessions.respond(sid2, "那我该怎么举报他们")
    assert back.scam is not None and "fake_credit_repair" in {s["id"] for s in back.scam.schemes}


def test_rate_limiter_refills_and_keeps_clients_apart():
    now = [0.0]
    rl = RateLimiter(per_minute=60, burst=2, clock=lambda: now[0])
    assert rl.allow("a") == 0 and rl.allow("a") == 0
    assert rl.allow("a") == pytest.approx(1.0)      # one token a second: wait one second
    assert rl.allow("b") == 0                         # another client is not affected
    now[0] += 1.0
    assert rl.allow("a") == 0


def test_many_threads_many_sessions_and_a_full_store(chat):
    import threading

    sessions = ConsumerSessions(chat, ExpiringMap(600, max_entries=50, evict=True))
    errors: list[BaseException] = []
    shared, _ = sessions.respond(None, "征信能花钱修复吗")

    def work(k: int) -> None:
        try:
            for i in range(15):
                sessions.respond(None, f"第{k}-{i}问：有人让我交钱洗白征信")     # new sessions churn the bound
                sessions.respond(shared, f"线程{k}追问{i}")                     # and one session gets them all
        except BaseException as exc:  # noqa: BLE001 - asserted below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(sessions._sessions) <= 50


def test_rate_limiter_under_threads_counts_every_message_once():
    import threading

    now = [0.0]
    rl = RateLimiter(per_minute=1, burst=100, clock=lambda: now[0], max_clients=1000)
    allowed: list[int] = []

    def work() -> None:
        for i in range(200):
            if rl.allow("one") == 0:
                allowed.append(1)
            rl.allow(f"other-{i}-{threading.get_ident()}")           # thousands of clients: bounded, O(1) eviction

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(allowed) == 100 and len(rl) <= 1000


def test_client_identity_believes_forwarded_for_only_from_trusted_proxies():
    from assist.edges.http.limits import client_address, networks

    proxies = networks(["10.0.0.0/8", "127.0.0.1"])
    assert client_address("127.0.0.1", "1.2.3.4", []) == "127.0.0.1"               # no proxies configured
    assert client_address("198.51.100.7", "1.2.3.4", proxies) == "198.51.100.7"    # not from a proxy: ignored
    assert client_address("127.0.0.1", "6.6.6.6, 203.0.113.9", proxies) == "203.0.113.9"   # the proxy's view wins
    assert client_address("127.0.0.1", "6.6.6.6, 203.0.113.9, 10.1.2.3", proxies) == "203.0.113.9"
    assert client_address("127.0.0.1", "garbage, 203.0.113.9", proxies) == "203.0.113.9"
    assert client_address("127.0.0.1", "203.0.113.9, not-an-ip", proxies) == "127.0.0.1"
