"""Password hashes: scrypt (memory-hard; RFC 7914), from the standard library, with a per-password salt, stored as
``scrypt$n$r$p$salt$hash`` so the cost can be raised later without breaking stored hashes."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

N, R, P = 2**15, 8, 1           # 32 MiB and about 50-100 ms per hash on one core: slow for guessing, fine for sign-in
_DKLEN = 32
_MAXMEM = 64 * 2**20


def _b64(b: bytes) -> str:
    return base64.b64encode(b).decode("ascii")


def hash_password(password: str, *, n: int = N) -> str:
    salt = secrets.token_bytes(16)
    dk = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=R, p=P, dklen=_DKLEN, maxmem=_MAXMEM)
    return f"scrypt${n}${R}${P}${_b64(salt)}${_b64(dk)}"


def verify_password(password: str, stored: str) -> bool:
    """True when ``password`` hashes to ``stored`` (compared in constant time); False for a malformed hash."""
    try:
        scheme, n, r, p, salt, dk = stored.split("$")
        if scheme != "scrypt":
            return False
        want = base64.b64decode(dk)
        got = hashlib.scrypt(password.encode("utf-8"), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p),
                             dklen=len(want), maxmem=_MAXMEM)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, want)


DUMMY_HASH = hash_password("not a real password")   # verified against when the account is unknown (same timing)
