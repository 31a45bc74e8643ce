"""JSON API (FastAPI) for call-centre platforms: sessions, turns -> Assistance, feedback, health."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from assist.agent import AgentAssist, SessionNotFound
from assist.errors import AssistError
from assist.review.api import PATH as REVIEW_PATH


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
    suspected_agent: bool | None = Field(None, description="set (true) or clear (false) the 疑似代理 tag on the session")
    agent_id: str | None = Field(None, max_length=64)


def create_app(agent: AgentAssist, max_request_kb: int = 64, review: Any = None) -> FastAPI:
    """The JSON API; ``review`` (a ReviewService) adds POST /v1/documents/review."""
    app = FastAPI(title="assist agent API", version="1", description="Per-turn assistance for call-centre staff. "
                  "The risk hint is internal and advisory: never a reason to refuse service or a complaint.")
    limit = max_request_kb * 1024

    @app.middleware("http")
    async def size_limit(request: Request, call_next: Any) -> Any:
        # uploads have their own limits: the review route (10 MB, checked while reading) and Gradio's upload route
        if request.url.path == REVIEW_PATH or request.url.path.endswith("/gradio_api/upload"):
            return await call_next(request)
        length = request.headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > limit:
            return JSONResponse({"error": f"request body over {max_request_kb} KB"}, status_code=413)
        body = await request.body()
        if len(body) > limit:
            return JSONResponse({"error": f"request body over {max_request_kb} KB"}, status_code=413)
        return await call_next(request)

    @app.exception_handler(SessionNotFound)
    async def not_found(_: Request, exc: SessionNotFound) -> JSONResponse:
        return JSONResponse({"error": exc.message, "field": exc.field}, status_code=404)

    @app.exception_handler(AssistError)
    async def bad_input(_: Request, exc: AssistError) -> JSONResponse:
        return JSONResponse({"error": exc.message, "field": exc.field}, status_code=400)

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/v1/sessions", status_code=201)
    def new_session(body: SessionIn) -> dict[str, Any]:
        return {"session_id": agent.start(body.meta, body.slots), "expires_after_idle_s": agent.ttl}

    @app.post("/v1/sessions/{session_id}/turns")
    def add_turn(session_id: str, body: TurnIn) -> dict[str, Any]:
        return agent.on_turn(session_id, body.model_dump()).to_dict()

    @app.post("/v1/sessions/{session_id}/verified")
    def verified(session_id: str) -> dict[str, Any]:
        return agent.verify(session_id, True)

    @app.post("/v1/feedback")
    def post_feedback(body: FeedbackIn) -> dict[str, str]:
        if body.suggestion_id and body.action:
            agent.feedback(body.suggestion_id, body.action, body.edited_text, body.agent_id)
        elif body.session_id and body.suspected_agent is not None:
            agent.tag(body.session_id, body.suspected_agent, body.agent_id)
        else:
            raise AssistError("give suggestion_id + action, or session_id + suspected_agent", field="body")
        return {"status": "recorded"}

    if review is not None:
        from assist.review.api import build_router

        app.include_router(build_router(lambda: review))
    return app
