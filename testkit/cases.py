"""A scripted set of calls, letters and watchlist sightings about one agency (and some that are not about it), and a
CaseService over them, for the case tests (tests/unit/cases, tests/integration/test_cases.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assist.adapters.sql_case_store import SqlCaseStore
from assist.adapters.sqlite_stores import SqliteWatchlistStore
from assist.bootstrap import build_review_service
from assist.cases.service import CaseService, CaseSources
from assist.cases.types import Provision
from assist.ports import PdfRenderer
from assist.risk.assessor import RiskAssessor
from assist.risk.watchlist import Watchlist
from assist.settings import Settings
from testkit.fakes import ScriptedOcr

AGENCY_PHONE = "139 1234 5678"             # the agency's contact number, as a caller says it
AGENCY_DIGITS = "13912345678"
OTHER_PHONE = "13787654321"
BORROWER_ID_CARD = "11010519491231002X"      # a valid 身份证号 (check digit X) that must never reach a package
SECRET = "test-secret-for-cases-0123456789"

CALLS: list[dict[str, Any]] = [
    {"call_id": "c-001", "borrower": "B1", "started": "2026-11-02T10:00:00", "calling_number": AGENCY_DIGITS,
     "agent": "a01", "tag": True, "actions": ["verify_identity", "call_back_registered_number", "tagged"],
     "turns": [
         {"speaker": "agent", "text": "您好，请问有什么可以帮您？", "time": 0.0},
         {"speaker": "caller", "text": f"我是安心法务的，借款人的事情以后全权由我们代理，以后只联系我这个号{AGENCY_PHONE}。",
          "time": 4.5},
         {"speaker": "agent", "text": "请问您和借款人是什么关系？", "time": 12.0},
         {"speaker": "caller", "text": f"她身份证号{BORROWER_ID_CARD}，我们帮她办停息挂账，她已经交了服务费3000元，"
          "你们必须给她停息挂账，这是法律规定的。", "time": 15.0},
     ]},
    {"call_id": "c-002", "borrower": "B2", "started": "2026-11-05T14:30:00", "calling_number": "13600001111",
     "agent": "a02", "tag": False, "actions": [{"action": "verify_identity", "by": "a02"}],
     "turns": [
         {"speaker": "caller", "text": f"有个公司让我先交定金两千元，说能帮我停息挂账，他们电话是{AGENCY_DIGITS}。",
          "time": 2.0},
         {"speaker": "agent", "text": "您可以直接和我们协商，不需要任何中介。", "time": 9.0},
     ]},
    {"call_id": "c-003", "borrower": "B3", "started": "2026-11-06T09:00:00", "calling_number": OTHER_PHONE,
     "agent": "a01", "tag": False, "actions": [],
     "turns": [{"speaker": "caller", "text": "我想问一下这个月的还款日是哪天。", "time": 1.0}]},
    {"call_id": "c-004", "borrower": "B1", "started": "2026-11-09T16:20:00", "calling_number": AGENCY_DIGITS,
     "agent": "a03", "tag": True, "actions": ["tagged"],
     "turns": [{"speaker": "caller", "text": "我们是借款人委托的代理，以后只联系我这个号，你们不准再联系她本人。", "time": 3.0}]},
]
LINKED_CALLS = ("c-001", "c-002", "c-004")

_TEMPLATE = ("尊敬的贵公司：本人因疫情影响收入大幅下降，家庭困难，无力按期还款。根据国家相关规定，金融机构应当为困难群众"
             "办理停息挂账，本人特此申请停息挂账，分{n}期偿还本金，免除全部利息、罚息和违约金。如贵公司不予办理，本人将"
             "向银保监会、人民银行及12378进行投诉，并保留诉讼的权利。联系电话{phone}。申请人：{name}。日期：2026年11月{d}日。")
LETTERS = [
    ("letter-a.txt", _TEMPLATE.format(n=60, phone=AGENCY_DIGITS, name="张三", d=3)),
    ("letter-b.txt", _TEMPLATE.format(n=48, phone=AGENCY_DIGITS, name="李四", d=7)),
    ("letter-c.txt", _TEMPLATE.format(n=36, phone="13700002222", name="王五", d=8)),
]
SIGHTINGS = [  # (kind, value, borrower, when)
    ("phone", AGENCY_DIGITS, "B2", dt.datetime(2026, 11, 4, 8, 0, tzinfo=dt.UTC)),
    ("phone", AGENCY_DIGITS, "B4", dt.datetime(2026, 11, 7, 8, 0, tzinfo=dt.UTC)),
    ("phone", OTHER_PHONE, "B5", dt.datetime(2026, 11, 7, 9, 0, tzinfo=dt.UTC)),
]
DISTINCT_BORROWERS = 3      # B1 and B2 (calls) with B2 and B4 (sightings): B1, B2, B4


@dataclass
class Scripted:
    service: CaseService
    watchlist: Watchlist
    letter_ids: list[str]


def provisions(query: str, k: int) -> list[Provision]:
    """A stand-in article search for unit tests (the integration test uses the knowledge base's)."""
    return [Provision("《中华人民共和国个人信息保护法》第十条", "中华人民共和国个人信息保护法", "第十条",
                      "任何组织、个人不得非法收集、使用、加工、传输他人个人信息。", "")][:k]


def scripted(tmp: Path, assessor: RiskAssessor, *, store_url: str | None = None,
             renderer: PdfRenderer | None = None, search: Any = provisions) -> Scripted:
    """The scripted world: watchlist sightings recorded, letters reviewed (a cluster of three), a CaseService."""
    watchlist = Watchlist(SqliteWatchlistStore(tmp / "watchlist.sqlite"), SECRET, 90, 2)
    for kind, value, borrower, when in SIGHTINGS:
        watchlist.record(kind, value, borrower, when)
    review = build_review_service(Settings(data_dir=tmp / "review"), ocr=ScriptedOcr([]))
    ids = [review.review(text.encode("utf-8"), name).doc_id for name, text in LETTERS]
    store = SqlCaseStore(store_url or f"sqlite:///{tmp / 'cases.sqlite'}")
    sources = CaseSources(watchlist, lambda turns, meta: assessor.assess(turns, meta), review.store, review.policy,
                          search)
    return Scripted(CaseService(store, sources, renderer), watchlist, ids)
