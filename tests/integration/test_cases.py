"""Case files on real components: the case store on SQLite and on a real PostgreSQL server (ASSIST_TEST_PG_URL, set
by .ci/run), the PDF printed by Debian's Chromium and rendered with pdftoppm (the page must not be blank, its fonts
must be CJK), provisions from the shipped knowledge base, the CLI in its own process (tampering: exit 14), the HTTP
route and the 案件 tab's functions."""

import io
import json
import os
import shutil
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from assist.adapters.chromium_pdf import ChromiumPdfRenderer
from assist.adapters.sql_case_store import SqlCaseStore
from assist.cases.types import Actor
from assist.errors import EXIT_CODES
from testkit.cases import AGENCY_DIGITS, BORROWER_ID_CARD, CALLS, DISTINCT_BORROWERS, LETTERS, SECRET, scripted

PG = os.environ.get("ASSIST_TEST_PG_URL")
REVIEWER = Actor("rev01", "reviewer")


def _pg_or_skip() -> str:
    if not PG:
        if os.environ.get("CI"):
            pytest.fail("CI must provide PostgreSQL (ASSIST_TEST_PG_URL): .ci/run sets it up")
        pytest.skip("no PostgreSQL server: .ci/run starts one and sets ASSIST_TEST_PG_URL")
    return PG


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_the_same_case_on_sqlite_and_postgresql(backend, tmp_path, rules_assessor):
    url = f"sqlite:///{tmp_path / 'c.sqlite'}" if backend == "sqlite" else _pg_or_skip()
    world = scripted(tmp_path, rules_assessor, store_url=url)
    svc = world.service
    case = svc.open("phone", AGENCY_DIGITS, REVIEWER)
    svc.add_calls(case.case_id, CALLS, REVIEWER)
    svc.add_letters(case.case_id, world.letter_ids[0], REVIEWER)
    assert svc.add_calls(case.case_id, CALLS, REVIEWER) == []          # idempotent
    cf = svc.assemble(case.case_id, REVIEWER)
    assert cf.borrowers == DISTINCT_BORROWERS and len(cf.exhibits) == 3 + len(LETTERS) + 2
    # several writers at once: the log stays one unbroken chain
    threads = [threading.Thread(target=svc.add_sightings, args=(case.case_id, Actor(f"r{i}", "reviewer")))
               for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for i in range(4):
        svc.store.append_log(case.case_id, "2026-12-01T00:00:00+00:00", f"r{i}", "reviewer", "note", {"i": i})
    log = svc.store.log(case.case_id)
    assert svc.check_log(log) == [] and [e.seq for e in log] == list(range(1, len(log) + 1))
    res = svc.export(case.case_id, tmp_path / "out", REVIEWER)
    assert svc.verify(res.path).ok
    assert case.case_id in {c.case_id for c in SqlCaseStore(url).cases()}
    assert svc.delete(case.case_id, Actor("adm", "admin"), "保存期限届满") == len(cf.exhibits)
    assert SqlCaseStore(url).get(case.case_id) is None


def _knowledge_provisions(settings):
    from assist.bootstrap import build_article_search
    from assist.cases.types import Provision

    search = build_article_search(settings)

    def provisions(query, k):
        s = search.current()
        return [Provision(d.citation, "", "", " ".join(d.text.split())[:180], "") for d in s.digests(query, k=k)]
    return provisions


def test_pdf_is_printed_in_chinese_and_not_blank(tmp_path, rules_assessor, hash_index):
    if shutil.which("chromium") is None or shutil.which("pdftoppm") is None:
        if os.environ.get("CI"):
            pytest.fail("CI must provide chromium and poppler-utils (.ci/run installs them)")
        pytest.skip("chromium or pdftoppm missing: .ci/run installs them")
    world = scripted(tmp_path, rules_assessor, renderer=ChromiumPdfRenderer(), search=_knowledge_provisions(hash_index))
    svc = world.service
    case = svc.open("phone", AGENCY_DIGITS, REVIEWER)
    svc.add_calls(case.case_id, CALLS, REVIEWER)
    svc.add_letters(case.case_id, world.letter_ids[0], REVIEWER)
    res = svc.export(case.case_id, tmp_path / "out", REVIEWER)
    pdf = res.path / "case.pdf"
    assert res.pdf and pdf.is_file() and svc.verify(res.path).ok
    cf = svc.assemble(case.case_id, REVIEWER)
    assert cf.provisions and all(p.citation.startswith("《") and "第" in p.citation for p in cf.provisions)
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")], check=True,
                   timeout=120)
    page = next(tmp_path.glob("page*.png"))
    shutil.copy(page, tmp_path.parent / "case-page-1.png")      # kept beside the test folder to be looked at
    grey = Image.open(page).convert("L")
    dark = sum(grey.histogram()[:128]) / (grey.width * grey.height)
    assert dark > 0.02, f"page 1 looks blank ({dark:.3%} dark pixels)"
    text = subprocess.run(["pdftotext", "-l", "2", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for words in ("线索移交材料", "涉嫌行为概述", "可能涉及的法律规定", "时间线"):
        assert words in text
    assert BORROWER_ID_CARD not in text and AGENCY_DIGITS not in text
    # Chromium embeds its glyphs as unnamed Type 3 fonts: what it drew them from is the system's Chinese font
    fonts = subprocess.run(["fc-match", "-f", "%{family}", "Noto Serif CJK SC:lang=zh-cn"], capture_output=True,
                           text=True, check=True).stdout
    assert "CJK" in fonts, fonts


def _run(args, env):
    return subprocess.run([sys.executable, "-m", "assist", *args], capture_output=True, text=True, timeout=300,
                          env={**os.environ, **env})


def test_cli_open_add_export_verify_and_tamper(tmp_path):
    env = {"ASSIST_DATA_DIR": str(tmp_path / "data"), "ASSIST_EMBEDDER__KIND": "hash",
           "ASSIST_RISK__WATCHLIST_SECRET": SECRET, "ASSIST_CASES__CHROMIUM": "no-such-browser"}
    calls = tmp_path / "calls.jsonl"
    calls.write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in CALLS), encoding="gbk")   # GBK too
    letters = tmp_path / "letters"
    letters.mkdir()
    for name, text in LETTERS:
        (letters / name).write_text(text, encoding="utf-8")
    from assist.bootstrap import build_review_service
    from assist.settings import Settings
    from testkit.fakes import ScriptedOcr
    review = build_review_service(Settings(data_dir=tmp_path / "data"), ocr=ScriptedOcr([]))
    for f in sorted(letters.iterdir()):
        review.review(f)
    review.close()
    out = _run(["case", "open", "--call", f"{calls}:c-001", "--json"], env)
    assert out.returncode == 0, out.stderr
    case_id = json.loads(out.stdout)["case_id"]
    import hashlib
    doc = hashlib.sha256((letters / LETTERS[0][0]).read_bytes()).hexdigest()
    out = _run(["case", "add", case_id, "--calls", str(calls), "--letters", doc[:16]], env)
    assert out.returncode == 0 and "新增来电 2 通、材料 3 份" in out.stdout, out.stdout + out.stderr
    # no browser: the export is refused with a clear message rather than a package without its PDF
    out = _run(["case", "export", case_id, "--out", str(tmp_path / "pk")], env)
    assert out.returncode == EXIT_CODES["dependency"] and "Chromium" in out.stderr
    assert not list((tmp_path / "pk").glob("C-*"))          # no half-written package left behind
    env.pop("ASSIST_CASES__CHROMIUM")
    if shutil.which("chromium") is None:
        pytest.skip("no chromium")
    out = _run(["case", "export", case_id, "--out", str(tmp_path / "pk")], env)
    assert out.returncode == 0, out.stderr
    package = next((tmp_path / "pk").glob("C-*"))
    assert _run(["case", "verify", str(package)], env).returncode == 0
    ex = package / "exhibits" / "E01.json"
    ex.write_bytes(ex.read_bytes().replace("以后".encode(), "今后".encode()))
    out = _run(["case", "verify", str(package)], env)
    assert out.returncode == EXIT_CODES["tampered"] and "exhibits/E01.json: changed" in out.stderr


