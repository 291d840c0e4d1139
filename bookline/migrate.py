"""Applying the alembic migrations that ship inside the ``engine`` package."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, inspect


def alembic_config(database_url: str) -> Config:
    """An alembic Config for ``database_url`` without needing an alembic.ini on disk."""
    config = Config()
    config.set_main_option("script_location", "engine:migrations")
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str) -> None:
    """Bring the schema at ``database_url`` up to the latest revision."""
    command.upgrade(alembic_config(database_url), "head")


def has_schema(engine: Engine) -> bool:
    """True when the database has been migrated (alembic's version table is there)."""
    return inspect(engine).has_table("alembic_version")
