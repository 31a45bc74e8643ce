"""Sign-in and roles over real HTTP: API keys (hashed at rest, scoped, rotated, revoked), built-in accounts through
the /login form, single sign-on against a real OpenID Connect provider on 127.0.0.1 (oidc-provider-mock, started
here), the roles of every route, the staff member taken from the identity, cookies, CSRF, framing and CORS."""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from sqlalchemy import create_engine, text

from assist.bootstrap import build_audit, build_http_auth, build_staff_assist, database_url
from assist.edges.http.admin import AdminServices
from assist.edges.http.app import create_api
from assist.settings import AuthSettings, Settings
from testkit.auth import PASSWORD, Logins, seed_accounts, sign_in
from testkit.helpers import free_port, serve

OIDC_SECRET = "test-client-secret-0123456789"


@pytest.fixture(scope="module")
def provider() -> Iterator[tuple[str, str]]:
    """A real OpenID Connect provider on 127.0.0.1, with this app registered as a confidential client."""
    import oidc_provider_mock

    with oidc_provider_mock.run_server_in_thread(require_client_registration=True, require_nonce=True) as server:
        url = f"http://localhost:{server.server_port}"
        yield url, ""


@dataclass
class Api:
    url: str
    settings: Settings
    logins: Logins
    issuer: str


@pytest.fixture
def api(agent_settings: Settings, provider: tuple[str, str]) -> Iterator[Api]:
    issuer, _ = provider
    port = free_port()
    reg = httpx.post(issuer + "/oauth2/clients", timeout=10,
                     json={"redirect_uris": [f"http://127.0.0.1:{port}/login/oidc/callback"]})
    assert reg.status_code == 201, reg.text
    client = reg.json()
    s = agent_settings.model_copy(update={"auth": AuthSettings(
        oidc_issuer=issuer, oidc_client_id=client["client_id"], oidc_client_secret=client["client_secret"])})
    logins = seed_accounts(s)
    audit = build_audit(s)
    auth = build_http_auth(s, on_event=audit)
    staff = build_staff_assist(s)
    app = create_api(staff, max_request_kb=64, auth=auth, admin_services=AdminServices(auth.accounts, audit, staff))
    with serve(app, port=port) as url:
        yield Api(url, s, logins, issuer)


def _session(c: httpx.Client, headers: dict[str, str]) -> httpx.Response:
    return c.post("/v1/sessions", json={"meta": {"number_matches": "no"}}, headers=headers)


def test_staff_routes_need_a_signed_in_caller_with_the_agent_role(api: Api) -> None:
    with httpx.Client(base_url=api.url, timeout=30) as c:
        assert _session(c, {}).status_code == 401
        assert c.post("/v1/feedback", json={"session_id": "0" * 16, "suspected_intermediary": True}).status_code == 401
        assert c.post("/v1/sessions/0123456789abcdef/turns", json={"speaker": "caller", "text": "x"}).status_code == 401
        assert c.post("/v1/documents/review", files={"file": ("a.txt", b"x")}).status_code == 401
        assert c.get("/v1/admin/users").status_code == 401
        assert _session(c, {"Authorization": "Bearer ak_0123456789ab_" + "x" * 48}).status_code == 401
        assert c.get("/healthz").status_code == 200                     # liveness stays public
        ok = _session(c, api.logins.headers)
        assert ok.status_code == 201
        assert c.get("/v1/admin/users", headers=api.logins.headers).status_code == 403     # a key is never admin
        for role, allowed in (("agent", True), ("trainer", False), ("reviewer", False), ("admin", True)):
            cookie = {"Cookie": sign_in(api.url, f"{role}1")}
            assert (_session(c, cookie).status_code == 201) is allowed, role
        assert c.get("/v1/me", headers={"Cookie": sign_in(api.url, "trainer1")}).json()["roles"] == ["trainer"]