def _auth(tmp_path):
    """Sign-in for the API in its own data folder: a reviewer's key (scope review) and an agent's (scope calls)."""
    from assist.bootstrap import build_accounts, build_http_auth
    from assist.settings import Settings

    s = Settings(data_dir=tmp_path / "auth-data")
    accounts = build_accounts(s)
    keys = {scope: accounts.create_key(f"{scope}-system", [scope])[1] for scope in ("review", "calls")}
    return build_http_auth(s, accounts), keys


def test_http_route_and_case_tab(tmp_path, rules_assessor):
    from fastapi.testclient import TestClient

    from assist.cases.package import unzip_package, verify_package
    from assist.edges.http.app import create_api
    from assist.edges.ui import Uploads
    from assist.edges.ui.case_tab import CaseTab

    world = scripted(tmp_path, rules_assessor)
    svc = world.service
    # signed in (a reviewer's key; an agent's key and no key are refused), the app's own error handling (403 for
    # an unmasked export by a reviewer, 400 for an unknown case); the staff routes are mounted but not called here
    auth, keys = _auth(tmp_path)
    api = create_api(None, 64, cases=(svc, tmp_path / "packages"), auth=auth)
    with TestClient(api, headers={"Authorization": f"Bearer {keys['review']}"}) as c:
        anon = TestClient(api)
        assert anon.post("/v1/cases", json={"origin": "phone", "value": AGENCY_DIGITS}).status_code == 401
        assert anon.get("/v1/cases", headers={"Authorization": f"Bearer {keys['calls']}"}).status_code == 403
        r = c.post("/v1/cases", json={"origin": "phone", "value": AGENCY_DIGITS})
        assert r.status_code == 201, r.text
        case_id = r.json()["case_id"]
        assert len(c.post(f"/v1/cases/{case_id}/calls", json={"calls": CALLS}).json()["added"]) == 3
        body = c.get(f"/v1/cases/{case_id}").json()
        assert body["borrowers"] == DISTINCT_BORROWERS and body["counts"] == {"call": 3, "letter": 0, "sighting": 2}
        assert c.post(f"/v1/cases/{case_id}/export", json={"unmasked": True, "reason": "公安调取"}).status_code == 403
        r = c.post(f"/v1/cases/{case_id}/export", json={})
        assert r.status_code == 200 and r.headers["content-type"] == "application/zip"
        folder = unzip_package(r.content, tmp_path / "got", 50 * 2**20)
        report = verify_package(folder)
        assert report.ok and report.package_sha256 == r.headers["X-Package-SHA256"]
        assert c.get("/v1/cases/C-none").status_code == 400
        assert svc.store.log(case_id)[0].actor.startswith("key:")          # the signed-in identity, masked
    # the tab's functions, as Gradio calls them (uploads come from its folder)
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    tab = CaseTab(svc, tmp_path / "tab-packages", Uploads(uploads), 10 * 2**20)
    up = uploads / "calls.jsonl"
    up.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in CALLS), encoding="utf-8")
    _, page = tab.open_case("标注“疑似代理”的来电（JSONL 文件）", "c-004", str(up), "", None)
    assert "线索移交材料" in page and "srcdoc" in page and not up.exists()      # the upload is deleted once read
    new_case = svc.store.cases()[0].case_id
    zipped, message = tab.export(new_case, False, "", None, None)
    assert "遮盖版" in message and zipfile.is_zipfile(io.BytesIO(Path(zipped).read_bytes()))
    copy = uploads / "p.zip"
    shutil.copy(zipped, copy)
    assert tab.verify(str(copy), None).startswith("完好")
    import gradio as gr
    outside = tmp_path / "outside.zip"
    shutil.copy(zipped, outside)
    with pytest.raises(gr.Error, match="只能处理本次上传的文件"):      # only files uploaded to the console
        tab.verify(str(outside), None)


