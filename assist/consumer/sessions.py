"""Consumer chat sessions: masked history only, bounded, expiring after idle time. An unknown or expired id starts a
new session (a consumer is never shown an error for coming back late). The sessions live in a SessionStore (in
process by default, bounded: when full the longest idle chat is dropped). Safe to share between request threads:
the answer is computed outside any lock, and the turn is appended to the history while the session is held, so two
messages of one session answered at the same time both stay in its history."""

from __future__ import annotations

import secrets

from assist.consumer.chat import Answer, ConsumerChat
from assist.core.pii import mask_for_storage
from assist.core.text import clean_text
from assist.ports import SessionStore

MAX_TURNS = 6                # earlier messages kept per session (each with the answer to it)
KEPT_ANSWER_CHARS = 400      # how much of an answer is kept as context

History = list[dict[str, str]]


class ConsumerSessions:
    def __init__(self, chat: ConsumerChat, store: SessionStore[History]) -> None:
        self.chat = chat
        self._sessions = store

    def history(self, session_id: str) -> History:
        return list(self._sessions.get(session_id) or [])

    def respond(self, session_id: str | None, message: str) -> tuple[str, Answer]:
        """Answer within a session; returns the (possibly new) session id and the answer. Nothing unmasked is kept."""
        message = clean_text(message or "")
        history = self._sessions.get(session_id) if session_id else None
        if session_id is None or history is None:
            session_id, history = secrets.token_urlsafe(16), []
        answer = self.chat.respond(message, list(history))
        turn = [{"role": "user", "text": mask_for_storage(message)[:self.chat.max_message_chars]},
                {"role": "assistant", "text": answer.text[:KEPT_ANSWER_CHARS]}]
        with self._sessions.hold(session_id) as current:
            if current is not None:
                current[:] = (current + turn)[-2 * MAX_TURNS:]
                return session_id, answer
        self._sessions.put(session_id, turn)
        return session_id, answer
