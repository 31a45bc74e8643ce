"""Document review (assist.review): reading every format, the checks with their evidence, templated-letter
detection and its store, the batch report, and the CLI and Gradio edges. OCR here is a scripted fake; the real
engine reads rendered scans in tests/integration/test_review_ocr.py."""

from __future__ import annotations

import argparse
import io
import json
import random
import sqlite3
from pathlib import Path

import pytest

from assist.adapters.office_documents import OfficeDocuments
from assist.bootstrap import build_review_service, document_budgets
from assist.errors import DocumentError
from assist.review.batch import review_folder
from assist.review.checks import classify, run_checks
from assist.review.checks.authorisation import licence_shape
from assist.review.checks.elements import find_elements
from assist.review.reader import read_document
from assist.settings import DocumentSettings, Settings
from testkit.fakes import ScriptedOcr
from testkit.review_corpus import _Faker, generate, write_corpus

FAKE = _Faker(random.Random(5))
ID, PHONE = FAKE.id_card(), FAKE.phone()
MAX = 20 * 2**20
BUDGETS = document_budgets(DocumentSettings())


@pytest.fixture(scope="module")
def corpus():
    return {d.name: d for d in generate()}




@pytest.fixture
def service(tmp_path, policy):
    svc = build_review_service(Settings(data_dir=tmp_path / "data"), ocr=ScriptedOcr(["（扫描件）"]),
                               matcher=policy.matcher)
    yield svc
    svc.close()


def read(data: bytes, name: str, ocr=None):
    return read_document(data, name, ocr=ocr or ScriptedOcr([]), office=OfficeDocuments(BUDGETS), max_bytes=MAX,
                         budgets=BUDGETS)


def text_doc(text: str, name: str = "letter.txt"):
    return read(text.encode("utf-8"), name)


def checks(text: str, policy):
    return run_checks(text_doc(text), policy)


# -- reading ------------------------------------------------------------------------------------------------------

def test_reads_gbk_text_with_line_positions():
    doc = read("投诉信\n本人张三，要求停止催收。\n".encode("gbk"), "gbk.txt")
    assert doc.source == "text" and [ln.text for ln in doc.lines] == ["投诉信", "本人张三，要求停止催收。"]
    assert doc.lines[1].line_no == 2 and doc.starts == [0, 4]


