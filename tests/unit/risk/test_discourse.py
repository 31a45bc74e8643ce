"""Issue 17: the hint reads how a turn is said (who speaks, whose words, asking or demanding), and the level policy
that keeps jargon, quotes and questions from accusing a genuine borrower or a victim. Rules layer only (fast);
the learned layer's numbers are measured by `assist train-risk --protocol writers`."""

import pytest

from assist.errors import KnowledgeError
from assist.knowledge.discourse import load_discourse, read_discourse
from assist.risk.assessor import RiskAssessor
from assist.risk.discourse import DiscourseReader
from testkit.helpers import REPO

LEXICON = REPO / "knowledge" / "discourse.yaml"


@pytest.fixture(scope="module")
def reader():
    return DiscourseReader(load_discourse(LEXICON))


def _c(*caller_lines):
    turns = [{"speaker": "agent", "text": "您好，请问有什么可以帮您？"}]
    for line in caller_lines:
        turns.append({"speaker": "caller", "text": line})
    return turns


class _SureModel:
    """A learned layer that is sure of one category (to show what the policy lets through)."""

    data_hash = "test"

    def __init__(self, category):
        self.category = category

    def predict(self, state, meta, signals):
        p = {"genuine": 0.01, "legit_rep": 0.01, "intermediary": 0.01, "coached": 0.01, "victim": 0.01}
        p[self.category] = 0.96
        return p


@pytest.mark.parametrize("text,role", [
    ("我是她老公，她让我来问问", "relative"),
    ("我 是 她 的 老公 ， 她 在 上班", "relative"),           # speech recogniser spacing
    ("我帮同事问一下，他在你们这借了三万", "colleague"),
    ("我是处理他债务的机构，他把事情都交给我们了", "company"),
    ("我是张先生的助理，他的账后续由我对接", "assistant"),
    ("我方当事人目前没有还款能力", None),
])
def test_who_is_speaking_for_the_borrower(reader, text, role):
    r = reader.read(text)
    assert r.third_party, text
    if role is not None:
        assert role in {c.role for c in r.third_party}, (text, r.third_party)
    c = r.third_party[0]
    assert 0 <= c.start < c.end <= len(text)


@pytest.mark.parametrize("text", [
    "我就是借款人本人，没有委托任何人",
    "我不是他朋友，我就是卡主",
    "没有帮朋友问，是我自己的卡",
    "他们说可以帮我朋友处理",            # inside someone else's words
])
def test_no_third_party_claim(reader, text):
    assert not reader.read(text).third_party, (text, reader.read(text).third_party)


def test_reported_speech_and_questions_are_told_apart(reader):
    text = "我这算不算非恶意逾期？网上说非恶意逾期不影响征信"
    r = reader.read(text)
    first = text.index("非恶意逾期")
    second = text.index("非恶意逾期", first + 1)
    assert r.mode(first) == "question" and r.mode(second) == "reported"
    own = "你们必须给我停息挂账"
    assert reader.read(own).mode(own.index("停息")) == "own"
    # a rhetorical question is a demand, not a question
    demand = "凭什么不给我停息挂账？"
    assert reader.read(demand).mode(demand.index("停息")) == "own"


def test_victim_cues_count_in_quotes_but_not_after_a_worry(reader):
    story = reader.read("那个债务优化公司跟我说交了服务费就能停息，我交了三千，现在人联系不上了")
    assert story.cues["agency"] and story.cues["payment"] and story.cues["deceived"]
    worry = reader.read("我怕被骗，所以没找那种公司")
    assert not worry.cues["deceived"]


def test_genuine_borrower_asking_about_jargon_stays_low(rules_assessor):
    """The issue's false high: a borrower asking whether he counts as 非恶意逾期 because he read it online."""
    sure = rules_assessor.with_model(_SureModel("coached"))
    r = sure.assess(_c("我这算不算非恶意逾期？网上说非恶意逾期不影响征信", "我是卖菜的，这两个月生意差，下个月能还上"))
    assert r.level == "low" and r.category == "none", r.evidence
    assert all(e.mode != "own" for e in r.evidence)


