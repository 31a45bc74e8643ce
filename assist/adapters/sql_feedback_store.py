"""Feedback and audit store (SQLAlchemy): SQLite by default, any SQLAlchemy URL (PostgreSQL) works too.

Everything written here has already been masked (assist.core.pii) by the service. A database that is down, locked
or read-only comes out as StoreUnavailable (the staff service queues the write, assist.staff.audit); a locked SQLite
file is waited for at most ``timeout_s``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from sqlalchemy import (
    Column,
    DateTime,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    func,
    insert,
    inspect,
    select,
    update,
)
from sqlalchemy.engine import Engine

from assist.adapters.sql_database import SqlDatabase
from assist.errors import StoreUnavailable

R = TypeVar("R")

_meta = MetaData()

shown = Table(
    "suggestion_shown", _meta,
    Column("id", String(40), primary_key=True),
    Column("session_id", String(64), index=True, nullable=False),
    Column("turn_index", Integer, nullable=False),
    Column("script_id", String(128), index=True, nullable=False),
    Column("situation", String(32), index=True, nullable=False),   # risk category at that moment
    Column("text", Text, nullable=False),
    Column("risk_level", String(8), nullable=False),
    Column("risk_score", Float, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

feedback = Table(
    "suggestion_feedback", _meta,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("suggestion_id", String(40), index=True, nullable=False),
    Column("action", String(12), nullable=False),                   # used | edited | rejected
    Column("edited_text", Text),
    Column("agent_id", String(130)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("undone_at", DateTime(timezone=True)),                   # an admin undid this vote (kept, not counted)
    Column("undone_by", String(130)),
)

tags = Table(
    "case_tag", _meta,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("session_id", String(64), index=True, nullable=False),
    Column("tag", String(32), nullable=False),
    Column("value", Integer, nullable=False),                       # 1 set, 0 cleared
    Column("agent_id", String(64)),
    Column("created_at", DateTime(timezone=True), nullable=False),
)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _utc(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)      # SQLite hands back naive UTC times


def _add_undo_columns(engine: Engine) -> None:
    """A database made before votes could be undone gets the two columns (nothing else changes)."""
    have = {c["name"] for c in inspect(engine).get_columns("suggestion_feedback")}
    with engine.begin() as c:
        for name, kind in (("undone_at", "TIMESTAMP"), ("undone_by", "VARCHAR(130)")):
            if name not in have:
                c.exec_driver_sql(f"ALTER TABLE suggestion_feedback ADD COLUMN {name} {kind}")


class SqlFeedbackStore:
    """On the shared engine helper (assist.adapters.sql_database: WAL and one writer at a time on SQLite, outages as
    StoreUnavailable naming agent.feedback_url)."""

    def __init__(self, url: str, timeout_s: float = 5.0) -> None:
        """``timeout_s``: how long to wait for a locked SQLite file or a PostgreSQL connection. The tables are made
        on first use, so a database that is down at start-up does not stop the server."""
        self.db = SqlDatabase(url, timeout_s=timeout_s, setting="agent.feedback_url", name="feedback store")
        self.engine: Engine = self.db.engine
        try:
            self.db.ensure(_meta, _add_undo_columns)
        except StoreUnavailable:
            pass

    def _do(self, what: str, fn: Callable[[], R]) -> R:
        return self.db.do(_meta, what, fn, _add_undo_columns)

    def record_shown(self, rows: Sequence[dict[str, Any]]) -> None:
        if not rows:
            return
        def go() -> None:
            now = _now()
            with self.db.writing() as c:
                c.execute(insert(shown), [{**row, "created_at": now} for row in rows])
        self._do("record the suggestions shown", go)

    def shown_row(self, suggestion_id: str) -> dict[str, Any] | None:
        def go() -> dict[str, Any] | None:
            with self.engine.connect() as c:
                r = c.execute(select(shown).where(shown.c.id == suggestion_id)).mappings().first()
                return dict(r) if r else None
        return self._do("read a suggestion", go)

    def record_feedback(self, suggestion_id: str, action: str, edited_text: str | None, agent_id: str | None) -> None:
        """One vote per staff member per suggestion: a second vote replaces the first (an anonymous row, from
        before sign-in, is always added)."""
        def go() -> None:
            with self.db.writing() as c:
                if agent_id is not None:
                    done = c.execute(update(feedback).where(
                        feedback.c.suggestion_id == suggestion_id, feedback.c.agent_id == agent_id,
                        feedback.c.undone_at.is_(None)).values(action=action, edited_text=edited_text,
                                                               created_at=_now())).rowcount
                    if done:
                        return
                c.execute(insert(feedback).values(suggestion_id=suggestion_id, action=action, edited_text=edited_text,
                                                  agent_id=agent_id, created_at=_now()))
        self._do("record feedback", go)

    def vote_rows(self) -> list[tuple[str, str, str, str, str]]:
        """(script id, situation, staff member, UTC day, action) of every vote not undone."""
        q = (select(shown.c.script_id, shown.c.situation, feedback.c.agent_id, feedback.c.created_at, feedback.c.action)
             .join(feedback, feedback.c.suggestion_id == shown.c.id).where(feedback.c.undone_at.is_(None)))

        def go() -> list[tuple[str, str, str, str, str]]:
            with self.engine.connect() as c:
                return [(str(r[0]), str(r[1]), str(r[2] or ""), _utc(r[3]).strftime("%Y-%m-%d"), str(r[4]))
                        for r in c.execute(q)]
        return self._do("read votes", go)

    def votes(self, *, script_id: str | None = None, agent_id: str | None = None,
              limit: int = 200) -> list[dict[str, Any]]:
        """Votes, newest first, with the suggestion they were about (for admins)."""
        q = (select(feedback.c.id, feedback.c.suggestion_id, shown.c.script_id, shown.c.situation, feedback.c.action,
                    feedback.c.agent_id, feedback.c.created_at, feedback.c.undone_at, feedback.c.undone_by)
             .join(shown, feedback.c.suggestion_id == shown.c.id).order_by(feedback.c.id.desc()).limit(limit))
        if script_id:
            q = q.where(shown.c.script_id == script_id)
        if agent_id:
            q = q.where(feedback.c.agent_id == agent_id)

        def go() -> list[dict[str, Any]]:
            with self.engine.connect() as c:
                return [{"vote_id": r.id, "suggestion_id": r.suggestion_id, "script_id": r.script_id,
                         "situation": r.situation, "action": r.action, "agent_id": r.agent_id,
                         "at": _utc(r.created_at).isoformat(),
                         "undone_at": _utc(r.undone_at).isoformat() if r.undone_at else None,
                         "undone_by": r.undone_by} for r in c.execute(q)]
        return self._do("read votes", go)

    def undo_vote(self, vote_id: int, by: str) -> bool:
        """Mark a vote undone (it stays in the table, no longer counted); False when unknown or already undone."""
        def go() -> bool:
            with self.db.writing() as c:
                return bool(c.execute(update(feedback).where(feedback.c.id == vote_id, feedback.c.undone_at.is_(None))
                                      .values(undone_at=_now(), undone_by=by)).rowcount)
        return self._do("undo a vote", go)

    def record_tag(self, session_id: str, tag: str, value: bool, agent_id: str | None) -> None:
        def go() -> None:
            with self.db.writing() as c:
                c.execute(insert(tags).values(session_id=session_id, tag=tag, value=int(value), agent_id=agent_id,
                                              created_at=_now()))
        self._do("record a tag", go)

    def tag_state(self, session_id: str, tag: str) -> bool:
        def go() -> bool:
            with self.engine.connect() as c:
                r = c.execute(select(tags.c.value).where(tags.c.session_id == session_id, tags.c.tag == tag)
                              .order_by(tags.c.id.desc()).limit(1)).first()
                return bool(r[0]) if r else False
        return self._do("read a tag", go)

    def knows_session(self, session_id: str) -> bool:
        """Whether a call with this id was ever served here (a suggestion shown or a tag set), live or ended."""
        def go() -> bool:
            with self.engine.connect() as c:
                return (c.execute(select(shown.c.id).where(shown.c.session_id == session_id).limit(1)).first()
                        is not None or c.execute(select(tags.c.id).where(tags.c.session_id == session_id)
                                                 .limit(1)).first() is not None)
        return self._do("look up a call", go)

    def feedback_counts(self) -> dict[tuple[str, str], dict[str, int]]:
        """(script id, situation) -> counts of used / edited / rejected."""
        q = (select(shown.c.script_id, shown.c.situation, feedback.c.action, func.count())
             .join(feedback, feedback.c.suggestion_id == shown.c.id)
             .group_by(shown.c.script_id, shown.c.situation, feedback.c.action))

        def go() -> dict[tuple[str, str], dict[str, int]]:
            out: dict[tuple[str, str], dict[str, int]] = {}
            with self.engine.connect() as c:
                for row in c.execute(q):
                    script_id, situation, action, n = str(row[0]), str(row[1]), str(row[2]), int(row[3])
                    out.setdefault((script_id, situation), {})[action] = n
            return out
        return self._do("count feedback", go)

    def ping(self) -> None:
        """Reach the database and read one of its tables (a locked file fails here, not only at the next write)."""
        def go() -> None:
            with self.engine.connect() as c:
                c.execute(select(shown.c.id).limit(1)).first()
        self._do("be reached", go)
