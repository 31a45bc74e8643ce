"""The staff JSON API for call-centre platforms: sessions, turns -> Assistance, verification, feedback and tags."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter
from pydantic import AliasChoices, BaseModel, Field

from assist.errors import AssistError
from assist.staff.assist import StaffAssist


class SessionIn(BaseModel):
    meta: dict[str, Any] = Field(default_factory=dict, description="number_matches yes|no|unknown, channel, verified")
    slots: dict[str, str] = Field(default_factory=dict, description='script slot values, e.g. {"客户称呼": "王女士"}')


class TurnIn(BaseModel):
    speaker: Literal["caller", "agent"]
    text: str = Field(max_length=20000)
    time: float | None = None


class FeedbackIn(BaseModel):
    suggestion_id: str | None = Field(None, max_length=64)
    action: Literal["used", "edited", "rejected"] | None = None
    edited_text: str | None = Field(None, max_length=4000)
    session_id: str | None = Field(None, max_length=64)
    suspected_intermediary: bool | None = Field(
        None, validation_alias=AliasChoices("suspected_intermediary", "suspected_agent"),
        description="set (true) or clear (false) the 疑似代理 tag on the session (suspected_agent is accepted too)")
    agent_id: str | None = Field(None, max_length=64, description="the staff member's id")


def router(assist: StaffAssist) -> APIRouter:
    r = APIRouter(tags=["staff"])

    @r.post("/v1/sessions", status_code=201)
    def new_session(body: SessionIn) -> dict[str, Any]:
        return {"session_id": assist.start(body.meta, body.slots), "expires_after_idle_s": assist.ttl}

    @r.post("/v1/sessions/{session_id}/turns")
    def add_turn(session_id: str, body: TurnIn) -> dict[str, Any]:
        return assist.on_turn(session_id, body.model_dump()).to_dict()

    @r.post("/v1/sessions/{session_id}/verified")
    def verified(session_id: str) -> dict[str, Any]:
        return assist.verify(session_id, True)

    @r.post("/v1/feedback")
    def post_feedback(body: FeedbackIn) -> dict[str, str]:
        if body.suggestion_id and body.action:
            assist.feedback(body.suggestion_id, body.action, body.edited_text, body.agent_id)
        elif body.session_id and body.suspected_intermediary is not None:
            assist.tag(body.session_id, body.suspected_intermediary, body.agent_id)
        else:
            raise AssistError("give suggestion_id + action, or session_id + suspected_intermediary", field="body")
        return {"status": "recorded"}

    return r
