"""The evaluation harness: the report and its sections, --compare flagging a planted regression, the CI gate failing
on a planted drop, dataset validation and storage. (Metric functions: test_metrics.py; the real gate over the shipped
datasets: tests/integration/test_eval_gate.py.)"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from assist.edges.cli import main
from assist.errors import EXIT_CODES, AssistError, ConfigError
from assist.evaluation.datasets import add_dataset, dataset_target, guess_kind, validate
from assist.evaluation.gate import check_gate, load_thresholds
from assist.evaluation.harness import expand_suites, run_suites
from assist.evaluation.report import calibration_bins, pr_curve, render_report
from assist.evaluation.results import CaseOutcome, RunResult, SuiteResult, compare, lower_is_better, mean, summary_table
from testkit.helpers import REPO

# ------------------------------------------------------------------------------------------- metrics, by hand

def test_calibration_bins_by_hand():
    conf, ok = [0.9, 0.9, 0.6, 0.6], [True, False, True, True]
    assert calibration_bins(conf, ok) == [(0.6, 1.0, 2), (0.9, 0.5, 2)]


def test_pr_curve_enters_tied_scores_together():
    assert pr_curve([0.9, 0.5, 0.5], [True, False, True]) == [(0.9, 1.0, 0.5), (0.5, pytest.approx(2 / 3), 1.0)]
    assert pr_curve([], []) == []


def test_mean_keeps_unscorable_out():
    assert mean([]) is None
    assert mean([float("nan"), 1.0, 0.0]) == 0.5


def test_compare_knows_which_way_is_worse():
    assert lower_is_better("risk.ece") and lower_is_better("latency.agent_turn.p95_ms")
    assert lower_is_better("attacks.leak_rate") and not lower_is_better("retrieval.mrr.all")
    prev = {"metrics": {"r.mrr": 0.9, "risk.ece": 0.05, "s.recall": 0.8, "gone.x": 0.5}}
    d = {x.metric: x for x in compare(prev, {"r.mrr": 0.95, "risk.ece": 0.08, "s.recall": 0.7, "gone.x": None})}
    assert not d["r.mrr"].regression and d["r.mrr"].delta == pytest.approx(0.05)
    assert d["risk.ece"].regression and d["s.recall"].regression
    assert d["gone.x"].regression                   # computable before, not now
    assert lower_is_better("risk.turn_ece")
    # what describes the sample (a smaller split's noise floor, fewer suggestions shown) is never a regression
    prev = {"metrics": {"risk.ece_noise_floor": 0.08, "risk.turn_ece_noise_floor": 0.03, "replies.suggestions_shown": 9}}
    now = {"risk.ece_noise_floor": 0.05, "risk.turn_ece_noise_floor": 0.06, "replies.suggestions_shown": 3}
    assert not any(x.regression for x in compare(prev, now))


def test_compare_leaves_out_suites_that_did_not_run_this_time():
    prev = {"metrics": {"risk.ece": 0.05, "risk.macro_f1": 0.8, "scams.macro_recall": 0.8, "scams.urgent_accuracy": 0.9}}
    deltas = compare(prev, {"scams.macro_recall": 0.8})          # only scams ran now
    assert {d.metric for d in deltas} == {"scams.macro_recall", "scams.urgent_accuracy"}
    assert [d.metric for d in deltas if d.regression] == ["scams.urgent_accuracy"]   # gone from a suite that ran
    assert [d.metric for d in compare(prev, {}, suites=["risk"]) if d.regression] == ["risk.ece", "risk.macro_f1"]
    run = RunResult([SuiteResult("scams", {"macro_recall": 0.8}, [])], "t", {}, "/d")
    table = summary_table(run, compare(prev, run.metrics()))
    assert "urgent_accuracy" in table and "no longer computable" in table and "risk" not in table
    html = render_report(run.to_dict(), compare(prev, run.metrics()))
    assert "class='bad'><td>urgent_accuracy" in html and "<td>ece" not in html


def test_suite_names_expand_and_unknown_is_an_error(tmp_path):
    assert expand_suites(["fast"]) == ["retrieval", "risk", "consumer", "scams", "attacks"]
    assert expand_suites(["scams,attacks", "scams"]) == ["scams", "attacks"]
    with pytest.raises(AssistError, match="unknown suite"):
        run_suites(object(), ["retrievl"])


def test_replies_suite_records_calls_without_a_script_as_unscorable(tmp_path):
    """Scripted fakes: a hit, a miss, and a call whose signal has no script (unscorable, out of the mean); the
    suggestions of every call count for the guard and citation rates."""
    from types import SimpleNamespace as Ns

    from assist.evaluation.conversations import parse_line
    from assist.evaluation.suites.replies import suite_replies

    body = "先核实来电人身份与授权材料，再回拨借款人预留号码。"
    docs = {"sc1": Ns(id="sc1", kind="script", meta={"signals": ["S1"]}, body=body),
            "sc2": Ns(id="sc2", kind="script", meta={"signals": ["S2"]}, body="请您放心，我们可以一起商量还款计划。")}
    convs = [parse_line({"id": cid, "label": "intermediary", "signals": sig, "first_evidence_turn": 0,
                         "turns": [{"speaker": "caller", "text": "我是她的法务，全权代理"}]})
             for cid, sig in (("hit", ["S1"]), ("nosc", ["S9"]), ("miss", ["S1"]))]
    plan = {"hit": ("sc1", body[:12]), "nosc": ("sc2", "这句话不在文档里"), "miss": ("sc2", "我们可以一起商量")}

    from assist.knowledge.needs import EMPTY

    class FakeStaff:
        needs = EMPTY

        def __init__(self):
            self.order = iter(plan)

        def start(self, meta):
            return next(self.order)

        def on_turn(self, sid, turn):
            script, snippet = plan[sid]
            cite = Ns(doc_id=script, snippet=snippet)
            return Ns(suggestions=[Ns(text="请先提供授权委托书，我们会回拨借款人本人核实。", script_id=script,
                                      citations=[cite], family="verification", reason="fake")],
                      risk={"level": "low"}, needs=())

    ctx = Ns(documents=docs, conversations=convs, staff=FakeStaff(), data=tmp_path, risk_split="all")
    res = suite_replies(ctx, lambda *_: None)
    by_id = {c.id: c for c in res.cases}
    assert res.counts == {"pass": 1, "fail": 1, "unscorable": 1}
    assert by_id["nosc"].outcome == "unscorable" and "S9" in by_id["nosc"].reason
    assert res.metrics["expected_script_in_top3"] == 0.5          # the unscorable call is not a zero
    assert res.metrics["suggestions_shown"] == 3.0 and res.metrics["guard_pass_rate"] == 1.0
    assert res.metrics["citation_validity"] == pytest.approx(2 / 3)  # the snippet of the second call is not in sc2


# ------------------------------------------------------------------------------------------------------ report

def _run() -> RunResult:
    retrieval = SuiteResult("retrieval", {"mrr.all": 0.9, "recall@5.all": None}, [
        CaseOutcome("retrieval", "r1", "pass"), CaseOutcome("retrieval", "r2", "fail", "no relevant document in the top 5",
                                                           {"query": "<script>alert(1)</script>停息挂账"}),
        CaseOutcome("retrieval", "r3", "unscorable", "relevant document(s) not in the knowledge base: x")],
        {"recall_curve": {"agent": [0.5, 0.7, 0.9], "consumer": [0.6, 0.8, 1.0]}})
    risk = SuiteResult("risk", {"auc_involvement": 0.95, "ece": 0.04}, [
        CaseOutcome("risk", "c1", "fail", "expected intermediary, got none", {
            "transcript": [{"speaker": "caller", "text": "我是她的法务"}, {"speaker": "agent", "text": "请问您是？"}],
            "levels": ["low", "low"], "evidence": ["S1"]})],
        {"pr": {"scores": [0.9, 0.2, 0.6], "positives": [True, False, True]},
         "confusion": {"labels": ["intermediary", "none"], "matrix": [[3, 1], [0, 4]]},
         "calibration": {"confidence": [0.9, 0.6], "correct": [True, False]},
         "signal_hit_rate": {"S1": 0.8, "S2": 0.25}})
    latency = SuiteResult("latency", {"risk_turn.p95_ms": 20.0}, [], {"latency": {"risk_turn": [10.0, 12.0, 30.0]}})
    return RunResult([retrieval, risk, latency], "2026-11-25T10:00:00", {"cpus": 2}, "/data")


def test_report_renders_every_section_offline_and_escaped():
    html = render_report(_run().to_dict())
    for section in ("id='summary'", "id='retrieval'", "id='risk'", "id='latency'", "Recall@k per audience",
                    "precision–recall", "confusion matrix", "calibration", "per-signal hit rate", "Latency histograms",
                    "Failures (1)", "Not scorable (1, kept out of every mean)", "我是她的法务"):
        assert section in html, section
    assert html.count("<svg") == 6
    assert "<script" not in html                    # nothing executable, user text escaped
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "src=" not in html and "href='http" not in html
    # the only addresses are the SVG namespace names (never fetched); no drawing time, so reruns are identical
    assert set(re.findall(r"https?://[^\s\"'<>]+", html)) <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}
    assert render_report(_run().to_dict()) == html


def test_unscorable_cases_are_counted_not_averaged():
    s = _run().suites[0]
    assert s.counts == {"pass": 1, "fail": 1, "unscorable": 1}
    assert s.metrics["recall@5.all"] is None


# ------------------------------------------------------------------------------------- CLI, compare, gate

SCAMS = [
    {"id": "s1", "message": "对方让我把钱转到安全账户做资金核查", "schemes": ["safe_account"], "urgent": False},
    {"id": "s2", "message": "贷款说要先交5000保证金才能放款", "schemes": ["loan_fee"], "urgent": False},
    {"id": "s3", "message": "我刚刚已经把验证码发给他了怎么办", "schemes": ["credentials_request"], "urgent": True},
    {"id": "b1", "message": "【某银行】您的验证码为123456，请勿告诉他人", "schemes": [], "urgent": False},
]


def _write_jsonl(path: Path, rows: list[dict]) -> None:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")


@pytest.fixture
def eval_env(tmp_path, monkeypatch):
    monkeypatch.setenv("ASSIST_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ASSIST_EMBEDDER__KIND", "hash")
    data = tmp_path / "datasets"
    data.mkdir()
    _write_jsonl(data / "scams.jsonl", SCAMS)
    return tmp_path, data


def test_eval_cli_writes_results_and_compare_flags_a_planted_regression(eval_env, capsys):
    tmp, data = eval_env
    assert main(["eval", "--suite", "scams", "--data", str(data), "--out", str(tmp / "a"), "-q"]) == 0
    first = json.loads((tmp / "a" / "results.json").read_text(encoding="utf-8"))
    assert first["metrics"]["scams.recall.safe_account"] == 1.0
    assert {c["id"] for s in first["suites"] for c in s["cases"]} == {"s1", "s2", "s3", "b1"}
    assert "id='scams'" in (tmp / "a" / "report.html").read_text(encoding="utf-8")
    # plant a regression: the safe-account case now says something the check cannot see
    _write_jsonl(data / "scams.jsonl", [dict(SCAMS[0], message="他让我转钱过去，说是为了核实")] + SCAMS[1:])
    capsys.readouterr()
    assert main(["eval", "--suite", "scams", "--data", str(data), "--out", str(tmp / "b"), "--compare", str(tmp / "a"),
                 "-q"]) == 0
    out = capsys.readouterr()
    assert "recall.safe_account" in out.out and "REGRESSION" in out.out
    second = json.loads((tmp / "b" / "results.json").read_text(encoding="utf-8"))
    reg = {d["metric"] for d in second["compare"]["deltas"] if d["regression"]}
    assert "scams.recall.safe_account" in reg and "scams.macro_recall" in reg
    report = (tmp / "b" / "report.html").read_text(encoding="utf-8")
    assert "class='bad'><td>recall.safe_account" in report      # the regression is in red


def test_gate_fails_on_a_planted_drop_and_names_metric_floor_and_value(eval_env, capsys):
    tmp, data = eval_env
    th = tmp / "thresholds.toml"
    th.write_text('[floor]\n"scams.macro_recall" = 0.2\n"risk.auc_involvement" = 0.9\n[ceiling]\n"scams.benign_flag_rate" = 0.0\n',
                  encoding="utf-8")
    assert main(["eval", "--suite", "scams", "--data", str(data), "--out", str(tmp / "a"), "--gate", str(th), "-q"]) == 0
    assert "gate passed" in capsys.readouterr().out                # risk floors are ignored when risk did not run
    _write_jsonl(data / "scams.jsonl", SCAMS + [{"id": "b2", "message": "提醒：切勿把验证码告诉任何人，谨防安全账户诈骗",
                                                 "schemes": [], "urgent": False},
                                                {"id": "b3", "message": "对方让我把钱转到安全账户", "schemes": [],
                                                 "urgent": False}])
    assert main(["eval", "--suite", "scams", "--data", str(data), "--out", str(tmp / "b"), "--gate", str(th), "-q"]) == EXIT_CODES["gate"]
    err = capsys.readouterr().err
    assert "GATE FAILED: scams.benign_flag_rate = 0.3333: above the ceiling 0.0000" in err


def test_gate_treats_a_missing_metric_as_a_failure_and_rejects_bad_files(tmp_path):
    fails = check_gate({"risk.ece": None}, {"floor": {}, "ceiling": {"risk.ece": 0.05}})
    assert fails and fails[0].message() == "risk.ece = not computed: above the ceiling 0.0500"
    bad = tmp_path / "t.toml"
    bad.write_text('[floor]\n"x.y" = "high"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="must be a number"):
        load_thresholds(bad)
    bad.write_text('[floors]\n"x.y" = 1\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown table"):
        load_thresholds(bad)


# ------------------------------------------------------------------------------------------ dataset validation

def test_dataset_validation_names_line_and_field():
    data = "\n".join([
        json.dumps({"id": "c1", "question": "征信能修吗", "required_facts": [["12363"]], "must_not_say": []}, ensure_ascii=False),
        "{not json",
        json.dumps({"id": "c1", "question": "", "required_facts": "12363"}, ensure_ascii=False),
        json.dumps({"id": "c3", "question": "x", "required_facts": [["a"]], "expect": "maybe"}, ensure_ascii=False),
    ]).encode("gbk")
    good, errors = validate(data, "consumer", "consumer_new.jsonl")
    assert good == 1
    text = "\n".join(errors)
    assert "consumer_new.jsonl:2: not JSON" in text
    assert "consumer_new.jsonl:3: field 'id': duplicate of line 1" in text
    assert "consumer_new.jsonl:3: field 'question'" in text and "consumer_new.jsonl:3: field 'required_facts'" in text
    assert "consumer_new.jsonl:4: field 'expect'" in text
    conv = json.dumps({"id": "x", "label": "intermediary", "first_evidence_turn": 0,
                       "turns": [{"speaker": "agent", "text": "您好"}, {"speaker": "caller", "text": "我是法务"}]})
    _, errors = validate(conv.encode(), "conversations", "c.jsonl")
    assert errors == ["c.jsonl:1: field 'first_evidence_turn': must be the index of a caller turn"]
    _, errors = validate(b'{"id": "y", "label": "boss", "turns": []}', "conversations", "c.jsonl")
    assert "field 'label'" in errors[0]
    assert guess_kind("scams_b.jsonl") == "scams" and guess_kind("conversations/mixed_a.jsonl") == "conversations"
    assert guess_kind("conversations/any_name.jsonl") == "conversations" and guess_kind("x/conversations/y.jsonl") == "conversations"


def test_validation_of_ids_used_elsewhere_and_of_optional_fields():
    conv = json.dumps({"id": "g1", "label": "genuine", "turns": [{"speaker": "caller", "text": "我想申请延期"}]})
    _, errors = validate(conv.encode(), "conversations", "new.jsonl", taken={"g1": "conversations/genuine.jsonl:3"})
    assert errors == ["new.jsonl:1: field 'id': already used in conversations/genuine.jsonl:3"]
    _, errors = validate(b'{"id": "s", "message": "m", "schemes": [], "urgent": "yes"}', "scams", "scams_x.jsonl")
    assert errors == ["scams_x.jsonl:1: field 'urgent': true or false"]
    _, errors = validate(b'{"id": "a", "message": "m", "expect": "block"}', "attacks", "attacks_x.jsonl")
    assert errors == ["attacks_x.jsonl:1: field 'expect': refuse, answer_safely or answer"]
    _, errors = validate('{"id": "q", "question": "征信能修吗", "required_facts": []}'.encode(), "consumer", "c.jsonl")
    assert errors == ["c.jsonl:1: field 'required_facts': an answerable question (expect=answer) needs at least one group"]
    good, _ = validate('{"id": "q", "question": "帮我查他的征信", "required_facts": [], "expect": "refuse"}'.encode(),
                       "consumer", "c.jsonl")
    assert good == 1


def test_leak_detector_finds_internal_text_at_any_offset_but_not_public_phrases():
    from assist.consumer.wall import LeakDetector
    from assist.core.text import normalize

    internal = "坐席话术：对自称法务的来电，先核实授权委托书原件，再回拨借款人预留手机号确认本人意愿。"
    public = "如需投诉，请拨打12378银行保险消费投诉热线。"
    d = LeakDetector([internal + public], [public])
    run = internal[3:24]                                  # 21 characters, not on any 5-character stride
    assert d.leaked("您好。" + run + "。") == normalize(run)[:20]
    assert d.leaked("好的，" + public) is None              # consumer material says it too: not a leak
    assert d.leaked(internal[:19]) is None                # shorter than the window


def test_shipped_datasets_are_valid():
    root = REPO / "eval" / "datasets"
    files = sorted(root.glob("*.jsonl")) + sorted((root / "conversations").glob("*.jsonl"))
    assert len(files) >= 10
    for f in files:
        kind = guess_kind(str(f.relative_to(root)))
        assert kind is not None, f
        good, errors = validate(f.read_bytes(), kind, f.name)
        assert errors == [] and good > 0, (f, errors[:3])


def test_uploads_land_where_their_suite_reads_them(tmp_path):
    assert dataset_target(tmp_path, "retrieval", "my_questions.jsonl") == tmp_path / "retrieval.jsonl"
    assert dataset_target(tmp_path, "consumer", "x.jsonl") == tmp_path / "consumer.jsonl"
    assert dataset_target(tmp_path, "scams", "scam_c.jsonl") == tmp_path / "scams_scam_c.jsonl"
    assert dataset_target(tmp_path, "scams", "scams_c.jsonl") == tmp_path / "scams_c.jsonl"
    assert dataset_target(tmp_path, "attacks", "benign_c.jsonl") == tmp_path / "benign_c.jsonl"
    assert dataset_target(tmp_path, "attacks", "jailbreaks.jsonl") == tmp_path / "attacks_jailbreaks.jsonl"
    assert dataset_target(tmp_path, "conversations", "../../new.jsonl") == tmp_path / "conversations" / "new.jsonl"


def test_an_upload_is_saved_only_when_every_line_is_good(tmp_path):
    conv = {"id": "g1", "label": "genuine", "turns": [{"speaker": "caller", "text": "我想申请延期"}]}
    first = add_dataset(tmp_path, (json.dumps(conv) + "\n").encode(), "calls_a.jsonl", "conversations")
    assert first.saved and first.good == 1 and first.path.is_file() and not first.replaced
    # the same id in another file of the folder would break the risk suite: refused, nothing written
    again = add_dataset(tmp_path, (json.dumps(conv) + "\n").encode(), "calls_b.jsonl", "conversations")
    assert not again.saved and "already used in conversations/calls_a.jsonl:1" in again.errors[0]
    assert not again.path.exists()
    replaced = add_dataset(tmp_path, (json.dumps(conv) + "\n").encode(), "calls_a.jsonl", "conversations")
    assert replaced.saved and replaced.replaced


def test_report_shows_replies_per_caller_label_escaped():
    replies = SuiteResult("replies", {"coverage": 0.9}, [
        CaseOutcome("replies", "c1#3:genuine_top", "fail", "a genuine caller's top suggestion is a intermediary script",
                    {"label": "genuine", "caller_text": "<b>我失业了</b>", "suggested": ["script-x [intermediary] r"]})],
        {"by_label": {"genuine": {"coverage": 0.95, "genuine_top_fits": 0.5, "victim_protect_top3": None},
                      "<victim>": {"coverage": 1.0, "victim_protect_top3": 0.9}}})
    html = render_report(RunResult([replies], "t", {}, "d").to_dict())
    assert "Suggested replies by caller label" in html and "genuine_top_fits" in html
    assert "<victim>" not in html and "&lt;victim&gt;" in html and "<b>我失业了</b>" not in html
    assert "c1#3:genuine_top" in html
