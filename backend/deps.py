"""Names of the values Litestar injects into handlers, marked explicitly as dependencies."""

from __future__ import annotations

from typing import TypeAlias

from litestar.di import NamedDependency
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.roles import Principal
from backend.settings import Settings

DbSession: TypeAlias = NamedDependency[AsyncSession]
"""`db_session`: the request's database session; committed when the response is a success."""
SignedIn: TypeAlias = NamedDependency[Principal]
"""`principal`: the signed-in user; asking for it is what guards a handler (401 otherwise)."""
AppSettings: TypeAlias = NamedDependency[Settings]
"""`settings`: the app's settings."""
