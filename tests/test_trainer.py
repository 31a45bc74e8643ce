"""The trainer console mounted in the real app (/trainer/), driven through gradio_client: a full practice session,
the CSV export, an evaluation run and a dataset upload with per-line validation errors."""

from __future__ import annotations

import csv
import json

import pytest

from assist.bootstrap import build_ingestor, packaged_knowledge_dir
from conftest import REPO
from assist.evaluation.practice import ELEMENTS, REQUIRED, PracticeCoach, PracticeStore

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def base_url(web_url):
    return web_url


def test_full_practice_session_through_gradio_client(base_url):
    from gradio_client import Client

    c = Client(base_url + "/trainer/", verbose=False)
    chat, feedback, summary = c.predict("学员007", "第三方代理（收费中介）｜intermediary", api_name="/practice_start")
    assert chat and chat[-1]["role"] == "assistant" and chat[-1]["content"]  # the caller speaks first (left side)
    replies = ["您好，为了保护客户信息，我需要先核实一下您的身份，请问您和借款人是什么关系？",
               "我们会用借款人预留的手机号回拨本人确认，确认之前不能透露账户情况。",
               "如果有授权委托书，请提供原件和本人身份证明。"]
    for i in range(30):
        chat, _, feedback, summary = c.predict(chat, replies[min(i, len(replies) - 1)], api_name="/practice_reply")
        assert "合规" in feedback
        if summary:
            break
    assert "第三方代理" in summary and "得分" in summary
    assert "核实身份或授权" in summary.split("遗漏的")[0]            # handled well: it verified
    assert c.predict(api_name="/practice_end") == summary            # ending a finished call shows the same summary
    path = c.predict("学员007", api_name="/practice_export")
    with open(path, encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert [r["label"] for r in rows] == ["intermediary"]              # one call, one record (not one per click)
    assert rows[0]["trainee"] == "学员007"


def test_a_non_compliant_reply_gets_immediate_feedback(base_url):
    from gradio_client import Client

    c = Client(base_url + "/trainer/", verbose=False)
    chat, _, _ = c.predict("学员008", "真实借款人（有困难或情绪激动）｜genuine", api_name="/practice_start")
    _, _, feedback, _ = c.predict(chat, "你别去投诉了，投诉也没用，再不还就让你坐牢。", api_name="/practice_reply")
    assert feedback.startswith("【合规问题】")


def test_evaluation_run_and_dataset_upload_in_the_tab(base_url, tmp_path):
    from gradio_client import Client, handle_file

    c = Client(base_url + "/trainer/", verbose=False)
    summary, results, report, failures, html = c.predict(["scams"], "随产品提供的评测集", api_name="/run_eval")
    assert "== scams" in summary and "macro_recall" in summary
    data = json.loads(open(results, encoding="utf-8").read())
    assert data["suites"][0]["name"] == "scams"
    assert "id='scams'" in open(report, encoding="utf-8").read()
    # shown in a sandboxed frame, so the report's stylesheet cannot restyle the console around it
    assert html.startswith("<iframe") and "sandbox=''" in html and "id=&#x27;scams&#x27;" in html
    bad = tmp_path / "scams_new.jsonl"
    bad.write_text('{"id": "x1", "message": "转到安全账户", "schemes": ["safe_acount"]}\nnot json\n', encoding="utf-8")
    out = c.predict(handle_file(str(bad)), "自动识别", api_name="/validate_dataset")
    assert "未保存" in out and "scams_new.jsonl:1: field 'schemes'" in out and "scams_new.jsonl:2: not JSON" in out
    good = tmp_path / "scams_new.jsonl"
    good.write_text('{"id": "x1", "message": "转到安全账户", "schemes": ["safe_account"], "urgent": false}\n',
                    encoding="utf-8")
    assert "校验通过：1 条" in c.predict(handle_file(str(good)), "自动识别", api_name="/validate_dataset")
    # a conversation id already used by another file of the folder would break the risk suite: refused per line
    taken = json.loads((REPO / "eval" / "datasets" / "conversations" / "genuine.jsonl").read_text(
        encoding="utf-8").splitlines()[0])["id"]
    dup = tmp_path / "extra_calls.jsonl"
    dup.write_text(json.dumps({"id": taken, "label": "genuine", "turns": [{"speaker": "caller", "text": "我想延期还款"}]})
                   + "\n", encoding="utf-8")
    out = c.predict(handle_file(str(dup)), "conversations", api_name="/validate_dataset")
    assert "未保存" in out and f"extra_calls.jsonl:1: field 'id': already used in conversations/genuine.jsonl:1" in out


def test_uploads_land_where_their_suite_reads_them(tmp_path):
    from assist.ui.trainer import _file_part, dataset_target

    assert dataset_target(tmp_path, "retrieval", "my_questions.jsonl") == tmp_path / "retrieval.jsonl"
    assert dataset_target(tmp_path, "consumer", "x.jsonl") == tmp_path / "consumer.jsonl"
    assert dataset_target(tmp_path, "scams", "scam_c.jsonl") == tmp_path / "scams_scam_c.jsonl"
    assert dataset_target(tmp_path, "scams", "scams_c.jsonl") == tmp_path / "scams_c.jsonl"
    assert dataset_target(tmp_path, "attacks", "benign_c.jsonl") == tmp_path / "benign_c.jsonl"
    assert dataset_target(tmp_path, "attacks", "jailbreaks.jsonl") == tmp_path / "attacks_jailbreaks.jsonl"
    assert dataset_target(tmp_path, "conversations", "new.jsonl") == tmp_path / "conversations" / "new.jsonl"
    # a trainee name goes into the export's file name: no way out of the folder
    assert "/" not in _file_part("../../etc/passwd") and not _file_part("../x").startswith(".")
    assert _file_part("学员007") == "学员007"


def test_practice_scoring_rules(tmp_path, hash_settings):
    """Scores without the UI: elements per label, compliance, a summary saved with masked replies."""
    from assist.bootstrap import build_agent, build_embedder
    from assist.risk.dataset import parse_line

    build_ingestor(hash_settings).ingest([packaged_knowledge_dir()])
    agent = build_agent(hash_settings)
    conv = parse_line({"id": "p1", "label": "victim", "turns": [
        {"speaker": "caller", "text": "我交了三千块服务费给一个公司，现在他们联系不上了"},
        {"speaker": "caller", "text": "那我现在怎么办"}]})
    store = PracticeStore(tmp_path / "p.sqlite")
    coach = PracticeCoach([conv], agent, build_embedder(hash_settings), store)
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
    exported = store.export_csv("王五")
    assert len(list(csv.DictReader(exported.splitlines()))) == 1
    assert "110101199003074477" not in exported and "保留好转账凭证" in exported
    assert REQUIRED["victim"] == ("protect", "empathy") and all(k in ELEMENTS for v in REQUIRED.values() for k in v)
