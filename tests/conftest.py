"""Test wiring: a fresh schema per run (SQLite file or a new PostgreSQL database), cleaned tables
per test, and a flushed Redis database when REDIS_URL points at a real server.

The suite runs unchanged on the embedded default and on the real stack; CI runs it twice.
"""

from __future__ import annotations

import logging
import os
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import fakeredis
import pytest
from sqlalchemy import Engine, delete
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

import engine.accounts.service
import engine.models  # noqa: F401 - registers every table
import engine.seed
from bookline.migrate import upgrade
from engine.db import Base, make_engine, make_session_factory
from infra.logs import CHATTY_SDK_LOGGERS
from infra.runtime import Runtime
from tests.settings import sandbox_settings

#: A fixed "now" for engine tests: Tue 1 Dec 2026, 12:00 in Asia/Kolkata.
NOW = datetime(2026, 12, 1, 6, 30, tzinfo=UTC)


def _postgres_database(base_url: str) -> Iterator[str]:
    """Create a uniquely named database next to ``base_url``'s and drop it afterwards."""
    import psycopg

    url = make_url(base_url)
    name = f"bookline_test_{uuid.uuid4().hex[:10]}"
    admin = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated, empty database for this test run."""
    base = os.environ.get("DATABASE_URL", "")
    if base.startswith("postgresql"):
        for url in _postgres_database(base):
            upgrade(url)
            yield url
        return
    path: Path = tmp_path_factory.mktemp("db") / "bookline.db"
    url = f"sqlite:///{path}"
    upgrade(url)
    yield url


@pytest.fixture(scope="session")
def db_engine(database_url: str) -> Iterator[Engine]:
    """The engine for the test database."""
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def is_postgres(db_engine: Engine) -> bool:
    """True when the suite runs against PostgreSQL."""
    return db_engine.dialect.name == "postgresql"


@pytest.fixture
def sessions(db_engine: Engine) -> Iterator[sessionmaker[Session]]:
    """A session factory; every table is emptied after the test."""
    yield make_session_factory(db_engine)
    _empty_tables(db_engine)


def _empty_tables(db_engine: Engine, attempts: int = 5) -> None:
    """Delete every row, trying again if a worker still finishing the test's last job (a
    repeated webhook, say) deadlocks with the deletes: PostgreSQL then aborts one side."""
    for attempt in range(attempts):
        try:
            with db_engine.begin() as connection:
                for table in reversed(Base.metadata.sorted_tables):
                    connection.execute(delete(table))
            return
        except OperationalError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.2)


@pytest.fixture
def session(sessions: sessionmaker[Session]) -> Iterator[Session]:
    """One session for a test; tests commit when they need other sessions to see data."""
    with sessions() as session:
        yield session


_hash_once = cache(engine.accounts.service.hash_password)


@pytest.fixture(autouse=True)
def hash_each_password_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Real argon2 hashes, but each distinct password hashed once per run: argon2 is slow by
    design, and the demo owner is seeded again for nearly every test."""
    monkeypatch.setattr(engine.accounts.service, "hash_password", _hash_once)
    monkeypatch.setattr(engine.seed, "hash_password", _hash_once)


@pytest.fixture(autouse=True)
def logging_as_found() -> Iterator[None]:
    """The process's logging put back as the test found it.

    A test that runs a command in-process (``bookline.cli.main``) or configures logging itself
    replaces the root logger's handlers with one on the stderr of that moment (the test's
    captured stream, closed when the test ends) and lowers the root to INFO: every later log
    line, from any thread, would then fail with "I/O operation on closed file".
    """
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    sdk_levels = {name: logging.getLogger(name).level for name in CHATTY_SDK_LOGGERS}
    yield
    for handler in root.handlers:
        if handler not in handlers:
            handler.close()
    root.handlers[:] = handlers
    root.setLevel(level)
    for name, sdk_level in sdk_levels.items():
        logging.getLogger(name).setLevel(sdk_level)


@pytest.fixture
def queued_runtime(database_url: str) -> Iterator[Runtime]:
    """A runtime whose jobs wait in an in-memory Redis queue (nothing handles them)."""
    settings = sandbox_settings(database_url, "redis://unused")
    runtime = Runtime(settings)
    runtime.__dict__["redis"] = fakeredis.FakeRedis(server=fakeredis.FakeServer())
    yield runtime
    runtime.close()
