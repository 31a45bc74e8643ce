"""Live state in the shared database (live_state = "database"): a call served turn by turn by two StaffAssist
instances (two workers, each with its own assessor and embedder) gives the same assistance as one process; a worker
that goes away mid-call loses nothing; expiry and bounds hold; rate limits are shared. Real SQLite file here; the
same store on PostgreSQL and across real processes is tests/integration/test_workers.py."""

import json
from pathlib import Path

import pytest

from assist.adapters.sql_database import SqlDatabase
from assist.adapters.sql_sessions import SqlRateLimiter, SqlSessionStore
from assist.bootstrap import build_staff_assist
from assist.errors import AssistError, SessionNotFound, TurnConflict
from assist.staff.session_state import decoder, encode

CALL = [
    ("agent", "您好，这里是客服中心，请问有什么可以帮您？"),
    ("caller", "我帮同事问一下，他那笔欠款能不能停息挂账"),
    ("agent", "请问您和借款人是什么关系？"),
    ("caller", "同事啊，他的事都交给我们公司了，我们是专门做债务优化的"),
    ("caller", "你们不同意的话我们就去12378投诉，手机13800138000"),
    ("agent", "我们需要先核实借款人本人的身份。"),
    ("caller", "他本人不方便接电话，你跟我谈就行，分60期，免掉全部利息"),
]


def comparable(a):
    d = a.to_dict()
    return (d["turn_index"], json.dumps(d["risk"], sort_keys=True, ensure_ascii=False),
            [s["script_id"] for s in d["suggestions"]], [p["doc_id"] for p in d["passages"]],
            [x["id"] for x in d["actions"]])


@pytest.fixture
def shared(agent_settings, tmp_path):
    return agent_settings.model_copy(update={"live_state": "database",
                                             "database_url": f"sqlite:///{tmp_path / 'shared.sqlite'}"})


def test_two_workers_alternating_give_what_one_process_gives(agent_settings, shared):
    one = build_staff_assist(agent_settings)                       # in-process sessions
    w1, w2 = build_staff_assist(shared), build_staff_assist(shared)
    assert w1._sessions is not w2._sessions and w1.assessor is not w2.assessor
    sid_one = one.start({"number_matches": "no"}, {"客户称呼": "王先生"})
    sid = w1.start({"number_matches": "no"}, {"客户称呼": "王先生"})
    for i, (speaker, text) in enumerate(CALL):
        worker = (w1, w2)[i % 2]
        assert comparable(worker.on_turn(sid, {"speaker": speaker, "text": text})) == \
            comparable(one.on_turn(sid_one, {"speaker": speaker, "text": text})), f"turn {i}"
    assert w2.verify(sid) == one.verify(sid_one)
    # what is kept in the database is masked
    db = Path(shared.database_url.removeprefix("sqlite:///"))
    raw = b"".join(p.read_bytes() for p in db.parent.glob(db.name + "*"))     # the file and its write-ahead log
    assert b"13800138000" not in raw and "【手机号】".encode() in raw


def test_the_next_worker_does_not_embed_the_words_the_last_one_embedded(shared, monkeypatch):
    """An agent's turn searches the caller's last words again; the worker that takes it finds their vector in the
    call's session instead of embedding them a second time (turns are spread over workers)."""
    from assist.adapters.embedders import HashEmbedder

    seen: list[str] = []
    real = HashEmbedder.embed_query
    monkeypatch.setattr(HashEmbedder, "embed_query", lambda self, text: seen.append(text) or real(self, text))
    w1, w2 = build_staff_assist(shared), build_staff_assist(shared)
    sid = w1.start({"number_matches": "no"})
    words = CALL[3][1]
    first = w1.on_turn(sid, {"speaker": "caller", "text": words})
    assert words in seen
    seen.clear()
    after = w2.on_turn(sid, {"speaker": "agent", "text": CALL[5][1]})
    assert words not in seen and [p["doc_id"] for p in after.passages] == [p["doc_id"] for p in first.passages]
    assert w2.on_turn(sid, {"speaker": "caller", "text": CALL[6][1]}) and CALL[6][1] in seen   # new words: embedded
    stored = w1.session(sid).query_vec
    assert stored is not None and stored[1] == w1.retriever.query_vector(CALL[6][1])[0]
    assert not w1.retriever.remember("别的话", "another-embedder", stored[2])                    # not its vector


def test_a_worker_that_goes_away_mid_call_loses_nothing(shared):
    w1 = build_staff_assist(shared)
    sid = w1.start({"number_matches": "no"})
    for speaker, text in CALL[:4]:
        w1.on_turn(sid, {"speaker": speaker, "text": text})
    level = w1.session(sid).risk.current().level
    del w1                                                          # the worker is gone; a new one takes the call
    w3 = build_staff_assist(shared)
    s = w3.session(sid)
    assert [t.text for t in s.turns][:2] == [CALL[0][1], CALL[1][1]] and s.risk.current().level == level
    r = w3.on_turn(sid, {"speaker": "caller", "text": CALL[4][1]})
    assert r.turn_index == 4