def test_reads_docx_paragraphs_and_tables_in_order(tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph("授权委托书")
    table = d.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "委托人", "张三"
    d.add_paragraph("委托期限：一年")
    buf = io.BytesIO()
    d.save(buf)
    doc = read(buf.getvalue(), "a.docx")
    assert [ln.text for ln in doc.lines] == ["授权委托书", "委托人  张三", "委托期限：一年"]


def test_reads_text_pdf_with_pages():
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    for page in ("授权委托书", "委托期限：2024年1月1日至2024年6月30日"):
        c.setFont("STSong-Light", 14)
        c.drawString(50, 800, page)
        c.showPage()
    c.save()
    doc = read(buf.getvalue(), "a.pdf")
    assert doc.source == "pdf" and doc.pages == 2
    assert (doc.lines[-1].page, doc.lines[-1].line_no) == (2, 1) and "委托期限" in doc.lines[-1].text


def test_images_and_scanned_pdf_pages_go_through_ocr():
    from PIL import Image

    img = io.BytesIO()
    Image.new("RGB", (300, 120), "white").save(img, format="PNG")
    ocr = ScriptedOcr(["授权委托书", "委托人：王小明"])
    doc = read(img.getvalue(), "scan.PNG", ocr)
    assert doc.source == "image" and [ln.text for ln in doc.lines] == ["授权委托书", "委托人：王小明"]
    assert doc.lines[0].bbox is not None and doc.mean_confidence == 0.95 and ocr.calls == 1
    pdf = io.BytesIO()
    Image.new("RGB", (300, 120), "white").save(pdf, format="PDF")
    scanned = read(pdf.getvalue(), "scan.pdf", ocr)
    assert scanned.source == "pdf-ocr" and "王小明" in scanned.text and ocr.calls == 2
    with pytest.raises(DocumentError, match="no text recognised"):
        read(img.getvalue(), "blank.png", ScriptedOcr([]))


@pytest.mark.parametrize("name,data,message", [
    ("empty.txt", b"", "empty file"),
    ("virus.exe", b"MZ\x00\x00", "unsupported file type '.exe'"),
    ("broken.pdf", b"%PDF-1.4 garbage", "not a readable PDF"),
    ("broken.docx", b"PK\x03\x04 not a zip", "not a readable DOCX"),
    ("broken.png", b"\x89PNG\r\n\x1a\n truncated", "not a readable image"),
    ("binary.txt", b"\x00\x01\x02\x03" * 100, "binary file"),
    ("blank.txt", b"  \n\n", "file has no text"),
])
def test_unreadable_files_are_clear_errors_naming_the_file(name, data, message):
    with pytest.raises(DocumentError) as err:
        read(data, name)
    assert message in err.value.message and err.value.describe().startswith(name)


def test_pdf_without_text_or_images_is_an_error():
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.showPage()
    c.save()
    with pytest.raises(DocumentError, match="neither a text layer nor page images"):
        read(buf.getvalue(), "blank.pdf")


# -- checks -------------------------------------------------------------------------------------------------------

def test_every_synthetic_document_gets_its_kind(corpus):
    wrong = {n: (classify(text_doc(d.text)), d.kind) for n, d in corpus.items() if classify(text_doc(d.text)) != d.kind}
    assert not wrong


def test_consulting_company_agent_is_high_with_quote_and_position(corpus, policy):
    kind, found = checks(corpus["auth-fake-00.txt"].text, policy)
    company = [f for f in found if f.check == "auth.trustee_company"]
    assert kind == "authorisation" and company and company[0].severity == "high"
    f = company[0]
    doc = text_doc(corpus["auth-fake-00.txt"].text)
    assert "有限公司" in f.quote and f.line == 3 and doc.text[f.start:f.end].endswith("有限公司")


def test_law_firm_letter_with_valid_licence_gets_no_company_or_licence_alarm(corpus, policy):
    for name in ("auth-firm-00.txt", "auth-firm-01.txt"):
        _, found = checks(corpus[name].text, policy)
        ids = {f.check for f in found}
        assert not ids & {"auth.trustee_company", "auth.company_named", "auth.licence_shape", "auth.lawyer_no_licence"}
        assert {"auth.licence_verify", "auth.law_firm_verify"} <= ids
        assert all(f.severity == "info" for f in found)


def test_claimed_lawyer_without_or_with_wrong_licence(policy):
    base = ("授权委托书\n委托人：李四，身份证号：{id}\n受托人：王五，律师{lic}\n委托事项：代为协商还款\n委托期限：三个月\n"
            "委托人（签字）：李四\n2024年5月6日\n")
    _, none = checks(base.format(id=ID, lic=""), policy)
    assert any(f.check == "auth.lawyer_no_licence" and f.severity == "high" for f in none)
    _, short = checks(base.format(id=ID, lic="，执业证号：1234567890"), policy)
    assert any(f.check == "auth.licence_shape" and f.severity == "high" and "10位" in f.message for f in short)


def test_licence_shape():
    assert licence_shape("13101200710587593") is None
    assert "16位" in (licence_shape("1310120071058759") or "")
    assert "省级" in (licence_shape("19901200710587593") or "")
    assert "年份" in (licence_shape("13101180010587593") or "")


def test_missing_parts_of_an_authorisation_letter_say_where_they_were_looked_for(policy):
    _, found = checks("委托书\n本人张三委托我朋友李四。\n", policy)
    ids = {f.check for f in found}
    assert {"auth.scope_missing", "auth.signature_missing", "auth.date_missing", "auth.term_missing"} <= ids
    # every finding quotes what it found, or says where it looked
    assert all((f.quote and f.line) or ("查找了" in f.message or "查看了" in f.message) for f in found)
    # the same request written as a sentence has a scope: "missing" only when it is absent
    _, found = checks("委托书\n我委托我朋友帮我跟你们谈欠款的事情。\n", policy)
    assert "auth.scope_missing" not in {f.check for f in found}


def test_a_surname_that_also_starts_sentences_is_a_name_only_where_a_name_ends():
    def principal(text: str) -> bool:
        return find_elements(text_doc(text))["principal"].found
    # 应/于/同 are surnames (应佳, 于长顺) and sentence starts (委托人应当…, 委托人于…)
    assert principal("授权委托书\n委托人：应佳，身份证号：330421199203075524\n")
    assert principal("委托书\n| 委托人 | 于长顺 | 身份证号 | 370203195208151231 |\n")
    assert principal("委托书\n委托人：同建华\n受托人：李四\n")
    assert not principal("委托书\n委托人应当按时还款，受托人李四代为办理。\n")
    assert not principal("委托书\n委托人于今年三月借款，现委托李四代为协商。\n")


def test_a_name_wrapped_across_two_photographed_lines_is_still_found():
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (400, 200), "white").save(buf, format="PNG")
    lines = ["特此委托", "委托人田家兴，身份证431225199811023317，在外地当兵。我堂哥田家",
             "旺（身份证431225199507213316）代为处理我在你们公司逾期借款的事情。", "委托人签字：田家兴", "2024年8月8号"]
    doc = read(buf.getvalue(), "photo.png", ocr=ScriptedOcr(lines))
    agent = find_elements(doc)["agent"]
    assert agent.found and agent.line == 2 and "田家" in (agent.quote or "")


