"""Admin routes (role admin): accounts, service accounts' keys; later sections add the audit trail and feedback
moderation. Every change is written to the audit trail. A key is shown once, when made or rotated."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from assist.auth.accounts import Accounts
from assist.auth.audit import AuditTrail
from assist.auth.types import Identity
from assist.edges.http.auth import need
from assist.errors import AssistError
from assist.staff.assist import StaffAssist


@dataclass(frozen=True)
class AdminServices:
    accounts: Accounts
    audit: AuditTrail
    staff: StaffAssist | None = None              # feedback moderation


class UserIn(BaseModel):
    name: str = Field(max_length=64)
    password: str = Field(max_length=256)
    roles: list[str] = Field(max_length=4)


class RolesIn(BaseModel):
    roles: list[str] = Field(max_length=4)


class DisabledIn(BaseModel):
    disabled: bool


class KeyIn(BaseModel):
    name: str = Field(max_length=64, description="the service account, e.g. call-platform")
    scopes: list[str] = Field(max_length=2, description="calls and/or review")


def router(s: AdminServices, audit: Any = None) -> APIRouter:
    r = APIRouter(prefix="/v1/admin", tags=["admin"], responses={401: {"description": "not signed in"},
                                                                  403: {"description": "admins only"}})
    admin = Depends(need("admin"))

    def record(ident: Identity, action: str, target: str, **detail: Any) -> None:
        if audit is not None:
            audit(ident, action, target, detail)

    @r.get("/users")
    def users(ident: Identity = admin) -> list[dict[str, Any]]:
        return [{**u, "created_at": str(u["created_at"]), "updated_at": str(u["updated_at"])}
                for u in s.accounts.users()]

    @r.post("/users", status_code=201)
    def add_user(body: UserIn, ident: Identity = admin) -> dict[str, str]:
        s.accounts.create_user(body.name, body.password, body.roles)
        record(ident, "account.create", body.name, roles=sorted(body.roles))
        return {"status": "created"}

    @r.post("/users/{name}/roles")
    def set_roles(name: str, body: RolesIn, ident: Identity = admin) -> dict[str, str]:
        s.accounts.set_roles(name, body.roles)
        record(ident, "account.roles", name, roles=sorted(body.roles))
        return {"status": "changed"}

    @r.post("/users/{name}/disabled")
    def set_disabled(name: str, body: DisabledIn, ident: Identity = admin) -> dict[str, str]:
        s.accounts.set_disabled(name, body.disabled)
        record(ident, "account.disable" if body.disabled else "account.enable", name)
        return {"status": "changed"}

    @r.get("/keys")
    def keys(ident: Identity = admin) -> list[dict[str, Any]]:
        return [{**k, "created_at": str(k["created_at"]), "revoked_at": str(k["revoked_at"] or "") or None}
                for k in s.accounts.keys()]

    @r.post("/keys", status_code=201)
    def add_key(body: KeyIn, ident: Identity = admin) -> dict[str, str]:
        key_id, key = s.accounts.create_key(body.name, body.scopes)
        record(ident, "key.create", key_id, name=body.name, scopes=sorted(body.scopes))
        return {"key_id": key_id, "key": key, "note": "shown once: store it in the call platform's secrets"}

    @r.post("/keys/{key_id}/rotate")
    def rotate(key_id: str, ident: Identity = admin) -> dict[str, str]:
        new_id, key = s.accounts.rotate_key(key_id)
        record(ident, "key.rotate", key_id, new_key_id=new_id)
        return {"key_id": new_id, "key": key, "revoked": key_id}

    @r.post("/keys/{key_id}/revoke")
    def revoke(key_id: str, ident: Identity = admin) -> dict[str, str]:
        s.accounts.revoke_key(key_id)
        record(ident, "key.revoke", key_id)
        return {"status": "revoked"}

    @r.get("/feedback")
    def votes(ident: Identity = admin, script_id: str | None = Query(None, max_length=128),
              agent_id: str | None = Query(None, max_length=130),
              limit: int = Query(200, ge=1, le=5000)) -> list[dict[str, Any]]:
        """Staff votes on suggestions (used / edited / rejected), newest first, with undone ones marked."""
        if s.staff is None:
            raise AssistError("feedback moderation is not available here", field="staff")
        return s.staff.votes(script_id=script_id, agent_id=agent_id, limit=limit)

    @r.post("/feedback/{vote_id}/undo")
    def undo_vote(vote_id: int, ident: Identity = admin) -> dict[str, str]:
        """Undo one vote: it stays on record, marked, and no longer moves the ranking."""
        if s.staff is None:
            raise AssistError("feedback moderation is not available here", field="staff")
        if not s.staff.undo_vote(vote_id, ident.actor):
            raise AssistError("no such vote, or already undone", field="vote_id")
        record(ident, "feedback.undo", str(vote_id))
        return {"status": "undone"}

    @r.get("/audit")
    def audit_events(ident: Identity = admin, actor: str | None = Query(None, max_length=130),
                     action: str | None = Query(None, max_length=48, description="a prefix: call. = every call event"),
                     target: str | None = Query(None, max_length=200), since: dt.datetime | None = None,
                     until: dt.datetime | None = None, limit: int = Query(200, ge=1, le=5000)) -> list[dict[str, Any]]:
        """The audit trail, newest first (reading it is itself recorded)."""
        rows = s.audit.query(actor=actor, action=action, target=target, since=since, until=until, limit=limit)
        record(ident, "audit.read", action or "", actor=actor, about=target)
        return rows

    return r