def test_victim_quoting_an_agency_is_never_tagged_as_the_agency(rules_assessor):
    """Three of the issue's false highs: victims quoting what an agency promised (只还本金, 分60期, a fee paid)."""
    turns = _c("那个债务协商公司说交了会员费就能只还本金，分60期，必须停息挂账",
               "我交了两千八的会员费，他们还让我把验证码发给他们，现在人联系不上了")
    for cat in ("intermediary", "coached"):
        r = rules_assessor.with_model(_SureModel(cat)).assess(turns)
        assert r.level != "high", (cat, r.level, r.evidence)
    r = rules_assessor.with_model(_SureModel("victim")).assess(turns)
    assert r.category == "victim" and r.level in ("medium", "high") and "victim_protection" in r.actions


def test_an_explicit_third_party_is_never_left_at_low(rules_assessor):
    """The issue's misses: an agency saying plainly it handles the debts, and a caller asking 'for a colleague' and
    dictating the plan. However sure the learned layer is that the call is genuine, the hint asks to verify."""
    sure = rules_assessor.with_model(_SureModel("genuine"))
    for turns in (_c("我们是处理他债务的机构，他把事情都全权交给我们了"),
                  _c("我帮同事问一下，他在你们这借了三万", "你们就给他分60期，免掉全部罚息，就这么定了")):
        r = sure.assess(turns)
        assert r.level in ("medium", "high") and r.category == "intermediary", r
        assert "S1" in {e.signal_id for e in r.evidence}


def test_high_needs_own_evidence_in_two_turns(rules_assessor):
    sure = rules_assessor.with_model(_SureModel("intermediary"))
    one = sure.assess(_c("我是她委托的法务，她的事都归我管，以后别打她原来那个号了，只打我这个。"))
    assert {"S1", "S3"} <= {e.signal_id for e in one.evidence} and one.level == "medium"
    two = sure.assess(_c("我是她委托的法务，她的事都归我管。", "以后别打她原来那个号了，只打我这个。"))
    assert two.level == "high"


def test_signals_that_never_stand_alone(rules_assessor):
    """alone_at_most: low in signals.yaml: one such signal alone stays low however sure the model; two distinct
    ones together are worth a check (medium), never a tag."""
    low_only = [s.id for s in rules_assessor.signals.values() if s.alone_at_most == "low"]
    assert "S13" in low_only
    sure = rules_assessor.with_model(_SureModel("coached"))
    r = sure.assess(_c("我这是非恶意逾期，你们不能上征信"))
    assert {e.signal_id for e in r.evidence} <= set(low_only) and r.evidence and r.level == "low"
    # the same policy read from the taxonomy: allowing S13 to stand alone changes the outcome
    from dataclasses import replace

    loosened = [replace(s, alone_at_most="high") if s.id in low_only else s for s in rules_assessor.signals.values()]
    again = RiskAssessor(loosened, rules_assessor.rules, None, _SureModel("coached"),
                         discourse=rules_assessor.discourse).assess(_c("我这是非恶意逾期，你们不能上征信"))
    assert again.level != "low"


def test_angry_borrower_demanding_a_staff_number_is_not_flagged(rules_assessor):
    sure = rules_assessor.with_model(_SureModel("intermediary"))
    r = sure.assess(_c("我要投诉你们的催收，一天打我十几个电话，给我他的工号", "我会去12378投诉，这是我的权利"))
    assert r.level == "low", r.evidence


def test_lexicon_errors_name_file_line_and_field(tmp_path):
    bad = tmp_path / "discourse.yaml"
    text = LEXICON.read_text(encoding="utf-8")
    bad.write_text(text.replace("  - 委托(了)?(我们|额们)", "  - 委托(了?(我们|额们)", 1), encoding="utf-8")
    _, problems = read_discourse(bad)
    line = next(i for i, ln in enumerate(text.splitlines(), 1) if ln == "  - 委托(了)?(我们|额们)")
    assert [(p.field, p.line) for p in problems] == [(problems[0].field, line)]
    assert problems[0].field.startswith("third_party[") and "bad pattern" in problems[0].message
    with pytest.raises(KnowledgeError) as exc:
        load_discourse(bad)
    assert exc.value.path == str(bad) and exc.value.field == problems[0].field and exc.value.line == line
    missing = tmp_path / "d2.yaml"
    missing.write_text(text.replace("third_party:", "third_parties:", 1), encoding="utf-8")
    _, problems = read_discourse(missing)
    assert any("third_party" in (p.field or "") + p.message for p in problems)
