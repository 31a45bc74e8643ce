"""The one web app: the staff JSON API, the consumer widget and its API, document review, and the Gradio staff
sidebar (/assist) and trainer console (/trainer) mounted beside them. Errors become status codes here and nowhere
else; services arrive built (assist.bootstrap.create_web_app).

Status codes: 400 bad input, 404 unknown session, 409 a session's turn budget is used up, 413 an input over a budget
(the body names the setting), 422 a malformed request (fields named, values not echoed), 429 rate limit, 503 with
Retry-After when a dependency (vector store, database, index) is unavailable or the server is at its session
capacity. /healthz says the process is alive; /readyz whether its dependencies answer."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from assist.cases.service import CaseService
from assist.cases.types import CASE_ROLES
from assist.consumer.sessions import ConsumerSessions
from assist.edges.http import admin, calls, consumer, review
from assist.edges.http import auth as auth_routes
from assist.edges.http import cases as case_routes
from assist.edges.http import staff as staff_routes
from assist.edges.http.auth import AuthMiddleware, HttpAuth
from assist.edges.http.limits import MULTIPART_SLACK, BodyLimit, networks
from assist.edges.http.ratelimit import RateLimiter
from assist.edges.http.validation import SafeJSONResponse, validation_error
from assist.errors import (
    AssistError,
    AuthError,
    BudgetExceeded,
    CapacityExceeded,
    DependencyError,
    Forbidden,
    IndexNotReadyError,
    PermissionDenied,
    SessionFull,
    SessionNotFound,
    TurnConflict,
)
from assist.evaluation.context import EvalContext
from assist.knowledge.retrieval import ReloadingArticleSearch
from assist.ports import RateLimit
from assist.practice.coach import PracticeCoach
from assist.review.service import ReviewService
from assist.settings import AgentSettings, ConsumerSettings, DocumentSettings
from assist.staff.assist import StaffAssist

log = logging.getLogger("assist.http")

RETRY_AFTER_S = 15          # what a 503 asks the client to wait before trying again

Check = Callable[[], None]  # raises an AssistError when a dependency does not answer


@dataclass(frozen=True)
class WebServices:
    """Everything the web app serves."""

    staff: StaffAssist
    consumer: ConsumerSessions
    review: ReviewService
    coach: PracticeCoach
    eval_context: Callable[[Path], EvalContext]      # an evaluation over a dataset folder
    shipped_datasets: Path
    workdir: Path                                    # the trainer console's files (its dataset copy, exports)
    demo_calls: list[dict[str, Any]]
    readiness: Mapping[str, Check] = field(default_factory=dict)   # dependency name -> check (/readyz)
    admin: admin.AdminServices | None = None         # accounts, keys, audit trail, feedback moderation
    calls: calls.CallServices | None = None          # call audio: recordings and the live WebSocket
    articles: ReloadingArticleSearch | None = None   # the staff search page (法条检索) in the trainer console
    consumer_limit: RateLimit | None = None          # the widget's per-client budget (None: in this process)
    sign_in_limit: RateLimit | None = None           # password attempts per client (None: in this process)
    cases: CaseService | None = None                 # case files (/v1/cases and the 案件 tab); None: watchlist off
    case_packages: Path | None = None                # where exported case packages are written


def _error(exc: AssistError, status: int, **extra: Any) -> JSONResponse:
    body: dict[str, Any] = {"error": exc.message, "field": exc.field}
    if isinstance(exc, BudgetExceeded):
        body["limit"] = exc.limit
    headers = {"Retry-After": str(RETRY_AFTER_S)} if status == 503 else None
    return SafeJSONResponse({**body, **extra}, status_code=status, headers=headers)


# Path prefixes guarded by role before any route or console runs (the routes check again, and name the identity).
API_GUARDS: dict[str, tuple[str, ...]] = {"/v1/sessions": ("agent",), "/v1/feedback": ("agent",),
                                          "/v1/documents": ("reviewer",), "/v1/admin": ("admin",),
                                          calls.PATH: calls.ROLES, "/live": ("agent",), "/live.js": ("agent",),
                                          "/v1/cases": CASE_ROLES}


def create_api(staff: StaffAssist, max_request_kb: int, review_service: ReviewService | None = None,
               call_services: calls.CallServices | None = None, *,
               auth: HttpAuth, readiness: Mapping[str, Check] | None = None,
               after_upload: Callable[[], None] | None = None, guards: Mapping[str, tuple[str, ...]] | None = None,
               admin_services: admin.AdminServices | None = None, sign_in_limiter: RateLimit | None = None,
               cases: tuple[CaseService, Path] | None = None) -> FastAPI:
    """The JSON API alone (staff routes, document review, call audio and case files when given): what a call-centre
    platform calls. Every staff route needs a signed-in caller with its role (``auth``); ``guards`` adds path
    prefixes (the consoles)."""
    app = FastAPI(title="assist API", version="1", default_response_class=SafeJSONResponse,
                  description="Per-turn assistance for call-centre staff, the consumer assistant and document review. "
                  "The risk hint is internal and advisory: never a reason to refuse service or a complaint.")
    checks = dict(readiness or {})

    def upload_limit(path: str) -> tuple[int, str] | None:
        # uploads have their own, larger limits: the review route, Gradio's upload routes and call recordings
        if review_service is not None and (path == review.PATH or path.endswith("/gradio_api/upload")):
            return review_service.max_bytes + MULTIPART_SLACK, "documents.max_upload_mb"
        if call_services is not None and path == calls.PATH:
            return int(call_services.max_upload_mb * 2**20) + MULTIPART_SLACK, "audio.max_upload_mb"
        return None


    app.add_middleware(AuthMiddleware, auth=auth, guards={**API_GUARDS, **(guards or {})})
    if auth.cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=list(auth.cors_origins), allow_credentials=False,
                           allow_methods=["GET", "POST"], allow_headers=["Authorization", "Content-Type", "X-API-Key",
                                                                          auth_routes.ON_BEHALF_HEADER])
    # outermost first: the body limit (a refusal before any byte is read), CORS (answers preflights), sign-in
    app.add_middleware(BodyLimit, limit=max_request_kb * 1024, setting="agent.max_request_kb",
                       upload_limit=upload_limit, after_upload=after_upload)

    app.add_exception_handler(RequestValidationError, validation_error)

    @app.exception_handler(SessionNotFound)
    async def not_found(_: Request, exc: SessionNotFound) -> JSONResponse:
        return _error(exc, 404)

    @app.exception_handler(PermissionDenied)
    async def denied(_: Request, exc: PermissionDenied) -> JSONResponse:
        return _error(exc, 403)

    @app.exception_handler(SessionFull)
    async def session_full(_: Request, exc: SessionFull) -> JSONResponse:
        return _error(exc, 409)

    @app.exception_handler(TurnConflict)
    async def turn_conflict(_: Request, exc: TurnConflict) -> JSONResponse:
        return _error(exc, 409)

    @app.exception_handler(CapacityExceeded)
    async def at_capacity(_: Request, exc: CapacityExceeded) -> JSONResponse:
        return _error(exc, 503)

    @app.exception_handler(BudgetExceeded)
    async def over_budget(_: Request, exc: BudgetExceeded) -> JSONResponse:
        return _error(exc, 413)

    @app.exception_handler(DependencyError)
    async def unavailable(_: Request, exc: DependencyError) -> JSONResponse:
        log.warning("503: %s", exc.describe())
        return _error(exc, 503)

    @app.exception_handler(IndexNotReadyError)
    async def not_ready(_: Request, exc: IndexNotReadyError) -> JSONResponse:
        return _error(exc, 503)

    @app.exception_handler(Forbidden)
    async def forbidden(_: Request, exc: Forbidden) -> JSONResponse:
        return _error(exc, 403)

    @app.exception_handler(AuthError)
    async def unauthorised(_: Request, exc: AuthError) -> JSONResponse:
        return _error(exc, 401)

    @app.exception_handler(AssistError)
    async def bad_input(_: Request, exc: AssistError) -> JSONResponse:
        return _error(exc, 400)

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        """Liveness: the process answers (it says nothing about the vector store or the databases: /readyz)."""
        return {"status": "ok"}

    @app.get("/readyz", responses={503: {"description": "a dependency does not answer"}})
    async def readyz() -> JSONResponse:
        """Readiness: every dependency answers (index on disk, vector store, feedback and review databases)."""
        results: dict[str, str] = {}
        for name, check in checks.items():
            try:
                await run_in_threadpool(check)
                results[name] = "ok"
            except AssistError as exc:
                results[name] = exc.message[:300]
        ready = all(v == "ok" for v in results.values())
        return SafeJSONResponse({"status": "ready" if ready else "unavailable", "checks": results},
                                status_code=200 if ready else 503,
                                headers=None if ready else {"Retry-After": str(RETRY_AFTER_S)})

    app.include_router(auth_routes.router(auth, sign_in_limiter if sign_in_limiter is not None else RateLimiter(10, 10)))
    app.include_router(staff_routes.router(staff, auth.on_event))
    if review_service is not None:
        app.include_router(review.router(review_service, auth.on_event))
    if admin_services is not None:
        app.include_router(admin.router(admin_services, auth.on_event))
    if call_services is not None:
        app.include_router(calls.router(call_services, staff, auth))
    if cases is not None:
        app.include_router(case_routes.router(*cases, staff=staff))
    return app


# Who may open each console (each tab and function is checked again inside: assist.edges.ui).
CONSOLE_ROLES = {"/assist": ("agent",), "/trainer": ("trainer", "reviewer", "agent")}


def create_app(services: WebServices, agent_settings: AgentSettings, consumer_settings: ConsumerSettings,
               documents: DocumentSettings, gradio_temp: Path, auth: HttpAuth) -> FastAPI:
    """The whole app: the API, the consumer routes, and the two Gradio consoles mounted in it."""
    from assist.edges.ui import GradioLimits, UploadSweeper, prepare_gradio

    prepare_gradio(gradio_temp)          # before gradio is imported: offline, uploads under the data folder
    sweeper = UploadSweeper(Path(os.environ["GRADIO_TEMP_DIR"]), documents.upload_retention_minutes * 60)
    case_parts = (services.cases, services.case_packages or gradio_temp.parent / "case-packages") \
        if services.cases is not None else None
    app = create_api(services.staff, agent_settings.max_request_kb, services.review, services.calls, auth=auth,
                     readiness=services.readiness, after_upload=sweeper.soon, guards=CONSOLE_ROLES,
                     admin_services=services.admin, sign_in_limiter=services.sign_in_limit, cases=case_parts)
    c = consumer_settings
    app.include_router(consumer.router(services.consumer, c.allowed_origins,
                                       services.consumer_limit if services.consumer_limit is not None
                                       else RateLimiter(c.rate_limit_per_minute, c.rate_limit_burst),
                                       c.max_message_chars,
                                       networks(agent_settings.trusted_proxies)))
    from assist.edges.ui.sidebar import StaffSidebar
    from assist.edges.ui.trainer import TrainerConsole

    limits = GradioLimits(max_file_bytes=int(documents.max_upload_mb * 2**20),
                          retention_s=documents.upload_retention_minutes * 60)
    from assist.edges.ui import Gate

    gate = Gate(auth)
    app = StaffSidebar(services.staff, services.demo_calls, gate).mount(app, "/assist", limits)
    return TrainerConsole(services.eval_context, services.coach, services.shipped_datasets, services.workdir,
                          services.review, services.articles, gate=gate, cases=case_parts).mount(app, "/trainer", limits)
