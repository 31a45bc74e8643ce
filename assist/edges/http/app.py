"""The one web app: the staff JSON API, the consumer widget and its API, document review, and the Gradio staff
sidebar (/assist) and trainer console (/trainer) mounted beside them. Errors become status codes here and nowhere
else; services arrive built (assist.bootstrap.create_web_app)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from assist.consumer.sessions import ConsumerSessions
from assist.edges.http import calls, consumer, review
from assist.edges.http import staff as staff_routes
from assist.edges.http.ratelimit import RateLimiter
from assist.errors import AssistError, SessionNotFound
from assist.evaluation.context import EvalContext
from assist.knowledge.retrieval import ReloadingArticleSearch
from assist.practice.coach import PracticeCoach
from assist.review.service import ReviewService
from assist.settings import AgentSettings, ConsumerSettings
from assist.staff.assist import StaffAssist


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
    calls: calls.CallServices | None = None          # call audio: recordings and the live WebSocket
    articles: ReloadingArticleSearch | None = None   # the staff search page (法条检索) in the trainer console


def create_api(staff: StaffAssist, max_request_kb: int, review_service: ReviewService | None = None,
               call_services: calls.CallServices | None = None) -> FastAPI:
    """The JSON API alone (staff routes, and document review when given): what a call-centre platform calls."""
    app = FastAPI(title="assist API", version="1", description="Per-turn assistance for call-centre staff, the "
                  "consumer assistant and document review. The risk hint is internal and advisory: never a reason to "
                  "refuse service or a complaint.")
    limit = max_request_kb * 1024

    @app.middleware("http")
    async def size_limit(request: Request, call_next: Any) -> Any:
        # uploads have their own limits: the review route (checked while reading) and Gradio's upload route
        if request.url.path in (review.PATH, calls.PATH) or request.url.path.endswith("/gradio_api/upload"):
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

    app.include_router(staff_routes.router(staff))
    if review_service is not None:
        app.include_router(review.router(review_service))
    if call_services is not None:
        app.include_router(calls.router(call_services, staff))
    return app


def create_app(services: WebServices, agent_settings: AgentSettings, consumer_settings: ConsumerSettings,
               gradio_temp: Path) -> FastAPI:
    """The whole app: the API, the consumer routes, and the two Gradio consoles mounted in it."""
    app = create_api(services.staff, agent_settings.max_request_kb, services.review, services.calls)
    c = consumer_settings
    app.include_router(consumer.router(services.consumer, c.allowed_origins,
                                       RateLimiter(c.rate_limit_per_minute, c.rate_limit_burst), c.max_message_chars))
    from assist.edges.ui import prepare_gradio

    prepare_gradio(gradio_temp)          # before gradio is imported: offline, uploads under the data folder
    from assist.edges.ui.sidebar import StaffSidebar
    from assist.edges.ui.trainer import TrainerConsole

    app = StaffSidebar(services.staff, services.demo_calls).mount(app, "/assist")
    return TrainerConsole(services.eval_context, services.coach, services.shipped_datasets, services.workdir,
                          services.review, services.articles).mount(app, "/trainer")
