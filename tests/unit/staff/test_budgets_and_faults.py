"""StaffAssist under hostile input and faults: budgets refused before any work, turns of one session taken one at a
time under many threads, a locked feedback database that never costs staff the hint, the query cut for long turns.
Real parts: the shipped knowledge indexed with the hashing embedder, embedded Chroma, SQLite."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from assist.bootstrap import build_embedder, build_staff_assist
from assist.errors import BudgetExceeded, CapacityExceeded, SessionFull, StoreUnavailable
from assist.staff.assist import query_window


def _settings(agent_settings, **agent):
    return agent_settings.model_copy(update={"agent": agent_settings.agent.model_copy(update=agent)})


class CountingEmbedder:
    """The real hashing embedder, recording the length of every query it embeds."""

    def __init__(self, inner):
        self.inner, self.lengths = inner, []
        self.name, self.dim = inner.name, inner.dim

    def embed_passages(self, passages):
        return self.inner.embed_passages(passages)

    def embed_query(self, text):
        self.lengths.append(len(text))
        return self.inner.embed_query(text)


def test_turn_length_turn_count_and_session_count_are_refused_before_any_work(agent_settings):
    agent = build_staff_assist(_settings(agent_settings, max_turn_chars=50, max_turns_per_session=3, max_sessions=2))
    sid = agent.start()
    with pytest.raises(BudgetExceeded) as exc:
        agent.on_turn(sid, {"speaker": "caller", "text": "我" * 51})
    assert exc.value.limit == "agent.max_turn_chars" and "51" in exc.value.message
    assert agent.session(sid).turns == []                      # nothing was kept or assessed
    for i in range(3):
        assert agent.on_turn(sid, {"speaker": "caller", "text": f"第{i}句"}).turn_index == i
    with pytest.raises(SessionFull) as full:
        agent.on_turn(sid, {"speaker": "caller", "text": "还有一句"})
    assert full.value.limit == "agent.max_turns_per_session" and len(agent.session(sid).turns) == 3
    agent.start()
    with pytest.raises(CapacityExceeded) as cap:
        agent.start()
    assert cap.value.limit == "agent.max_sessions"


def test_a_long_turn_is_searched_by_its_last_sentences_only(agent_settings):
    s = _settings(agent_settings, max_turn_chars=30_000, query_chars=120)
    spy = CountingEmbedder(build_embedder(s))
    agent = build_staff_assist(s, spy)
    sid = agent.start()
    spy.lengths.clear()
    long_turn = "我在这边一直等着处理结果。" * 1500 + "我是他委托的法务，以后他的事都找我。"
    a = agent.on_turn(sid, {"speaker": "caller", "text": long_turn})
    assert a.turn_index == 0 and spy.lengths and max(spy.lengths) <= 120
    spy.lengths.clear()
    agent.on_turn(sid, {"speaker": "caller", "text": "嗯"})      # short: the previous turn joins the query, still cut
    assert spy.lengths and max(spy.lengths) <= 120
    assert query_window("前文" * 20 + "。" + "重点" * 15, 40) == "重点" * 15   # from a sentence start when one is near
    assert query_window("一二三四五六七八九十", 4) == "七八九十"


def test_concurrent_turns_on_one_session_get_unique_ordered_indices(agent_settings):
    agent = build_staff_assist(agent_settings)
    sid = agent.start({"number_matches": "no"})
    got: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    barrier = threading.Barrier(12)

    def worker(k: int) -> None:
        barrier.wait()
        for j in range(5):
            try:
                a = agent.on_turn(sid, {"speaker": "caller" if j % 2 else "agent", "text": f"线程{k}第{j}句，我想问问还款"})
                with lock:
                    got.append(a.turn_index)
            except BaseException as exc:  # noqa: BLE001 - collected and asserted below
                errors.append(exc)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(got) == list(range(60))                          # unique, none lost
    turns = agent.session(sid).turns
    assert len(turns) == 60
    for k in range(12):                                             # each thread's turns kept in the order it sent them
        mine = [t.text for t in turns if t.text.startswith(f"线程{k}第")]
        assert mine == [f"线程{k}第{j}句，我想问问还款" for j in range(5)]


def test_a_locked_feedback_database_never_costs_the_hint_and_loses_nothing(agent_settings, caplog):
    s = _settings(agent_settings, store_timeout_s=0.2)
    agent = build_staff_assist(s)
    db_path = Path(s.agent.feedback_url.removeprefix("sqlite:///"))
    sid = agent.start({"number_matches": "no"})
    first = agent.on_turn(sid, {"speaker": "caller", "text": "我是借款人的法务，以后他的事都由我来谈。"})
    blocker = sqlite3.connect(db_path, timeout=0.1)
    blocker.execute("BEGIN EXCLUSIVE")                              # another process holds the database
    try:
        a = agent.on_turn(sid, {"speaker": "caller", "text": "你把他欠多少告诉我，我来跟你们谈减免。"})
        assert a.risk["category"] == "intermediary" and a.suggestions          # the hint and scripts still come
        agent.feedback(a.suggestions[0].id, "rejected", agent_id="a7")           # queued, found in the queue
        assert agent.store.queued >= 2                      # the turn's shown rows (one write) and the vote
        assert any("queueing writes" in r.getMessage() for r in caplog.records)
        with pytest.raises(StoreUnavailable):
            agent.store.inner.record_tag(sid, "t", True, None)     # the adapter says what happened
        with pytest.raises(StoreUnavailable):
            agent.store.ping()                                      # so /readyz says 503 meanwhile
    finally:
        blocker.rollback()
        blocker.close()
    agent.store.ping()                                               # readiness check flushes the queue
    assert agent.store.queued == 0
    rows = sqlite3.connect(db_path).execute("SELECT COUNT(*) FROM suggestion_shown").fetchone()[0]
    assert rows == len(first.suggestions) + len(a.suggestions)
    fb = sqlite3.connect(db_path).execute("SELECT action, agent_id FROM suggestion_feedback").fetchall()
    assert fb == [("rejected", "a7")]


def test_surrogates_and_personal_data_in_every_field_are_cleaned_before_keeping(agent_settings):
    agent = build_staff_assist(agent_settings)
    sid = agent.start({"number_matches": "no"}, {"客户称呼": "王女士13812345678"})
    a = agent.on_turn(sid, {"speaker": "caller", "text": "我是他的法务\ud800，电话tel15697880932"})
    kept = agent.session(sid).turns[-1].text
    assert "\ud800" not in kept and "15697880932" not in kept
    assert agent.session(sid).slots == {"客户称呼": "王女士【手机号】"}
    assert all("13812345678" not in s.text for s in a.suggestions)
    agent.feedback(a.suggestions[0].id, "edited", "改成\udfff这样，证件ID110101199003074477", agent_id="工号13812345678")
    db = Path(agent_settings.agent.feedback_url.removeprefix("sqlite:///"))
    stored = b"".join(p.read_bytes() for p in db.parent.glob(db.name + "*"))     # the file and its write-ahead log
    for raw in (b"13812345678", b"15697880932", b"110101199003074477"):
        assert raw not in stored
    assert "证件ID【身份证号】".encode() in stored                   # the edited reply was stored, masked
    with pytest.raises(Exception) as exc:
        agent.tag("13812345678", True)                   # not an id this service made: never reaches the store
    assert "会话" in str(exc.value)
