"""The trainer console mounted in the real app (/trainer/), driven through gradio_client: a full practice session,
the CSV export, an evaluation run and a dataset upload with per-line validation errors."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from testkit.helpers import REPO


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
    data = json.loads(Path(results).read_text(encoding="utf-8"))
    assert data["suites"][0]["name"] == "scams"
    assert "id='scams'" in Path(report).read_text(encoding="utf-8")
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
    assert "未保存" in out and "extra_calls.jsonl:1: field 'id': already used in conversations/genuine.jsonl:1" in out


def test_statute_search_tab_is_served(base_url):
    """The staff search page (法条检索) answers through the served app; this index holds no statute texts, so the
    digests that explain the question are shown and the page says no article was found."""
    from gradio_client import Client

    c = Client(base_url + "/trainer/", verbose=False)
    out = c.predict("催收的人爆我通讯录，这合法吗", [], 5, api_name="/search_articles")
    html = out[0]
    assert "相关解读" in html and "供内部参考" in html and "<script" not in html
