"""The process's shared resources: database engine, session factory and Redis connection.

On the embedded default Redis is an in-process fakeredis server (with Lua for rq), so the same
code paths run with no servers to set up.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass, field
from functools import cached_property

import fakeredis
import redis
from rq import Queue
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from bot.dialogue import Dialogue
from bot.machine import ConversationDialogue
from engine.db import make_engine, make_session_factory
from infra.live import watch
from infra.senders.base import PermanentSendError, Sender
from infra.senders.razorpay import RazorpayGateway
from infra.senders.registry import build_gateway, build_senders
from infra.settings import Settings, get_settings

#: rq queues, most urgent first (a worker drains them in this order). "followup" finishes a
#: guest's turn already under way (the payment link a reply promised), so it goes before the
#: next guests' messages; "outbound" is everything else that may wait (retries, notices).
QUEUE_NAMES = ("followup", "inbound", "outbound", "default")


@dataclass(eq=False)
class Runtime:
    """Lazily-built connections for one process, created from Settings (hashed by identity)."""

    settings: Settings
    dialogue: Dialogue = field(default_factory=ConversationDialogue)

    @property
    def inline_jobs(self) -> bool:
        """Jobs run synchronously in-process when there is no Redis server to queue on."""
        return self.settings.redis_url is None

    @cached_property
    def engine(self) -> Engine:
        """The SQLAlchemy engine for DATABASE_URL, its pool sized by the settings."""
        return make_engine(
            self.settings.database_url,
            pool_size=self.settings.database_pool_size,
            max_overflow=self.settings.database_max_overflow,
        )

    @cached_property
    def autocommit(self) -> Engine:
        """The engine in autocommit: a lone statement is durable when it returns, without the
        round trips of BEGIN and COMMIT (for single-statement writes on hot paths).
        """
        return self.engine.execution_options(isolation_level="AUTOCOMMIT")

    @cached_property
    def sessions(self) -> sessionmaker[Session]:
        """Session factory bound to the engine; flushes note the live events they make
        (``infra.live``), which the unit of work publishes once it commits."""
        factory = make_session_factory(self.engine)
        watch(factory)
        return factory

    @cached_property
    def redis(self) -> redis.Redis:
        """Redis at REDIS_URL, or an in-process stand-in when it is unset."""
        if self.settings.redis_url:
            return redis.Redis.from_url(
                self.settings.redis_url, socket_timeout=5, socket_connect_timeout=2
            )
        return fakeredis.FakeRedis(server=fakeredis.FakeServer())

    @cached_property
    def senders(self) -> dict[str, Sender]:
        """The message senders per transport, built once from the settings."""
        return build_senders(self.settings)

    @cached_property
    def gateway(self) -> RazorpayGateway:
        """The payment provider's client (raises PermanentSendError while it is disabled)."""
        return build_gateway(self.settings)

    def build_providers(self) -> None:
        """Build the senders and the payment gateway now rather than on first use.

        A worker does this before it takes jobs, as it loads its models: the first payment
        link would otherwise wait for the gateway (in sandbox mode that imports the fake
        providers' app: 0.3 s of CPU, seconds on a busy machine, while the guests queued
        behind it wait). A disabled gateway is left to fail on use.
        """
        _ = self.senders
        with suppress(PermanentSendError):
            _ = self.gateway

    def queue(self, name: str) -> Queue:
        """The rq queue ``name`` (inline on the embedded default: enqueue runs the job)."""
        return Queue(name, connection=self.redis, is_async=not self.inline_jobs)

    def check_database(self) -> None:
        """Raise if the database cannot answer a trivial query."""
        with self.engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    def check_redis(self) -> None:
        """Raise if Redis does not answer PING."""
        self.redis.ping()

    def close(self) -> None:
        """Release pooled connections (tests and CLI commands call this on exit)."""
        if "engine" in self.__dict__:
            self.engine.dispose()
        if "redis" in self.__dict__:
            self.redis.close()


_current: Runtime | None = None


def set_current(runtime: Runtime | None) -> Runtime | None:
    """Make ``runtime`` the one jobs in this process use (app factory and worker call this).

    Returns the one it replaces, so a caller that builds an app for a while can put it back.
    """
    global _current
    previous, _current = _current, runtime
    return previous


def current() -> Runtime:
    """The process's Runtime, created from the environment on first use."""
    global _current
    if _current is None:
        _current = Runtime(get_settings())
    return _current
