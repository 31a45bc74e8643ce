"""The consumer edge: the embeddable widget (one script tag adds a floating button that opens an iframe), the chat
page inside the iframe, a demo host page, and the JSON endpoint for lenders' native apps; with rate limiting,
message-length limits and masked logs. All assets are served by this app: no CDN."""

from __future__ import annotations

import hashlib
import logging
import math
from collections.abc import Sequence
from importlib import resources
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, Field

from assist.consumer.echo import plain_quote
from assist.consumer.sessions import ConsumerSessions
from assist.core.pii import mask_for_storage
from assist.edges.http.limits import Network, client_address
from assist.edges.http.validation import Text
from assist.ports import RateLimit

log = logging.getLogger("assist.consumer")

_ASSETS = {"widget.js": "application/javascript; charset=utf-8", "chat.js": "application/javascript; charset=utf-8",
           "chat.css": "text/css; charset=utf-8", "chat.html": "text/html; charset=utf-8",
           "demo.html": "text/html; charset=utf-8"}


class ConsumerMessageIn(BaseModel):
    session_id: Text | None = Field(None, max_length=64)
    message: Text = Field(description="the consumer's message (consumer.max_message_chars at most)")


def _asset(name: str) -> str:
    return resources.files("assist.edges.http").joinpath("static", name).read_text(encoding="utf-8")


def frame_policy(allowed_origins: Sequence[str]) -> str:
    """CSP for the chat page: our own assets only, and framed only by ourselves and the configured lender sites."""
    ancestors = " ".join(["'self'", *allowed_origins])
    return ("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
            f"base-uri 'none'; form-action 'none'; frame-ancestors {ancestors}")


def echo_safe(body: dict[str, Any]) -> dict[str, Any]:
    """The answer as sent: every red-flag quote (words taken from the consumer's message) once more reduced to plain
    text, whatever built it. A native app may render these strings as HTML or Markdown."""
    scam = body.get("scam")
    if scam:
        for s in scam.get("schemes", []):
            s["red_flags"] = [q for q in (plain_quote(str(f)) for f in s.get("red_flags", [])) if q]
    return body


def client_key(request: Request, trusted: Sequence[Network] = ()) -> str:
    """Rate-limit key: the connecting address, or behind a trusted proxy (agent.trusted_proxies) the client address
    that proxy reports in X-Forwarded-For. uvicorn's own proxy-header handling is off (`assist serve`), so a client
    cannot pick its key by sending the header itself."""
    return client_address(request.client.host if request.client else None, request.headers.get("x-forwarded-for"),
                          trusted)


def router(sessions: ConsumerSessions, allowed_origins: Sequence[str], limiter: RateLimit,
           max_chars: int, trusted_proxies: Sequence[Network] = ()) -> APIRouter:
    """/widget.js, /widget (+ its assets), /demo and POST /v1/consumer/messages."""
    r = APIRouter(tags=["consumer"])
    csp = frame_policy(allowed_origins)

    @r.post("/v1/consumer/messages", responses={400: {"description": "message over consumer.max_message_chars"},
                                                429: {"description": "rate limit (Retry-After)"},
                                                503: {"description": "the index cannot be searched just now"}})
    def consumer_message(body: ConsumerMessageIn, request: Request) -> Any:
        """A consumer's message -> answer, citations, official channels, scam verdict (for widgets and native apps)."""
        wait = limiter.allow(client_key(request, trusted_proxies))
        if wait > 0:
            return JSONResponse({"error": "发送太频繁了，请稍后再试。", "retry_after_s": math.ceil(wait)},
                                status_code=429, headers={"Retry-After": str(math.ceil(wait))})
        if len(body.message) > max_chars:
            return JSONResponse({"error": f"消息太长了（最多{max_chars}字），请简要描述您的问题。", "field": "message",
                                 "limit": "consumer.max_message_chars"}, status_code=400)
        session_id, answer = sessions.respond(body.session_id, body.message)
        # Only masked text reaches the log; the session id is hashed so logs cannot be joined to a live session.
        log.info("consumer message session=%s kind=%s schemes=%s text=%s",
                 hashlib.sha256(session_id.encode()).hexdigest()[:12], answer.kind,
                 ",".join(s["id"] for s in answer.scam.schemes) if answer.scam else "-",
                 mask_for_storage(body.message)[:200].replace("\n", " "))
        return {"session_id": session_id, **echo_safe(answer.to_dict())}

    @r.get("/widget.js", include_in_schema=False)
    def widget_js() -> Response:
        return Response(_asset("widget.js"), media_type=_ASSETS["widget.js"],
                        headers={"Cache-Control": "public, max-age=300", "X-Content-Type-Options": "nosniff"})

    @r.get("/widget", include_in_schema=False)
    def widget_page() -> HTMLResponse:
        return HTMLResponse(_asset("chat.html"), headers={"Content-Security-Policy": csp,
                                                          "X-Content-Type-Options": "nosniff",
                                                          "Referrer-Policy": "no-referrer"})

    @r.get("/widget/{name}", include_in_schema=False)
    def widget_asset(name: str) -> Response:
        if name not in ("chat.js", "chat.css"):
            return JSONResponse({"error": "not found"}, status_code=404)
        return Response(_asset(name), media_type=_ASSETS[name], headers={"X-Content-Type-Options": "nosniff"})

    @r.get("/demo", include_in_schema=False)
    def demo() -> HTMLResponse:
        return HTMLResponse(_asset("demo.html"))

    return r
