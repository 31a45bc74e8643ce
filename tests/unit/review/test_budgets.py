"""Reading budgets of submitted documents (generated bombs, nothing stored in the repository): each refused before the
work it would cost, with the setting named, within a small memory budget; a budget lifted lets the same file reach
pypdf's own limit, which is a refusal too, never a crash."""

from __future__ import annotations

import io
import tracemalloc
from dataclasses import replace

import pytest

from assist.adapters.office_documents import OfficeDocuments
from assist.bootstrap import document_budgets
from assist.errors import DocumentError, DocumentOverBudget
from assist.review.reader import read_document
from assist.settings import DocumentSettings
from testkit import hostile
from testkit.fakes import ScriptedOcr

BUDGETS = document_budgets(DocumentSettings())
MAX_BYTES = 10 * 2**20


def read(data: bytes, name: str, ocr=None, budgets=BUDGETS, clock=None):
    kw = {"clock": clock} if clock is not None else {}
    return read_document(data, name, ocr=ocr or ScriptedOcr(["第一行"]), office=OfficeDocuments(budgets),
                         max_bytes=MAX_BYTES, budgets=budgets, **kw)


def refused(data: bytes, name: str, **kw) -> tuple[DocumentOverBudget, float]:
    """The refusal and the peak memory (MB) Python allocated on the way to it."""
    tracemalloc.start()
    try:
        with pytest.raises(DocumentOverBudget) as exc:
            read(data, name, **kw)
        peak = tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()
    return exc.value, peak


@pytest.mark.parametrize("make,name,limit", [
    (lambda: hostile.docx_bomb(300), "bomb.docx", "documents.max_unpacked_mb"),
    (lambda: hostile.docx_bomb(40), "dense.docx", "documents.max_compression_ratio"),
    (lambda: hostile.zip_of_many_entries(5000), "parts.docx", "documents.max_archive_entries"),
    (lambda: hostile.png_bomb(12_000, 12_000), "scan.png", "documents.max_image_pixels"),
    (lambda: hostile.png_bomb(20_000, 20_000), "scan.png", "documents.max_image_pixels"),   # past PIL's own guard
    (lambda: hostile.pdf_with_huge_image(20_000), "scan.pdf", "documents.max_image_pixels"),
    (lambda: hostile.pdf_of_pages(5000), "long.pdf", "documents.max_pages"),
])
def test_each_bomb_is_refused_before_the_work_with_its_limit_named(make, name, limit):
    data = make()
    ocr = ScriptedOcr(["第一行"])
    exc, peak = refused(data, name, ocr=ocr)
    assert exc.limit == limit and exc.path == name and isinstance(exc, DocumentError)
    assert ocr.calls == 0
    assert peak < 60 + 3 * len(data) / 2**20, f"{peak:.0f} MB allocated to refuse {name}"


def test_blank_scans_are_counted_before_any_ocr():
    ocr = ScriptedOcr([])
    exc, _ = refused(hostile.pdf_of_blank_scans(30, side=200), "blank.pdf", ocr=ocr)
    assert exc.limit == "documents.max_ocr_pages" and "30" in exc.message and ocr.calls == 0


def test_ocr_time_is_checked_before_each_page():
    now = [0.0]

    class SlowOcr(ScriptedOcr):
        def recognise(self, image):
            now[0] += 25.0                      # each page takes 25 s on this imaginary machine
            return super().recognise(image)

    ocr = SlowOcr(["一行字"])
    exc, _ = refused(hostile.pdf_of_blank_scans(5, side=200), "five.pdf", ocr=ocr, clock=lambda: now[0])
    assert exc.limit == "documents.max_ocr_seconds" and ocr.calls == 3      # 0, 25, 50 s started; 75 s > 60 s is not


def test_within_budget_a_scan_is_read_and_lifting_a_budget_meets_pypdfs_own_limit():
    doc = read(hostile.pdf_of_blank_scans(3, side=200), "three.pdf", ocr=ScriptedOcr(["委托人：王小明"]))
    assert doc.source == "pdf-ocr" and doc.pages == 3
    lifted = replace(BUDGETS, max_image_pixels=10**10)
    exc, _ = refused(hostile.pdf_with_huge_image(20_000, inflated_mb=100), "scan.pdf", budgets=lifted)
    assert "pypdf" in exc.limit


def test_an_ordinary_docx_is_untouched_by_the_archive_checks():
    import docx

    d = docx.Document()
    d.add_paragraph("授权委托书")
    d.add_paragraph("委托人：王小明")
    buf = io.BytesIO()
    d.save(buf)
    doc = read(buf.getvalue(), "letter.docx")
    assert [ln.text for ln in doc.lines] == ["授权委托书", "委托人：王小明"]