def test_a_live_staff_session_joins_a_case(agent_settings, tmp_path, rules_assessor):
    from fastapi.testclient import TestClient

    from assist.bootstrap import build_staff_assist
    from assist.edges.http.app import create_api

    staff = build_staff_assist(agent_settings)
    sid = staff.start({"number_matches": "no"})
    staff.on_turn(sid, {"speaker": "caller", "text": f"我是她委托的代理，以后只联系我这个号{AGENCY_DIGITS}。", "time": 3.0})
    staff.tag(sid, True, "a01")
    world = scripted(tmp_path, rules_assessor)
    auth, keys = _auth(tmp_path)
    with TestClient(create_api(staff, 64, cases=(world.service, tmp_path / "packages"), auth=auth),
                    headers={"Authorization": f"Bearer {keys['review']}"}) as c:
        case_id = c.post("/v1/cases", json={"origin": "phone", "value": AGENCY_DIGITS}).json()["case_id"]
        r = c.post(f"/v1/cases/{case_id}/sessions/{sid}", json={"borrower": "B7"})
        assert r.status_code == 200 and len(r.json()["added"]) == 1, r.text
        assert c.post(f"/v1/cases/{case_id}/sessions/0123456789abcdef", json={"borrower": "B7"}).status_code == 404
        body = c.get(f"/v1/cases/{case_id}").json()
    call = next(e for e in body["exhibits"] if e["kind"] == "call")["content"]
    assert call["tag"] is True and [a["action"] for a in call["actions"]] == ["tagged"]
    assert call["evidence"] and AGENCY_DIGITS not in json.dumps(call, ensure_ascii=False)
    assert body["borrowers"] == 3            # B7 joins B2 and B4 of the agency's sightings
