"""HTTP edge of call audio.

- ``POST /v1/calls`` (multipart field ``file``; form fields ``number_matches``, ``borrower``): a recorded call →
  turns with times, the risk hint with evidence linked to the audio, suggested scripts. The upload is written to a
  temporary file as it arrives (at most audio.max_upload_mb), so a long recording never sits in memory; 400 names what
  is wrong with a file that cannot be used, 413 is over the limit.
- ``WebSocket /v1/calls/live``: a live call. Send ``{"type": "start", "sample_rate": 16000|8000, "meta": {…},
  "slots": {…}}`` first (answer: ``{"type": "ready", "session_id"}``); then audio as binary messages, one byte for
  the speaker (``C`` caller, ``A`` agent) followed by 16-bit little-endian mono PCM (or as text
  ``{"type": "audio", "speaker", "pcm": base64}``); ``{"type": "stop"}`` ends the call. Each finished turn comes
  back as ``{"type": "assistance", "turn", "assistance"}``. A bad message gets ``{"type": "error", "message"}`` and
  the call goes on; after audio.live_max_errors of them the socket is closed (1008). A socket that drops mid-turn
  still has that turn recognised and added to the session, so nothing said is lost.
- ``GET /live``: the microphone demo page (the sidebar links to it)."""

from __future__ import annotations

import base64
import binascii
import json
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import APIRouter, File, Form, UploadFile, WebSocket, WebSocketDisconnect
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, Response

from assist.audio.live import LiveCall
from assist.audio.review import CallReviewer
from assist.audio.vad import VadParams
from assist.errors import AssistError
from assist.ports import SpeechToText
from assist.staff.assist import StaffAssist

PATH = "/v1/calls"
LIVE_PATH = "/v1/calls/live"
SPEAKER_BYTES = {ord("C"): "caller", ord("A"): "agent"}


@dataclass(frozen=True)
class CallServices:
    """What the call routes need (assist.bootstrap.create_web_app builds it)."""

    reviewer: CallReviewer
    live_stt: SpeechToText
    vad: VadParams
    max_upload_mb: float
    max_frame_kb: int
    max_errors: int
    language: str


def _asset(name: str) -> str:
    return resources.files("assist.edges.http").joinpath("static", name).read_text(encoding="utf-8")


