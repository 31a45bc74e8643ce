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
    for _ in range(10):
        _, again = first_suggestion()
        s = next((x for x in again if x.script_id == top.script_id), None)
        if s is None:
            break
        agent.feedback(s.id, "rejected", agent_id="a1")
        rejected.append(s.id)
    _, after = first_suggestion()
    assert after[0].script_id != top.script_id                    # kept rejecting: ranks lower
    lowered = [x for x in after if x.script_id == top.script_id]
    assert not lowered or top.score - lowered[0].score <= 0.6 + 1e-9   # bounded: at most 0.6 lower
    assert len(rejected) >= 1
    for sug_id in rejected:                                        # agents later use it again
        agent.feedback(sug_id, "used")
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
    for _ in range(3):      # several scripts fit this turn equally: one rejection may already move it out of the top 3
        s2 = first.start({"number_matches": "no"})
        again = first.on_turn(s2, {"speaker": "caller", "text": "我是借款人的法务，以后他的事都由我来谈。"}).suggestions
        hit = next((x for x in again if x.script_id == top.script_id), None)
        if hit is None:
            break
        first.feedback(hit.id, "rejected")
        rejected += 1
    assert rejected >= 1
    restarted = build_staff_assist(agent_settings)
    assert restarted.ranker.penalty(top.script_id, "intermediary") == pytest.approx(0.15 * rejected)
    s3 = restarted.start({"number_matches": "no"})
    after = restarted.on_turn(s3, {"speaker": "caller", "text": "我是借款人的法务，以后他的事都由我来谈。"}).suggestions
    same = [x for x in after if x.script_id == top.script_id]
    assert not same or same[0].score == pytest.approx(top.score - 0.15 * rejected)




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
