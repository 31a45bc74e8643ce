"""Consumer chat sessions: masked history only, bounded, expiring after idle time. An unknown or expired id starts a
new session (a consumer is never shown an error for coming back late). Safe to share between request threads; when
two messages of one session are answered at the same time, the history keeps the one that finishes last."""

from __future__ import annotations

import secrets
from collections.abc import Callable

from assist.consumer.chat import Answer, ConsumerChat
from assist.core.pii import mask_for_storage
from assist.core.ttl import ExpiringMap

MAX_TURNS = 6                # earlier messages kept per session (each with the answer to it)
KEPT_ANSWER_CHARS = 400      # how much of an answer is kept as context


class ConsumerSessions:
    def __init__(self, chat: ConsumerChat, ttl_s: float, clock: Callable[[], float] | None = None) -> None:
        self.chat = chat
        self._sessions: ExpiringMap[str, list[dict[str, str]]] = (
            ExpiringMap(ttl_s, clock) if clock is not None else ExpiringMap(ttl_s))

    def history(self, session_id: str) -> list[dict[str, str]]:
        return list(self._sessions.get(session_id) or [])

    def respond(self, session_id: str | None, message: str) -> tuple[str, Answer]:
        """Answer within a session; returns the (possibly new) session id and the answer. Nothing unmasked is kept."""
        history = self._sessions.get(session_id) if session_id else None
        if session_id is None or history is None:
            session_id, history = secrets.token_urlsafe(16), []
        answer = self.chat.respond(message, list(history))
        turn = [{"role": "user", "text": mask_for_storage(message or "")[:self.chat.max_message_chars]},
                {"role": "assistant", "text": answer.text[:KEPT_ANSWER_CHARS]}]
        self._sessions.put(session_id, (history + turn)[-2 * MAX_TURNS:])
        return session_id, answer
