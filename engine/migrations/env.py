"""Alembic environment: runs migrations on the URL set by ``bookline.migrate``."""

from alembic import context

import engine.models  # noqa: F401 - registers every table on Base.metadata
from engine.db import Base, make_engine

config = context.config


def run_migrations_online() -> None:
    """Run migrations in a transaction; batch mode lets SQLite alter tables."""
    url = config.get_main_option("sqlalchemy.url")
    if url is None:
        raise RuntimeError("sqlalchemy.url must be set (use bookline.migrate)")
    connectable = make_engine(url)
    with connectable.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    connectable.dispose()


run_migrations_online()