def test_a_resent_turn_is_taken_once_on_any_worker(shared):
    """A client whose answer was lost (its worker died) resends the turn with the same id to another worker: the
    turn is not taken twice, the same assistance comes back; an id reused for other words or an older turn is 409."""
    w1, w2 = build_staff_assist(shared), build_staff_assist(shared)
    sid = w1.start({"number_matches": "no"})
    for i, (speaker, text) in enumerate(CALL[:3]):
        w1.on_turn(sid, {"speaker": speaker, "text": text}, turn_id=f"seg-{i}")
    first = w1.on_turn(sid, {"speaker": "caller", "text": CALL[3][1]}, turn_id="seg-3")
    again = w2.on_turn(sid, {"speaker": "caller", "text": CALL[3][1]}, turn_id="seg-3")
    assert comparable(again) == comparable(first) and again.turn_index == 3
    s = w2.session(sid)
    assert len(s.turns) == 4 and len(s.needs) == 2 and s.risk.state.caller_turns == 2    # taken once
    with pytest.raises(TurnConflict, match="different turn"):
        w2.on_turn(sid, {"speaker": "caller", "text": "换了说法"}, turn_id="seg-3")
    with pytest.raises(TurnConflict, match="later turn"):
        w1.on_turn(sid, {"speaker": "agent", "text": CALL[2][1]}, turn_id="seg-2")
    after = w1.on_turn(sid, {"speaker": "caller", "text": CALL[4][1]}, turn_id="seg-4")
    assert after.turn_index == 4
    assert w1.on_turn(sid, {"speaker": "caller", "text": CALL[4][1]}).turn_index == 5     # no id: a new turn
    assert "seg-4" not in json.dumps(encode(w1.session(sid)))       # only the ids' digests are kept


def test_a_failed_turn_changes_nothing(shared):
    w = build_staff_assist(shared)
    sid = w.start()
    w.on_turn(sid, {"speaker": "caller", "text": "你好"})
    before = encode(w.session(sid))
    with pytest.raises(AssistError):
        w.on_turn(sid, {"speaker": "nobody", "text": "坏的一轮"})
    assert encode(w.session(sid)) == before


def test_sessions_expire_and_stay_bounded(tmp_path):
    now = [1000.0]
    db = SqlDatabase(f"sqlite:///{tmp_path / 's.sqlite'}")
    store = SqlSessionStore(db, "t", 60, list, list, max_entries=3, clock=lambda: now[0], sweep_every_s=0)
    assert all(store.add(k, [k]) for k in "abc") and not store.add("d", ["d"])   # full: refused
    now[0] += 30
    assert store.get("a") == ["a"]                                  # touched: its idle time starts again
    now[0] += 40
    assert store.get("b") is None and store.get("a") == ["a"] and len(store) == 1
    assert store.add("d", ["d"]) and len(store) == 2
    evicting = SqlSessionStore(db, "u", 60, list, list, max_entries=2, evict=True, clock=lambda: now[0])
    evicting.put("x", [1])
    now[0] += 1
    evicting.put("y", [2])
    now[0] += 1
    evicting.put("z", [3])                                          # the longest idle one makes room
    assert evicting.get("x") is None and evicting.get("z") == [3] and evicting.evicted == 1
    with store.hold("a") as v:
        v.append("more")
    assert store.get("a") == ["a", "more"]
    with store.hold("nope") as v:
        assert v is None
    store.discard("a")
    assert store.get("a") is None


def test_unknown_session_is_not_found_on_every_worker(shared):
    with pytest.raises(SessionNotFound):
        build_staff_assist(shared).on_turn("0" * 16, {"speaker": "caller", "text": "你好"})


def test_rate_limit_is_one_budget_for_every_worker(tmp_path):
    now = [0.0]
    url = f"sqlite:///{tmp_path / 'r.sqlite'}"
    a = SqlRateLimiter(SqlDatabase(url), "consumer", per_minute=60, burst=3, clock=lambda: now[0])
    b = SqlRateLimiter(SqlDatabase(url), "consumer", per_minute=60, burst=3, clock=lambda: now[0])
    assert [a.allow("ip1"), b.allow("ip1"), a.allow("ip1")] == [0.0, 0.0, 0.0]
    assert b.allow("ip1") == pytest.approx(1.0) and a.allow("ip2") == 0.0
    now[0] += 1.0
    assert b.allow("ip1") == 0.0 and a.allow("ip1") > 0


def test_session_state_round_trip_is_exact(agent_settings):
    w = build_staff_assist(agent_settings)
    sid = w.start({"number_matches": "no"}, {"客户称呼": "李女士"})
    for speaker, text in CALL:
        w.on_turn(sid, {"speaker": speaker, "text": text})
    s = w.session(sid)
    back = decoder(w.assessor)(json.loads(json.dumps(encode(s))))
    assert encode(back) == encode(s) and back.risk.current() == s.risk.current()
