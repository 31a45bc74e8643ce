"""Accounts for tests: one account per role and a call-platform key, made in a settings' database the production
way (assist.bootstrap.build_accounts), and a browser-style sign-in over real HTTP that returns the session cookie."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import httpx

PASSWORD = "correct-horse-battery-staple"
ROLE_USERS = {"agent": "agent1", "trainer": "trainer1", "reviewer": "reviewer1", "admin": "admin1"}


@dataclass(frozen=True)
class Logins:
    key: str                       # scopes calls + review
    key_id: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}


def seed_accounts(settings: Any) -> Logins:
    from assist.bootstrap import build_accounts

    accounts = build_accounts(settings)
    for role, name in ROLE_USERS.items():
        if accounts.store.get_user(name) is None:
            accounts.create_user(name, PASSWORD, [role])
    key_id, key = accounts.create_key("call-platform", ["calls", "review"])
    return Logins(key, key_id)


def sign_in(url: str, name: str, password: str = PASSWORD, next_path: str = "/assist/") -> str:
    """Sign in through the /login form as a browser does; the Cookie header value of the session."""
    with httpx.Client(base_url=url, timeout=30, follow_redirects=False) as c:
        page = c.get("/login")
        m = re.search(r'name="csrf" value="([^"]+)"', page.text)
        assert m, page.text[:300]
        login_cookie = page.cookies.get("assist_login")
        r = c.post("/login", data={"username": name, "password": password, "csrf": m.group(1), "next": next_path},
                   headers={"Cookie": f"assist_login={login_cookie}", "Origin": url})
        if r.status_code != 303:
            raise AssertionError(f"sign-in as {name} answered {r.status_code}")
        return f"assist_session={r.cookies.get('assist_session')}"


_SIGNED_IN: dict[tuple[str, str], str] = {}


def cookie_of(url: str, role: str) -> dict[str, str]:
    """Headers carrying the session cookie of the test account with ``role``. One sign-in per server and role for
    the whole test run (a session lasts hours): the server limits sign-in attempts per client to 10 a minute, and
    every test comes from 127.0.0.1."""
    key = (url, role)
    if key not in _SIGNED_IN:
        _SIGNED_IN[key] = sign_in(url, ROLE_USERS[role])
    return {"Cookie": _SIGNED_IN[key]}