def test_a_situation_statement_is_a_complaint_only_when_it_asks_for_something():
    record = "情况说明\n\n员工王某持一份委托书要求人力资源部盖章，经核查未予盖章。\n\n特此说明，备查。\n某公司法务部\n"
    assert classify(text_doc(record)) == "other"
    asks = "情况说明\n\n本人因病逾期，借款无力按期归还，恳请贵司暂停催收，允许分期还款。\n\n王某\n"
    assert classify(text_doc(asks)) == "complaint"


def test_templated_complaint_signals_with_evidence(corpus, policy):
    doc = text_doc(corpus["complaint-T1-00.txt"].text)
    kind, found = run_checks(doc, policy)
    by = {f.signal: f for f in found}
    assert kind == "complaint" and {"S3", "S5", "S7"} <= set(by)
    for f in found:
        assert f.quote and f.line is not None and f.start is not None and f.end is not None
        assert doc.lines[f.line - 1].text.find(doc.text[f.start:f.end][:4]) >= 0


def test_a_plain_complaint_to_12378_is_the_consumers_right(policy):
    text = ("投诉信\n恒信消费金融有限公司：\n上周你们的催收员在晚上十一点打电话给我，我对处理结果不满意。我要向12378投诉。\n"
            "我已经在金融消费者保护服务平台提交了投诉。\n张三\n")
    kind, found = checks(text, policy)
    assert kind == "complaint"
    assert not [f for f in found if f.severity == "high" or f.signal == "S7"]


def test_withdrawal_offered_for_a_waiver_is_high(policy):
    text = "告知函\n恒信消费金融有限公司：\n贵司如同意减免全部罚息，本人即撤回已向监管部门提交的全部投诉。\n"
    _, found = checks(text, policy)
    assert any(f.signal == "S7" and f.severity == "high" for f in found)


def test_certificate_issuer_and_how_to_verify(corpus, policy):
    kind, found = checks(corpus["cert-W1-00.txt"].text, policy)
    ids = {f.check: f for f in found}
    assert kind == "certificate" and "cert.verify_medical" in ids and "cert.printed_phone" in ids
    assert "仁和医院" in ids["cert.verify_medical"].quote and "不要拨打证明上印的电话" in ids["cert.verify_medical"].message
    _, none = checks("失业证明\n兹证明张三已失业，家庭困难。\n特此证明。\n", policy)
    assert any(f.check == "cert.issuer_missing" for f in none)


def test_quotes_are_masked(policy):
    text = f"投诉信\n恒信消费金融有限公司：\n本人身份证号{ID}现要求贵司减免全部利息和罚息，今后只通过新号码{PHONE}联系本人。\n"
    _, found = checks(text, policy)
    quotes = " ".join(f.quote for f in found)
    assert ID not in quotes and PHONE not in quotes
    assert "【身份证号】" in quotes and "【手机号】" in quotes


