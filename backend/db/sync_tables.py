"""The sync engine's tables, on Felt's metadata so that one Alembic history covers everything."""

from backend.db.base import Base
from sync.tables import define_tables

SYNC = define_tables(Base.metadata, users="app_user", municipalities="municipality", units="org_unit")
