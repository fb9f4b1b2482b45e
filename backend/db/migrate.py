"""Run Alembic from code: `python -m backend migrate`, the tests and the container all come through here."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

ALEMBIC_INI = Path(__file__).resolve().parents[2] / "alembic.ini"


def alembic_config(url: str | None = None, schema: str | None = None) -> Config:
    config = Config(str(ALEMBIC_INI))
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    if url is not None:
        config.attributes["url"] = url
        config.attributes["schema"] = schema
    return config


def upgrade(url: str | None = None, schema: str | None = None) -> None:
    command.upgrade(alembic_config(url, schema), "head")


def check(url: str | None = None, schema: str | None = None) -> None:
    """Raise if the models have drifted from what the migrations build."""
    command.check(alembic_config(url, schema))
