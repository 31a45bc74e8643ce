"""Cases from a scripted set of calls, letters and sightings (testkit.cases): what is gathered, the timeline, the
counts, the amounts, the masking, who may export what, and that tampering is found."""

import json
import sqlite3

import pytest

from assist.cases.gather import amounts_in, cn_number
from assist.cases.types import Actor
from assist.errors import CaseError, PermissionDenied
from testkit.cases import (
    AGENCY_DIGITS,
    BORROWER_ID_CARD,
    CALLS,
    DISTINCT_BORROWERS,
    LETTERS,
    LINKED_CALLS,
    scripted,
)

REVIEWER = Actor("rev01", "reviewer")
ADMIN = Actor("adm01", "admin")


@pytest.fixture(scope="module")
def world(tmp_path_factory, rules_assessor):
    return scripted(tmp_path_factory.mktemp("cases"), rules_assessor)


@pytest.fixture(scope="module")
def agency_case(world):
    """A case opened from the agency's phone number with the day's calls and the letter cluster added."""
    svc = world.service
    case = svc.open("phone", "+86 139-1234-5678", REVIEWER)
    svc.add_calls(case.case_id, CALLS, REVIEWER)
    svc.add_letters(case.case_id, world.letter_ids[1], REVIEWER)
    return case


def test_case_gathers_linked_calls_letters_and_sightings_in_one_timeline(world, agency_case):
    cf = world.service.assemble(agency_case.case_id, REVIEWER)
    calls = [i for _, i in cf.exhibits if i.kind == "call"]
    assert sorted(c.content["call_id"] for c in calls) == sorted(LINKED_CALLS)       # c-003 never mentions it
    assert sum(1 for _, i in cf.exhibits if i.kind == "letter") == len(LETTERS)
    assert sum(1 for _, i in cf.exhibits if i.kind == "sighting") == 2                # not the other number's
    assert [t.exhibit for t in cf.timeline] == [f"E{n:02d}" for n in range(1, len(cf.exhibits) + 1)]
    assert [t.at for t in cf.timeline] == sorted(t.at for t in cf.timeline)
    assert cf.timeline[0].at == "2026-11-02 10:00" and cf.timeline[-1].at == "2026-11-09 16:20"
    assert cf.borrowers == DISTINCT_BORROWERS
    fees = sorted(a.yuan for a in cf.amounts if a.kind == "fee")
    assert fees == [2000.0, 3000.0]
    # the letters threaten complaints to 12378 and ask for 停息挂账 (lawful: never a suspected conduct on their own);
    # what they show is a template in use
    assert [c[:6] for c in cf.conduct] == ["以代理维权、", "以“停息挂账", "批量制作、提"]
    letter = next(i for _, i in cf.exhibits if i.kind == "letter").content
    assert letter["shared_passages"] and not {f["signal"] for f in letter["findings"]} & {"S5", "S7", "S22"}


def test_evidence_quotes_point_into_the_masked_transcript_with_time(world, agency_case):
    cf = world.service.assemble(agency_case.case_id, REVIEWER)
    first = next(i for _, i in cf.exhibits if i.kind == "call" and i.content["call_id"] == "c-001").content
    assert first["evidence"], "the agency's own words should be quoted"
    for e in first["evidence"]:
        turn = first["turns"][e["turn"]]
        assert turn["text"][e["start"]:e["end"]] == e["quote"]
        assert e["time"] == turn["time"]
    assert any(e["signal_id"] == "S3" for e in first["evidence"])      # 以后只联系我这个号
    assert first["tag"] is True and [a["action"] for a in first["actions"]][-1] == "tagged"


