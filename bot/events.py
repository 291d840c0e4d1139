"""The live event bus on Redis pub/sub: booking changes, payments and handoffs for dashboards.

Every event is one JSON object: its ``type``, the ``venue_id`` it concerns (each API process
relays it only to dashboards of that venue's business) and a one-line ``summary`` to show.
``login.changed`` (with a ``user_id``, no venue: never relayed) tells open streams that a
login ended or an account's role or access changed, so they look again at once.
Publishers use the process's Redis client; a dashboard stream follows with an asyncio one,
so an idle connection holds no thread.

Redis pub/sub channels belong to the server, not to a database: the channel carries the
database number, so two deployments (or a test run and a bench) sharing a server on different
databases never see each other's bookings.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from typing import Any

import anyio
from redis import Redis
from redis.asyncio import Redis as AsyncRedis
from redis.asyncio.client import PubSub
from redis.client import Pipeline
from redis.exceptions import RedisError

LOGIN_CHANGED = "login.changed"
#: How long to wait for Redis to confirm a subscription before giving up.
SUBSCRIBE_TIMEOUT_SECONDS = 5.0


def events_channel(client: Redis | AsyncRedis | Pipeline) -> str:
    """The bus of the Redis database ``client`` uses."""
    database = client.connection_pool.connection_kwargs.get("db", 0)
    return f"bookline:events:{database}"


class SubscriptionError(RuntimeError):
    """Redis did not confirm the subscription to the event bus."""


def publish(
    redis: Redis, kind: str, data: dict[str, Any], pipeline: Pipeline | None = None
) -> None:
    """Send one event to every subscriber (each API process relays it to its dashboards)."""
    target = pipeline if pipeline is not None else redis
    target.publish(events_channel(target), json.dumps({"type": kind, **data}, default=str))


@asynccontextmanager
async def subscription(client: AsyncRedis) -> AsyncIterator[PubSub]:
    """Subscribed to the bus once entered (Redis confirmed it: nothing later is missed)."""
    pubsub = client.pubsub()
    try:
        await pubsub.subscribe(events_channel(client))
        confirmed = await pubsub.get_message(timeout=SUBSCRIBE_TIMEOUT_SECONDS)
        if confirmed is None or confirmed["type"] != "subscribe":
            raise SubscriptionError(f"Redis did not confirm the subscription: {confirmed!r}")
        yield pubsub
    finally:
        with anyio.CancelScope(shield=True):  # a cancelled stream still lets go of the bus
            await _leave(pubsub)


async def _leave(pubsub: PubSub) -> None:
    """Unsubscribe, then close: the in-process stand-in keeps subscribers of closed sockets."""
    with suppress(RedisError):
        await pubsub.unsubscribe()
    await pubsub.aclose()  # type: ignore[no-untyped-call]  # unannotated before redis 8.2


async def events(pubsub: PubSub, *, every: float) -> AsyncIterator[dict[str, Any] | None]:
    """Every event published after subscribing, decoded, for as long as the caller iterates;
    ``None`` whenever ``every`` seconds pass without one, so the caller gets a turn anyway."""
    while True:
        message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=every)
        if message is None:
            yield None
        elif message["type"] == "message":
            event: dict[str, Any] = json.loads(message["data"])
            yield event
