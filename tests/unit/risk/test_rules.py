"""Risk hint, rules layer (no embedder): behaviour a trainer would check by hand."""

import pytest

from assist.errors import ConversationError


@pytest.fixture(scope="module")
def assessor(rules_assessor):
    return rules_assessor


def _c(*caller_lines, agent_first="您好，请问有什么可以帮您？"):
    turns = [{"speaker": "agent", "text": agent_first}]
    for line in caller_lines:
        turns.append({"speaker": "caller", "text": line})
    return turns


def test_explicit_third_party_is_flagged_with_quoted_evidence(assessor):
    turns = _c("我是王女士委托的法务，她这笔账以后都归我对接。", "以后别打她原来那个号了，只打我这个。")
    r = assessor.assess(turns)
    assert r.category == "intermediary" and r.level in ("medium", "high")
    ev = {e.signal_id: e for e in r.evidence}
    assert {"S1", "S3"} <= set(ev)
    e = ev["S1"]
    assert turns[e.turn_index]["text"][e.start:e.end] == e.quote and "法务" in e.quote
    assert "verify_identity" in r.actions and r.probes


@pytest.mark.parametrize("line", [
    "你们态度太差了，我要打12378投诉你们！",
    "我不是代理，我没委托任何人，我就是借款人本人。",
    "我在网上看到停息挂账，这是什么意思？我能办吗",
    "非恶意逾期是啥意思啊，我这种算不算",
    "我失业了，这个月真的还不上，能不能给我分期",
    "你们这个利息太高了，我觉得跟高利贷差不多，能不能少点",
    "我对你们的处理不满意，我会去12378反映，这是我的权利",
])
def test_genuine_borrowers_are_not_flagged(assessor, line):
    r = assessor.assess(_c(line))
    assert r.level == "low" and r.category == "none", (line, r.evidence)


def test_agent_words_never_count_as_caller_evidence(assessor):
    turns = [{"speaker": "agent", "text": "您是不是找了代理公司？是不是有法务在帮您？停息挂账不是法定权利。"},
             {"speaker": "caller", "text": "没有啊，就我自己。"}]
    r = assessor.assess(turns)
    assert r.evidence == () and r.level == "low"


def test_negation_before_a_match(assessor):
    """The denied role (法务) is not evidence; the affirmed one (姐姐) is: a relative speaking for the borrower is
    verified (medium), never tagged."""
    r = assessor.assess(_c("我不是他的法务，我是他姐姐，他就在旁边"))
    quotes = [e.quote for e in r.evidence]
    assert quotes and not any("法务" in q for q in quotes) and any("姐姐" in q for q in quotes), quotes
    assert r.level == "medium" and "tag_suspected_intermediary" not in r.actions


def test_victim_is_recognised_and_protection_recommended(assessor):
    r = assessor.assess(_c("我之前交了三千块协商服务费", "他们还让我把验证码发给他们，现在卡也不在我手上了"))
    assert r.category == "victim" and "victim_protection" in r.actions


def test_level_rises_at_once_and_does_not_flap(assessor):
    s = assessor.new_session({"number_matches": "no"})
    s.add({"speaker": "agent", "text": "您好"})
    r1 = s.add({"speaker": "caller", "text": "我是借款人的债务规划师，他的事都由我来谈。"})
    r2 = s.add({"speaker": "caller", "text": "你们别再联系他了，以后只打我这个号码。"})
    assert r1.level in ("medium", "high") and r2.level in ("medium", "high")
    for _ in range(5):
        r = s.add({"speaker": "caller", "text": "好的好的。"})
        assert r.level == r2.level  # neutral turns do not bring it down on their own
    assert s.state.history[-1] == r2.level


def test_level_comes_down_when_the_caller_is_verified(assessor):
    s = assessor.new_session({"number_matches": "no"})
    s.add({"speaker": "caller", "text": "我是借款人的法务，以后他的事都由我们来谈。"})
    s.add({"speaker": "caller", "text": "以后只打我这个号码。"})
    before = s.current()
    after = s.update_meta(verified=True)
    assert before.level != "low" and after.probabilities["intermediary"] < before.probabilities["intermediary"]