def test_the_masked_package_holds_no_personal_numbers_and_verifies(world, agency_case, tmp_path):
    res = world.service.export(agency_case.case_id, tmp_path, REVIEWER)
    text = "".join(p.read_text(encoding="utf-8") for p in res.path.rglob("*") if p.suffix in (".json", ".html"))
    assert BORROWER_ID_CARD not in text and AGENCY_DIGITS not in text and "13600001111" not in text
    assert "【身份证号】" in text and "139****5678" in text
    assert world.service.verify(res.path).ok
    manifest = json.loads((res.path / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["masked"] is True and manifest["package_sha256"] == res.package_sha256
    entries = world.service.store.log(agency_case.case_id)
    assert entries[-1].action == "export" and entries[-1].actor == "rev01"
    assert entries[-1].detail["package_sha256"] == res.package_sha256
    html = (res.path / "case.html").read_text(encoding="utf-8")
    for heading in ("线索移交材料", "涉嫌行为概述", "可能涉及的法律规定", "时间线", "证据清单", "证据详情"):
        assert heading in html
    assert "<script" not in html and "http" not in html.replace("http-equiv", "")     # self-contained


@pytest.mark.parametrize("how", ["exhibit", "added", "removed", "manifest"])
def test_tampering_with_a_package_is_detected(world, agency_case, tmp_path, how):
    res = world.service.export(agency_case.case_id, tmp_path, REVIEWER)
    ex = res.path / "exhibits" / "E02.json"
    if how == "exhibit":
        ex.write_text(ex.read_text(encoding="utf-8").replace("投诉", "咨询"), encoding="utf-8")
    elif how == "added":
        (res.path / "exhibits" / "E99.json").write_text("{}", encoding="utf-8")
    elif how == "removed":
        ex.unlink()
    else:   # the exhibit changed and the manifest rewritten to match: only the case log can tell
        from assist.cases.package import package_hash
        from assist.cases.types import sha256
        ex.write_text(ex.read_text(encoding="utf-8").replace("投诉", "咨询"), encoding="utf-8")
        m = json.loads((res.path / "manifest.json").read_text(encoding="utf-8"))
        for f in m["files"]:
            f["sha256"] = sha256((res.path / f["path"]).read_bytes())
        for e in m["exhibits"]:
            e["sha256"] = sha256((res.path / "exhibits" / f"{e['exhibit']}.json").read_bytes())
        m["package_sha256"] = package_hash(m)
        (res.path / "manifest.json").write_text(json.dumps(m, ensure_ascii=False), encoding="utf-8")
    report = world.service.verify(res.path)
    assert not report.ok, how
    if how == "manifest":
        assert any("case log records no export" in p for p in report.problems)


def test_unmasked_export_needs_the_role_and_a_reason_and_is_logged(world, agency_case, tmp_path):
    with pytest.raises(PermissionDenied):
        world.service.export(agency_case.case_id, tmp_path, REVIEWER, unmasked=True, reason="公安机关调取函")
    with pytest.raises(PermissionDenied):
        world.service.export(agency_case.case_id, tmp_path, ADMIN, unmasked=True, reason="")
    with pytest.raises(PermissionDenied):
        world.service.assemble(agency_case.case_id, Actor("someone", "agent"))
    from assist.cases.gather import call_source_hash
    originals = {call_source_hash(c): c for c in CALLS}
    res = world.service.export(agency_case.case_id, tmp_path, ADMIN, unmasked=True,
                               reason="某市公安局经侦支队调取证据通知书", originals=originals)
    assert res.path.name.endswith("-unmasked")
    text = (res.path / "case.html").read_text(encoding="utf-8")
    assert BORROWER_ID_CARD in text and "未遮盖版" in text
    assert world.service.verify(res.path).ok
    last = world.service.store.log(agency_case.case_id)[-1]
    assert last.action == "export_unmasked" and last.role == "admin" and "调取证据通知书" in last.detail["reason"]


def test_changing_the_store_behind_the_log_is_detected(world, tmp_path):
    svc = world.service
    case = svc.open("phone", AGENCY_DIGITS, REVIEWER)
    db = sqlite3.connect(str(svc.store.engine.url.database))
    with db:
        db.execute("UPDATE case_item SET content = replace(content, 'local', 'other') WHERE case_id = ?",
                   (case.case_id,))
    with pytest.raises(CaseError, match="does not match its log"):
        svc.export(case.case_id, tmp_path, REVIEWER)
    with db:
        db.execute("UPDATE case_log SET actor = 'someone else' WHERE case_id = ? AND seq = 1", (case.case_id,))
    assert any("entry 1" in p for p in svc.check_log(svc.store.log(case.case_id)))
    db.close()


def test_a_case_opens_from_a_letter_cluster_or_a_tagged_call(world):
    svc = world.service
    by_cluster = svc.open("cluster", world.letter_ids[2][:16], REVIEWER)
    assert len(svc.store.items(by_cluster.case_id)) == len(LETTERS)
    by_call = svc.open("call", CALLS[0], REVIEWER)
    assert [i.kind for i in svc.store.items(by_call.case_id)] == ["call"]
    assert world.watchlist.digest("phone", AGENCY_DIGITS) in {i.id_hash for i in by_call.identifiers}
    with pytest.raises(CaseError, match="tagged"):
        svc.open("call", CALLS[1], REVIEWER)
    with pytest.raises(CaseError, match="no reviewed document"):
        svc.open("cluster", "K-0123456789ab", REVIEWER)


def test_bad_call_records_name_the_field(world, agency_case):
    with pytest.raises(CaseError) as err:
        world.service.add_calls(agency_case.case_id, [{"call_id": "x", "borrower": "B9", "started": "昨天",
                                                       "turns": [{"speaker": "caller", "text": "hi"}]}], REVIEWER,
                                linked_only=False)
    assert err.value.field == "calls[0].started"
    with pytest.raises(CaseError) as err:
        world.service.add_calls(agency_case.case_id, [{"call_id": "x", "borrower": "B9", "started": "2026-11-01",
                                                       "turns": [{"speaker": "robot", "text": "hi"}]}], REVIEWER,
                                linked_only=False)
    assert err.value.field == "calls[0].turns[0].speaker"


def test_adding_the_same_material_twice_adds_nothing(world, agency_case):
    before = len(world.service.store.items(agency_case.case_id))
    assert world.service.add_calls(agency_case.case_id, CALLS, REVIEWER) == []
    assert len(world.service.store.items(agency_case.case_id)) == before


def test_amounts_and_fees_in_chinese_text():
    assert cn_number("一万五千") == 15000 and cn_number("两百") == 200 and cn_number("三千") == 3000
    found = amounts_in("他们收了手续费1,500元，欠款还有两万元，减免比例百分之三十")
    assert [(a.kind, a.yuan) for a in found] == [("fee", 1500.0), ("amount", 20000.0), ("rate", None)]


def test_markup_in_a_call_is_shown_as_text(world, tmp_path):
    call = {**CALLS[0], "call_id": "c-xss", "turns": [{"speaker": "caller", "text": "<script>alert(1)</script>以后只联系我这个号"}]}
    case = world.service.open("call", call, REVIEWER)
    res = world.service.export(case.case_id, tmp_path, REVIEWER)
    html = (res.path / "case.html").read_text(encoding="utf-8")
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_a_calls_file_in_gbk_reads_and_a_bad_line_is_named():
    from assist.cases.gather import read_calls
    good = "".join(json.dumps(c, ensure_ascii=False) + "\n" for c in CALLS[:2]).encode("gbk")
    assert [c["call_id"] for c in read_calls(good, "calls.jsonl")] == ["c-001", "c-002"]
    with pytest.raises(CaseError) as err:
        read_calls(good + b'{"call_id": "x"}\n', "calls.jsonl")
    assert (err.value.path, err.value.line, err.value.field) == ("calls.jsonl", 3, "call.borrower")


def test_deleting_a_case_needs_an_admin_and_a_reason_and_leaves_a_record(world):
    svc = world.service
    case = svc.open("phone", AGENCY_DIGITS, REVIEWER)
    with pytest.raises(PermissionDenied):
        svc.delete(case.case_id, REVIEWER, "保存期限届满")
    with pytest.raises(PermissionDenied):
        svc.delete(case.case_id, ADMIN, "")
    last = svc.store.log(case.case_id)[-1].hash
    assert svc.delete(case.case_id, ADMIN, "保存期限届满") == 2
    assert svc.store.get(case.case_id) is None and svc.store.items(case.case_id) == [] and svc.store.log(case.case_id) == []
    record = next(d for d in svc.store.deleted() if d["case_id"] == case.case_id)
    assert record["actor"] == "adm01" and record["reason"] == "保存期限届满" and record["last_hash"] == last
    with pytest.raises(CaseError):
        svc.delete(case.case_id, ADMIN, "保存期限届满")


def test_a_case_opened_from_a_voice_gathers_the_borrowers_that_voice_spoke_for(tmp_path, rules_assessor):
    """The voice sighting kept one embedding per recorded call (real SQLite voiceprint store); a case opened from one
    call's voice gathers every other borrower's call with that voice within the window, links their call records,
    and leaves a different voice out. The package names the origin and keeps no raw id."""
    import dataclasses
    import datetime as dt

    import numpy as np

    from assist.adapters.sqlite_voiceprints import SqliteVoiceprintStore
    from assist.audio.voiceprint import VoiceIndex, keyed

    world = scripted(tmp_path, rules_assessor)
    secret = "voice-secret-for-tests-0123"
    store = SqliteVoiceprintStore(tmp_path / "voiceprints.sqlite")
    rng = np.random.default_rng(7)
    agency = rng.normal(size=256)
    agency /= np.linalg.norm(agency)
    other = rng.normal(size=256)
    other /= np.linalg.norm(other)

    def near(v):
        w = v + rng.normal(scale=0.02, size=256)
        return (w / np.linalg.norm(w)).tolist()

    now = dt.datetime(2026, 11, 20, tzinfo=dt.UTC)
    for call, borrower, voice, days in (("c-001", "B1", agency, 18), ("c-002", "B2", agency, 15),
                                        ("c-004", "B1", agency, 11), ("c-003", "B3", other, 14),
                                        ("c-old", "B9", agency, 200)):
        seen = (now - dt.timedelta(days=days)).isoformat()
        store.add(keyed(secret.encode(), "borrower", borrower), keyed(secret.encode(), "call", call), seen, near(voice))
    voices = VoiceIndex(store, secret, window_days=90, threshold=0.85, clock=lambda: now)
    svc = world.service
    svc.sources = dataclasses.replace(svc.sources, voices=voices)

    with pytest.raises(CaseError, match="no voiceprint"):
        svc.open("voice", "c-unknown", REVIEWER)
    case = svc.open("voice", "c-002", REVIEWER)
    sightings = [i for i in svc.store.items(case.case_id) if i.kind == "sighting"]
    assert len(sightings) == 3 and len({s.content["borrower"] for s in sightings}) == 2   # B1 twice, B2; not B3/B9
    added = svc.add_calls(case.case_id, CALLS, REVIEWER)                # linked by the voice of their caller
    assert sorted(i.content["call_id"] for i in added) == ["c-001", "c-002", "c-004"]
    cf = svc.assemble(case.case_id, REVIEWER)
    assert case.origin == "voice" and case.origin_label.startswith("声纹")
    assert [i.kind for i in case.identifiers] == ["voice"] and "c-002" not in case.identifiers[0].id_hash
    assert sum(1 for _, i in cf.exhibits if i.kind == "sighting") == 3
    svc.sources = dataclasses.replace(svc.sources, voices=None)
    with pytest.raises(CaseError, match="voice sighting is off"):
        svc.open("voice", "c-002", REVIEWER)
