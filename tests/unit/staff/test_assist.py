"""StaffAssist over the shipped knowledge (hashing embedder, real embedded Chroma, real SQLite feedback store)."""

import time
from pathlib import Path

import pytest

from assist.bootstrap import build_staff_assist
from assist.errors import SessionNotFound
from assist.staff.assist import NO_FIT


@pytest.fixture
def agent(agent_settings):
    return build_staff_assist(agent_settings)


def test_third_party_gets_verification_scripts_with_citations(agent):
    sid = agent.start({"number_matches": "no"}, {"客户称呼": "王女士"})
    agent.on_turn(sid, {"speaker": "agent", "text": "您好，请问有什么可以帮您？"})
    r = agent.on_turn(sid, {"speaker": "caller", "text": "我是借款人的法务，以后他的事都由我来谈，你把他欠多少告诉我。"})
    assert r.risk["category"] == "intermediary" and r.risk["level"] in ("medium", "high")
    assert 1 <= len(r.suggestions) <= 3
    ids = [s.script_id for s in r.suggestions]
    assert any(i in ids for i in ("script-unverified-third-party", "script-self-styled-legal-affairs"))
    for s in r.suggestions:
        assert s.citations and all(c.title for c in s.citations) and s.reason
        assert "{" not in s.text                                  # slots filled
    assert {a["id"] for a in r.actions} >= {"verify_identity"}
    assert all(p["doc_id"].startswith(("reg-", "guide-")) for p in r.passages)


def test_personal_data_is_masked_before_anything_is_kept(agent, agent_settings):
    sid = agent.start({"number_matches": "no"})
    r = agent.on_turn(sid, {"speaker": "caller", "text": "我是他的法务，我手机13800138000，身份证11010519491231002X"})
    kept = agent.session(sid).turns[-1].text
    assert "13800138000" not in kept and "【手机号】" in kept and "【身份证号】" in kept
    agent.feedback(r.suggestions[0].id, "edited", "改过的话术，客户电话13800138000", agent_id="a1")
    db = Path(agent_settings.agent.feedback_url.removeprefix("sqlite:///"))
    stored = b"".join(p.read_bytes() for p in db.parent.glob(db.name + "*"))     # the file and its write-ahead log
    assert b"13800138000" not in stored and "【手机号】".encode() in stored


def test_nothing_fits_says_so(agent):
    sid = agent.start()
    r = agent.on_turn(sid, {"speaker": "caller", "text": "今天天气不错"})
    assert r.suggestions == () and r.message == NO_FIT


def test_feedback_lowers_a_script_in_that_situation_boundedly_and_reversibly(agent):
    def first_suggestion():
        sid = agent.start({"number_matches": "no"})
        r = agent.on_turn(sid, {"speaker": "caller", "text": "我是借款人的法务，以后他的事都由我来谈。"})
        return sid, r.suggestions

    sid, sugs = first_suggestion()
    top = sugs[0]
    rejected = []
    for k in range(10):                                            # ten staff members each reject it once
        _, again = first_suggestion()
        s = next((x for x in again if x.script_id == top.script_id), None)
        if s is None:
            break
        agent.feedback(s.id, "rejected", agent_id=f"a{k}")
        rejected.append((s.id, f"a{k}"))
    _, after = first_suggestion()
    assert after[0].script_id != top.script_id                    # kept rejecting: ranks lower
    lowered = [x for x in after if x.script_id == top.script_id]
    assert not lowered or top.score - lowered[0].score <= 0.6 + 1e-9   # bounded: at most 0.6 lower
    assert len(rejected) >= 1
    for sug_id, who in rejected:                                   # the same staff change their vote: used after all
        agent.feedback(sug_id, "used", agent_id=who)
    _, restored = first_suggestion()
    assert restored[0].script_id == top.script_id and restored[0].score == top.score   # reversible
    agent.tag(sid, True, "a1")
    assert agent.store.tag_state(sid, "疑似代理") is True
    agent.tag(sid, False, "a1")
    assert agent.store.tag_state(sid, "疑似代理") is False



