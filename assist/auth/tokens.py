"""Signed, expiring values for cookies (the sign-in session, the OIDC state): ``payload.signature`` with HMAC-SHA256
under the server's secret. Stateless, so every worker that shares the secret accepts the cookie; tampering, another
purpose or an expired value all read as None."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Callable
from typing import Any


def _b64(b: bytes) -> str:
    return base64.urlsafe_b64encode(b).decode("ascii").rstrip("=")


def _unb64(s: str) -> bytes:
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


class Signer:
    def __init__(self, secret: bytes, clock: Callable[[], float] = time.time) -> None:
        if len(secret) < 16:
            raise ValueError("the signing secret must be at least 16 bytes")
        self._secret = secret
        self._clock = clock

    def _mac(self, purpose: str, body: str) -> str:
        return _b64(hmac.new(self._secret, f"{purpose}.{body}".encode(), hashlib.sha256).digest())

    def sign(self, purpose: str, value: dict[str, Any], ttl_s: float) -> str:
        body = _b64(json.dumps({**value, "exp": int(self._clock() + ttl_s)}, separators=(",", ":")).encode())
        return f"{body}.{self._mac(purpose, body)}"

    def read(self, purpose: str, token: str | None) -> dict[str, Any] | None:
        if not token or token.count(".") != 1:
            return None
        body, mac = token.split(".")
        if not hmac.compare_digest(mac, self._mac(purpose, body)):
            return None
        try:
            value = json.loads(_unb64(body))
        except ValueError:
            return None
        if not isinstance(value, dict) or not isinstance(value.get("exp"), int) or value["exp"] < self._clock():
            return None
        return value
