"""Sign-in and roles at the HTTP edge.

- Who: an API key (``Authorization: Bearer ak_…`` or ``X-API-Key``) for service accounts, else the signed session
  cookie of a browser sign-in (built-in account at /login, or single sign-on at /login/oidc).
- May they: each route names its roles (``need``); the Gradio consoles are guarded by path here and per function in
  assist.edges.ui; the consumer routes, /healthz and /readyz are public.
- Browser safety: cookies are HttpOnly, SameSite=Lax and Secure (auth.cookie_secure); a state-changing request that
  carries the session cookie must come from our own origin (Origin / Sec-Fetch-Site, OWASP's header check; the
  cookie's SameSite is the second line); every page says ``frame-ancestors 'self'`` unless it set its own policy
  (the consumer widget); no CORS headers unless auth.cors_origins lists an origin."""

from __future__ import annotations

import hashlib
import html
import json
import logging
import secrets
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assist.auth.accounts import Accounts
from assist.auth.tokens import Signer
from assist.auth.types import ROLE_ZH, ROLES, Identity
from assist.core.pii import mask_for_storage
from assist.edges.http.limits import Network, client_address
from assist.errors import AssistError
from assist.ports import IdentityProvider, RateLimit

log = logging.getLogger("assist.auth")
requests_log = logging.getLogger("assist.requests")     # one masked line per request (README, "Sign-in and roles")

SESSION_COOKIE = "assist_session"
LOGIN_COOKIE = "assist_login"
OIDC_COOKIE = "assist_oidc"
ON_BEHALF_HEADER = "x-assist-on-behalf-of"
_UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
ROLE_RECHECK_S = 30.0        # a built-in account disabled or changed takes effect within this time on every worker


