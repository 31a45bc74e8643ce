"""Document review with its real parts: RapidOCR reading rendered scans (fonts-noto-cjk renders them; .ci/run installs
it), a photographed copy linked to the typed one, and the upload route over real HTTP."""

from __future__ import annotations

import io
import random

import pytest

from assist.adapters.office_documents import OfficeDocuments
from assist.adapters.rapidocr import RapidOcrEngine
from assist.bootstrap import build_review_service, document_budgets
from assist.review.reader import read_document
from assist.settings import DocumentSettings, Settings
from testkit.helpers import serve
from testkit.review_corpus import _Faker, font_available, generate, phone_photo, render_png

FAKE = _Faker(random.Random(5))


@pytest.fixture(scope="module", autouse=True)
def fonts():
    if not font_available():
        pytest.fail("fonts-noto-cjk is not installed (/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc): "
                    ".ci/run installs it; the scans cannot be rendered without it")


@pytest.fixture(scope="module")
def ocr():
    return RapidOcrEngine()


@pytest.fixture(scope="module")
def corpus():
    return {d.name: d for d in generate()}


@pytest.fixture
def service(tmp_path, ocr):
    svc = build_review_service(Settings(data_dir=tmp_path / "data"), ocr=ocr)
    yield svc
    svc.close()


def read_document_with(ocr, data, name):
    budgets = document_budgets(DocumentSettings())
    return read_document(data, name, ocr=ocr, office=OfficeDocuments(budgets), max_bytes=20 * 2**20, budgets=budgets)


def test_reads_image_and_scanned_pdf_with_ocr(ocr):
    from PIL import Image

    png = render_png("授权委托书\n委托人：王小明\n委托期限：一年", width=600)
    doc = read_document_with(ocr, png, "scan.PNG")
    assert doc.source == "image" and [ln.text for ln in doc.lines] == ["授权委托书", "委托人：王小明", "委托期限：一年"]
    assert doc.lines[0].bbox is not None and doc.mean_confidence and doc.mean_confidence > 0.8
    buf = io.BytesIO()
    Image.open(io.BytesIO(png)).convert("RGB").save(buf, format="PDF")
    scanned = read_document_with(ocr, buf.getvalue(), "scan.pdf")
    assert scanned.source == "pdf-ocr" and "王小明" in scanned.text


def test_photographed_copy_links_to_the_typed_one(service, corpus):
    service.review(corpus["complaint-T3-00.txt"].text.encode(), "typed.txt")
    photo = service.review(render_png(corpus["complaint-T3-01.txt"].text, scan=True, seed=3), "photo.jpg.png")
    assert photo.source == "image" and photo.kind == "complaint" and photo.similar


def test_http_upload_through_a_real_server(service, corpus, monkeypatch):
    import httpx
    from fastapi import FastAPI

    from assist.edges.http import review as api

    monkeypatch.setattr(service, "max_bytes", 4000)            # documents.max_upload_mb, in bytes, made small
    app = FastAPI()
    app.include_router(api.router(service))
    with serve(app) as url:
        ok = httpx.post(url + api.PATH, files={"file": ("信.txt", corpus["auth-fake-00.txt"].text.encode())}, timeout=60)
        assert ok.status_code == 200
        body = ok.json()
        assert body["kind"] == "authorisation" and any(f["check"] == "auth.trustee_company" for f in body["findings"])
        bad = httpx.post(url + api.PATH, files={"file": ("x.pdf", b"%PDF-1.4 garbage")}, timeout=60)
        assert bad.status_code == 400 and "not a readable PDF" in bad.json()["error"] and bad.json()["file"] == "x.pdf"
        big = httpx.post(url + api.PATH, files={"file": ("big.txt", "字".encode() * 2000)}, timeout=60)
        assert big.status_code == 413 and big.json()["limit"] == "documents.max_upload_mb"


def test_a_phone_photo_of_a_hand_written_letter_gets_the_same_checks(service):
    """Perspective, rotation, shadow and JPEG (testkit.review_corpus.phone_photo) on a tuning writer's letter: the
    real OCR reads it well enough for the same kind, the same parts found and the same findings as the typed copy."""
    from assist.review.checks import run_checks
    from assist.review.checks.elements import find_elements
    from testkit.letters import load

    letter = next(lt for lt in load(("L01",)) if lt.path.name == "L01-002.txt")
    typed = service.read(letter.path.read_bytes(), "typed.txt")
    photo = service.read(phone_photo(render_png(letter.text), seed=2), "photo.png")
    assert photo.source == "image"
    (k1, f1), (k2, f2) = run_checks(typed, service.policy), run_checks(photo, service.policy)
    assert k1 == k2 == "authorisation"
    assert {k: e.found for k, e in find_elements(typed).items()} == {k: e.found for k, e in find_elements(photo).items()}
    assert {f.check for f in f1} == {f.check for f in f2}
