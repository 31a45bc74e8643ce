"""Consistency of the shipped knowledge base (knowledge/): schema, references, channels, numbers, signals."""

import re

import pytest
import yaml

from assist.bootstrap import packaged_knowledge_dir
from assist.check import HOTLINES, check_knowledge, load_signals
from assist.schema import SLOT_RE, script_reply

KB = packaged_knowledge_dir()


@pytest.fixture(scope="module")
def kb():
    docs, problems = check_knowledge(KB)
    return docs, problems


def test_every_document_passes_the_schema_and_references_resolve(kb):
    docs, problems = kb
    assert [p.describe() for p in problems] == []


def test_minimum_content(kb):
    docs, _ = kb
    count = {k: sum(d.kind == k for d in docs) for k in ("regulation", "guide", "script", "education")}
    assert count["regulation"] >= 25 and count["guide"] >= 8 and count["script"] >= 40 and count["education"] >= 15


def test_internal_kinds_are_never_for_consumers(kb):
    docs, _ = kb
    assert [d.id for d in docs if d.kind in ("script", "guide") and d.audience == "consumer"] == []


def test_scripts_rest_on_existing_regulations_or_guides_and_known_signals(kb):
    docs, _ = kb
    by_id = {d.id: d for d in docs}
    signals, sig_problems = load_signals(KB / "signals.yaml")
    assert sig_problems == []
    sids = {s["id"] for s in signals}
    for d in docs:
        if d.kind != "script":
            continue
        assert d.meta["rests_on"], d.id
        assert all(by_id[r].kind in ("regulation", "guide") for r in d.meta["rests_on"]), d.id
        assert set(d.meta.get("signals") or []) <= sids, d.id
        reply = script_reply(d.body)
        assert reply and set(SLOT_RE.findall(reply)) <= set((d.meta.get("slots") or {}).keys()), d.id
        for phrase in d.meta.get("must_not_say") or []:
            assert phrase not in reply, f"{d.id} says what it must not: {phrase}"


def test_every_education_article_names_an_official_channel(kb):
    docs, _ = kb
    for d in docs:
        if d.kind == "education":
            assert any(n in d.body for n in HOTLINES | {"金融消费者保护服务平台", "国家反诈中心"}), d.id


def test_hotline_numbers_are_the_same_everywhere(kb):
    docs, _ = kb
    found = set()
    for d in docs:
        found |= set(re.findall(r"(?<![\d-])(12\d{3}|96\d{3})(?![\d-])", d.text))
    assert found <= HOTLINES and {"12378", "12363", "96110"} <= found


def test_signals_taxonomy_shape():
    data = yaml.safe_load((KB / "signals.yaml").read_text(encoding="utf-8"))["signals"]
    ids = [s["id"] for s in data]
    assert {f"S{i}" for i in range(1, 21)} <= set(ids)
    for s in data:
        assert len(s["examples"]) >= 8 and len(s["lookalikes"]) >= 3, s["id"]
        assert not set(s["examples"]) & set(s["lookalikes"]), s["id"]


def test_regulation_digests_cite_law_and_articles(kb):
    docs, _ = kb
    for d in docs:
        if d.kind == "regulation":
            assert d.source["law"] and d.source.get("articles") is not None, d.id


def test_a_bad_alone_at_most_is_named_with_its_line(tmp_path):
    from assist.errors import KnowledgeError
    from assist.risk.signals import load_signal_set

    text = (KB / "signals.yaml").read_text(encoding="utf-8").replace("alone_at_most: medium", "alone_at_most: low", 1)
    bad = tmp_path / "signals.yaml"
    bad.write_text(text, encoding="utf-8")
    _, problems = load_signals(bad)
    assert any(p.field == "alone_at_most" and p.line is not None for p in problems), problems
    with pytest.raises(KnowledgeError) as exc:
        load_signal_set(bad)
    assert exc.value.field == "alone_at_most"
    shipped = {s.id: s.alone_at_most for s in load_signal_set(KB / "signals.yaml")}
    assert shipped["S1"] == "medium" and list(shipped.values()).count("medium") == 1
