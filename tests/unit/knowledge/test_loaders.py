from pathlib import Path

import pytest

from assist.adapters.office_documents import OfficeDocuments
from assist.knowledge.loaders import KnowledgeLoader, discover
from testkit.helpers import doc, write

MAX = 10 * 1024 * 1024
LOADER = KnowledgeLoader(OfficeDocuments(), MAX)


def _pdf(path: Path, lines: list[str]) -> Path:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path))
    c.setFont("STSong-Light", 12)
    for i, line in enumerate(lines):
        c.drawString(50, 800 - 20 * i, line)
    if not lines:
        c.rect(50, 500, 200, 200, fill=1)  # a "scanned" page: graphics, no text layer
    c.showPage()
    c.save()
    return path


def test_markdown_in_gbk(tmp_path):
    p = write(tmp_path / "gbk.md", doc("g-1", "停息挂账说明", "停息挂账是民间说法，不是法定权利。"), encoding="gbk")
    res = LOADER.load_file(p)
    assert res.ok and "民间说法" in res.document.body and res.document.title == "停息挂账说明"


def test_plain_text_without_front_matter_gets_internal_defaults(tmp_path):
    p = write(tmp_path / "说明.txt", "第一条 协商还款不收费。\n", encoding="gb18030")
    res = LOADER.load_file(p)
    assert res.ok
    d = res.document
    assert d.audience == "agent" and d.kind == "guide" and d.title == "说明" and "协商还款" in d.text


def test_html_headings_paragraphs_and_scripts(tmp_path):
    html = ("<html><head><meta charset='gbk'><title>反诈提示</title><script>alert('x')</script></head><body>"
            "<h1>征信修复骗局</h1><p>真实逾期记录不能删除。</p><table><tr><td>渠道</td><td>12363</td></tr></table></body></html>")
    p = tmp_path / "a.html"
    p.write_bytes(html.encode("gbk"))
    res = LOADER.load_file(p)
    assert res.ok
    text = res.document.text
    assert "# 征信修复骗局" in text and "真实逾期记录不能删除。" in text and "12363" in text
    assert "alert" not in text and res.document.title == "反诈提示"


def test_pdf_text_layer(tmp_path):
    p = _pdf(tmp_path / "law.pdf", ["第一条 停息挂账不是法定权利。", "第二条 协商还款免费。"])
    res = LOADER.load_file(p)
    assert res.ok and "第二条 协商还款免费。" in res.document.text


def test_pdf_without_text_layer_is_a_clear_error(tmp_path):
    p = _pdf(tmp_path / "scan.pdf", [])
    res = LOADER.load_file(p)
    assert not res.ok and "no text layer" in res.problems[0].message and res.problems[0].path == str(p)


def test_docx_with_headings_and_tables(tmp_path):
    import docx

    d = docx.Document()
    d.add_heading("授权委托书要素", level=1)
    d.add_paragraph("授权委托书应写明委托人和受托人。")
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).text, t.cell(0, 1).text = "要素", "说明"
    t.cell(1, 0).text, t.cell(1, 1).text = "签名", "委托人亲笔签名"
    d.add_paragraph("表后的段落。")
    p = tmp_path / "guide.docx"
    d.save(str(p))
    res = LOADER.load_file(p)
    assert res.ok
    text = res.document.text
    assert "# 授权委托书要素" in text and "签名 | 委托人亲笔签名" in text
    assert text.index("签名 | 委托人亲笔签名") < text.index("表后的段落")


def test_corrupt_docx_and_pdf(tmp_path):
    for name in ("bad.docx", "bad.pdf"):
        p = tmp_path / name
        p.write_bytes(b"PK\x03\x04 not really" if name.endswith("docx") else b"%PDF-1.4 garbage")
        res = LOADER.load_file(p)
        assert not res.ok and res.problems[0].path == str(p)


@pytest.mark.parametrize("content,needle", [(b"", "empty"), (b"\x00\x01\x02\x03" * 100, "binary")])
def test_empty_and_binary_files(tmp_path, content, needle):
    p = tmp_path / "x.md"
    p.write_bytes(content)
    res = LOADER.load_file(p)
    assert not res.ok and needle in res.problems[0].message


def test_file_over_the_size_limit_is_refused_without_reading(tmp_path):
    p = tmp_path / "big.txt"
    with open(p, "wb") as fh:
        fh.truncate(50 * 1024 * 1024)  # 50 MB sparse file
    res = KnowledgeLoader(OfficeDocuments(), 20 * 1024 * 1024).load_file(p)
    assert not res.ok and "50.0 MB" in res.problems[0].message and "MAX_FILE_MB" in res.problems[0].message


def test_discover_skips_readme_hidden_and_unsupported(tmp_path):
    write(tmp_path / "README.md", "# about")
    write(tmp_path / ".hidden" / "a.md", "x")
    write(tmp_path / "notes.csv", "a,b")
    write(tmp_path / "sub" / "ok.md", "x")
    assert [p.name for p in discover([tmp_path])] == ["ok.md"]
