"""Practice mode without the UI: elements per label, compliance, a summary saved once with masked replies."""

import csv

from assist.adapters.sqlite_stores import SqlitePracticeStore
from assist.bootstrap import build_embedder, build_staff_assist
from assist.evaluation.conversations import parse_line
from assist.practice.coach import PracticeCoach
from assist.practice.scoring import ELEMENTS, REQUIRED


def test_practice_scoring_rules(tmp_path, agent_settings):
    agent = build_staff_assist(agent_settings)
    conv = parse_line({"id": "p1", "label": "victim", "turns": [
        {"speaker": "caller", "text": "我交了三千块服务费给一个公司，现在他们联系不上了"},
        {"speaker": "caller", "text": "那我现在怎么办"}]})
    store = SqlitePracticeStore(tmp_path / "p.sqlite")
    coach = PracticeCoach([conv], agent, build_embedder(agent_settings), store)
    s, first = coach.start("王五")
    assert first.startswith("我交了")
    score, nxt = coach.reply(s, "别着急，我理解您。请先保留好转账凭证和聊天记录，马上拨打110报警，身份证110101199003074477别给别人。")
    assert set(score.elements) >= {"protect", "empathy"} and nxt == "那我现在怎么办"
    score, nxt = coach.reply(s, "好的")
    assert nxt is None and s.finished
    summary = coach.finish(s)
    assert summary.missed == [] and summary.label == "victim"
    assert len(summary.violations) == 1 and "身份证" in summary.violations[0]   # a number read out to an unverified caller
    assert summary.score == 20 + 40 + round(20 * min(1.0, max(0.0, ((summary.mean_similarity or 0.8) - 0.8) / 0.15)))
    assert coach.finish(s) is summary                                  # asking twice stores one record
    exported = coach.export_csv("王五")
    rows = list(csv.DictReader(exported.splitlines()))
    assert len(rows) == 1 and rows[0]["trainee"] == "王五" and rows[0]["label"] == "victim"
    assert "110101199003074477" not in exported and "保留好转账凭证" in exported
    assert coach.export_csv("别人").count("\n") == 1                  # only the header
    assert REQUIRED["victim"] == ("protect", "empathy") and all(k in ELEMENTS for v in REQUIRED.values() for k in v)