def test_sessions_expire(agent_settings):
    short = build_staff_assist(agent_settings.model_copy(update={"agent": agent_settings.agent.model_copy(
        update={"session_ttl_minutes": 0.0005})}))
    sid = short.start()
    time.sleep(0.1)
    with pytest.raises(SessionNotFound):
        short.on_turn(sid, {"speaker": "caller", "text": "你好"})


def test_feedback_survives_a_restart(agent_settings):
    """Rejections are stored: a new process over the same feedback store ranks the script lower at once."""
    first = build_staff_assist(agent_settings)
    sid = first.start({"number_matches": "no"})
    top = first.on_turn(sid, {"speaker": "caller", "text": "我是借款人的法务，以后他的事都由我来谈。"}).suggestions[0]
    rejected = 0
    for k in range(3):      # several scripts fit this turn equally: one rejection may already move it out of the top 3
        s2 = first.start({"number_matches": "no"})
        again = first.on_turn(s2, {"speaker": "caller", "text": "我是借款人的法务，以后他的事都由我来谈。"}).suggestions
        hit = next((x for x in again if x.script_id == top.script_id), None)
        if hit is None:
            break
        first.feedback(hit.id, "rejected", agent_id=f"a{k}")
        rejected += 1
    assert rejected >= 1
    restarted = build_staff_assist(agent_settings)
    assert restarted.ranker.penalty(top.script_id, "intermediary") == pytest.approx(0.15 * rejected)
    s3 = restarted.start({"number_matches": "no"})
    after = restarted.on_turn(s3, {"speaker": "caller", "text": "我是借款人的法务，以后他的事都由我来谈。"}).suggestions
    same = [x for x in after if x.script_id == top.script_id]
    assert not same or same[0].score == pytest.approx(top.score - 0.15 * rejected)




def test_one_person_cannot_game_the_ranking_and_an_admin_can_undo(agent):
    """Six "rejected" clicks by one staff member on one script (the issue's attack) move it by one step at most; a
    second vote on one suggestion replaces the first; an admin sees every vote and can undo one."""
    from assist.staff.suggestions import PENALTY_STEP, bounded_counts

    def best():
        sid = agent.start({"number_matches": "no"})
        return agent.on_turn(sid, {"speaker": "caller", "text": "我是借款人的法务，以后他的事都由我来谈。"}).suggestions

    top = best()[0]
    shown = []
    for _ in range(6):
        sid = agent.start({"number_matches": "no"})
        r = agent.on_turn(sid, {"speaker": "caller", "text": "我是借款人的法务，以后他的事都由我来谈。"},
                          signal_scripts=True)
        s = next(x for x in r.suggestions if x.script_id == top.script_id)   # offered to someone: mallory clicks
        agent.feedback(s.id, "rejected", agent_id="mallory")
        agent.feedback(s.id, "rejected", agent_id="mallory")          # the same suggestion twice: one vote
        shown.append(s.id)
    # twelve clicks by one person move nothing: the best script stays first for everyone
    assert not [k for k in bounded_counts(agent.store.vote_rows()) if k[0] == top.script_id]
    assert best()[0].script_id == top.script_id and best()[0].score == pytest.approx(top.score)
    # three staff members agreeing move it by one step each (at most PER_AGENT_DAY a day each)
    offered = [next(x.id for x in best() if x.script_id == top.script_id) for _ in range(3)]   # before any moves
    for who, suggestion in zip(("a1", "a2", "a3"), offered, strict=True):
        agent.feedback(suggestion, "rejected", agent_id=who)
    effect = {k: v for k, v in bounded_counts(agent.store.vote_rows()).items() if k[0] == top.script_id}
    (situation,) = {k[1] for k in effect}
    assert list(effect.values()) == [{"rejected": 4}]          # a1..a3 one each, mallory one (bounded)
    assert agent.ranker.penalty(top.script_id, situation) == pytest.approx(4 * PENALTY_STEP)
    votes = agent.votes(agent_id="mallory")
    assert len(votes) == 6 and all(v["action"] == "rejected" for v in votes)
    for v in votes + agent.votes(agent_id="a1"):
        assert agent.undo_vote(v["vote_id"], "admin1")
    assert not agent.undo_vote(votes[0]["vote_id"], "admin1")      # already undone
    agent.refresh_feedback()
    assert agent.ranker.penalty(top.script_id, situation) == 0       # two agreeing staff left: below MIN_VOTERS
    assert best()[0].score == pytest.approx(top.score) and best()[0].script_id == top.script_id
    assert all(v["undone_by"] == "admin1" for v in agent.votes(agent_id="mallory"))
    rows = [("s", "x", "a", "2026-01-01", "rejected")] * 5 + [("s", "x", "a", "2026-01-02", "rejected")] * 5 + \
           [("s", "x", "a", "2026-01-03", "rejected")] + [("s", "x", "b", "2026-01-01", "rejected")]
    assert bounded_counts(rows) == {}                               # a and b: two voters, below MIN_VOTERS
    rows += [("s", "x", "c", "2026-01-01", "rejected")]
    assert bounded_counts(rows) == {("s", "x"): {"rejected": 4}}  # a: 1 a day, 2 in all; b: 1; c: 1


