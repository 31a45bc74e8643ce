"""Accounts and keys over an AccountStore (assist.ports): built-in accounts with scrypt password hashes, API keys for
service accounts (only a SHA-256 of the secret is stored; the key is shown once), rotation and revocation, and the
first admin account of a new installation."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from assist.auth.passwords import DUMMY_HASH, hash_password, verify_password
from assist.auth.types import ROLES, SCOPES, Identity
from assist.core.pii import mask_for_storage
from assist.errors import AccountError
from assist.ports import AccountStore

MIN_PASSWORD_CHARS = 12
KEY_PREFIX = "ak"
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.@-]{1,63}")
_KEY = re.compile(rf"{KEY_PREFIX}_([0-9a-f]{{12}})_([A-Za-z0-9_-]{{40,64}})")
KEY_CACHE_S = 30.0          # a revoked key stops working within this time on every worker


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("ascii")).hexdigest()


def check_roles(roles: Iterable[str]) -> list[str]:
    out = sorted(set(roles))
    bad = [r for r in out if r not in ROLES]
    if bad or not out:
        raise AccountError(f"roles must be some of {', '.join(ROLES)} (got {', '.join(bad) or 'none'})", field="roles")
    return out


class Accounts:
    def __init__(self, store: AccountStore, clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self._clock = clock
        self._keys: dict[str, tuple[float, Identity | None]] = {}
        self._lock = threading.Lock()

    # -- people ----------------------------------------------------------------------------------------------------
    def create_user(self, name: str, password: str, roles: Iterable[str]) -> None:
        if not _NAME.fullmatch(name):
            raise AccountError("an account name is 2-64 letters, digits or _ . @ -", field="name")
        if self.store.get_user(name) is not None:
            raise AccountError(f"account {name!r} exists already", field="name")
        self._check_password(password)
        self.store.put_user(name, hash_password(password), check_roles(roles), disabled=False)

    @staticmethod
    def _check_password(password: str) -> None:
        if len(password) < MIN_PASSWORD_CHARS or len(set(password)) < 6:
            raise AccountError(f"a password needs at least {MIN_PASSWORD_CHARS} characters, not all alike",
                               field="password")

    def set_password(self, name: str, password: str) -> None:
        user = self._user(name)
        self._check_password(password)
        self.store.put_user(name, hash_password(password), user["roles"], disabled=user["disabled"])

    def set_roles(self, name: str, roles: Iterable[str]) -> None:
        user = self._user(name)
        self.store.put_user(name, user["password_hash"], check_roles(roles), disabled=user["disabled"])

    def set_disabled(self, name: str, disabled: bool) -> None:
        user = self._user(name)
        self.store.put_user(name, user["password_hash"], user["roles"], disabled=disabled)

    def _user(self, name: str) -> dict[str, Any]:
        user = self.store.get_user(name)
        if user is None:
            raise AccountError(f"no account {name!r}", field="name")
        return user

    def users(self) -> list[dict[str, Any]]:
        return [{k: v for k, v in u.items() if k != "password_hash"} for u in self.store.users()]

    def sign_in(self, name: str, password: str) -> Identity | None:
        """The account's identity when the password is right and the account enabled; None otherwise (the same time
        either way: an unknown name is checked against a dummy hash)."""
        user = self.store.get_user(name) if _NAME.fullmatch(name or "") else None
        ok = verify_password(password, user["password_hash"] if user else DUMMY_HASH)
        if not ok or user is None or user["disabled"]:
            return None
        return Identity(name=name, roles=frozenset(user["roles"]), kind="user", display=name)

    def still_allowed(self, name: str) -> frozenset[str] | None:
        """The roles of an enabled built-in account now (None when gone or disabled): a session cookie carries the
        roles it was issued with, and this re-reads them."""
        user = self.store.get_user(name)
        return None if user is None or user["disabled"] else frozenset(user["roles"])

    def ensure_first_admin(self, name: str = "admin") -> str | None:
        """On a new installation (no accounts at all), create ``name`` with the admin role and a random password,
        and return that password (shown once); None when accounts exist."""
        if self.store.users():
            return None
        password = secrets.token_urlsafe(15)
        self.store.put_user(name, hash_password(password), ["admin"], disabled=False)
        return password

    # -- service accounts' keys -------------------------------------------------------------------------------------
    def create_key(self, name: str, scopes: Iterable[str]) -> tuple[str, str]:
        """A new key for service account ``name``: (key id, the key). Only a hash of the key is stored."""
        chosen = sorted(set(scopes))
        if not chosen or any(s not in SCOPES for s in chosen):
            raise AccountError(f"scopes must be some of {', '.join(SCOPES)}", field="scopes")
        if not _NAME.fullmatch(name):
            raise AccountError("a service account name is 2-64 letters, digits or _ . @ -", field="name")
        key_id, secret = _new_key_id(), secrets.token_urlsafe(36)
        self.store.add_key(key_id, name, _digest(secret), chosen)
        return key_id, f"{KEY_PREFIX}_{key_id}_{secret}"

    def rotate_key(self, key_id: str) -> tuple[str, str]:
        """A new key with the old one's name and scopes; the old one is revoked."""
        old = self.store.get_key(key_id)
        if old is None or old["revoked_at"] is not None:
            raise AccountError(f"no active key {key_id!r}", field="key_id")
        new = self.create_key(old["name"], old["scopes"])
        self.revoke_key(key_id)
        return new

    def revoke_key(self, key_id: str) -> None:
        if self.store.get_key(key_id) is None:
            raise AccountError(f"no key {key_id!r}", field="key_id")
        self.store.revoke_key(key_id)
        with self._lock:
            self._keys.pop(key_id, None)

    def keys(self) -> list[dict[str, Any]]:
        return [{k: v for k, v in row.items() if k != "secret_hash"} for row in self.store.keys()]

    def identify_key(self, token: str) -> Identity | None:
        """The service account of a presented key, or None (malformed, unknown, wrong secret, revoked)."""
        m = _KEY.fullmatch(token.strip())
        if m is None:
            return None
        key_id, secret = m.groups()
        now = self._clock()
        with self._lock:
            hit = self._keys.get(key_id)
        if hit is not None and hit[0] > now and hit[1] is not None:
            cached = hit[1]
            return cached if hmac.compare_digest(cached.extra["digest"], _digest(secret)) else None
        row = self.store.get_key(key_id)
        ident: Identity | None = None
        if row is not None and row["revoked_at"] is None:
            ident = Identity(name=f"key:{key_id}", roles=frozenset(SCOPES[s] for s in row["scopes"]), kind="key",
                             display=row["name"], extra={"digest": row["secret_hash"]})
        with self._lock:
            if len(self._keys) > 10_000:
                self._keys.clear()
            self._keys[key_id] = (now + KEY_CACHE_S, ident)
        if ident is None or not hmac.compare_digest(ident.extra["digest"], _digest(secret)):
            return None
        return ident


def _new_key_id() -> str:
    """Twelve hex digits that the storage mask leaves alone. About one random id in sixteen holds a run of eight or
    more decimal digits, which every log line and audit row would mask like a mistyped ID number: an admin could not
    tell which key acted."""
    while True:
        key_id = secrets.token_hex(6)
        if mask_for_storage(key_id) == key_id:
            return key_id
