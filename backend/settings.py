"""Settings read once from the environment; one field per variable, with its default."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    """FELT_DATA_DIR: the embedded database, uploaded files and the secret key (default var/)."""
    database_url: str
    """FELT_DATABASE_URL: an SQLAlchemy async URL; default SQLite in the data dir."""
    database_schema: str | None = None
    """FELT_DATABASE_SCHEMA: on PostgreSQL, keep Felt's tables in this schema (default: the user's)."""
    port: int = 8000
    """PORT: where `python -m backend serve` listens."""
    host: str = "127.0.0.1"
    """HOST: the interface to listen on (0.0.0.0 in the container)."""
    demo_login: bool = False
    """FELT_DEMO_LOGIN: allow picking a demo user without an identity provider. Never in production."""
    cookie_secure: bool = True
    """FELT_COOKIE_SECURE: session cookies only over HTTPS (browsers treat 127.0.0.1 as secure)."""
    secret_key: str = field(default="", repr=False)
    """FELT_SECRET_KEY: signs the CSRF token; generated once into the data dir when unset."""
    pwa_dist: Path = REPO_ROOT / "pwa" / "dist"
    """FELT_PWA_DIST: the built front end served at /."""
    session_hours: int = 12
    """FELT_SESSION_HOURS: how long a log-in lasts without use."""
    inline_worker: bool = True
    """FELT_INLINE_WORKER: run background jobs inside the app process (off when only separate workers should)."""
    public_url: str = ""
    """FELT_PUBLIC_URL: the address users reach Felt at, for OIDC redirects (default: from the request)."""
    oidc_http_loopback: bool = False
    """FELT_OIDC_HTTP_LOOPBACK: allow an identity provider at http://127.0.0.1 or localhost (tests only);
    otherwise every issuer must be https."""
    trusted_proxies: tuple[str, ...] = ()
    """FELT_TRUSTED_PROXIES: comma-separated addresses or CIDR ranges of the reverse proxies whose
    X-Forwarded-Proto and X-Forwarded-For are believed (TLS for HSTS, the client's address for rate
    limits). Default: none, so nobody can claim another scheme or address."""
    smtp_host: str = ""
    """FELT_SMTP_HOST: the mail server Felt sends e-mail through (one-time sign-in codes, invitations).
    Unset: mail is written as .eml files into <data dir>/mailbox/ instead (demo and development)."""
    smtp_port: int = 587
    """FELT_SMTP_PORT: the mail server's port (587 with STARTTLS, 465 with implicit TLS, 25 plain)."""
    smtp_from: str = "felt@localhost"
    """FELT_SMTP_FROM: the sender address of Felt's e-mail."""
    smtp_tls: bool = True
    """FELT_SMTP_TLS: STARTTLS (port 587) or implicit TLS (port 465) to the mail server; off only for a
    server on the same host or in tests."""
    smtp_user: str = ""
    """FELT_SMTP_USER: the user name for the mail server, when it asks for one."""
    smtp_password: str = field(default="", repr=False)
    """FELT_SMTP_PASSWORD: the password for FELT_SMTP_USER."""

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def _secret_key(data_dir: Path) -> str:
    if key := os.environ.get("FELT_SECRET_KEY"):
        return key
    path = data_dir / "secret_key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def load_settings() -> Settings:
    data_dir = Path(os.environ.get("FELT_DATA_DIR", REPO_ROOT / "var")).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    database_url = os.environ.get("FELT_DATABASE_URL") or f"sqlite+aiosqlite:///{data_dir / 'felt.sqlite3'}"
    if database_url.startswith("postgresql://") or database_url.startswith("postgres://"):
        # Accept the plain form operators copy from their PostgreSQL docs.
        database_url = "postgresql+asyncpg://" + database_url.split("://", 1)[1]
    return Settings(
        data_dir=data_dir,
        database_url=database_url,
        database_schema=os.environ.get("FELT_DATABASE_SCHEMA") or None,
        port=int(os.environ.get("PORT", "8000")),
        host=os.environ.get("HOST", "127.0.0.1"),
        demo_login=_flag("FELT_DEMO_LOGIN"),
        cookie_secure=_flag("FELT_COOKIE_SECURE", True),
        secret_key=_secret_key(data_dir),
        pwa_dist=Path(os.environ.get("FELT_PWA_DIST", REPO_ROOT / "pwa" / "dist")),
        session_hours=int(os.environ.get("FELT_SESSION_HOURS", "12")),
        public_url=os.environ.get("FELT_PUBLIC_URL", "").rstrip("/"),
        inline_worker=_flag("FELT_INLINE_WORKER", True),
        oidc_http_loopback=_flag("FELT_OIDC_HTTP_LOOPBACK"),
        smtp_host=os.environ.get("FELT_SMTP_HOST", "").strip(),
        smtp_port=int(os.environ.get("FELT_SMTP_PORT", "587")),
        smtp_from=os.environ.get("FELT_SMTP_FROM", "felt@localhost").strip(),
        smtp_tls=_flag("FELT_SMTP_TLS", True),
        smtp_user=os.environ.get("FELT_SMTP_USER", ""),
        smtp_password=os.environ.get("FELT_SMTP_PASSWORD", ""),
        trusted_proxies=tuple(
            h.strip() for h in os.environ.get("FELT_TRUSTED_PROXIES", "").split(",") if h.strip()
        ),
    )
