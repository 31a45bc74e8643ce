"""Request-model pieces shared by the routers: text fields that refuse lone surrogates (which a JSON client can send
as escapes but nothing downstream can encode), and the 422 answer that names the fields at fault without echoing
what was sent (a refused body may hold personal data, and echoing it back is how it would leak)."""

from __future__ import annotations

import json
import re
from typing import Annotated, Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import AfterValidator

from assist.core.text import has_surrogates


def _no_surrogates(value: str) -> str:
    if has_surrogates(value):
        raise ValueError("contains a lone surrogate (U+D800-U+DFFF): not valid Unicode text; send UTF-8")
    return value


Text = Annotated[str, AfterValidator(_no_surrogates)]


class SafeJSONResponse(JSONResponse):
    """JSON as UTF-8 that cannot fail on a character (a lone surrogate becomes U+FFFD instead of a 500)."""

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode(
            "utf-8", errors="replace")


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}|\d{1,6}|\[key\]")


def _where(loc: Any) -> str:
    """A field's location; a part the client made up (a dict key, which may be anything) is shown as "…"."""
    return ".".join(str(p) if _NAME.fullmatch(str(p)) else "…" for p in loc)


async def validation_error(_: Request, exc: Exception) -> JSONResponse:
    """422 naming each field at fault and what is wrong with it; the values sent are not repeated."""
    errors = exc.errors() if isinstance(exc, RequestValidationError) else []
    fields = [{"field": _where(e.get("loc", ())), "message": str(e.get("msg", ""))[:300]} for e in errors[:20]]
    return SafeJSONResponse({"error": "invalid request", "fields": fields}, status_code=422)
