"""Consistency of the shipped knowledge base (knowledge/): schema, references, channels, numbers, the signal
taxonomy and the policy it carries."""

import re

import pytest

from assist.bootstrap import build_loader, packaged_knowledge_dir
from assist.core.channels import HOTLINES
from assist.errors import KnowledgeError
from assist.knowledge.check import CHANNEL_WORDS, check_knowledge
from assist.knowledge.schema import SLOT_RE, script_reply
from assist.knowledge.signals import load_signals, read_signals
from assist.settings import Settings

KB = packaged_knowledge_dir()


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    return check_knowledge(KB, build_loader(Settings(data_dir=tmp_path_factory.mktemp("d"))))


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
    sids = {s.id for s in load_signals(KB / "signals.yaml")}
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
            assert any(w in d.body for w in CHANNEL_WORDS), d.id


def test_hotline_numbers_are_the_same_everywhere(kb):
    docs, _ = kb
    found = set()
    for d in docs:
        found |= set(re.findall(r"(?<![\d-])(12\d{3}|96\d{3})(?![\d-])", d.text))
    assert found <= HOTLINES and {"12378", "12363", "96110"} <= found


def test_signal_taxonomy_shape_and_policy():
    signals = load_signals(KB / "signals.yaml")
    ids = [s.id for s in signals]
    assert {f"S{i}" for i in range(1, 21)} <= set(ids)
    for s in signals:
        assert len(s.examples) >= 8 and len(s.lookalikes) >= 3, s.id
        assert not set(s.examples) & set(s.lookalikes), s.id
    by = {s.id: s for s in signals}
    assert by["S1"].alone_at_most == "medium" and by["S1"].at_least == "medium" and by["S1"].discourse == "third_party"
    assert {s.id for s in signals if s.alone_at_most == "medium"} == {"S1", "S18"}
    # jargon a genuine borrower may have read never stands alone (issue 17): these need company to reach medium
    assert {s.id for s in signals if s.alone_at_most == "low"} == {"S6", "S8", "S9", "S13", "S19", "S22"}
    assert {s.id for s in signals if not s.paraphrase_evidence} == {"S2", "S21"}
    assert {s.id for s in signals if s.escalate} == {"S10", "S11", "S12", "S14", "S15"}
    # document review reads its advice and letter phrasing from the taxonomy, and every finding it attributes to a
    # signal is claimed by exactly one
    claimed = [f for s in signals for f in s.review.findings]
    assert len(claimed) == len(set(claimed)) and "auth.trustee_company" in by["S12"].review.findings
    assert all(s.review.letter_name for s in signals if s.review.letter_patterns)
    # only the "call this number" sign is a note when family asks it (the borrower's named relative is lawful)
    assert {s.id for s in signals if s.review.family_note} == {"S3"}


def test_regulation_digests_cite_law_and_articles(kb):
    docs, _ = kb
    for d in docs:
        if d.kind == "regulation":
            assert d.source["law"] and d.source.get("articles") is not None, d.id


@pytest.mark.parametrize("old,new,field", [
    ("alone_at_most: medium", "alone_at_most: never", "alone_at_most"),
    ("at_least: medium", "at_least: loud", "at_least"),
    ("discourse: third_party", "discourse: gossip", "discourse"),
    ("escalate: true", "escalate: sometimes", "escalate"),
    ("    - severity: warn\n", "    - severity: loud\n", "review.letter_patterns"),
    ("  weight: high\n", "  weight: huge\n", "weight"),
    ("    family_note: true", "    family_note: sometimes", "review.family_note"),
])
def test_a_bad_field_is_named_with_its_line(tmp_path, old, new, field):
    text = (KB / "signals.yaml").read_text(encoding="utf-8")
    assert old in text
    bad = tmp_path / "signals.yaml"
    bad.write_text(text.replace(old, new, 1), encoding="utf-8")
    _, problems = read_signals(bad)
    assert any(p.field == field and p.line is not None for p in problems), problems
    with pytest.raises(KnowledgeError) as exc:
        load_signals(bad)
    assert exc.value.field == field and exc.value.path == str(bad)


def test_a_bad_pattern_is_named(tmp_path):
    bad = tmp_path / "signals.yaml"
    bad.write_text((KB / "signals.yaml").read_text(encoding="utf-8").replace("  patterns:\n  - (我|我们)", "  patterns:\n  - ((我|我们)", 1),
                   encoding="utf-8")
    _, problems = read_signals(bad)
    assert any(p.field == "patterns" and "bad pattern" in p.message for p in problems)
