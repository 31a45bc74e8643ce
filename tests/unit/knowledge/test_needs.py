"""The caller-needs lexicon (knowledge/needs.yaml): what it hears, what it calls a filler, how a bad file is
reported, and that scripts name only needs it defines."""

from pathlib import Path

import pytest

from assist.bootstrap import build_loader, packaged_knowledge_dir
from assist.errors import KnowledgeError
from assist.knowledge.check import check_knowledge
from assist.knowledge.needs import load_needs, read_needs
from assist.settings import Settings

KB = packaged_knowledge_dir()


@pytest.fixture(scope="module")
def lex():
    return load_needs(KB / "needs.yaml")


@pytest.mark.parametrize("text, need", [
    ("我上个月被裁员了，这个月实在还不上", "hardship_job"),
    ("我媳妇住院做手术，家里钱都花光了", "hardship_illness"),
    ("能不能分十二期慢慢还", "instalment"),
    ("我想申请個性化分期", "instalment"),                      # traditional characters
    ("你们的利息怎么算的，怎么这么多", "fee_interest"),
    ("你们再这样我就打 一二三七八 投诉", "complaint"),           # spaces from speech recognition
    ("催收的打到我老板那里去了", "collection_conduct"),
    ("凭什么这么对我！！", "anger"),
    ("抖音上说停息挂账是国家政策，是真的吗", "jargon_question"),
    ("我交了三千块服务费给那个公司", "victim_paid"),
    ("我把验证码发给他了", "victim_handover"),
    ("刘长海，后四位0613", "identity_answer"),
])
def test_it_hears_the_callers_own_need(lex, text, need):
    assert need in [h.need for h in lex.detect(text)]


def test_hits_come_in_order_of_precedence_with_their_words(lex):
    hits = lex.detect("我失业了，想问问能不能分期")
    assert [h.need for h in hits][:2] == ["hardship_job", "instalment"]
    assert hits[0].quote == "失业" and hits[0].label


@pytest.mark.parametrize("text, filler", [("好的，谢谢", True), ("中，谢谢恁。", True), ("喂", True), ("", True),
                                          ("好的，那我下午就去还", False), ("我想问一下还款日", False)])
def test_fillers_ask_or_claim_nothing(lex, text, filler):
    assert lex.is_filler(text) is filler


def test_a_bad_file_names_line_and_field(tmp_path):
    p = tmp_path / "needs.yaml"
    p.write_text("needs:\n  - id: ok_one\n    label: 好\n    patterns: ['(失业']\n  - id: Bad-Id\n    label: x\n"
                 "    patterns: [a]\n", encoding="utf-8")
    lex, problems = read_needs(p)
    assert lex is None
    fields = {pr.field for pr in problems}
    assert "needs[0].patterns[0]" in fields and "needs[1].id" in fields
    assert next(pr for pr in problems if pr.field == "needs[0].patterns[0]").line == 2
    with pytest.raises(KnowledgeError, match="needs lexicon"):
        load_needs(p)


def test_a_script_naming_an_unknown_need_or_family_is_reported(tmp_path):
    kb = tmp_path / "kb"
    kb.mkdir()
    (kb / "needs.yaml").write_text((KB / "needs.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (kb / "guide.md").write_text("---\nid: guide-x\ntitle: 指引\nkind: guide\naudience: agent\ntags: []\n---\n## 步骤\n\n1. 核实\n",
                                 encoding="utf-8")
    for name, family, need in (("s1", "suspicious", "instalment"), ("s2", "need", "no_such_need")):
        (kb / f"{name}.md").write_text(f"---\nid: script-{name}\ntitle: 话术\nkind: script\naudience: agent\ntags: []\n"
                                       f"situation: 某情形\nwhen_to_use: 某时\nsignals: []\nfamily: {family}\nneeds: [{need}]\n"
                                       "must_not_say: []\nrests_on: [guide-x]\n---\n## 话术\n\n您好。\n", encoding="utf-8")
    _, problems = check_knowledge(kb, build_loader(Settings(data_dir=tmp_path / "d")))
    text = " ".join(p.describe() for p in problems)
    assert "no_such_need" in text and "family" in text


def test_every_shipped_script_has_a_family_and_known_needs(lex):
    docs, problems = check_knowledge(KB, build_loader(Settings(data_dir=Path("/nonexistent-data-dir"))))
    scripts = [d for d in docs if d.kind == "script"]
    assert problems == [] and all(d.meta.get("family") for d in scripts)
    served = {n for d in scripts for n in d.meta.get("needs") or []}
    assert served == set(lex.ids)          # every need has at least one script, every script's need exists
