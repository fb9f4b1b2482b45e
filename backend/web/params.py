"""One type for every integer id the API takes, so a value the database cannot hold is a 400, never a 500.

Ids are PostgreSQL `integer` columns (and SQLite's 64-bit integers): 2147483648 sent as
`/api/users/2147483648` reached asyncpg and answered 500. Bounding the value at the edge also puts
the range into the OpenAPI schema, so clients and the schema fuzzing know it.
"""

from __future__ import annotations

from typing import Annotated, TypeAlias

import msgspec
from litestar.params import PathParameter, QueryParameter

MAX_ID = 2**31 - 1
"""The largest PostgreSQL `integer`: every id column in Felt is one."""

PathId: TypeAlias = Annotated[int, PathParameter(ge=1, le=MAX_ID)]
"""An id in the path (`/api/users/{user_id:int}`)."""
QueryId: TypeAlias = Annotated[int, QueryParameter(ge=1, le=MAX_ID)]
"""An id in the query string."""
OptionalQueryId: TypeAlias = Annotated[int | None, QueryParameter(ge=1, le=MAX_ID)]
"""An id in the query string that may be left out (`QueryId | None` would lose the bounds)."""
BodyId: TypeAlias = Annotated[int, msgspec.Meta(ge=1, le=MAX_ID)]
"""An id in a JSON body."""
