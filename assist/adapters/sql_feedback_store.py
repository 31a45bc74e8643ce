"""Feedback and audit store (SQLAlchemy): SQLite by default, any SQLAlchemy URL (PostgreSQL) works too.

Everything written here has already been masked (assist.core.pii) by the service."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    Column,
    DateTime,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    func,
    insert,
    select,
)
from sqlalchemy.engine import Engine

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
    Column("agent_id", String(64)),
    Column("created_at", DateTime(timezone=True), nullable=False),
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


class SqlFeedbackStore:
    def __init__(self, url: str) -> None:
        self.engine: Engine = create_engine(url, future=True)
        _meta.create_all(self.engine)

    def record_shown(self, row: dict[str, Any]) -> None:
        with self.engine.begin() as c:
            c.execute(insert(shown).values(**row, created_at=_now()))

    def shown_row(self, suggestion_id: str) -> dict[str, Any] | None:
        with self.engine.connect() as c:
            r = c.execute(select(shown).where(shown.c.id == suggestion_id)).mappings().first()
            return dict(r) if r else None

    def record_feedback(self, suggestion_id: str, action: str, edited_text: str | None, agent_id: str | None) -> None:
        with self.engine.begin() as c:
            c.execute(insert(feedback).values(suggestion_id=suggestion_id, action=action, edited_text=edited_text,
                                              agent_id=agent_id, created_at=_now()))

    def record_tag(self, session_id: str, tag: str, value: bool, agent_id: str | None) -> None:
        with self.engine.begin() as c:
            c.execute(insert(tags).values(session_id=session_id, tag=tag, value=int(value), agent_id=agent_id,
                                          created_at=_now()))

    def tag_state(self, session_id: str, tag: str) -> bool:
        with self.engine.connect() as c:
            r = c.execute(select(tags.c.value).where(tags.c.session_id == session_id, tags.c.tag == tag)
                          .order_by(tags.c.id.desc()).limit(1)).first()
            return bool(r[0]) if r else False

    def feedback_counts(self) -> dict[tuple[str, str], dict[str, int]]:
        """(script id, situation) -> counts of used / edited / rejected."""
        q = (select(shown.c.script_id, shown.c.situation, feedback.c.action, func.count())
             .join(feedback, feedback.c.suggestion_id == shown.c.id)
             .group_by(shown.c.script_id, shown.c.situation, feedback.c.action))
        out: dict[tuple[str, str], dict[str, int]] = {}
        with self.engine.connect() as c:
            for row in c.execute(q):
                script_id, situation, action, n = str(row[0]), str(row[1]), str(row[2]), int(row[3])
                out.setdefault((script_id, situation), {})[action] = n
        return out