def test_an_invented_session_cannot_be_tagged_but_an_ended_one_can(agent):
    with pytest.raises(SessionNotFound):
        agent.tag("0123456789abcdef", True, agent_id="a1")            # well-formed, never existed
    sid = agent.start({"number_matches": "no"})
    agent.on_turn(sid, {"speaker": "caller", "text": "我是借款人的法务，以后他的事都由我来谈。"})
    agent.tag(sid, True, agent_id="a1")                               # live
    agent._sessions.discard(sid)                                      # the call has ended (expired)
    agent.tag(sid, False, agent_id="a1")                              # still known: it was served
    assert agent.store.tag_state(sid, "suspected_intermediary") is False


def test_a_genuine_borrowers_need_decides_and_each_suggestion_says_why(agent):
    sid = agent.start({"number_matches": "yes"})
    r = agent.on_turn(sid, {"speaker": "caller", "text": "我上个月被裁员了，这个月实在还不上，能不能分期？"})
    assert r.risk["level"] == "low" and r.needs[:2] == ("hardship_job", "hardship_general")
    assert r.suggestions[0].script_id == "script-hardship-job-loss" and "失业" in r.suggestions[0].reason
    assert all(s.family != "intermediary" and s.reason for s in r.suggestions)
    r = agent.on_turn(sid, {"speaker": "caller", "text": "你们这什么态度！！我要打12378投诉你们！"})
    assert r.risk["level"] == "low" and {s.family for s in r.suggestions} <= {"need", "verification", "victim"}
    assert {"script-angry-genuine-borrower", "script-will-complain-12378"} <= {s.script_id for s in r.suggestions}
    assert r.to_dict()["suggestions"][0]["reason"] and "needs" in r.to_dict()


def test_a_turn_without_a_fitting_script_is_logged_masked(agent, caplog):
    sid = agent.start()
    with caplog.at_level("INFO", logger="assist.staff"):
        r = agent.on_turn(sid, {"speaker": "caller", "text": "今天天气不错，我手机13800138000"})
        agent.on_turn(sid, {"speaker": "caller", "text": "好的，谢谢"})          # a filler is not a missing script
    assert r.suggestions == ()
    lines = [m for m in caplog.messages if "no fitting script" in m]
    assert len(lines) == 1 and "13800138000" not in lines[0] and "天气不错" in lines[0]


def test_staff_can_ask_for_intermediary_signal_scripts_at_low_risk(agent):
    said = {"speaker": "caller", "text": "你们就是高利贷，就是暴力催收，违法的！"}
    plain = agent.on_turn(agent.start({"number_matches": "yes"}), said)
    asked = agent.on_turn(agent.start({"number_matches": "yes"}), said, signal_scripts=True)
    assert plain.risk["level"] == asked.risk["level"] == "low"
    assert all(s.family != "intermediary" for s in plain.suggestions)
    flagged = [s for s in asked.suggestions if s.family == "intermediary"]
    assert flagged and all("坐席要求" in s.reason for s in flagged)
