"""The staff JSON API for call-centre platforms: sessions, turns -> Assistance, verification, feedback and tags.

Turn length and turns per session are the service's budgets (agent.max_turn_chars -> 413, agent.max_turns_per_session
-> 409); every text field refuses lone surrogates (422)."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, Header
from pydantic import AliasChoices, BaseModel, Field

from assist.auth.types import Identity
from assist.edges.http.auth import need
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
    turn_id: str | None = Field(None, min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._:-]+$",
                                description="the client's id for this turn (its speech segment id, or a retry key): a "
                                "turn resent with the id of the session's latest turn is not taken twice, its "
                                "assistance is given again; an id reused for other words is 409. The Idempotency-Key "
                                "header does the same")
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
    agent_id: Text | None = Field(None, max_length=64, description="ignored: who gave the feedback is the signed-in "
                                  "caller (a call platform's key names the staff member in X-Assist-On-Behalf-Of)")


def router(assist: StaffAssist, audit: Any = None) -> APIRouter:
    """Every route needs the agent role (a key with scope ``calls``, or a signed-in agent); the staff member on
    feedback and tags is the signed-in caller. ``audit(identity, action, target, detail)`` records what was done."""
    r = APIRouter(tags=["staff"], responses={401: {"description": "not signed in"},
                                             403: {"description": "the caller lacks the agent role"}})
    agent = Depends(need("agent"))

    def record(ident: Identity, action: str, target: str, **detail: Any) -> None:
        if audit is not None:
            audit(ident, action, target, detail)

    @r.post("/v1/sessions", status_code=201,
            responses={503: {"description": "agent.max_sessions live sessions already (Retry-After)"}})
    def new_session(body: SessionIn, ident: Identity = agent) -> dict[str, Any]:
        sid = assist.start(body.meta, body.slots)
        record(ident, "call.open", sid)
        return {"session_id": sid, "expires_after_idle_s": assist.ttl}

    @r.post("/v1/sessions/{session_id}/turns",
            responses={404: {"description": "unknown or expired session"},
                       409: {"description": "the session has taken agent.max_turns_per_session turns, or turn_id "
                                             "names another turn"},
                       413: {"description": "turn over agent.max_turn_chars"},
                       503: {"description": "the index cannot be searched just now (Retry-After)"}})
    def add_turn(session_id: str, body: TurnIn, ident: Identity = agent,
                 idempotency_key: str | None = Header(None, max_length=64, pattern=r"^[A-Za-z0-9._:-]+$")) -> dict[str, Any]:
        turn = body.model_dump(exclude={"signal_scripts", "turn_id"})
        return assist.on_turn(session_id, turn, signal_scripts=body.signal_scripts,
                              turn_id=body.turn_id or idempotency_key).to_dict()

    @r.post("/v1/sessions/{session_id}/verified", responses={404: {"description": "unknown or expired session"}})
    def verified(session_id: str, ident: Identity = agent) -> dict[str, Any]:
        out = assist.verify(session_id, True)
        record(ident, "call.verified", session_id)
        return out

    @r.post("/v1/feedback")
    def post_feedback(body: FeedbackIn, ident: Identity = agent) -> dict[str, str]:
        if body.suggestion_id and body.action:
            assist.feedback(body.suggestion_id, body.action, body.edited_text, ident.actor)
        elif body.session_id and body.suspected_intermediary is not None:
            assist.tag(body.session_id, body.suspected_intermediary, ident.actor)
            record(ident, "call.tag", body.session_id, tag="疑似代理", value=body.suspected_intermediary)
        else:
            raise AssistError("give suggestion_id + action, or session_id + suspected_intermediary", field="body")
        return {"status": "recorded"}

    return r
