"""Statutes without front matter: recognised by their articles, cited article by article (and paragraph), found from
colloquial questions through the lexicon and the digests; all on small synthetic statutes written for the tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from assist.adapters.office_documents import OfficeDocuments
from assist.adapters.tiktoken_counter import TiktokenCounter
from assist.bootstrap import build_ingestor, open_article_search, open_retriever
from assist.knowledge.chunking import Chunker
from assist.knowledge.lexicon import read_lexicon
from assist.knowledge.loaders import KnowledgeLoader
from assist.knowledge.statutes import (
    canonical_article,
    cn_to_int,
    int_to_cn,
    law_key,
    paragraphs_of,
    statute_shape,
)
from assist.knowledge.types import DocumentDefaults
from testkit.helpers import write
from testkit.statutes import write_digest, write_statutes

LOADER = KnowledgeLoader(OfficeDocuments(), 10 * 1024 * 1024)


@pytest.mark.parametrize("n,cn", [(1, "一"), (10, "十"), (13, "十三"), (105, "一百零五"), (110, "一百一十"),
                                  (253, "二百五十三"), (1032, "一千零三十二"), (1260, "一千二百六十")])
def test_chinese_numerals_both_ways(n, cn):
    assert int_to_cn(n) == cn and cn_to_int(cn) == n


def test_article_numbers_have_one_form_and_law_names_match_however_written():
    assert canonical_article("第253条之1") == canonical_article("第 二百五十三 条之一") == "第二百五十三条之一"
    assert canonical_article("没有条号") is None
    assert law_key("《中华人民共和国民法典》") == law_key("民法典")
    assert law_key("最高人民法院关于适用《民法典》合同编通则若干问题的解释") == \
        law_key("最高人民法院关于适用《中华人民共和国民法典》合同编通则若干问题的解释")


def test_paragraphs_count_numbered_items_with_the_paragraph_before_them():
    art = "第七条 收费应当告知：\n\n（一）项目；\n\n（二）标准。\n\n未告知的，可以拒付。\n"
    assert paragraphs_of(art, 0, 5) == (1, 1)
    assert paragraphs_of(art, art.index("（二）"), len(art)) == (1, 2)


def test_markdown_statute_without_front_matter_is_inferred(tmp_path):
    folder = write_statutes(tmp_path / "laws")
    res = LOADER.load_file(folder / "示例消费信贷服务办法.md", folder)
    assert res.ok, res.problems
    d = res.document
    assert (d.title, d.kind, d.audience) == ("示例消费信贷服务办法", "regulation", "agent")
    assert d.meta["law"] == "示例消费信贷服务办法" and d.meta["articles"] == 9
    assert res.inferred["title"] == "first heading" and res.inferred["audience"] == "staff-only when not specified"
    assert d.id == LOADER.load_file(folder / "示例消费信贷服务办法.md", folder).document.id   # stable
    txt = LOADER.load_file(folder / "示例个人资料保护条例.txt", folder)
    assert txt.ok and txt.document.title == "示例个人资料保护条例" and txt.inferred["title"] == "first line"
    assert statute_shape("第一条 只有一条。\n").is_statute is False


def test_folder_defaults_and_command_line_defaults(tmp_path):
    folder = tmp_path / "docs"
    write(folder / "internal" / "催收规范.md", "# 内部催收规范\n\n每天最多联系三次。\n")
    write(folder / "internal" / "_defaults.yaml", "kind: guide\naudience: agent\ntags: [内部制度]\n")
    write(folder / "public" / "防骗提示.md", "# 防骗提示\n\n不要把验证码告诉任何人。\n")
    write(folder / "public" / "_defaults.yaml", "kind: education\naudience: consumer\n")
    inferred: dict = {}
    docs, problems, failed = LOADER.load([folder], None, inferred)
    assert not problems and not failed
    by_title = {d.title: d for d in docs}
    assert (by_title["内部催收规范"].kind, by_title["内部催收规范"].tags) == ("guide", ("内部制度",))
    assert (by_title["防骗提示"].kind, by_title["防骗提示"].audience) == ("education", "consumer")
    assert any("_defaults.yaml" in how["audience"] for how in inferred.values())
    docs, _, _ = LOADER.load([folder], DocumentDefaults(audience="all", origin="command line"))
    assert {d.audience for d in docs} == {"all"}          # the command line wins over the folders' defaults


def test_bad_folder_defaults_skip_their_files_with_a_clear_error(tmp_path):
    folder = tmp_path / "docs"
    write(folder / "a.md", "# 甲\n\n正文。\n")
    write(folder / "_defaults.yaml", "kind: script\naudience: everyone\n")
    docs, problems, failed = LOADER.load([folder])
    assert not docs and failed
    messages = [p.describe() for p in problems]
    assert any("_defaults.yaml:1 [kind]" in m and "script" in m for m in messages)
    assert any("_defaults.yaml:2 [audience]" in m for m in messages)
    assert any(m.startswith(str(folder / "a.md")) and "skipped" in m for m in messages)


def test_a_guide_can_never_default_to_consumers(tmp_path):
    p = write(tmp_path / "g.md", "# 内部说明\n\n只给员工看。\n")
    res = LOADER.load_file(p, tmp_path, DocumentDefaults(audience="consumer"))
    assert not res.ok and "internal" in res.problems[0].message


def test_each_article_is_cited_and_a_long_one_names_its_paragraphs(tmp_path):
    folder = write_statutes(tmp_path / "laws")
    doc = LOADER.load_file(folder / "示例消费信贷服务办法.md", folder).document
    chunks = Chunker(TiktokenCounter("o200k_base"), 240, 40).chunk(doc)
    cites = {c.article: c.citation for c in chunks if c.article}
    assert cites["第六条"] == "《示例消费信贷服务办法》第六条"
    assert cites["第八条之一"] == "《示例消费信贷服务办法》第八条之一"
    six = next(c for c in chunks if c.article == "第六条")
    assert six.text.startswith("第六条") and "预先扣除的" in six.text and six.law == "示例消费信贷服务办法"
    assert not any("INFO END" in c.text for c in chunks)
    small = Chunker(TiktokenCounter("o200k_base"), 40, 0).chunk(doc)
    seven = [c.citation for c in small if c.article == "第七条"]
    assert len(seven) > 1 and seven[0].startswith("《示例消费信贷服务办法》第七条第一款")
    assert seven[-1].endswith("第二款")


def test_lexicon_fixes_expands_and_drops_filler(tmp_path):
    p = write(tmp_path / "lexicon.yaml", "entries:\n  - say: [爆通讯录]\n    law: [向第三人披露]\n"
                                         "fix:\n  正信: 征信\naliases:\n  个保法: 中华人民共和国个人信息保护法\n"
                                         "filler: [我们, 客户]\n")
    lex, problems = read_lexicon(p)
    assert not problems
    assert lex.expand("被他们爆了我通讯录").terms == ("向第三人披露",)       # a few words in between still match
    e = lex.expand("我们客户被爆通讯录，個保法怎么说，正信会受影响吗")
    assert e.terms == ("向第三人披露",) and e.laws == ("中华人民共和国个人信息保护法",)
    assert "征信" in e.fixed and "我们" not in e.content and "客户" not in e.content


def test_a_bad_lexicon_entry_names_its_line_and_field(tmp_path):
    p = write(tmp_path / "lexicon.yaml", "entries:\n  - say: [好的]\n    law: [好]\n  - say: []\n    law: [x]\n")
    lex, problems = read_lexicon(p)
    assert len(lex) == 1 and problems[0].line == 4 and problems[0].field == "say"


def test_the_shipped_lexicon_is_valid():
    from assist.bootstrap import packaged_knowledge_dir

    lex, problems = read_lexicon(packaged_knowledge_dir() / "lexicon.yaml")
    assert not problems and len(lex) > 50 and lex.fixes and lex.aliases and lex.filler


@pytest.fixture
def statute_index(hash_settings, tmp_path):
    laws = write_statutes(tmp_path / "laws")
    kb = tmp_path / "kb"
    write_digest(kb)
    build_ingestor(hash_settings).ingest([kb, laws])
    return hash_settings


def test_article_search_bridges_through_a_digest_and_filters_by_law(statute_index):
    search = open_article_search(statute_index)
    assert set(search.laws) == {"示例消费信贷服务办法", "示例个人资料保护条例"} and len(search) == 13
    hits = search.search("他们爆我通讯录，打给我亲戚朋友", k=3)
    top = next(h for h in hits if h.article == "第四条")
    assert (top.law, top.citation) == ("示例消费信贷服务办法", "《示例消费信贷服务办法》第四条")
    assert top.text.startswith("第四条") and "reg-demo-third-party" in top.digests and "bridge" in top.evidence
    assert "lexical_expanded" in top.evidence         # 爆我通讯录 ~ 爆通讯录 -> 向第三人披露
    without = search.search("他们爆我通讯录，打给我亲戚朋友", k=3, bridge=False, expand=False)
    assert all(not h.digests for h in without)
    only = search.search("个人资料被卖了", k=5, laws=["示例个人资料保护条例"])
    assert only and {h.law for h in only} == {"示例个人资料保护条例"}
    assert search.digests("爆通讯录", k=1)[0].doc_id == "reg-demo-third-party"
    # a distinctive part of a title names the one law containing it; a part two titles share, or a short one, none
    assert search.resolve_law("《示例消费信贷服务办法》") == search.resolve_law("消费信贷服务办法") == "示例消费信贷服务办法"
    assert search.resolve_law("个人资料保护") == "示例个人资料保护条例"
    assert search.resolve_law("示例") is None and search.resolve_law("示例条例办法") is None


def test_several_articles_of_one_statute_can_fill_a_result_list(statute_index):
    hits = open_retriever(statute_index).search("贷款机构 借款人", k=5, floor=False)
    arts = [h.chunk.article for h in hits if h.chunk.law == "示例消费信贷服务办法"]
    assert len(arts) >= 3 and len(set(arts)) == len(arts)


def test_statute_search_tab_shows_articles_and_a_copyable_citation(statute_index):
    from assist.bootstrap import build_article_search
    from assist.edges.ui.statute_tab import StatuteSearchTab

    tab = StatuteSearchTab(build_article_search(statute_index))
    assert "示例消费信贷服务办法" in tab.laws()
    html, which, copy, lines = tab.run("催收打给我家里人<script>alert(1)</script>", [], 3)
    assert "《示例消费信贷服务办法》第四条" in html and "<script>" not in html
    assert copy.startswith("《示例消费信贷服务办法》第四条：第四条") and len(lines) == 3
    assert tab.pick(1, lines) == lines[1]


def test_ingest_summary_names_inferred_fields_and_skipped_files(hash_settings, tmp_path, capsys):
    from assist.edges.cli.knowledge import ingest

    laws = write_statutes(tmp_path / "laws")
    (laws / "broken.md").write_bytes(b"\x00\x01" * 50)
    code = ingest(hash_settings, [laws], False, True, kind="regulation", audience="all", tags=("示例",))
    out = capsys.readouterr().out
    assert code == 1
    assert "statutes: 2 documents split into 13 articles" in out
    assert "no front matter in 2 file(s)" in out and "kind: command line ×2" in out and "audience: command line ×2" in out
    assert "skipped 1 file(s):" in out and "broken.md: binary" in out
    manifest = (Path(hash_settings.data_dir) / "manifest.json").read_text(encoding="utf-8")
    assert '"audience": "all"' in manifest          # a bare `assist ingest` applies them again


def test_search_articles_on_the_command_line(statute_index, capsys):
    from assist.edges.cli.knowledge import search_articles

    assert search_articles(statute_index, "他们爆我通讯录，打给我亲戚朋友", k=3) == 0
    out = capsys.readouterr().out
    assert "《示例消费信贷服务办法》第四条" in out and "经由摘要: reg-demo-third-party" in out
    search_articles(statute_index, "个人资料", laws=("示例个人资料保护条例",), as_json=True)
    import json

    rows = json.loads(capsys.readouterr().out)["results"]
    assert rows and {r["law"] for r in rows} == {"示例个人资料保护条例"} and rows[0]["text"].startswith("第")
