"""Pooled PostgreSQL connections are pinged before use only after sitting idle (``make_engine``).

A connection used moments ago goes straight to work (no round trip for a ping); one that sat
idle is pinged, and a dead one is replaced before the unit of work sees it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from sqlalchemy import Engine, text

import engine.db
from engine.db import make_engine

PID = text("SELECT pg_backend_pid()")


@pytest.fixture
def pg_engine(database_url: str, is_postgres: bool) -> Iterator[Engine]:
    if not is_postgres:
        pytest.skip("pings are for PostgreSQL connections (SQLite has no server to lose)")
    pool = make_engine(database_url, pool_size=1, max_overflow=0)
    yield pool
    pool.dispose()


def count_pings(pool: Engine) -> list[int]:
    """A spy on the dialect's ping: it still pings, and each call is noted."""
    pings: list[int] = []
    ping = pool.dialect.do_ping

    def counted(dbapi_connection: Any) -> bool:
        pings.append(1)
        return ping(dbapi_connection)

    pool.dialect.do_ping = counted  # type: ignore[method-assign]
    return pings


def test_a_connection_used_moments_ago_is_not_pinged(pg_engine: Engine) -> None:
    pings = count_pings(pg_engine)
    pids = []
    for _ in range(5):
        with pg_engine.connect() as conn:
            pids.append(conn.scalar(PID))
    assert pings == [] and len(set(pids)) == 1


def test_an_idle_connection_that_died_is_replaced_before_use(
    pg_engine: Engine, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pg_engine.connect() as conn:
        dead = conn.scalar(PID)
    admin = database_url.replace("postgresql+psycopg", "postgresql")
    with psycopg.connect(admin, autocommit=True) as killer:
        killer.execute("SELECT pg_terminate_backend(%s)", [dead])
    pings = count_pings(pg_engine)
    monkeypatch.setattr(engine.db, "PING_AFTER_IDLE_SECONDS", 0.0)  # "idle long enough" now

    with pg_engine.connect() as conn:
        alive = conn.scalar(PID)

    assert pings and alive != dead


@pytest.mark.parametrize(("query", "seconds"), [("", "5"), ("?connect_timeout=9", "9")])
def test_connections_give_up_on_an_unreachable_server_after_a_timeout(
    database_url: str, is_postgres: bool, query: str, seconds: str
) -> None:
    """Without one, libpq waits out TCP's retries (minutes) before a request can answer 503;
    a timeout the URL names wins."""
    if not is_postgres:
        pytest.skip("SQLite opens a file, not a connection")
    pool = make_engine(database_url.split("?")[0] + query)
    with pool.connect() as connection:
        parameters = connection.connection.dbapi_connection.info.get_parameters()  # type: ignore[union-attr]
    pool.dispose()
    assert parameters["connect_timeout"] == seconds
