"""Sign-in through the institution's OpenID Connect provider (authorization code flow with PKCE, confidential
client): discovery, the authorization URL, the code exchange, ID-token verification (signature from the provider's
JWKS, issuer, audience, expiry, nonce) with PyJWT, and the userinfo claims. Plain HTTP through the standard library."""

from __future__ import annotations

import base64
import hashlib
import json
import threading
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

import jwt

from assist.errors import AuthError, DependencyError

ALGORITHMS = ["RS256", "RS384", "RS512", "ES256", "ES384", "PS256"]


def pkce_challenge(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode("ascii")).digest()).decode().rstrip("=")


class OidcClient:
    def __init__(self, issuer: str, client_id: str, client_secret: str, *, scopes: str = "openid profile email",
                 timeout_s: float = 5.0) -> None:
        self.issuer = issuer.rstrip("/")
        self.client_id = client_id
        self._secret = client_secret
        self.scopes = scopes
        self.timeout_s = timeout_s
        self._config: dict[str, Any] | None = None
        self._jwks: jwt.PyJWKClient | None = None
        self._lock = threading.Lock()

    def _get(self, url: str, headers: dict[str, str] | None = None, data: bytes | None = None) -> dict[str, Any]:
        req = urllib.request.Request(url, data=data, headers={"Accept": "application/json", **(headers or {})})
        try:
            with urllib.request.urlopen(req, timeout=self.timeout_s) as r:
                out = json.loads(r.read())
        except urllib.error.HTTPError as exc:
            raise AuthError(f"the sign-in provider refused: HTTP {exc.code} {exc.read()[:200]!r}",
                            field="auth.oidc_issuer") from exc
        except (OSError, ValueError) as exc:
            raise DependencyError(f"the sign-in provider does not answer: {exc}", field="auth.oidc_issuer") from exc
        if not isinstance(out, dict):
            raise AuthError("the sign-in provider answered something that is not a JSON object", field="auth.oidc_issuer")
        return out

    def config(self) -> dict[str, Any]:
        """The provider's discovery document (read once)."""
        with self._lock:
            if self._config is None:
                cfg = self._get(self.issuer + "/.well-known/openid-configuration")
                if cfg.get("issuer", "").rstrip("/") != self.issuer:
                    raise AuthError(f"the provider says its issuer is {cfg.get('issuer')!r}, not {self.issuer!r}",
                                    field="auth.oidc_issuer")
                self._config = cfg
                self._jwks = jwt.PyJWKClient(cfg["jwks_uri"], cache_keys=True, timeout=int(self.timeout_s) or 1)
            return self._config

    def authorization_url(self, redirect_uri: str, state: str, nonce: str, verifier: str) -> str:
        q = {"response_type": "code", "client_id": self.client_id, "redirect_uri": redirect_uri, "scope": self.scopes,
             "state": state, "nonce": nonce, "code_challenge": pkce_challenge(verifier), "code_challenge_method": "S256"}
        endpoint = str(self.config()["authorization_endpoint"])
        return endpoint + ("&" if "?" in endpoint else "?") + urllib.parse.urlencode(q)

    def sign_in(self, code: str, redirect_uri: str, verifier: str, nonce: str) -> dict[str, Any]:
        """Exchange the code; the verified ID token's claims, completed by userinfo's."""
        cfg = self.config()
        basic = base64.b64encode(f"{urllib.parse.quote(self.client_id)}:{urllib.parse.quote(self._secret)}".encode())
        body = urllib.parse.urlencode({"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri,
                                       "code_verifier": verifier}).encode()
        tokens = self._get(cfg["token_endpoint"], {"Authorization": "Basic " + basic.decode(),
                                                   "Content-Type": "application/x-www-form-urlencoded"}, body)
        if "id_token" not in tokens:
            raise AuthError("the sign-in provider returned no ID token", field="auth.oidc_issuer")
        claims = self.verify(tokens["id_token"], nonce)
        if "access_token" in tokens and cfg.get("userinfo_endpoint"):
            info = self._get(cfg["userinfo_endpoint"], {"Authorization": f"Bearer {tokens['access_token']}"})
            if info.get("sub") == claims["sub"]:
                claims = {**info, **claims}
        return claims

    def verify(self, id_token: str, nonce: str) -> dict[str, Any]:
        self.config()
        assert self._jwks is not None
        issuer = self._config["issuer"] if self._config else self.issuer
        try:
            kid = jwt.get_unverified_header(id_token).get("kid")
            # a token without a key id (some providers with one key): each of the provider's signing keys is tried
            keys = [self._jwks.get_signing_key(kid)] if kid else self._jwks.get_signing_keys()
            last: jwt.PyJWTError | None = None
            for key in keys:
                try:
                    claims: dict[str, Any] = jwt.decode(id_token, key.key, algorithms=ALGORITHMS, issuer=issuer,
                                                        audience=self.client_id, leeway=60,
                                                        options={"require": ["exp", "iat", "sub"]})
                    break
                except jwt.InvalidSignatureError as exc:
                    last = exc
            else:
                raise last or jwt.InvalidTokenError("the provider publishes no signing key")
        except jwt.PyJWKClientConnectionError as exc:
            raise DependencyError(f"the sign-in provider's keys cannot be read: {exc}", field="auth.oidc_issuer") from exc
        except jwt.PyJWTError as exc:
            raise AuthError(f"the ID token is not valid: {exc}", field="id_token") from exc
        if claims.get("nonce") != nonce:
            raise AuthError("the ID token's nonce does not match this sign-in", field="id_token")
        return claims
