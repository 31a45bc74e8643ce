"""Ranking by the caller's situation (assist.staff.suggestions), over fake scripts: the caller's need decides unless
the risk hint is at least medium; scripts written for intermediary signals never reach a low-risk caller unless staff
ask; every suggestion says why."""

from types import SimpleNamespace as Ns

import pytest

from assist.evaluation.reply_metrics import TurnRecord, reply_metrics
from assist.knowledge.needs import NeedHit
from assist.staff.suggestions import RankInput, ScriptRanker, _keep_in_top, family_of


def _doc(sid, family, signals=(), needs=()):
    return Ns(id=sid, kind="script", meta={"family": family, "signals": list(signals), "needs": list(needs)},
              body="## 话术\n\n您好。", source=[], title=sid)


DOCS = [_doc("angry", "need", needs=["anger"]), _doc("complain", "need", needs=["complaint"]),
        _doc("hardship", "need", needs=["hardship_job", "instalment"]),
        _doc("usury", "intermediary", ["S8"]), _doc("waiver", "intermediary", ["S5"]),
        _doc("probe", "verification", ["S1"], ["third_party"]), _doc("verify", "verification", needs=["identity_answer"]),
        _doc("paid", "victim", ["S18"], ["victim_paid"]), _doc("lawyer", "representative", needs=["representative"])]
ANGER = NeedHit("anger", "情绪激动", "凭什么")
COMPLAINT = NeedHit("complaint", "要投诉", "12378")
JOB = NeedHit("hardship_job", "失业", "失业")


@pytest.fixture
def ranker():
    return ScriptRanker(DOCS, {})


def ids(ranked):
    return [r.script.id for r in ranked]


def test_a_genuine_angry_borrower_gets_their_need_never_a_suspicion_script(ranker):
    # stray evidence of an anger-like signal (S8) at level low: the old ranking put the S8 script on top
    out = ranker.rank((), "none", RankInput(needs=(ANGER, COMPLAINT), signals=frozenset({"S8"})))
    assert ids(out) == ["angry", "complain"]
    assert "情绪激动" in out[0].reason and "凭什么" in out[0].reason
    assert all(r.family != "intermediary" for r in out)


def test_at_medium_verification_comes_first_and_signal_scripts_join(ranker):
    out = ranker.rank((), "intermediary", RankInput(needs=(JOB,), level="medium", category="intermediary",
                                                    signals=frozenset({"S1", "S5"})))
    assert ids(out)[:3] == ["probe", "hardship", "waiver"]
    assert "风险提示为中" in out[0].reason and out[2].family == "intermediary"


def test_at_high_signal_scripts_outrank_the_need(ranker):
    out = ranker.rank((), "intermediary", RankInput(needs=(JOB,), level="high", category="coached",
                                                    signals=frozenset({"S5"})))
    assert ids(out)[:2] == ["waiver", "hardship"]


def test_medium_without_a_fitting_signal_script_still_offers_a_neutral_check(ranker):
    out = ranker.rank((), "intermediary", RankInput(level="medium", category="intermediary", signals=frozenset({"S14"})))
    assert ids(out) == ["verify"] and out[0].family == "verification"


def test_staff_can_ask_for_signal_scripts_at_low(ranker):
    inp = RankInput(needs=(ANGER,), signals=frozenset({"S8"}), signal_scripts=True)
    out = ranker.rank((), "none", inp)
    assert ids(out) == ["angry", "usury"] and "坐席要求" in out[1].reason


def test_victim_signals_bring_protection_at_any_level(ranker):
    out = ranker.rank((), "none", RankInput(signals=frozenset({"S18"})))
    assert ids(out) == ["paid"] and out[0].family == "victim"
    out = ranker.rank((), "victim", RankInput(needs=(JOB,), level="medium", category="victim"))
    assert "paid" in ids(out)[:3]


def test_an_earlier_need_carries_and_similar_scripts_fill_in(ranker):
    hits = [Ns(chunk=Ns(doc_id="lawyer"), relevance=0.95), Ns(chunk=Ns(doc_id="waiver"), relevance=0.97)]
    out = ranker.rank(hits, "none", RankInput(carried=(JOB,)))
    assert ids(out) == ["hardship", "lawyer"]             # the intermediary script is not offered by similarity at low
    assert out[0].reason.startswith("延续") and "相关度" in out[1].reason


def test_feedback_still_lowers_a_script_within_its_situation():
    r = ScriptRanker(DOCS, {("angry", "none"): {"rejected": 2}})
    out = r.rank((), "none", RankInput(needs=(ANGER, COMPLAINT)))
    assert ids(out) == ["complain", "angry"] and out[1].score == pytest.approx(3.0 - 0.3)


def test_keep_in_top_moves_the_best_wanted_item_up():
    assert _keep_in_top(["a", "b", "c", "d", "x"], lambda s: s == "x") == ["a", "b", "x", "c", "d"]
    assert _keep_in_top(["x", "a"], lambda s: s == "x") == ["x", "a"]
    assert _keep_in_top(["a", "b"], lambda s: s == "x") == ["a", "b"]


def test_family_defaults_from_the_signals_when_not_given():
    cats = {"S5": "coached", "S18": "victim"}
    assert family_of(Ns(meta={"signals": ["S5"]}), cats) == "intermediary"
    assert family_of(Ns(meta={"signals": ["S18"]}), cats) == "victim"
    assert family_of(Ns(meta={"signals": []}), cats) == "need"


def _rec(label, scripts, families, level="low", filler=False, from_evidence=True):
    return TurnRecord("c", label, 1, "x", filler, level, from_evidence, tuple(scripts), tuple(families))


def test_reply_metrics_per_label_with_their_denominators():
    recs = [_rec("genuine", ["a"], ["need"]), _rec("genuine", ["b"], ["intermediary"]), _rec("genuine", [], []),
            _rec("genuine", [], [], filler=True),
            _rec("coached", ["a", "b"], ["need", "verification"], level="medium"), _rec("coached", ["a"], ["need"]),
            _rec("intermediary", ["a"], ["need"], level="high"),
            _rec("victim", ["p"], ["victim"]), _rec("victim", ["a"], ["need"], from_evidence=False)]
    m, fails = reply_metrics(recs)
    assert m["coverage"] == pytest.approx(7 / 8) and m["no_fit_turns"] == 1.0        # the filler is not counted
    assert m["genuine_top_fits"] == 0.5 and m["genuine_suspicion_in_top3"] == 0.5     # over turns with a suggestion
    assert m["involved_verify_top3"] == 0.5                                           # only turns at medium or high
    assert m["involved_verify_top3.coached"] == 1.0 and m["involved_verify_top3.intermediary"] == 0.0
    assert m["victim_protect_top3"] == 1.0                                            # from the first evidence on
    assert m["legit_rep_suspicion_top"] is None                                       # no such call: n/a, not 0
    assert sorted(f.check for f in fails) == ["coverage", "genuine_top", "involved_top3"]