def test_numbers_garbled_by_ocr_are_masked_too():
    from assist.review.masking import MaskedText

    garbled = ID[:4] + "l" + ID[5:10] + " " + ID[10:].replace("0", "O")
    m = MaskedText(f"身份证号{garbled}，借款46000元，合同HT1069002082。")
    assert garbled not in m.text and "【号码】" in m.text and "46000" in m.text and "HT1069002082" in m.text
    assert m.to_original(m.text.index("，借款")) == m.original.index("，借款")
    wrapped = MaskedText(f"所有沟通请联系受托人，电话{PHONE[:4]}\n{PHONE[4:]}\n委托人（签字）")
    assert PHONE[:4] not in wrapped.text and PHONE[4:] not in wrapped.text and wrapped.text.count("\n") == 2


# -- near copies, store, batch ------------------------------------------------------------------------------------

def test_new_copy_finds_the_earlier_one_with_shared_passages(service, corpus):
    first = service.review(corpus["complaint-T1-00.txt"].text.encode(), "a.txt")
    second = service.review(corpus["complaint-T1-01.txt"].text.encode(), "b.txt")
    assert first.similar == () and first.cluster_id is None
    assert [s.doc_id for s in second.similar] == [first.doc_id]
    assert second.similar[0].passages and second.cluster_id == "K-" + first.doc_id[:12] and second.cluster_size == 2
    pair = next(f for f in second.findings if f.check == "similar.templated")
    assert pair.quote and pair.severity == "info"                   # one pair proves nothing: a note
    third = service.review(corpus["complaint-T1-02.txt"].text.encode(), "c.txt")
    wave = next(f for f in third.findings if f.check == "similar.templated")
    assert third.cluster_size == 3 and wave.severity == "high"       # three copies are a wave


def test_rereview_is_idempotent(service, corpus):
    data = corpus["complaint-T2-00.txt"].text.encode()
    service.review(corpus["complaint-T2-01.txt"].text.encode(), "x.txt")
    a, b = service.review(data, "y.txt"), service.review(data, "y.txt")
    assert not a.seen_before and b.seen_before
    assert (a.doc_id, a.findings, a.similar, a.cluster_id) == (b.doc_id, b.findings, b.similar, b.cluster_id)
    assert service.store.count() == 2 and len(service.store.links_of(a.doc_id)) == 1


def test_store_holds_masked_text_only(service, tmp_path):
    text = f"投诉信\n本人张三，身份证号{ID}，手机{PHONE}。要求贵司停止催收，减免全部利息。\n"
    result = service.review(text.encode(), f"张三{PHONE}.txt")
    assert ID not in result.masked_text and PHONE not in result.file_name
    service.close()
    raw = b"".join(p.read_bytes() for p in (tmp_path / "data").glob("review.sqlite*"))
    assert raw and ID.encode() not in raw and PHONE.encode() not in raw
    assert "【身份证号】".encode() in raw
    rows = sqlite3.connect(tmp_path / "data" / "review.sqlite").execute("SELECT masked_text, file_name FROM documents").fetchall()
    assert all(ID not in t and PHONE not in n for t, n in rows)


def test_batch_clusters_templates_and_never_links_individual_letters(service, corpus, tmp_path):
    write_corpus(list(corpus.values()), tmp_path / "in")
    (tmp_path / "in" / "evil.txt").write_text("投诉信\n贵司<script>alert(1)</script>要求退款。借款还款问题，请处理。\n",
                                              encoding="utf-8")
    (tmp_path / "in" / "broken.pdf").write_bytes(b"%PDF-1.4 garbage")
    report = review_folder(service, tmp_path / "in", tmp_path / "out")
    groups = {frozenset(corpus[m].group for m in c.members) for c in report.clusters}
    assert all(len(g) == 1 and None not in g for g in groups)  # pure clusters, no individual document in any
    expected = {d.group for d in corpus.values() if d.group}
    assert {next(iter(g)) for g in groups} == expected and len(report.clusters) == len(expected)  # each group whole
    individual = [i for i in report.items if i.path.startswith("letter-")]
    assert len(individual) == 36 and all(i.cluster_id is None and not i.result.similar for i in individual)
    assert report.errors == [{"file": "broken.pdf", "error": report.errors[0]["error"]}]
    html = Path(report.html_path or "").read_text(encoding="utf-8")
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "雷同簇 C1" in html and "<mark>" in html
    assert not any(s in html for s in ("<script", "<link", "src=", "http:", "https:"))  # self-contained, nothing fetched
    data = json.loads(Path(report.json_path or "").read_text(encoding="utf-8"))
    assert len(data["clusters"]) == len(expected) and data["errors"]


