"""Who is calling and what they may do: built-in accounts (scrypt password hashes), API keys for service accounts
(hashed at rest, rotatable, scoped), sign-in by the institution's OpenID Connect provider (assist.adapters.oidc), the
signed session cookie, and the role each capability needs. Enforced at the edges (assist.edges)."""
