"""Throw-away PostgreSQL databases for the benchmarks in this folder.

``bench_database(base_url)`` creates ``bookline_bench_<random>`` next to ``base_url``'s database
(which is only used as the admin connection), applies the alembic migrations, yields the new
database's SQLAlchemy URL and drops the database afterwards, even when the benchmark fails.
"""

from __future__ import annotations

import argparse
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from sqlalchemy.engine import make_url

from bookline.migrate import upgrade

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
PREFIX = "bookline_bench_"


def libpq_url(url: str) -> str:
    """``url`` without the SQLAlchemy driver suffix, as raw psycopg accepts it."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@contextmanager
def bench_database(base_url: str) -> Iterator[str]:
    """A fresh, migrated database named ``bookline_bench_<random>``; dropped on exit."""
    parsed = make_url(base_url)
    if not parsed.drivername.startswith("postgresql"):
        raise SystemExit("these benchmarks need a PostgreSQL --database-url")
    name = f"{PREFIX}{uuid.uuid4().hex[:10]}"
    admin = libpq_url(base_url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        url = parsed.set(database=name).render_as_string(hide_password=False)
        upgrade(url)
        yield url
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def add_database_url(parser: argparse.ArgumentParser) -> None:
    """The ``--database-url`` every bench takes: $DATABASE_URL, else the CI database."""
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", DEFAULT_URL),
        help="admin database (default: $DATABASE_URL, else the CI one)",
    )
