"""The live event bus is per Redis database, though Redis pub/sub is per server."""

from __future__ import annotations

import asyncio

import fakeredis

from bot.events import events, publish, subscription


async def _heard(listener: fakeredis.FakeAsyncRedis, publisher: fakeredis.FakeRedis) -> list[str]:
    """The event types a dashboard on ``listener``'s database hears when ``publisher`` tells
    one booking change."""
    heard: list[str] = []
    async with subscription(listener) as pubsub:
        publish(publisher, "booking.created", {"venue_id": 1, "summary": "BK1 held"})
        async for event in events(pubsub, every=0.2):
            if event is None:
                break
            heard.append(event["type"])
    return heard


def test_a_deployment_on_another_database_of_the_same_server_hears_nothing() -> None:
    server = fakeredis.FakeServer()
    dashboard = fakeredis.FakeAsyncRedis(server=server, db=3)
    neighbour = fakeredis.FakeRedis(server=server, db=4)
    own = fakeredis.FakeRedis(server=server, db=3)
    assert asyncio.run(_heard(dashboard, neighbour)) == []
    assert asyncio.run(_heard(dashboard, own)) == ["booking.created"]
