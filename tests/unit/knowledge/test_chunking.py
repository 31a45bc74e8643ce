import pytest

from assist.adapters.tiktoken_counter import TiktokenCounter
from assist.knowledge.chunking import Chunker
from assist.knowledge.types import Document

COUNTER = TiktokenCounter("o200k_base")


def _doc(text: str, body_start: int = 0) -> Document:
    return Document(id="d1", title="测试法", kind="regulation", audience="all", path="x.md", text=text,
                    body_start=body_start, source={"law": "测试法", "articles": ["第一条"], "effective": "2020-01-01"})


LAW = """# 测试法

## 第一章 总 则

第一条 为了保护消费者，制定本法。

第二条 经营者应当依法提供服务。消费者有权投诉。

## 第二章 个人信息

第三条 未经同意，不得向他人提供个人信息。
第三条之一 违反前条规定的，依法承担责任。
"""


def test_articles_and_heading_path():
    chunks = Chunker(COUNTER, 200, 20).chunk(_doc(LAW))
    arts = [(c.article, c.headings[-1]) for c in chunks]
    assert arts == [("第一条", "第一章 总 则"), ("第二条", "第一章 总 则"), ("第三条", "第二章 个人信息"),
                    ("第三条之一", "第二章 个人信息")]
    assert chunks[0].headings == ("测试法", "第一章 总 则")
    assert chunks[0].citation.startswith("《测试法》")


def test_offsets_point_into_the_source_as_written():
    text = "---\nid: d1\n---\n## 要点\n\n全角数字１２３７８，繁體字也保留。\n\n第二段。"
    body_start = text.index("## 要点")
    for c in Chunker(COUNTER, 200, 20).chunk(_doc(text, body_start)):
        assert text[c.start:c.end] == c.text
    assert "１２３７８" in Chunker(COUNTER, 200, 20).chunk(_doc(text, body_start))[0].text


def test_long_article_splits_at_sentence_ends_within_budget_with_overlap():
    sentences = [f"第{i}句说明了一个具体的规定内容，并且相当长以便测试切分。" for i in range(60)]
    text = "第一条 " + "".join(sentences)
    chunks = Chunker(COUNTER, 120, 30).chunk(_doc(text))
    assert len(chunks) > 3
    for c in chunks:
        assert COUNTER.count(c.text) <= 120
        assert c.article == "第一条"
        assert c.text.endswith("。")
    # consecutive chunks share at least one whole sentence (overlap), and together cover everything
    assert any(s in chunks[0].text and s in chunks[1].text for s in sentences)
    assert all(any(s in c.text for c in chunks) for s in sentences)


def test_sentence_longer_than_budget_is_hard_split():
    text = "很" * 2000
    chunks = Chunker(COUNTER, 64, 0).chunk(_doc(text))
    assert all(COUNTER.count(c.text) <= 64 for c in chunks)
    assert "".join(c.text for c in chunks) == text


def test_paragraphs_of_a_section_are_packed_but_sections_are_not_mixed():
    text = "## 甲\n\n一句。\n\n两句。\n\n## 乙\n\n三句。"
    chunks = Chunker(COUNTER, 200, 20).chunk(_doc(text))
    assert [c.headings for c in chunks] == [("甲",), ("乙",)]
    assert "一句。" in chunks[0].text and "两句。" in chunks[0].text


def test_chunk_ids_are_stable_and_content_addressed():
    a = [c.id for c in Chunker(COUNTER, 200, 20).chunk(_doc(LAW))]
    b = [c.id for c in Chunker(COUNTER, 200, 20).chunk(_doc(LAW))]
    changed = [c.id for c in Chunker(COUNTER, 200, 20).chunk(_doc(LAW.replace("制定本法", "特制定本法")))]
    assert a == b and len(set(a)) == len(a)
    assert changed[0] != a[0] and changed[1:] == a[1:]


def test_overlap_must_be_smaller_than_budget():
    with pytest.raises(ValueError):
        Chunker(COUNTER, 50, 50)
