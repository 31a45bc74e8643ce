"""Roles, key scopes and the signed-in identity."""

from __future__ import annotations

from dataclasses import dataclass, field

ROLES = ("agent", "trainer", "reviewer", "admin")
"""agent: call assistance and practice; trainer: evaluation, datasets, practice records; reviewer: document review;
admin: everything, plus accounts, keys, the audit trail and feedback moderation."""

SCOPES = {"calls": "agent", "review": "reviewer"}
"""What an API key may be scoped to, and the role each scope gives: ``calls`` for the call platform (sessions, turns,
verification, feedback, tags), ``review`` for a document-intake system (document review). Keys never get admin."""

ROLE_ZH = {"agent": "坐席", "trainer": "培训师", "reviewer": "材料评审员", "admin": "管理员"}


@dataclass(frozen=True)
class Identity:
    """A signed-in caller: a person (built-in account or single sign-on) or a service account's API key."""

    name: str                                   # the account name, "oidc:<issuer sub>" or "key:<key id>"
    roles: frozenset[str]
    kind: str = "user"                          # user | oidc | key
    display: str = ""                           # what the UI shows (the key's name, the SSO user's name)
    on_behalf_of: str | None = None             # the staff member a call platform acts for (keys with scope calls)
    extra: dict[str, str] = field(default_factory=dict, compare=False)

    def allows(self, *roles: str) -> bool:
        """True when the caller has one of ``roles`` (admin has every role)."""
        return "admin" in self.roles or bool(self.roles & set(roles))

    @property
    def actor(self) -> str:
        """Who did it, as feedback, tags and the audit trail record it: the account, or the key and the staff
        member it acted for."""
        return f"{self.name}/{self.on_behalf_of}" if self.on_behalf_of else self.name
