"""The shared helpers every room uses: JSON Lines, atomic files, expiring maps, the artefact envelope, the channel
table, clauses and negation cues."""

from __future__ import annotations

import json
import threading

import numpy as np
import pytest

from assist.core.artefacts import Artefact, load_artefact, save_artefact
from assist.core.channels import HOTLINES, OFFICIAL_CHANNELS
from assist.core.files import atomic_write_text, safe_name
from assist.core.jsonl import iter_jsonl, read_jsonl
from assist.core.text import (
    CLAUSE_BREAKS,
    DENIAL,
    PROHIBITION,
    clause_bounds,
    fold_width,
    negated,
    sentence_spans,
    split_clauses,
)
from assist.core.ttl import ExpiringMap
from assist.errors import AssistError, ConfigError


def test_jsonl_names_the_bad_line(tmp_path):
    items = list(iter_jsonl('{"a": 1}\n\n  \n{bad\n[2]\n'))
    assert [(i.line, i.value, i.error is None) for i in items] == [(1, {"a": 1}, True), (4, None, False), (5, [2], True)]
    assert "not JSON" in (items[1].error or "")
    f = tmp_path / "x.jsonl"
    f.write_text('{"a": 1}\n{"b": \n', encoding="utf-8")
    with pytest.raises(AssistError) as exc:
        read_jsonl(f)
    assert exc.value.line == 2 and exc.value.path == str(f)


def test_atomic_write_replaces_whole_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "sub" / "manifest.json"
    atomic_write_text(target, "old")
    atomic_write_text(target, "new", durable=True)
    assert target.read_text() == "new" and [p.name for p in target.parent.iterdir()] == ["manifest.json"]


def test_safe_name_keeps_a_user_inside_the_folder():
    assert "/" not in safe_name("../../etc/passwd") and not safe_name("../x").startswith(".")
    assert safe_name("学员007") == "学员007" and safe_name("") == "x"


def test_expiring_map_forgets_idle_entries_and_refreshes_used_ones():
    now = [0.0]
    m: ExpiringMap[str, int] = ExpiringMap(10, clock=lambda: now[0])
    m.put("a", 1)
    m.put("b", 2)
    now[0] = 8
    assert m.get("a") == 1            # used: its idle time starts again
    now[0] = 15
    assert m.get("b") is None and m.get("a") == 1 and len(m) == 1
    now[0] = 26
    assert m.get("a") is None and len(m) == 0