def router(services: CallServices, staff: StaffAssist) -> APIRouter:
    reviewer, live_stt, vad, language = services.reviewer, services.live_stt, services.vad, services.language
    max_upload_mb, max_frame_kb, max_errors = services.max_upload_mb, services.max_frame_kb, services.max_errors
    r = APIRouter(tags=["calls"])
    limit = int(max_upload_mb * 2**20)

    @r.post(PATH, responses={400: {"description": "the recording cannot be used"},
                             413: {"description": "upload over audio.max_upload_mb"}})
    async def review_call(file: UploadFile = File(..., description="通话录音：WAV、MP3、M4A、AMR，8/16 kHz，单/双声道"),
                          number_matches: str = Form("unknown"), borrower: str | None = Form(None)) -> Any:
        """Review one recorded call (turns, risk hint with audio times, suggested scripts, voice sighting if on)."""
        if file.size is not None and file.size > limit:
            return _too_large(max_upload_mb)
        name = Path(file.filename or "call").name
        with tempfile.TemporaryDirectory(prefix="assist-call-") as tmp:
            path = Path(tmp) / ("upload" + Path(name).suffix.lower()[:8])
            size = 0
            with path.open("wb") as out:
                while block := await file.read(1 << 20):
                    size += len(block)
                    if size > limit:
                        return _too_large(max_upload_mb)
                    out.write(block)
            try:
                review = await run_in_threadpool(reviewer.review, path, meta={"number_matches": number_matches},
                                                 borrower=borrower, name=name)
            except AssistError as exc:
                return JSONResponse({"error": exc.message, "file": name, "field": exc.field}, status_code=400)
        return review.to_dict()

    @r.get("/live", include_in_schema=False)
    def live_page() -> HTMLResponse:
        return HTMLResponse(_asset("live.html"), headers={"Content-Security-Policy": "script-src 'self'"})

    @r.get("/live.js", include_in_schema=False)
    def live_js() -> Response:
        return Response(_asset("live.js"), media_type="text/javascript", headers={"X-Content-Type-Options": "nosniff"})

    @r.websocket(LIVE_PATH)
    async def live(ws: WebSocket) -> None:
        await ws.accept()
        call: LiveCall | None = None
        errors = 0

        async def error(message: str) -> bool:
            nonlocal errors
            errors += 1
            await ws.send_json({"type": "error", "message": message})
            if errors >= max_errors:
                await ws.close(code=1008, reason="too many bad messages")
                return False
            return True

        try:
            while True:
                msg = await ws.receive()
                if msg["type"] == "websocket.disconnect":
                    break
                speaker, pcm = None, None
                if msg.get("bytes") is not None:
                    data: bytes = msg["bytes"]
                    if len(data) > max_frame_kb * 1024:
                        if not await error(f"音频帧超过 {max_frame_kb} KB（frame too large）"):
                            return
                        continue
                    if not data or data[0] not in SPEAKER_BYTES:
                        if not await error("二进制帧须以 C（来电人）或 A（坐席）开头（binary frame must start with C or A）"):
                            return
                        continue
                    speaker, pcm = SPEAKER_BYTES[data[0]], data[1:]
                else:
                    try:
                        body = json.loads(msg.get("text") or "")
                        if not isinstance(body, dict):
                            raise ValueError("not an object")
                    except ValueError:
                        if not await error("无法解析的消息：需要 JSON 对象或二进制音频帧（not JSON）"):
                            return
                        continue
                    kind = body.get("type")
                    if kind == "start":
                        if call is not None:
                            if not await error("通话已开始（already started）"):
                                return
                            continue
                        try:
                            meta = body.get("meta") or {}
                            slots = body.get("slots") or {}
                            if not isinstance(meta, dict) or not isinstance(slots, dict):
                                raise AssistError("meta and slots must be objects", field="meta")
                            sid = body.get("session_id") or staff.start(meta, slots)
                            staff.session(str(sid))
                            call = LiveCall(staff, live_stt, str(sid), int(body.get("sample_rate", 16000)), vad, language)
                        except (AssistError, TypeError, ValueError) as exc:
                            if not await error(exc.message if isinstance(exc, AssistError) else str(exc)):
                                return
                            continue
                        await ws.send_json({"type": "ready", "session_id": call.session_id, "sample_rate": call.rate})
                        continue
                    if kind == "stop":
                        if call is not None:
                            for event in await run_in_threadpool(call.stop):
                                await ws.send_json(event)
                            await ws.send_json({"type": "stopped", "turns": len(call.turns)})
                            call = None
                        await ws.close(code=1000)
                        return
                    if kind == "audio":
                        try:
                            speaker = str(body.get("speaker"))
                            pcm = base64.b64decode(str(body.get("pcm", "")), validate=True)
                        except (binascii.Error, ValueError):
                            if not await error("pcm 不是有效的 base64（pcm is not base64）"):
                                return
                            continue
                    else:
                        if not await error(f"未知的消息类型 {str(kind)[:40]!r}（unknown type: start, audio or stop）"):
                            return
                        continue
                if call is None:
                    if not await error("请先发送 start 消息（send start first）"):
                        return
                    continue
                try:
                    events = await run_in_threadpool(call.feed, speaker or "", pcm or b"")
                except AssistError as exc:
                    if not await error(exc.message):
                        return
                    continue
                for event in events:
                    await ws.send_json(event)
        except WebSocketDisconnect:
            pass
        finally:
            if call is not None:
                # the socket dropped mid-call: what was said is still recognised and kept in the session
                await run_in_threadpool(call.stop)

    return r


def _too_large(mb: float) -> JSONResponse:
    return JSONResponse({"error": f"录音超过 {mb:g} MB 的上传上限（file over the upload limit）"}, status_code=413)
