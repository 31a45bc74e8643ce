"""The staff JSON API for call-centre platforms: sessions, turns -> Assistance, verification, feedback and tags.

Turn length and turns per session are the service's budgets (agent.max_turn_chars -> 413, agent.max_turns_per_session
-> 409); every text field refuses lone surrogates (422)."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter
from pydantic import AliasChoices, BaseModel, Field

from assist.edges.http.validation import Text
from assist.errors import AssistError
from assist.staff.assist import StaffAssist


class SessionIn(BaseModel):
    meta: dict[Text, Any] = Field(default_factory=dict, max_length=20,
                                  description="number_matches yes|no|unknown, channel, verified")
    slots: dict[Text, Text] = Field(default_factory=dict, max_length=50,
                                    description='script slot values, e.g. {"客户称呼": "王女士"} (stored masked)')


class TurnIn(BaseModel):
    speaker: Literal["caller", "agent"]
    text: Text = Field(max_length=100_000, description="the turn (agent.max_turn_chars at most, else 413)")
    time: float | None = Field(None, allow_inf_nan=False)
    signal_scripts: bool = Field(False, description="also suggest the scripts written for intermediary signals while "
                                 "the risk hint is low (staff asked for them); otherwise they come only at medium or high")


class FeedbackIn(BaseModel):
    suggestion_id: Text | None = Field(None, max_length=64)
    action: Literal["used", "edited", "rejected"] | None = None
    edited_text: Text | None = Field(None, max_length=4000, description="stored masked")
    session_id: Text | None = Field(None, max_length=64)
    suspected_intermediary: bool | None = Field(
        None, validation_alias=AliasChoices("suspected_intermediary", "suspected_agent"),
        description="set (true) or clear (false) the 疑似代理 tag on the session (suspected_agent is accepted too)")
    agent_id: Text | None = Field(None, max_length=64, description="the staff member's id (stored masked)")


def router(assist: StaffAssist) -> APIRouter:
    r = APIRouter(tags=["staff"])

    @r.post("/v1/sessions", status_code=201,
            responses={503: {"description": "agent.max_sessions live sessions already (Retry-After)"}})
    def new_session(body: SessionIn) -> dict[str, Any]:
        return {"session_id": assist.start(body.meta, body.slots), "expires_after_idle_s": assist.ttl}

    @r.post("/v1/sessions/{session_id}/turns",
            responses={404: {"description": "unknown or expired session"},
                       409: {"description": "the session has taken agent.max_turns_per_session turns"},
                       413: {"description": "turn over agent.max_turn_chars"},
                       503: {"description": "the index cannot be searched just now (Retry-After)"}})
    def add_turn(session_id: str, body: TurnIn) -> dict[str, Any]:
        turn = body.model_dump(exclude={"signal_scripts"})
        return assist.on_turn(session_id, turn, signal_scripts=body.signal_scripts).to_dict()

    @r.post("/v1/sessions/{session_id}/verified", responses={404: {"description": "unknown or expired session"}})
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
