"""HTTP edge of case files (README, "Case files"): open a case, add calls, a letter cluster and sightings, read it,
export the package as a ZIP.

Who may: CASE_ROLES (reviewer, admin), and UNMASKED_ROLES for an unmasked export with its reason. ``caller`` says who
is calling: the signed-in identity (``signed_caller``: ``need(*CASE_ROLES)``, acting as admin when it has that role)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from pydantic import BaseModel, Field

from assist.cases.gather import call_source_hash, session_record
from assist.cases.package import zip_package
from assist.cases.service import CaseService
from assist.cases.types import CASE_ROLES, Actor
from assist.core.pii import mask_for_storage
from assist.edges.http.auth import need
from assist.edges.http.validation import Text
from assist.staff.assist import TAG, StaffAssist

Caller = Callable[[Request], Actor]


def signed_caller(request: Request) -> Actor:
    """The signed-in caller with one of CASE_ROLES (401 / 403 otherwise), acting as admin when it has that role."""
    ident = need(*CASE_ROLES)(request)
    return Actor(mask_for_storage(ident.actor)[:130], "admin" if "admin" in ident.roles else "reviewer")


class OpenIn(BaseModel):
    origin: Literal["phone", "name", "company", "cluster", "call", "voice"]
    value: Any = Field(description="the identifier, the letter or cluster id, or the tagged call record")
    title: Text = Field("", max_length=200)


class CallsIn(BaseModel):
    calls: list[dict[str, Any]] = Field(max_length=500, description="call records (README, \"Case files\")")
    linked_only: bool = Field(True, description="keep only calls that mention one of the case's identifiers")


class LettersIn(BaseModel):
    letters: Text = Field(max_length=80, description="a reviewed letter's id or a cluster id K-…")


class SessionIn(BaseModel):
    borrower: Text = Field(max_length=64, description="the institution's borrower id (kept as a keyed hash)")
    started: Text | None = Field(None, max_length=40, description="ISO time the call started (default: now)")


class ExportIn(BaseModel):
    unmasked: bool = False
    reason: Text = Field("", max_length=500, description="required for an unmasked export; logged")
    originals: list[dict[str, Any]] = Field(default_factory=list, max_length=500,
                                            description="raw call records for an unmasked copy")


def router(service: CaseService, package_dir: Path, caller: Caller = signed_caller,
           staff: StaffAssist | None = None) -> APIRouter:
    r = APIRouter(tags=["cases"], responses={403: {"description": f"the caller is not one of {', '.join(CASE_ROLES)}, "
                                                                  "or may not export unmasked"}})
    who = Depends(caller)

    @r.get("/v1/cases")
    def list_cases(actor: Actor = who) -> list[dict[str, Any]]:
        return [c.to_dict() for c in service.cases(actor)]

    @r.post("/v1/cases", status_code=201)
    async def open_case(body: OpenIn, actor: Actor = who) -> dict[str, Any]:
        case = await run_in_threadpool(service.open, body.origin, body.value, actor, body.title)
        return case.to_dict()

    @r.get("/v1/cases/{case_id}", responses={400: {"description": "unknown case"}})
    async def read_case(case_id: str, actor: Actor = who) -> dict[str, Any]:
        return (await run_in_threadpool(service.assemble, case_id, actor)).to_dict()

    @r.post("/v1/cases/{case_id}/calls")
    async def add_calls(case_id: str, body: CallsIn, actor: Actor = who) -> dict[str, Any]:
        added = await run_in_threadpool(lambda: service.add_calls(case_id, body.calls, actor,
                                                                  linked_only=body.linked_only))
        return {"added": [i.item_id for i in added]}

    @r.post("/v1/cases/{case_id}/letters")
    async def add_letters(case_id: str, body: LettersIn, actor: Actor = who) -> dict[str, Any]:
        added = await run_in_threadpool(service.add_letters, case_id, body.letters, actor)
        return {"added": [i.item_id for i in added]}

    @r.post("/v1/cases/{case_id}/sightings")
    async def add_sightings(case_id: str, actor: Actor = who) -> dict[str, Any]:
        added = await run_in_threadpool(service.add_sightings, case_id, actor)
        return {"added": [i.item_id for i in added]}

    if staff is not None:
        @r.post("/v1/cases/{case_id}/sessions/{session_id}",
                responses={404: {"description": "unknown or expired call session"}})
        async def add_session(case_id: str, session_id: str, body: SessionIn, actor: Actor = who) -> dict[str, Any]:
            """Add a live staff session (sidebar or call platform): its masked turns, the risk hint's evidence,
            whether staff verified the caller and the 疑似代理 tag."""
            s = staff.session(session_id)
            tag = await run_in_threadpool(staff.store.tag_state, session_id, TAG)
            started = body.started or dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
            record = session_record(session_id, list(s.turns), borrower=body.borrower, started=started,
                                    verified=bool(s.risk.meta.verified), tag=tag)
            added = await run_in_threadpool(lambda: service.add_calls(case_id, [record], actor, linked_only=False))
            return {"added": [i.item_id for i in added]}

    @r.post("/v1/cases/{case_id}/export", response_class=Response,
            responses={200: {"content": {"application/zip": {}},
                             "description": "the package as a ZIP; X-Package-SHA256 is its manifest hash"}})
    async def export(case_id: str, body: ExportIn, actor: Actor = who) -> Response:
        originals = {call_source_hash(c): c for c in body.originals}
        res = await run_in_threadpool(lambda: service.export(case_id, package_dir, actor, unmasked=body.unmasked,
                                                             reason=body.reason, originals=originals))
        data = await run_in_threadpool(zip_package, res.path)
        return Response(data, media_type="application/zip", headers={
            "X-Package-SHA256": res.package_sha256,
            "Content-Disposition": f'attachment; filename="{res.path.name}.zip"'})

    return r

