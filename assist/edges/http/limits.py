"""What the server takes from a client before any work: a cap on every request body (declared or chunked, counted as
it arrives, so a 300 MB body costs at most the cap), and who the client is (for rate limits), believing
X-Forwarded-For only from configured proxies."""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

MULTIPART_SLACK = 64 * 1024     # form boundaries and headers around an uploaded file


class _TooLarge(Exception):
    pass


class BodyLimit:
    """ASGI middleware: a request whose body is (or grows) larger than its path's limit gets 413 naming the limit,
    and the app never sees more than the limit. ``upload_limit(path)`` gives a larger limit for upload routes (None:
    the default). Whatever the app answered after the limit was passed is dropped in favour of the 413."""

    def __init__(self, app: ASGIApp, limit: int, setting: str, upload_limit: Callable[[str], tuple[int, str] | None],
                 after_upload: Callable[[], None] | None = None) -> None:
        """``after_upload`` is called after each request on an upload route, answered or refused (to clear what an
        aborted upload left on disk)."""
        self.app = app
        self.limit = limit
        self.setting = setting
        self.upload_limit = upload_limit
        self.after_upload = after_upload

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        upload = self.upload_limit(scope.get("path", ""))
        if upload is not None and self.after_upload is not None:
            try:
                await self._limited(scope, receive, send, *upload)
            finally:
                self.after_upload()
            return
        await self._limited(scope, receive, send, *(upload or (self.limit, self.setting)))

    async def _limited(self, scope: Scope, receive: Receive, send: Send, limit: int, setting: str) -> None:
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _refuse(send, limit, setting)
            return
        seen = 0
        exceeded = False
        started = False

        async def counted() -> Message:
            nonlocal seen, exceeded
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    exceeded = True
                    raise _TooLarge()
            return message

        async def guarded(message: Message) -> None:
            nonlocal started
            if exceeded:
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted, guarded)
        except _TooLarge:
            pass
        except Exception:
            if not exceeded:
                raise
        if exceeded and not started:
            await _refuse(send, limit, setting)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _refuse(send: Send, limit: int, setting: str) -> None:
    size = f"{limit // 2**20} MB" if limit >= 2**20 else f"{limit // 1024} KB"
    body = json.dumps({"error": f"request body over {size}", "limit": setting}).encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def networks(addresses: Sequence[str]) -> list[Network]:
    """Trusted proxy addresses or networks (AgentSettings.trusted_proxies) as networks."""
    return [ipaddress.ip_network(a, strict=False) for a in addresses]


def _trusted(address: str, trusted: Sequence[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in n for n in trusted)


def client_address(peer: str | None, forwarded_for: str | None, trusted: Sequence[Network]) -> str:
    """Who the client is: the connecting address, unless that is a trusted proxy; then the nearest address in
    X-Forwarded-For (read from the right) that is not itself a trusted proxy. Anything a client writes into the
    header in front of that is ignored, so rotating it changes nothing."""
    if peer is None:
        return "unknown"
    if not trusted or not forwarded_for or not _trusted(peer, trusted):
        return peer
    hops = [h.strip() for h in forwarded_for.split(",") if h.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, trusted):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return peer          # a malformed hop: fall back to the proxy itself rather than trust it
    return hops[0] if hops else peer