# -- edges --------------------------------------------------------------------------------------------------------

def _cli(argv, tmp_path, monkeypatch):
    from assist.edges.cli.review import register

    monkeypatch.setenv("ASSIST_DATA_DIR", str(tmp_path / "cli-data"))
    parser = argparse.ArgumentParser()
    parser.add_argument("--config")
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    return args.func(args)


def test_cli_file_and_folder(tmp_path, monkeypatch, capsys, corpus):
    write_corpus([corpus["complaint-T4-00.txt"], corpus["complaint-T4-01.txt"], corpus["letter-03.txt"]], tmp_path / "in")
    assert _cli(["review", str(tmp_path / "in" / "complaint-T4-00.txt")], tmp_path, monkeypatch) == 0
    out = capsys.readouterr().out
    assert "类型（kind）: 投诉信" in out and "原文:" in out
    assert _cli(["review", str(tmp_path / "in" / "complaint-T4-01.txt"), "--json"], tmp_path, monkeypatch) == 0
    assert json.loads(capsys.readouterr().out)["similar"]
    assert _cli(["review", str(tmp_path / "in"), "--out", str(tmp_path / "rep")], tmp_path, monkeypatch) == 0
    assert "1 个雷同簇" in capsys.readouterr().out and (tmp_path / "rep" / "report.html").is_file()
    with pytest.raises(DocumentError):
        _cli(["review", str(tmp_path / "missing.txt")], tmp_path, monkeypatch)


def test_gradio_tab_builds_and_renders_escaped_results(service, tmp_path):
    import gradio as gr

    from assist.edges.ui import Uploads
    from assist.edges.ui.review_tab import ReviewTab

    uploads = tmp_path / "uploads"
    tab = ReviewTab(service, Uploads(uploads))
    with gr.Blocks() as demo:
        with gr.Tab("材料评审"):
            tab.build()
    assert demo is not None
    (uploads / "u1").mkdir(parents=True)
    (uploads / "u1" / "a.txt").write_text("投诉信\n贵司<b>催收</b>，请处理借款问题。\n", encoding="utf-8")
    (uploads / "b.pdf").write_bytes(b"%PDF garbage")
    secret = tmp_path / "server-only.txt"          # a file on the server that nobody uploaded
    secret.write_text("投诉信\n机密：内部文件第一行。\n", encoding="utf-8")
    html = tab.review_files([str(uploads / "u1" / "a.txt"), str(uploads / "b.pdf"), str(secret),
                             str(uploads / "u1" / ".." / ".." / "server-only.txt"), "/no/such/file.txt"])
    assert "投诉信" in html and "<b>催收" not in html and "无法读取" in html
    assert "机密" not in html and html.count("只能处理本次上传的文件") == 3        # no server path is read ...
    assert "No such file" not in html                                             # ... nor its existence told
    assert not (uploads / "u1").exists() and not (uploads / "b.pdf").exists()   # uploads are gone once read
    assert secret.exists()


def test_which_signal_explains_a_finding_comes_from_the_taxonomy(corpus, policy):
    from dataclasses import replace

    from assist.review.policy import ReviewPolicy

    text = corpus["auth-fake-00.txt"].text
    _, found = checks(text, policy)
    assert {f.signal for f in found if f.check == "auth.trustee_company"} == {"S12"}
    moved = [replace(s, review=replace(s.review, findings=())) if s.id == "S12" else s for s in policy.signals]
    _, again = checks(text, ReviewPolicy.of(moved, policy.matcher))
    assert {f.signal for f in again if f.check == "auth.trustee_company"} == {None}