def test_keys_are_hashed_at_rest_scoped_rotated_and_revoked(api: Api) -> None:
    engine = create_engine(database_url(api.settings))
    with engine.connect() as db:
        stored = db.execute(text("select secret_hash from api_key where key_id = :k"), {"k": api.logins.key_id}).scalar()
    assert stored and api.logins.key.split("_", 2)[2] not in stored and len(stored) == 64
    admin = {"Cookie": sign_in(api.url, "admin1")}
    with httpx.Client(base_url=api.url, timeout=30) as c:
        made = c.post("/v1/admin/keys", json={"name": "intake", "scopes": ["review"]}, headers=admin).json()
        review_only = {"Authorization": f"Bearer {made['key']}"}
        assert _session(c, review_only).status_code == 403             # scope review: no call assistance
        rotated = c.post(f"/v1/admin/keys/{api.logins.key_id}/rotate", headers=admin).json()
        assert _session(c, api.logins.headers).status_code == 401       # the old key is refused at once
        new = {"Authorization": f"Bearer {rotated['key']}"}
        assert _session(c, new).status_code == 201
        assert c.post(f"/v1/admin/keys/{rotated['key_id']}/revoke", headers=admin).status_code == 200
        assert _session(c, new).status_code == 401
        assert any(k["key_id"] == api.logins.key_id and k["revoked_at"] for k in
                   c.get("/v1/admin/keys", headers=admin).json())
        trail = c.get("/v1/admin/audit", params={"action": "key."}, headers=admin).json()
        assert [e["action"] for e in trail][:3] == ["key.revoke", "key.rotate", "key.create"]
        assert all(e["actor"] == "admin1" for e in trail[:3])


def test_the_staff_member_comes_from_the_identity_never_from_the_body(api: Api) -> None:
    with httpx.Client(base_url=api.url, timeout=30) as c:
        sid = _session(c, api.logins.headers).json()["session_id"]
        a = c.post(f"/v1/sessions/{sid}/turns", json={"speaker": "caller", "text": "我是他委托的法务，他的事都归我对接"},
                   headers=api.logins.headers).json()
        platform = {**api.logins.headers, "X-Assist-On-Behalf-Of": "agent-007"}
        r = c.post("/v1/feedback", json={"suggestion_id": a["suggestions"][0]["id"], "action": "used",
                                         "agent_id": "supervisor-001"}, headers=platform)
        assert r.status_code == 200
        cookie = {"Cookie": sign_in(api.url, "agent1")}
        assert c.post("/v1/feedback", json={"session_id": sid, "suspected_intermediary": True,
                                            "agent_id": "supervisor-001"}, headers=cookie).status_code == 200
    engine = create_engine(api.settings.agent.feedback_url or "")
    with engine.connect() as db:
        fb = db.execute(text("select agent_id from suggestion_feedback")).scalars().all()
        tags = db.execute(text("select agent_id from case_tag")).scalars().all()
    assert fb == [f"key:{api.logins.key_id}/agent-007"] and tags == ["agent1"]
    admin = {"Cookie": sign_in(api.url, "admin1")}
    with httpx.Client(base_url=api.url, timeout=30) as c:
        assert c.get("/v1/admin/feedback", headers=cookie).status_code == 403
        votes = c.get("/v1/admin/feedback", headers=admin).json()
        assert [v["agent_id"] for v in votes] == [f"key:{api.logins.key_id}/agent-007"]
        assert c.post(f"/v1/admin/feedback/{votes[0]['vote_id']}/undo", headers=admin).status_code == 200
        assert c.get("/v1/admin/feedback", headers=admin).json()[0]["undone_by"] == "admin1"
        trail = c.get("/v1/admin/audit", headers=admin).json()
        assert {"call.open", "call.tag", "feedback.undo"} <= {e["action"] for e in trail}


