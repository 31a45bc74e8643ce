"""Issue 17: writers in the data, the leave-one-writer-out protocol, and the metrics that count false accusations."""

import pytest

from assist.errors import ConversationError
from assist.evaluation.conversations import parse_line, split_of
from assist.evaluation.risk_metrics import CaseResult, right_at_high, summarize
from assist.training import protocol


def _row(cid, label, *lines, writer=None, role=None, fet=1):
    turns = [{"speaker": "agent", "text": "您好，请问有什么可以帮您？"}]
    turns += [{"speaker": "caller", "text": t} for t in lines]
    row = {"id": cid, "label": label, "turns": turns}
    if label in ("intermediary", "coached", "victim", "legit_rep"):
        row["first_evidence_turn"] = fet
    if writer is not None:
        row["writer"] = writer
    if role is not None:
        row["caller_role"] = role
    return row


def test_writer_split_and_role():
    c = parse_line(_row("w03-017", "intermediary", "我帮同事问一下", role="colleague"))
    assert (c.writer, c.split, c.third_party) == ("w03", "writers", True)
    assert parse_line(_row("f02-001", "genuine", "我想分期")).split == "final"
    assert parse_line(_row("x-1", "genuine", "我想分期", writer="someone")).writer == "someone"
    assert parse_line(_row("w01-002", "genuine", "我想分期", role="self")).third_party is False
    assert split_of("w12-003") == "writers" and split_of("f01-003") == "final"
    with pytest.raises(ConversationError) as exc:
        parse_line(_row("w01-003", "genuine", "我想分期", role="neighbour"))
    assert exc.value.field == "caller_role"
    with pytest.raises(ConversationError) as exc:
        parse_line(_row("w01-004", "genuine", "我想分期", writer=7))
    assert exc.value.field == "writer"


def _result(label, max_level, high_categories, role=None, probs=None):
    conv = parse_line(_row("w01-1", label, "话", role=role))
    probs = probs or {"none": 0.2, "intermediary": 0.6, "coached": 0.1, "victim": 0.1}
    return CaseResult(conv, probs, max_level, max_level, [max_level], [], high_categories=high_categories)


def test_a_victim_shown_as_the_agency_is_a_wrong_high():
    assert right_at_high(_result("intermediary", "high", ["coached"]))
    assert right_at_high(_result("coached", "high", ["victim"]))
    assert not right_at_high(_result("victim", "high", ["intermediary"]))
    assert right_at_high(_result("victim", "high", ["victim"]))
    assert not right_at_high(_result("genuine", "high", ["victim"]))
    s = summarize([_result("victim", "high", ["coached"]), _result("intermediary", "high", ["intermediary"]),
                   _result("genuine", "low", []), _result("coached", "low", [], role="friend"),
                   _result("intermediary", "medium", [], role="company")])
    assert s["precision_at_high"] == pytest.approx(0.5)
    assert s["victim_tagged_high"] == pytest.approx(1.0)
    assert s["third_party_recall"] == pytest.approx(0.5)


def _dataset():
    rows = []
    inter = ["我是她委托的法务，她的事都归我管。", "以后别打她原来那个号了，只打我这个。"]
    victim = ["那个债务协商公司收了我三千服务费", "现在人联系不上了，我是不是被骗了"]
    genuine = ["我失业了，这个月还不上，能不能分期", "我下个月发工资就还"]
    coached = ["我要求停息挂账，只还本金，这是法律规定的", "不同意我就去银保监投诉你们，每个部门都投"]
    lawyer = ["我是她的代理律师，执业证号可以给您核实", "授权委托书原件我们可以寄过去，您也可以回拨她本人"]
    kinds = (("intermediary", inter), ("victim", victim), ("genuine", genuine), ("coached", coached), ("legit_rep", lawyer))
    # the first team's ids fall into train/dev/test by a hash: take the first ids that land in train and in dev
    team = [f"t-{i:04d}" for i in range(400)]
    ids = {"train": [i for i in team if split_of(i) == "train"][:10], "dev": [i for i in team if split_of(i) == "dev"][:5]}
    for w, count in (("w01", 5), ("w02", 5), ("w03", 5), ("f01", 5)):
        ids[w] = [f"{w}-{i:03d}" for i in range(count)]
    for group in ids.values():
        for n, cid in enumerate(group):
            label, lines = kinds[n % len(kinds)]
            role = {"intermediary": "company", "legit_rep": "lawyer"}.get(label, "self")
            rows.append(_row(cid, label, *lines, role=role))
    return [parse_line(r) for r in rows]


def test_leave_one_writer_out_never_trains_on_the_left_out_writer(rules_assessor, monkeypatch):
    convs = _dataset()
    assert {c.split for c in convs} == {"train", "dev", "writers", "final"}
    seen = []
    real_fit = protocol.fit_model

    def spy(assessor, rows, train, dev, C, data_hash_):
        seen.append((data_hash_, {c.writer for c in train}, {c.split for c in train}))
        return real_fit(assessor, rows, train, dev, C, data_hash_=data_hash_)

    monkeypatch.setattr(protocol, "fit_model", spy)
    report = protocol.leave_one_writer_out(rules_assessor, convs, C=1.0)
    assert report["writers"] == ["w01", "w02", "w03"] and set(report["folds"]) == {"w01", "w02", "w03"}
    for tag, writers, splits in seen:
        assert "final" not in splits and "dev" not in splits
        if tag.startswith("lowo-"):
            assert tag[5:] not in writers and writers
    assert [t for t, _, _ in seen] == ["lowo-w01", "lowo-w02", "lowo-w03", "all-trainable"]
    assert [fold["calls"] for fold in report["folds"].values()] == [5, 5, 5]
    assert set(report["mean"]) == set(protocol.HEADLINE)
    worst = report["worst"]["auc_involvement"]
    assert worst is None or worst["writer"] in report["folds"]
    assert "final" not in report and "dev" in report["old_splits"]
    pooled = report["pooled"]["confusion"]
    assert sum(row["calls"] for row in pooled.values()) == 15
    for row in pooled.values():
        assert sum(row[o] for o in protocol.OUTCOMES) == row["calls"] == sum(row["top"].values())
    again = protocol.leave_one_writer_out(rules_assessor, convs, C=1.0, final=True)
    assert again["final"]["calls"] == 5


def test_aggregate_takes_the_worst_in_the_right_direction():
    folds = {"a": {"auc_involvement": 0.99, "fpr_medium_or_high_genuine": 0.02, "genuine_at_high": 0},
             "b": {"auc_involvement": 0.91, "fpr_medium_or_high_genuine": 0.10, "genuine_at_high": 1}}
    agg = protocol.aggregate(folds)
    assert agg["mean"]["auc_involvement"] == pytest.approx(0.95)
    assert agg["worst"]["auc_involvement"] == {"value": 0.91, "writer": "b"}
    assert agg["worst"]["fpr_medium_or_high_genuine"] == {"value": 0.10, "writer": "b"}
    assert agg["worst"]["genuine_at_high"] == {"value": 1, "writer": "b"}
