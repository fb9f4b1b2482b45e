"""Who is asking, and what may they do: log-in (OIDC and demo), sessions, roles and scopes."""
