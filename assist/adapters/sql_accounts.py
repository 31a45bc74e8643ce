"""Accounts and API keys (password hashes and key digests only, never a password or a key) and the append-only audit
trail, in the shared database (SQLAlchemy)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Boolean, Column, DateTime, Integer, MetaData, String, Table, Text, delete, insert, select, update

from assist.adapters.sql_database import SqlDatabase

_meta = MetaData()

users = Table(
    "account", _meta,
    Column("name", String(64), primary_key=True),
    Column("password_hash", String(200), nullable=False),
    Column("roles", Text, nullable=False),                 # JSON list
    Column("disabled", Boolean, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

keys = Table(
    "api_key", _meta,
    Column("key_id", String(16), primary_key=True),
    Column("name", String(64), index=True, nullable=False),
    Column("secret_hash", String(64), nullable=False),     # SHA-256 of the key's secret part
    Column("scopes", Text, nullable=False),                # JSON list
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _user(r: Any) -> dict[str, Any]:
    return {"name": r.name, "password_hash": r.password_hash, "roles": json.loads(r.roles), "disabled": bool(r.disabled),
            "created_at": r.created_at, "updated_at": r.updated_at}


def _key(r: Any) -> dict[str, Any]:
    return {"key_id": r.key_id, "name": r.name, "secret_hash": r.secret_hash, "scopes": json.loads(r.scopes),
            "created_at": r.created_at, "revoked_at": r.revoked_at}


class SqlAccountStore:
    def __init__(self, db: SqlDatabase) -> None:
        self.db = db

    def get_user(self, name: str) -> dict[str, Any] | None:
        def go() -> dict[str, Any] | None:
            with self.db.engine.connect() as c:
                r = c.execute(select(users).where(users.c.name == name)).first()
                return _user(r) if r else None
        return self.db.do(_meta, "read an account", go)

    def put_user(self, name: str, password_hash: str, roles: list[str], *, disabled: bool) -> None:
        def go() -> None:
            with self.db.writing() as c:
                values = {"password_hash": password_hash, "roles": json.dumps(sorted(roles)), "disabled": disabled,
                          "updated_at": _now()}
                if c.execute(update(users).where(users.c.name == name).values(**values)).rowcount == 0:
                    c.execute(insert(users).values(name=name, created_at=_now(), **values))
        self.db.do(_meta, "write an account", go)

    def users(self) -> list[dict[str, Any]]:
        def go() -> list[dict[str, Any]]:
            with self.db.engine.connect() as c:
                return [_user(r) for r in c.execute(select(users).order_by(users.c.name))]
        return self.db.do(_meta, "list accounts", go)

    def add_key(self, key_id: str, name: str, secret_hash: str, scopes: list[str]) -> None:
        def go() -> None:
            with self.db.writing() as c:
                c.execute(insert(keys).values(key_id=key_id, name=name, secret_hash=secret_hash,
                                              scopes=json.dumps(sorted(scopes)), created_at=_now()))
        self.db.do(_meta, "write a key", go)

    def get_key(self, key_id: str) -> dict[str, Any] | None:
        def go() -> dict[str, Any] | None:
            with self.db.engine.connect() as c:
                r = c.execute(select(keys).where(keys.c.key_id == key_id)).first()
                return _key(r) if r else None
        return self.db.do(_meta, "read a key", go)

    def revoke_key(self, key_id: str) -> None:
        def go() -> None:
            with self.db.writing() as c:
                c.execute(update(keys).where(keys.c.key_id == key_id, keys.c.revoked_at.is_(None))
                          .values(revoked_at=_now()))
        self.db.do(_meta, "revoke a key", go)

    def keys(self) -> list[dict[str, Any]]:
        def go() -> list[dict[str, Any]]:
            with self.db.engine.connect() as c:
                return [_key(r) for r in c.execute(select(keys).order_by(keys.c.name, keys.c.created_at))]
        return self.db.do(_meta, "list keys", go)


audit = Table(
    "audit_event", _meta,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), index=True, nullable=False),
    Column("actor", String(130), index=True, nullable=False),
    Column("roles", String(64), nullable=False),
    Column("action", String(48), index=True, nullable=False),
    Column("target", String(200), index=True, nullable=False),
    Column("detail", Text, nullable=False),                # JSON, masked
)


class SqlAuditStore:
    """The audit trail's table: INSERT, SELECT, and DELETE only of rows past the retention."""

    def __init__(self, db: SqlDatabase) -> None:
        self.db = db

    def append(self, rows: Sequence[dict[str, Any]]) -> None:
        def go() -> None:
            with self.db.writing() as c:
                c.execute(insert(audit), [{**r, "detail": json.dumps(r["detail"], ensure_ascii=False, default=str)}
                                          for r in rows])
        self.db.do(_meta, "write the audit trail", go)

    def query(self, *, actor: str | None, action: str | None, target: str | None, since: Any, until: Any,
              limit: int) -> list[dict[str, Any]]:
        q = select(audit).order_by(audit.c.id.desc()).limit(limit)
        if actor:
            q = q.where(audit.c.actor == actor)
        if action:
            q = q.where(audit.c.action.startswith(action, autoescape=True))
        if target:
            q = q.where(audit.c.target == target)
        if since is not None:
            q = q.where(audit.c.at >= since)
        if until is not None:
            q = q.where(audit.c.at < until)

        def go() -> list[dict[str, Any]]:
            with self.db.engine.connect() as c:
                return [{"id": r.id, "at": _utc(r.at).isoformat(), "actor": r.actor, "roles": r.roles,
                         "action": r.action, "target": r.target, "detail": json.loads(r.detail)} for r in c.execute(q)]
        return self.db.do(_meta, "read the audit trail", go)

    def purge_before(self, cutoff: Any) -> int:
        def go() -> int:
            with self.db.writing() as c:
                return int(c.execute(delete(audit).where(audit.c.at < cutoff)).rowcount or 0)
        return self.db.do(_meta, "purge the audit trail", go)


def _utc(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)      # SQLite hands back naive UTC times