def test_password_sign_in_cookies_csrf_and_frames(api: Api) -> None:
    with httpx.Client(base_url=api.url, timeout=30, follow_redirects=False) as c:
        page = c.get("/login")
        assert page.status_code == 200 and "登录" in page.text
        assert "frame-ancestors 'self'" in page.headers["content-security-policy"]
        assert page.headers["x-frame-options"] == "SAMEORIGIN"
        csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)   # type: ignore[union-attr]
        form = {"username": "agent1", "password": PASSWORD, "csrf": csrf, "next": "https://evil.example/"}
        cookie = {"Cookie": f"assist_login={page.cookies['assist_login']}"}
        assert c.post("/login", data={**form, "password": "wrong-password-123"}, headers=cookie).status_code == 401
        assert c.post("/login", data={**form, "csrf": "forged"}, headers=cookie).status_code == 403
        assert c.post("/login", data=form, headers={**cookie, "Origin": "https://evil.example"}).status_code == 403
        ok = c.post("/login", data=form, headers=cookie)
        assert ok.status_code == 303 and ok.headers["location"] == "/assist/"        # no open redirect
        set_cookie = ok.headers["set-cookie"].lower()
        assert "httponly" in set_cookie and "secure" in set_cookie and "samesite=lax" in set_cookie
        session = {"Cookie": f"assist_session={ok.cookies['assist_session']}"}
        assert _session(c, {**session, "Origin": api.url}).status_code == 201
        assert _session(c, {**session, "Origin": "https://evil.example"}).status_code == 403
        assert _session(c, {**session, "Sec-Fetch-Site": "cross-site"}).status_code == 403
        tampered = session["Cookie"][:-3] + ("AAA" if not session["Cookie"].endswith("AAA") else "BBB")
        assert _session(c, {"Cookie": tampered}).status_code == 401
        docs = c.get("/docs")
        assert "frame-ancestors 'self'" in docs.headers["content-security-policy"]
        pre = c.options("/v1/sessions", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
        assert "access-control-allow-origin" not in pre.headers                     # CORS closed
        # a disabled account's cookie stops working (within the 30 s re-check; this app re-reads it now)
        admin = {"Cookie": sign_in(api.url, "admin1")}
        assert c.post("/v1/admin/users/trainer1/disabled", json={"disabled": True}, headers=admin).status_code == 200


def _oidc_sign_in(api: Api, sub: str, claims: dict[str, object]) -> httpx.Response:
    assert httpx.put(f"{api.issuer}/users/{urllib.parse.quote(sub)}", json=claims, timeout=10).status_code == 204
    with httpx.Client(timeout=30, follow_redirects=False) as c:
        start = c.get(api.url + "/login/oidc", params={"next": "/trainer/"})
        assert start.status_code == 303
        authorize = start.headers["location"]
        assert authorize.startswith(api.issuer) and "code_challenge=" in authorize and "nonce=" in authorize
        form = c.post(authorize, data={"sub": sub})
        assert form.status_code in (302, 303), form.text[:500]
        back = form.headers["location"]
        assert back.startswith(api.url + "/login/oidc/callback")
        return c.get(back, headers={"Cookie": f"assist_oidc={start.cookies['assist_oidc']}"})


def test_single_sign_on_with_a_real_openid_connect_provider(api: Api) -> None:
    done = _oidc_sign_in(api, "alice@lender.example", {"name": "Alice", "roles": ["trainer", "reviewer", "janitor"]})
    assert done.status_code == 303 and done.headers["location"] == "/trainer/"
    cookie = {"Cookie": f"assist_session={done.cookies['assist_session']}"}
    me = httpx.get(api.url + "/v1/me", headers=cookie, timeout=10).json()
    assert me["name"] == "oidc:alice@lender.example" and me["roles"] == ["reviewer", "trainer"]
    assert me["display"] == "Alice"
    with httpx.Client(base_url=api.url, timeout=30) as c:
        assert _session(c, cookie).status_code == 403                  # no agent role from the provider
    refused = _oidc_sign_in(api, "bob@lender.example", {"name": "Bob"})
    assert refused.status_code == 403 and "assist_session" not in refused.cookies
    # a callback whose state is not this browser's is refused
    bad = httpx.get(api.url + "/login/oidc/callback", params={"code": "x", "state": "forged"}, timeout=10)
    assert bad.status_code == 400