@pytest.mark.parametrize("turns", [
    [],
    [{"speaker": "caller", "text": ""}],
    [{"speaker": "caller", "text": None}],
    [{"speaker": "agent", "text": "您好"}, {"speaker": "agent", "text": "请问还在吗"}],
    [{"speaker": "caller", "text": "我是他的法务" + "嗯" * 20000}],
    [{"speaker": "caller", "text": "我是他的法務，以後只打我這個號碼"}],
    [{"speaker": "caller", "text": "😡😡 我要投诉！！１２３７８"}],
    [{"speaker": "客户", "text": "停息挂账是什么"}, {"speaker": "坐席", "text": "我来解释"}],
])
def test_odd_input_gives_a_valid_assessment(assessor, turns):
    r = assessor.assess(turns)
    assert r.level in ("low", "medium", "high") and abs(sum(r.probabilities.values()) - 1) < 1e-6


def test_traditional_characters_match_rules(assessor):
    r = assessor.assess(_c("我是他的法務，以後只打我這個號碼，別打他原來那個號"))
    assert {"S1", "S3"} <= {e.signal_id for e in r.evidence}


@pytest.mark.parametrize("bad", [
    [{"speaker": "robot", "text": "hi"}],
    ["just a string"],
    [{"speaker": "caller", "text": 42}],
])
def test_bad_input_is_a_clear_error(assessor, bad):
    with pytest.raises(ConversationError) as exc:
        assessor.assess(bad)
    assert exc.value.field and exc.value.message


def test_replay_keeps_the_level_after_each_turn(assessor):
    session = assessor.replay(_c("我是她委托的法务，她的事都归我管", "以后只打我这个号码，别打她原来那个号"),
                              {"number_matches": "no"})
    assert len(session.state.history) == 3 and session.state.history[0] == "low"
    assert session.current().category == "intermediary" and session.state.history[-1] != "low"


class _ConfidentModel:
    """A learned layer that is always sure the caller is an intermediary (a fake, to test the level rules)."""

    data_hash = "f" * 64

    def predict(self, state, meta, signals):
        return {"genuine": 0.02, "legit_rep": 0.02, "intermediary": 0.94, "coached": 0.01, "victim": 0.01}


def test_a_third_party_alone_leads_to_verification_not_to_a_tag(rules_assessor):
    """S1 (someone speaks for the borrower) is what lawyers and authorised relatives do too: on its own it stays at
    medium however sure the model is; evidence of a second signal may raise the level to high."""
    assessor = rules_assessor.with_model(_ConfidentModel())
    s = assessor.new_session({"number_matches": "unknown"})
    r = s.add({"speaker": "caller", "text": "您好，我是华正律师事务所的律师助理，代表彭律师跟您约个时间。"})
    assert {e.signal_id for e in r.evidence} == {"S1"}
    assert r.probabilities["intermediary"] > 0.9 and r.level == "medium"
    assert "tag_suspected_intermediary" not in r.actions and "ask_authorisation_documents" in r.actions
    r = s.add({"speaker": "caller", "text": "以后别打她原来那个号了，只打我这个。"})
    assert "S3" in {e.signal_id for e in r.evidence} and r.level == "high" and "tag_suspected_intermediary" in r.actions


def test_no_hint_without_quoted_evidence(rules_assessor):
    """However sure the learned layer is, a call with nothing in the caller's own words to quote stays low (issue 17:
    a probability alone must not ask staff to verify a genuine borrower)."""
    r = rules_assessor.with_model(_ConfidentModel()).assess(_c("你好，我想问一下这个月的账单。"))
    assert r.evidence == () and r.probabilities["intermediary"] > 0.9 and r.level == "low" and r.category == "none"


def test_escalation_follows_the_taxonomy_not_the_code(rules_assessor):
    """Which signals call for escalation is the `escalate` field of signals.yaml."""
    from dataclasses import replace

    from assist.risk.assessor import RiskAssessor

    turns = _c("我是她委托的法务，她的事都归我管。", "以后别打她原来那个号了，只打我这个。")
    base = rules_assessor.with_model(_ConfidentModel()).assess(turns)
    assert base.level == "high" and {"S1", "S3"} <= {e.signal_id for e in base.evidence}
    assert "escalate" not in base.actions
    marked = [replace(s, escalate=True) if s.id == "S3" else s for s in rules_assessor.signals.values()]
    again = RiskAssessor(marked, rules_assessor.rules, None, _ConfidentModel()).assess(turns)
    assert "escalate" in again.actions
