"""HTTP edge of document review: `POST /v1/documents/review` (multipart upload, field ``file``).

Answers 200 with the review (findings, similar documents, cluster), 400 when the file cannot be read (the message
names the problem), 413 when it is over a budget (documents.max_upload_mb, or a reading budget: unpacked size,
pixels, pages, OCR; the body names the setting). The app-wide body limit (assist.edges.http.limits) lets this path
carry up to the upload limit and no more, chunked or not."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, File, UploadFile
from fastapi.concurrency import run_in_threadpool

from assist.edges.http.validation import SafeJSONResponse
from assist.errors import BudgetExceeded, DocumentError
from assist.review.service import ReviewService

PATH = "/v1/documents/review"


def router(service: ReviewService) -> APIRouter:
    """The review route over the (shared) ReviewService."""
    r = APIRouter(tags=["documents"])
    limit = service.max_bytes

    @r.post(PATH, responses={400: {"description": "the file cannot be read"},
                             413: {"description": f"upload over {limit // 2**20} MB, or over a reading budget"}})
    async def review_document(file: UploadFile = File(..., description="授权委托书、投诉信、困难证明等：txt, md, pdf, "
                                                                       "docx, png, jpg, bmp, tif")) -> Any:
        """Review one uploaded document: findings with evidence (masked quotes), earlier near copies, cluster."""
        if file.size is not None and file.size > limit:
            return _too_large(limit)
        data = await file.read(limit + 1)
        if len(data) > limit:
            return _too_large(limit)
        name = file.filename or "upload"
        try:
            # OCR and the store are blocking work: keep them off the event loop.
            result = await run_in_threadpool(service.review, data, name)
        except BudgetExceeded as exc:
            return SafeJSONResponse({"error": exc.message, "limit": exc.limit, "file": service.shown_name(name)},
                                    status_code=413)
        except DocumentError as exc:
            return SafeJSONResponse({"error": exc.message, "file": service.shown_name(name)}, status_code=400)
        return result.to_dict()

    return r


def _too_large(limit: int) -> SafeJSONResponse:
    return SafeJSONResponse({"error": f"file over the {limit // 2**20} MB upload limit", "limit": "documents.max_upload_mb"},
                            status_code=413)
