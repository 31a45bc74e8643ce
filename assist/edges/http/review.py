"""HTTP edge of document review: `POST /v1/documents/review` (multipart upload, field ``file``).

Answers 200 with the review (findings, similar documents, cluster), 400 when the file cannot be read (the message
names the problem), 413 over MAX_UPLOAD_BYTES. The app-wide request-size limit (assist.edges.http.app) lets this
path through: it reads at most MAX_UPLOAD_BYTES itself."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, File, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from assist.errors import DocumentError
from assist.review.service import ReviewService

MAX_UPLOAD_BYTES = 10 * 2**20   # scans of a few pages fit easily; larger uploads are refused before reading them all
PATH = "/v1/documents/review"


def router(service: ReviewService) -> APIRouter:
    """The review route over the (shared) ReviewService."""
    r = APIRouter(tags=["documents"])

    @r.post(PATH, responses={400: {"description": "the file cannot be read"},
                                  413: {"description": f"upload over {MAX_UPLOAD_BYTES // 2**20} MB"}})
    async def review_document(file: UploadFile = File(..., description="授权委托书、投诉信、困难证明等：txt, md, pdf, "
                                                                       "docx, png, jpg, bmp, tif")) -> Any:
        """Review one uploaded document: findings with evidence (masked quotes), earlier near copies, cluster."""
        if file.size is not None and file.size > MAX_UPLOAD_BYTES:
            return _too_large()
        data = await file.read(MAX_UPLOAD_BYTES + 1)
        if len(data) > MAX_UPLOAD_BYTES:
            return _too_large()
        name = file.filename or "upload"
        try:
            # OCR and the store are blocking work: keep them off the event loop.
            result = await run_in_threadpool(service.review, data, name)
        except DocumentError as exc:
            return JSONResponse({"error": exc.message, "file": exc.path or name}, status_code=400)
        return result.to_dict()

    return r


def _too_large() -> JSONResponse:
    return JSONResponse({"error": f"file over the {MAX_UPLOAD_BYTES // 2**20} MB upload limit"}, status_code=413)
