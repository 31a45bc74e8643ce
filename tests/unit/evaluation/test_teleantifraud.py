"""The TeleAntiFraud benchmark as consumer messages, and the scams suite's benchmark section. The real set lives in
../shared and is never needed here: these tests write a few dialogues of their own in its format."""

import json
from collections import Counter
from pathlib import Path

import pytest

from assist.bootstrap import eval_context, shipped_datasets
from assist.errors import AssistError
from assist.evaluation.harness import run_suites, write_run
from assist.evaluation.teleantifraud import FILE, SHAPES, as_message, load_dialogues, split_of

DIALOGUES = [
    ("f-bank", True, "银行诈骗", [("left", "您好，这里是某银行风控中心，您的账户有异常交易马上要冻结。"), ("right", "啊？那怎么办？"),
                                ("left", "请把银行卡号和手机收到的验证码报给我，我帮您解冻。"), ("right", "我不会告诉你的。")]),
    ("f-parcel", True, "邮件诈骗", [("left", "您好，我是快递理赔专员，您的包裹丢了，我们赔您三倍。"), ("right", "好的。"),
                                  ("left", "您先在备用金里借出一笔钱，转到理赔账户走流程。")]),
    ("f-kidnap", True, "绑架诈骗", [("left", "你儿子在我们手上，马上转十万块，不许报警。"), ("right", "你们是谁？")]),
    ("f-lottery", True, "彩票诈骗", [("left", "恭喜您抽中一等奖奖金五万，领奖要先交两千手续费。"), ("right", "我没参加过抽奖。")]),
    ("n-taxi", False, "打车服务", [("left", "您好，您叫的车已经到小区门口了，车牌尾号是36。"), ("right", "好的马上下来。")]),
    ("n-food", False, "订餐服务", [("left", "您好，您点的两份盖饭已经出餐，骑手十分钟内送到。"), ("right", "谢谢。")]),
]


def _write(folder: Path, rows=DIALOGUES) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps({"id": i, "is_fraud": f, "fraud_type": t, "turns": [{"speaker": s, "text": x} for s, x in turns]},
                        ensure_ascii=False) for i, f, t, turns in rows]
    (folder / FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def test_splits_are_fixed_by_id_in_the_stated_proportions():
    ids = [f"tts_fraud_{i:05d}" for i in range(5000)]
    counts = Counter(split_of(i) for i in ids)
    assert abs(counts["train"] / 5000 - 0.6) < 0.03 and abs(counts["test"] / 5000 - 0.2) < 0.03
    assert [split_of(i) for i in ids[:50]] == [split_of(i) for i in ids[:50]]


def test_dialogues_become_what_a_consumer_pastes(tmp_path):
    d = load_dialogues(_write(tmp_path))[0]
    assert d.scheme == "fake_customer_service" and d.split in ("train", "validation", "test")
    for shape in SHAPES:
        m = as_message(d, 2000, shape)
        assert "请把银行卡号和手机收到的验证码报给我" in m and m.count("\n") >= (0 if shape == "runon" else 4)
    assert "对方：您好" in as_message(d, 2000, "labelled") and "A：" in as_message(d, 2000, "ab")
    short = as_message(d, 80, "labelled")
    assert len(short) <= 80 and "我不会告诉你的" not in short          # the last turns are dropped to fit


def test_a_malformed_line_or_an_unknown_type_is_named(tmp_path):
    folder = _write(tmp_path)
    with open(folder / FILE, "a", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "x", "is_fraud": True, "fraud_type": "未知诈骗", "turns": []}, ensure_ascii=False) + "\n")
    with pytest.raises(AssistError) as err:
        load_dialogues(folder)
    assert err.value.line == len(DIALOGUES) + 1 and err.value.field == "fraud_type"
    with pytest.raises(AssistError):
        load_dialogues(tmp_path / "missing")
    with pytest.raises(AssistError):
        load_dialogues(folder, ["dev"])


def test_the_scams_suite_scores_the_benchmark_through_the_consumer_assistant(hash_index, tmp_path, monkeypatch):
    folder = _write(tmp_path / "bench")
    monkeypatch.setattr("assist.evaluation.suites.scams.load_dialogues", lambda f, splits: load_dialogues(f))
    ctx = eval_context(hash_index, shipped_datasets(), benchmark=folder, benchmark_split="validation")
    run = run_suites(ctx, ["scams"])
    m = run.metrics()
    for key in ("fraud_recall", "normal_fpr", "scheme_accuracy", "scheme_named", "article_cited", "p95_ms"):
        assert m[f"scams.teleantifraud.{key}"] is not None, key
    assert m["scams.teleantifraud.fraud_recall"] >= 0.75 and m["scams.teleantifraud.normal_fpr"] == 0.0
    # the hand-written sets are also scored file by file (one writer each): a set of look-alikes has no recall
    assert m["scams.by_file.scams_lookalike.macro_recall"] is None
    assert 0.0 <= m["scams.by_file.scams_lookalike.benign_flag_rate"] <= 1.0
    assert m["scams.by_file.scams.macro_recall"] > 0.5
    cases = [c for c in run.suites[0].cases if c.id.startswith("teleantifraud:")]
    assert len(cases) == len(DIALOGUES)
    plots = run.suites[0].plots
    assert plots["scheme_confusion"]["labels"][-1] == "normal" and sum(map(sum, plots["scheme_confusion"]["matrix"])) == 6
    write_run(run, tmp_path / "out")
    report = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "confusion between schemes" in report and "recall per scheme" in report and "Latency" in report
