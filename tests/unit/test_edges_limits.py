"""The edges' own guards without a server: the body limit as ASGI middleware (declared, chunked, and what the app
answered after the limit was passed), and the sweep of Gradio's upload folder."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from assist.edges.http.limits import BodyLimit


def _run(chunks: list[bytes], headers: list[tuple[bytes, bytes]] | None = None, path: str = "/v1/sessions"):
    """Drive ``BodyLimit(app)`` with a request of ``chunks``; returns (status, body, bytes the app read)."""
    read = [0]

    async def inner(scope, receive, send):
        while True:
            m = await receive()
            read[0] += len(m.get("body", b""))
            if not m.get("more_body"):
                break
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    sent: list[dict] = []
    queue = [{"type": "http.request", "body": c, "more_body": i < len(chunks) - 1} for i, c in enumerate(chunks)]

    async def receive():
        return queue.pop(0) if queue else {"type": "http.disconnect"}

    async def send(m):
        sent.append(m)

    mw = BodyLimit(inner, limit=1024, setting="agent.max_request_kb",
                   upload_limit=lambda p: (4096, "documents.max_upload_mb") if p.endswith("/upload") else None)
    asyncio.run(mw({"type": "http", "path": path, "headers": headers or []}, receive, send))
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return status, body, read[0]


def test_declared_chunked_and_upload_limits():
    status, body, read = _run([b"x" * 10], headers=[(b"content-length", b"999999999")])
    assert status == 413 and read == 0 and json.loads(body)["limit"] == "agent.max_request_kb"
    status, body, read = _run([b"x" * 512] * 100)                   # chunked, never declared
    assert status == 413 and read <= 1024
    assert _run([b"x" * 512] * 2)[0] == 200
    status, body, read = _run([b"x" * 1024] * 3, path="/trainer/gradio_api/upload")
    assert status == 200 and read == 3072                                  # an upload route has its own limit
    status, body, _ = _run([b"x" * 1024] * 5, path="/trainer/gradio_api/upload")
    assert status == 413 and json.loads(body)["limit"] == "documents.max_upload_mb"


def test_upload_sweeper_clears_aborted_and_expired_uploads_only(tmp_path):
    import os

    from assist.edges.ui import UploadSweeper

    now = [10_000.0]
    sweeper = UploadSweeper(tmp_path, retention_s=900, clock=lambda: now[0])

    def file(rel: str, age: float) -> Path:
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(b"x")
        os.utime(p, (now[0] - age, now[0] - age))
        return p

    aborted = file("tmpab12cd", 120)            # a partial upload nobody writes to any more
    writing = file("tmpzz99yy", 5)              # an upload in progress
    fresh = file("a1b2/letter.docx", 300)       # uploaded, not yet used by its function
    stale = file("c3d4/scan.png", 1000)         # uploaded and never used
    gradio_own = tmp_path / "vibe_edit_history"
    gradio_own.mkdir()
    assert sweeper.sweep() == 2
    assert not aborted.exists() and not stale.exists() and not stale.parent.exists()
    assert writing.exists() and fresh.exists() and gradio_own.is_dir()
