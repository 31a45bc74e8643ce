"""No raw personal number anywhere: a scripted session against `assist serve` (its own process) sends every shape of
ID, phone and card number (testkit.pii_cases.PII_SHAPES: glued to letters, Chinese numerals, dots, underscores,
full-width, +86, spaced cards, a mistyped ID) through every door — staff API (slots, turns, feedback, agent id, tags),
consumer API, document review (file content and file name) over HTTP and through the trainer console, the staff
sidebar, practice (trainee name, replies, export), dataset validation — and then reads every byte the server wrote:
its data folder (SQLite files and their journals, Gradio's upload folder, the trainer's files), its temporary
folder, the embedding cache and its log, and every answer it gave. None holds a raw value."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from testkit.auth import cookie_of
from testkit.hostile import multipart
from testkit.pii_cases import PII_DIGITS, PII_SHAPES

TEXTS = [text for _, text, _ in PII_SHAPES]
NEEDLES = sorted({raw for _, _, raws in PII_SHAPES for raw in raws} | set(PII_DIGITS))
ALL = "；".join(TEXTS)


@pytest.fixture(scope="module")
def answers(served, tmp_path_factory):
    """Run the scripted session; returns every answer body the server gave, as text."""
    from gradio_client import Client, handle_file

    seen: list[str] = []
    work = tmp_path_factory.mktemp("pii-files")
    with httpx.Client(base_url=served.url, headers=served.logins.headers, timeout=120) as c:
        def post(path: str, **kw) -> dict:
            r = c.post(path, **kw)
            seen.append(r.text)
            assert r.status_code in (200, 201), (path, r.status_code, r.text[:300])
            return r.json()

        sid = post("/v1/sessions", json={"meta": {"number_matches": "no"},
                                         "slots": {"客户称呼": "王女士", "回拨号码": TEXTS[5]}})["session_id"]
        last = None
        for i, text in enumerate(TEXTS):
            last = post(f"/v1/sessions/{sid}/turns", json={"speaker": "caller" if i % 2 == 0 else "agent",
                                                           "text": f"我是他的法务，{text}"})
        assert last is not None and last["suggestions"]
        post("/v1/feedback", json={"suggestion_id": last["suggestions"][0]["id"], "action": "edited",
                                   "edited_text": ALL[:3900], "agent_id": "工号13812345678"},
             headers={"X-Assist-On-Behalf-Of": "emp13812345678"})
        post("/v1/feedback", json={"session_id": sid, "suspected_intermediary": True, "agent_id": "tel15697880932"})
        chat = None
        for text in TEXTS:
            chat = post("/v1/consumer/messages", json={"session_id": chat, "message": f"有人让我把{text}发给他"})["session_id"]
        body, ctype = multipart("file", "张三_110101199003074477_授权书.txt",
                                ("授权委托书\n委托人：张三，" + ALL + "\n受托人：某某咨询公司\n").encode())
        post("/v1/documents/review", content=body, headers={"content-type": ctype})

    letter = work / "李四_15697880932_投诉信.txt"
    letter.write_text("投诉信\n本人" + ALL + "，要求贵司停息挂账。\n", encoding="utf-8")
    dataset = work / "scams_pii.jsonl"
    dataset.write_text("".join(json.dumps({"id": f"p{i}", "message": f"对方要我提供{t}", "schemes": [], "urgent": False},
                                          ensure_ascii=False) + "\n" for i, t in enumerate(TEXTS)), encoding="utf-8")
    admin = cookie_of(served.url, "admin")
    trainer = Client(served.url + "/trainer/", verbose=False, headers=admin)
    seen.append(str(trainer.predict([handle_file(str(letter))], api_name="/review_documents")))
    seen.append(str(trainer.predict(handle_file(str(dataset)), "自动识别", api_name="/validate_dataset")))
    start = trainer.predict("学员13812345678", "随机", api_name="/practice_start")
    seen.append(json.dumps(start, ensure_ascii=False))
    for text in TEXTS[:6]:
        out = trainer.predict(start[0], f"您好，请提供{text}核实一下", api_name="/practice_reply")
        seen.append(json.dumps(out, ensure_ascii=False))
        start = (out[0], *start[1:])
        if out[3]:
            break
    seen.append(str(trainer.predict(api_name="/practice_end")))
    export = trainer.predict("学员13812345678", api_name="/practice_export")
    seen.append(Path(export).read_text(encoding="utf-8-sig"))
    sidebar = Client(served.url + "/assist/", verbose=False, headers=admin)
    for text in TEXTS[:4]:
        seen.append(json.dumps(sidebar.predict("no", "caller", f"我是法务，{text}", api_name="/add_turn"),
                               ensure_ascii=False, default=str))
    seen.append(str(sidebar.predict(ALL[:500], api_name="/feedback_edited_1")))
    return seen


def _found(blob: bytes) -> list[str]:
    return [n for n in NEEDLES if n.encode("utf-8") in blob]


def test_no_answer_echoes_a_raw_number(answers):
    leaks = {n for text in answers for n in _found(text.encode("utf-8"))}
    assert leaks == set()


def test_no_store_temp_folder_or_log_holds_a_raw_number(answers, served, embedding_cache):
    places = [served.data_dir, served.temp_dir, served.log_path, embedding_cache.parent]
    scanned, leaks = 0, {}
    for place in places:
        files = [place] if place.is_file() else [p for p in place.rglob("*") if p.is_file()]
        for f in files:
            try:
                data = f.read_bytes()
            except FileNotFoundError:          # the server's upload sweeper deleted it while we walked the folder
                continue
            scanned += 1
            found = _found(data)
            if found:
                leaks[str(f)] = found
    assert scanned > 10 and any(p.suffix == ".sqlite" for pl in places if pl.is_dir() for p in pl.rglob("*.sqlite"))
    assert leaks == {}
    log = served.log_path.read_text(encoding="utf-8")
    assert "consumer message" in log and "【手机号】" in log          # the log lines were written, masked
    requests = (served.data_dir / "logs" / "requests.log").read_text(encoding="utf-8")
    assert "POST /v1/feedback 200" in requests and f"actor=key:{served.logins.key_id}/emp【" in requests
    audit = b"".join(p.read_bytes() for p in served.data_dir.glob("assist.sqlite*"))
    assert b"call.tag" in audit and b"practice.export" in audit         # the audit trail, in the scan above too
    review = b"".join(p.read_bytes() for p in served.data_dir.glob("review.sqlite*"))   # the file and its WAL
    assert "【身份证号】".encode() in review and "张三_【身份证号】_授权书.txt".encode() in review
