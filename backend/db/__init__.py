"""Persistence: the SQLAlchemy models, the engine and Alembic migrations."""
