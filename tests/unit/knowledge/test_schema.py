from pathlib import Path

from assist.adapters.office_documents import OfficeDocuments
from assist.knowledge.loaders import KnowledgeLoader
from testkit.helpers import doc, write

MAX = 10 * 1024 * 1024
LOADER = KnowledgeLoader(OfficeDocuments(), MAX)


def _problems(path: Path):
    res = LOADER.load_file(path)
    return res, res.problems


def test_valid_document_loads_with_metadata(tmp_path):
    p = write(tmp_path / "a.md", doc("guide-a", "标题", "正文内容。", tags="[核实, 12378]"))
    res, problems = _problems(p)
    assert res.ok and not problems
    d = res.document
    assert (d.id, d.kind, d.audience, d.tags) == ("guide-a", "guide", "agent", ("核实", "12378"))
    assert d.body.strip() == "正文内容。"
    assert d.text[d.body_start:].startswith("正文")


def test_markdown_without_front_matter_is_a_staff_only_guide_with_inferred_fields(tmp_path):
    p = write(tmp_path / "b.md", "# 标题\n\n正文\n")
    res, problems = _problems(p)
    assert res.ok and not problems
    d = res.document
    assert (d.title, d.kind, d.audience, d.body_start) == ("标题", "guide", "agent", 0)
    assert res.inferred["title"] == "first heading" and res.inferred["id"] == "from the path"


def test_broken_yaml_reports_its_line(tmp_path):
    p = write(tmp_path / "c.md", "---\nid: c-1\ntitle: [未闭合\nkind: guide\n---\n正文\n")
    res, problems = _problems(p)
    assert not res.ok and problems[0].line in (3, 4, 5) and "YAML" in problems[0].message


def test_unclosed_front_matter(tmp_path):
    p = write(tmp_path / "d.md", "---\nid: d-1\ntitle: x\n正文\n")
    _, problems = _problems(p)
    assert "not closed" in problems[0].message


def test_unknown_kind_and_audience_name_field_and_line(tmp_path):
    p = write(tmp_path / "e.md", doc("e-1", "x", "正文", kind="faq", audience="public"))
    res, problems = _problems(p)
    by_field = {pr.field: pr for pr in problems}
    assert not res.ok
    assert by_field["kind"].line == 4 and "faq" in by_field["kind"].message
    assert by_field["audience"].line == 5 and "public" in by_field["audience"].message


def test_missing_required_fields(tmp_path):
    p = write(tmp_path / "f.md", "---\nid: f-1\n---\n正文\n")
    _, problems = _problems(p)
    assert {pr.field for pr in problems} >= {"title", "kind", "audience", "tags"}


def test_bad_id(tmp_path):
    p = write(tmp_path / "g.md", doc("Bad Id!", "x", "正文"))
    _, problems = _problems(p)
    assert problems[0].field == "id" and problems[0].line == 2


def test_regulation_needs_source(tmp_path):
    p = write(tmp_path / "h.md", doc("reg-h", "x", "正文", kind="regulation", audience="all"))
    _, problems = _problems(p)
    assert any(pr.field == "source" for pr in problems)


def test_script_rules(tmp_path):
    extra = "situation: 第三方来电\nwhen_to_use: 对方自称法务\nslots: {客户称呼: 您}\nrests_on: [guide-a]\n"
    ok = write(tmp_path / "s1.md", doc("script-a", "x", "## 话术\n\n{客户称呼}好，请提供授权材料。", kind="script", extra=extra))
    assert LOADER.load_file(ok).ok
    no_reply = write(tmp_path / "s2.md", doc("script-b", "x", "## 说明\n\n没有话术。", kind="script", extra=extra))
    assert any(pr.field == "body" for pr in LOADER.load_file(no_reply).problems)
    slot = write(tmp_path / "s3.md", doc("script-c", "x", "## 话术\n\n{机构名称}不会这样做。", kind="script", extra=extra))
    assert any(pr.field == "slots" and "机构名称" in pr.message for pr in LOADER.load_file(slot).problems)
    consumer = write(tmp_path / "s4.md", doc("script-d", "x", "## 话术\n\n您好。", kind="script", audience="consumer",
                                              extra=extra))
    assert any(pr.field == "audience" for pr in LOADER.load_file(consumer).problems)
