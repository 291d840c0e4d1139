"""The dashboard's live feed: the event bus relayed as Server-Sent Events, one business only.

``GET /live`` answers ``text/event-stream``. First ``event: ready`` (data ``{}``) once Redis has
confirmed the subscription, so a client knows nothing published later is missed; then every
bus event about one of the caller's venues as ``event: <type>`` with the event's JSON as data;
FastAPI adds a ``: ping`` comment after 15 idle seconds. Events of other businesses' venues are
never sent. Each API process subscribes on its own, so a dashboard on any process sees what
every process (and worker) published.

The stream awaits Redis with an asyncio client, so an idle dashboard holds a socket, not a
worker thread. It ends when the client goes away (Starlette cancels it), when Redis drops the
connection, and as soon as the server begins to stop (``bookline.stopping``); the client
reconnects.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from typing import Any

import anyio
from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from fastapi.sse import EventSourceResponse, ServerSentEvent
from redis.exceptions import RedisError
from sqlalchemy.orm import Session, sessionmaker

from admin_api.deps import StaffUser, tenant
from bookline.deps import RuntimeDep
from bookline.live import async_twin
from bookline.stopping import until_stopping
from bot.events import SubscriptionError, events, subscription
from engine.exceptions import NotFoundError
from engine.tenants.service import get_venue

log = logging.getLogger(__name__)

router = APIRouter(tags=["live"])


class VenueScope:
    """Which venues belong to the caller's business, asked of the database once per venue."""

    def __init__(self, sessions: sessionmaker[Session], business_id: int) -> None:
        self._sessions, self._business_id = sessions, business_id
        self._owned: dict[int, bool] = {}

    async def allows(self, event: dict[str, Any]) -> bool:
        """True when the event names a venue of this business."""
        venue_id = event.get("venue_id")
        if not isinstance(venue_id, int):
            return False
        if venue_id not in self._owned:
            self._owned[venue_id] = await run_in_threadpool(self._look_up, venue_id)
        return self._owned[venue_id]

    def _look_up(self, venue_id: int) -> bool:
        with self._sessions() as session:
            try:
                get_venue(session, venue_id=venue_id, business_id=self._business_id)
            except NotFoundError:
                return False
        return True


@router.get("/live", response_class=EventSourceResponse)
async def live(principal: StaffUser, runtime: RuntimeDep) -> AsyncIterator[ServerSentEvent]:
    """Bookings, payments and handoffs of the caller's business as they happen (SSE)."""
    scope = VenueScope(runtime.sessions, tenant(principal))
    client = async_twin(runtime.redis, runtime.settings.redis_url)
    try:
        async with subscription(client) as pubsub:
            yield ServerSentEvent(event="ready", data={})
            async for event in until_stopping(events(pubsub)):
                if await scope.allows(event):
                    yield ServerSentEvent(event=str(event["type"]), raw_data=json.dumps(event))
    except (RedisError, SubscriptionError) as exc:
        log.warning("live feed ended: %s", exc)  # the client reconnects
    finally:
        with anyio.CancelScope(shield=True):
            await client.aclose()