@dataclass
class HttpAuth:
    """Everything the edge needs to tell who is calling."""

    accounts: Accounts
    signer: Signer
    session_s: float
    cookie_secure: bool = True
    provider: IdentityProvider | None = None
    roles_claim: str = "roles"
    default_roles: Sequence[str] = ()
    public_url: str | None = None
    trusted_proxies: Sequence[Network] = ()
    cors_origins: Sequence[str] = ()
    on_event: Callable[[Identity | None, str, str, Mapping[str, Any]], None] | None = None   # the audit trail
    _checked: dict[str, tuple[float, frozenset[str] | None]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # -- who is calling --------------------------------------------------------------------------------------------
    def identify(self, headers: Mapping[str, str], cookies: Mapping[str, str]) -> tuple[Identity | None, str]:
        """(identity, how: "key" | "cookie" | "") from a request's headers and cookies."""
        auth = headers.get("authorization", "")
        token = auth[7:].strip() if auth[:7].lower() == "bearer " else headers.get("x-api-key", "")
        if token:
            ident = self.accounts.identify_key(token)
            if ident is None:
                return None, "key"
            behalf = headers.get(ON_BEHALF_HEADER, "").strip()[:64]
            if behalf and "agent" in ident.roles:
                ident = Identity(ident.name, ident.roles, ident.kind, ident.display, on_behalf_of=behalf)
            return ident, "key"
        value = self.signer.read("session", cookies.get(SESSION_COOKIE))
        if value is None:
            return None, ""
        roles: frozenset[str] | None = frozenset(value.get("r", ()))
        if value.get("k") == "user":
            roles = self._current_roles(str(value["u"]))
        if not roles:
            return None, "cookie"
        return Identity(str(value["u"]), roles, str(value.get("k", "user")), str(value.get("d", value["u"]))), "cookie"

    def _current_roles(self, name: str) -> frozenset[str] | None:
        now = time.monotonic()
        with self._lock:
            hit = self._checked.get(name)
        if hit is not None and hit[0] > now:
            return hit[1]
        roles = self.accounts.still_allowed(name)
        with self._lock:
            if len(self._checked) > 10_000:
                self._checked.clear()
            self._checked[name] = (now + ROLE_RECHECK_S, roles)
        return roles

    def session_cookie(self, ident: Identity) -> str:
        return self.signer.sign("session", {"u": ident.name, "r": sorted(ident.roles), "k": ident.kind,
                                            "d": ident.display}, self.session_s)

    def set_cookie(self, response: Response, name: str, value: str, max_age: float) -> None:
        response.set_cookie(name, value, max_age=int(max_age), httponly=True, secure=self.cookie_secure,
                            samesite="lax", path="/")

    def record(self, ident: Identity | None, action: str, target: str = "", **detail: Any) -> None:
        if self.on_event is not None:
            self.on_event(ident, action, target, detail)

    def oidc_identity(self, claims: Mapping[str, Any]) -> Identity | None:
        raw = claims.get(self.roles_claim, [])
        named = {raw} if isinstance(raw, str) else set(raw) if isinstance(raw, list) else set()
        roles = frozenset(r for r in named if r in ROLES) or frozenset(self.default_roles)
        if not roles:
            return None
        sub = str(claims["sub"])
        display = str(claims.get("preferred_username") or claims.get("name") or claims.get("email") or sub)
        return Identity(f"oidc:{sub}"[:64], roles, "oidc", display[:64])


def identity_of(request: Request) -> Identity | None:
    return getattr(request.state, "identity", None)


def need(*roles: str) -> Callable[[Request], Identity]:
    """A FastAPI dependency: the caller's identity when it has one of ``roles`` (admin has all); 401 / 403 else."""

    def dependency(request: Request) -> Identity:
        ident = identity_of(request)
        if ident is None:
            raise HTTPException(401, "sign in first: an API key (Authorization: Bearer …) or a session from /login",
                                headers={"WWW-Authenticate": "Bearer"})
        if not ident.allows(*roles):
            raise HTTPException(403, f"this needs the role {' or '.join(roles)}")
        return ident

    dependency.__name__ = f"need_{'_'.join(roles)}"
    return dependency


def _guard(guards: Sequence[tuple[str, Sequence[str]]], path: str) -> Sequence[str] | None:
    """The roles of the longest guarded prefix ``path`` falls under, else None (not guarded)."""
    for prefix, roles in guards:
        if path == prefix or path.startswith(prefix + "/"):
            return roles
    return None


def _own_origin(scope: Scope, public_url: str | None) -> str:
    if public_url:
        p = urllib.parse.urlsplit(public_url)
        return f"{p.scheme}://{p.netloc}".lower()
    host = dict(scope.get("headers") or []).get(b"host", b"").decode("latin-1")
    scheme = {"ws": "http", "wss": "https"}.get(scope.get("scheme", "http"), scope.get("scheme", "http"))
    return f"{scheme}://{host}".lower()


class AuthMiddleware:
    """Puts the caller's identity on every request (``request.state.identity``), guards path prefixes (the Gradio
    consoles) by role, refuses cross-site state changes made with the session cookie, and adds the frame policy."""

    def __init__(self, app: ASGIApp, auth: HttpAuth, guards: Mapping[str, Sequence[str]]) -> None:
        self.app = app
        self.auth = auth
        self.guards = sorted(guards.items(), key=lambda kv: -len(kv[0]))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            await self._websocket(scope, receive, send)
            return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers") or []}
        cookies = _cookies(headers.get("cookie", ""))
        try:
            from starlette.concurrency import run_in_threadpool

            ident, how = await run_in_threadpool(self.auth.identify, headers, cookies)
        except AssistError as exc:           # the accounts database does not answer
            await _json(send, 503, {"error": exc.message}, {"Retry-After": "15"})
            return
        scope.setdefault("state", {})["identity"] = ident
        method, path = scope["method"], scope["path"]
        if method in _UNSAFE and (SESSION_COOKIE in cookies or path == "/login") and how != "key":
            origin = headers.get("origin")
            site = headers.get("sec-fetch-site")
            if (origin and origin.lower() != _own_origin(scope, self.auth.public_url)) or site == "cross-site":
                await _json(send, 403, {"error": "cross-site request refused (CSRF)"})
                return
        roles = _guard(self.guards, path)
        if roles is not None:
            if ident is None:
                if method == "GET" and "text/html" in headers.get("accept", ""):
                    q = urllib.parse.urlencode({"next": path})
                    await _send(send, 303, b"", {"Location": f"/login?{q}"})
                else:
                    await _json(send, 401, {"error": "sign in first (/login)"}, {"WWW-Authenticate": "Bearer"})
                return
            if not ident.allows(*roles):
                await _json(send, 403, {"error": f"this console needs the role {' or '.join(roles)}"})
                return

        started, status = time.perf_counter(), [0]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
                hs = list(message.get("headers") or [])
                names = {k.lower() for k, _ in hs}
                if b"content-security-policy" not in names:
                    hs.append((b"content-security-policy", b"frame-ancestors 'self'"))
                    hs.append((b"x-frame-options", b"SAMEORIGIN"))
                if b"x-content-type-options" not in names:
                    hs.append((b"x-content-type-options", b"nosniff"))
                if b"referrer-policy" not in names:
                    hs.append((b"referrer-policy", b"same-origin"))
                message = {**message, "headers": hs}
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            if requests_log.isEnabledFor(logging.INFO):
                client = (scope.get("client") or ("-",))[0]
                requests_log.info("%s %s %s %.0fms actor=%s client=%s", method, mask_for_storage(path)[:200],
                                  status[0], (time.perf_counter() - started) * 1000,
                                  mask_for_storage(ident.actor) if ident else "-",
                                  hashlib.sha256(str(client).encode()).hexdigest()[:12])

    async def _websocket(self, scope: Scope, receive: Receive, send: Send) -> None:
        """A WebSocket under a guarded prefix opens only for a caller with its roles; one signed in with the session
        cookie must come from this site's own pages (a cross-site page cannot ride the cookie). A refusal closes the
        handshake before it is accepted (the client sees HTTP 403)."""
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers") or []}
        cookies = _cookies(headers.get("cookie", ""))
        path = scope["path"]
        try:
            from starlette.concurrency import run_in_threadpool

            ident, how = await run_in_threadpool(self.auth.identify, headers, cookies)
        except AssistError:
            await send({"type": "websocket.close", "code": 1013, "reason": "accounts database unavailable"})
            return
        scope.setdefault("state", {})["identity"] = ident
        roles = _guard(self.guards, path)
        refused = None
        if how != "key" and SESSION_COOKIE in cookies:
            origin = headers.get("origin")
            if not origin or origin.lower() != _own_origin(scope, self.auth.public_url):
                refused = "cross-site WebSocket refused"
        if refused is None and roles is not None:
            if ident is None:
                refused = "sign in first (/login)"
            elif not ident.allows(*roles):
                refused = f"this needs the role {' or '.join(roles)}"
        if refused is not None:
            requests_log.info("WS %s refused: %s", mask_for_storage(path)[:200], refused)
            await send({"type": "websocket.close", "code": 1008, "reason": refused})
            return
        await self.app(scope, receive, send)


def _cookies(header: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in header.split(";"):
        if "=" in part:
            k, v = part.split("=", 1)
            out.setdefault(k.strip(), v.strip().strip('"'))
    return out


async def _send(send: Send, status: int, body: bytes, headers: Mapping[str, str], ctype: str = "text/plain") -> None:
    hs = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    hs += [(b"content-type", ctype.encode()), (b"content-length", str(len(body)).encode()),
           (b"content-security-policy", b"frame-ancestors 'self'"), (b"x-frame-options", b"SAMEORIGIN")]
    await send({"type": "http.response.start", "status": status, "headers": hs})
    await send({"type": "http.response.body", "body": body})


async def _json(send: Send, status: int, body: dict[str, Any], headers: Mapping[str, str] | None = None) -> None:
    await _send(send, status, json.dumps(body, ensure_ascii=False).encode(), headers or {},
                "application/json; charset=utf-8")


# -- the sign-in pages -------------------------------------------------------------------------------------------

_PAGE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>登录 · 坐席助手</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{{font-family:sans-serif;max-width:360px;margin:60px auto;padding:0 16px}}label{{display:block;margin:12px 0 4px}}
input{{width:100%;padding:8px;box-sizing:border-box}}button,a.sso{{margin-top:16px;padding:8px 14px;display:inline-block}}
.err{{color:#c62828}}</style></head><body><h2>登录</h2>{error}
<form method="post" action="/login"><input type="hidden" name="csrf" value="{csrf}"><input type="hidden" name="next" value="{next}">
<label for="u">账号</label><input id="u" name="username" autocomplete="username" required>
<label for="p">密码</label><input id="p" name="password" type="password" autocomplete="current-password" required>
<button type="submit">登录</button></form>{sso}</body></html>"""


def _safe_next(value: str | None) -> str:
    """Only a path on this site (no scheme, no host, no //host): an open redirect is refused."""
    v = value or "/assist/"
    return v if v.startswith("/") and not v.startswith("//") and "\\" not in v else "/assist/"


def router(auth: HttpAuth, limiter: RateLimit) -> APIRouter:
    """/login (form and single sign-on), /login/oidc/callback, /logout, /v1/me."""
    r = APIRouter(tags=["sign-in"])

    def page(next_path: str, error: str = "", status: int = 200) -> HTMLResponse:
        csrf = secrets.token_urlsafe(16)
        sso = (f'<p><a class="sso" href="/login/oidc?{urllib.parse.urlencode({"next": next_path})}">使用单点登录</a></p>'
               if auth.provider is not None else "")
        body = _PAGE.format(error=f'<p class="err">{html.escape(error)}</p>' if error else "", csrf=csrf,
                            next=html.escape(next_path), sso=sso)
        resp = HTMLResponse(body, status_code=status, headers={"Cache-Control": "no-store"})
        auth.set_cookie(resp, LOGIN_COOKIE, csrf, 3600)
        return resp

    @r.get("/login", include_in_schema=False)
    def login_page(next: str | None = None) -> HTMLResponse:
        return page(_safe_next(next))

    @r.post("/login", include_in_schema=False)
    def login(request: Request, username: str = Form(..., max_length=64), password: str = Form(..., max_length=256),
              csrf: str = Form(..., max_length=64), next: str = Form("/assist/", max_length=512)) -> Response:
        target = _safe_next(next)
        if not secrets.compare_digest(csrf, request.cookies.get(LOGIN_COOKIE, "")):
            return page(target, "页面已过期，请重新登录。", 403)
        client = client_address(request.client.host if request.client else None,
                                request.headers.get("x-forwarded-for"), auth.trusted_proxies)
        if limiter.allow(client) > 0:
            return page(target, "尝试次数过多，请稍后再试。", 429)
        ident = auth.accounts.sign_in(username, password)
        if ident is None:
            auth.record(None, "sign_in_failed", username[:64])
            return page(target, "账号或密码不正确。", 401)
        auth.record(ident, "sign_in", ident.name, method="password")
        resp = RedirectResponse(target, status_code=303)
        auth.set_cookie(resp, SESSION_COOKIE, auth.session_cookie(ident), auth.session_s)
        resp.delete_cookie(LOGIN_COOKIE, path="/")
        return resp

    def redirect_uri(request: Request) -> str:
        base = auth.public_url.rstrip("/") if auth.public_url else str(request.base_url).rstrip("/")
        return base + "/login/oidc/callback"

    @r.get("/login/oidc", include_in_schema=False)
    def oidc_start(request: Request, next: str | None = None) -> Response:
        if auth.provider is None:
            return page(_safe_next(next), "未配置单点登录。", 404)
        state, nonce, verifier = (secrets.token_urlsafe(24) for _ in range(3))
        url = auth.provider.authorization_url(redirect_uri(request), state, nonce, verifier)
        resp = RedirectResponse(url, status_code=303)
        auth.set_cookie(resp, OIDC_COOKIE, auth.signer.sign("oidc", {"s": state, "n": nonce, "v": verifier,
                                                                     "next": _safe_next(next)}, 600), 600)
        return resp

    @r.get("/login/oidc/callback", include_in_schema=False)
    def oidc_callback(request: Request, code: str | None = None, state: str | None = None,
                      error: str | None = None) -> Response:
        if auth.provider is None:
            return page("/assist/", "未配置单点登录。", 404)
        pending = auth.signer.read("oidc", request.cookies.get(OIDC_COOKIE))
        if pending is None or not state or not secrets.compare_digest(state, str(pending["s"])) or not code:
            return page("/assist/", "单点登录未完成或已过期，请重试。" + (f"（{error[:80]}）" if error else ""), 400)
        try:
            claims = auth.provider.sign_in(code, redirect_uri(request), str(pending["v"]), str(pending["n"]))
        except AssistError as exc:
            log.warning("single sign-on refused: %s", exc.describe())
            return page(str(pending["next"]), "单点登录失败，请重试或联系管理员。", 401)
        ident = auth.oidc_identity(claims)
        if ident is None:
            auth.record(None, "sign_in_failed", f"oidc:{claims.get('sub')}"[:64], reason="no role")
            return page(str(pending["next"]), "您的账号没有本系统的角色，请联系管理员。", 403)
        auth.record(ident, "sign_in", ident.name, method="oidc")
        resp = RedirectResponse(str(pending["next"]), status_code=303)
        auth.set_cookie(resp, SESSION_COOKIE, auth.session_cookie(ident), auth.session_s)
        resp.delete_cookie(OIDC_COOKIE, path="/")
        return resp

    @r.post("/logout", include_in_schema=False)
    def logout(request: Request) -> Response:
        auth.record(identity_of(request), "sign_out")
        resp = RedirectResponse("/login", status_code=303)
        resp.delete_cookie(SESSION_COOKIE, path="/")
        return resp

    @r.get("/v1/me")
    def me(request: Request) -> JSONResponse:
        """Who the caller is and what they may do (401 when not signed in)."""
        ident = identity_of(request)
        if ident is None:
            return JSONResponse({"error": "not signed in"}, status_code=401)
        return JSONResponse({"name": ident.name, "display": ident.display, "kind": ident.kind,
                             "roles": sorted(ident.roles), "roles_zh": [ROLE_ZH[r] for r in sorted(ident.roles)],
                             "on_behalf_of": ident.on_behalf_of})

    return r


def roles_of(values: Iterable[str]) -> list[str]:
    return [v for v in values if v in ROLES]