def test_expiring_map_under_concurrent_writers():
    m: ExpiringMap[int, int] = ExpiringMap(3600)

    def work(base: int) -> None:
        for i in range(2000):
            m.put(base + i, i)
            m.get(base + i // 2)

    threads = [threading.Thread(target=work, args=(k * 10_000,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(m) == 8000


def test_artefact_round_trip_in_json_and_npz(tmp_path):
    a = Artefact("demo-model", 3, "emb-x", "f" * 64, {"trained": "2026-12-06"}, {"labels": ["a", "b"]},
                 {"coef": np.arange(6, dtype=np.float64).reshape(2, 3), "small": np.ones(4, dtype=np.float16)})
    for suffix in (".json", ".npz"):
        path = tmp_path / f"m{suffix}"
        save_artefact(path, a)
        back = load_artefact(path, "demo-model", 3, "rebuild it")
        assert (back.embedder, back.data_hash, back.fields, back.info) == (a.embedder, a.data_hash, a.fields, a.info)
        assert np.array_equal(back.arrays["coef"], a.arrays["coef"])
    with np.load(tmp_path / "m.npz") as z:
        assert z["small"].dtype == np.float16          # npz keeps the dtype
    with pytest.raises(ConfigError, match="rebuild it") as exc:
        load_artefact(tmp_path / "m.json", "other-model", 3, "rebuild it")
    assert exc.value.path == str(tmp_path / "m.json") and "demo-model v3" in exc.value.message
    with pytest.raises(ConfigError, match="not a demo-model file of format 4"):
        load_artefact(tmp_path / "m.json", "demo-model", 4, "rebuild it")
    (tmp_path / "cut.npz").write_bytes((tmp_path / "m.npz").read_bytes()[:100])
    with pytest.raises(ConfigError) as exc:
        load_artefact(tmp_path / "cut.npz", "demo-model", 3, "rebuild it")
    assert exc.value.path == str(tmp_path / "cut.npz")
    (tmp_path / "old.json").write_text(json.dumps({"format": 1, "coef": [[1.0]]}), encoding="utf-8")
    with pytest.raises(ConfigError, match="found None"):
        load_artefact(tmp_path / "old.json", "demo-model", 3, "rebuild it")


def test_one_channel_table_for_every_use():
    assert {"110", "12378", "12363", "96110", "12381", "12321", "12377", "12315", "12345", "12305", "12386"} == HOTLINES
    keys = [c.key for c in OFFICIAL_CHANNELS]
    assert len(keys) == len(set(keys)) and all(c.label.startswith(c.key) or c.key in c.label for c in OFFICIAL_CHANNELS)


def test_fold_width_keeps_offsets():
    text = "电话１３８００１３８０００，ＡＢ"
    folded = fold_width(text)
    assert folded == "电话13800138000,AB" and len(folded) == len(text)
    assert fold_width("㈱１") == "㈱1"              # a character whose NFKC form is longer stays as it is


def test_clauses_and_sentences():
    text = "我是他的法务，以后找我。你们别打了！"
    a, b = clause_bounds(text, 2, 4)
    assert text[a:b] == "我是他的法务"
    assert [text[x:y] for x, y in split_clauses(text)] == ["我是他的法务，以后找我", "你们别打了"]
    assert clause_bounds("2024.01.05 签字", 0, 4, CLAUSE_BREAKS.replace(".", "")) == (0, 13)
    assert sentence_spans("第一句。“第二句！”\n\n第三句", 10) == [(10, 14), (14, 20), (22, 25)]   # the blank line is no sentence


def test_negation_cues_by_kind():
    assert negated("我不是他的法务", 3, DENIAL, lookback=6)
    assert negated("我不是 他的法务", 4, DENIAL, lookback=6)            # white space between cue and match
    assert not negated("他是我的法务", 3, DENIAL, lookback=6)
    assert negated("切勿把验证码告诉他人", 3, PROHIBITION, lookback=8, gap=6)
    assert not negated("切勿。把验证码告诉他人", 4, PROHIBITION, lookback=8, gap=6, stops="，。！？；")


def test_expiring_map_bounded_refuses_or_evicts_the_longest_idle_in_one_step():
    now = [0.0]
    full: ExpiringMap[str, int] = ExpiringMap(100, clock=lambda: now[0], max_entries=2)
    assert full.add("a", 1) and full.add("b", 2) and not full.add("c", 3)     # refused: the caller says why
    assert full.add("a", 10) and full.get("a") == 10                          # an existing key may be replaced
    lru: ExpiringMap[str, int] = ExpiringMap(100, clock=lambda: now[0], max_entries=2, evict=True)
    lru.add("a", 1)
    lru.add("b", 2)
    lru.get("a")                                                              # b is now the longest idle
    assert lru.add("c", 3) and lru.get("b") is None and lru.get("a") == 1 and lru.evicted == 1
    now[0] = 101
    assert len(lru) == 0                                                      # and idle ones still expire


def test_expiring_map_hold_serialises_one_key_and_not_the_others():
    m: ExpiringMap[str, list[int]] = ExpiringMap(3600, max_entries=10_000, evict=True)
    m.add("shared", [])

    def work(k: int) -> None:
        for i in range(300):
            with m.hold("shared") as value:
                assert value is not None
                n = len(value)
                value.append(n)                  # read-modify-write: lost updates would leave gaps or repeats
            m.put(f"own-{k}-{i % 50}", [i])     # other keys churn meanwhile, evicting as they go
            with m.hold(f"missing-{k}") as none:
                assert none is None

    threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert m.get("shared") == list(range(2400))

