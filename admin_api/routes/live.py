"""The dashboard's live feed: the event bus relayed as Server-Sent Events, one business only.

``GET /live`` answers ``text/event-stream``. First ``event: ready`` (data ``{}``) once Redis has
confirmed the subscription, so a client knows nothing published later is missed; then every
bus event about one of the caller's venues as ``event: <type>`` with the event's JSON as data;
FastAPI adds a ``: ping`` comment after 15 idle seconds. Events of other businesses' venues are
never sent. Each API process subscribes on its own, so a dashboard on any process sees what
every process (and worker) published.

The stream awaits Redis with an asyncio client, so an idle dashboard holds a socket, not a
worker thread. It ends when the client goes away (Starlette cancels it), when Redis drops the
connection, and as soon as the server begins to stop (``infra.stopping``); the client
reconnects. It also ends when its login does: logged out, or the account demoted, moved or
deactivated. The bus says so at once (``login.changed``), and in case that news is lost the
stream asks the database again every ``RECHECK_SECONDS``; a reconnecting client is then
answered as its login now stands.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import AsyncIterator
from typing import Any

import anyio
from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from fastapi.sse import EventSourceResponse, ServerSentEvent
from redis.exceptions import RedisError
from sqlalchemy.exc import SQLAlchemyError

from admin_api.auth.tokens import Identity
from admin_api.deps import Principal, StaffUser, load_principal, tenant
from application.sessions import autocommit
from bot.events import LOGIN_CHANGED, SubscriptionError, events, subscription
from engine.exceptions import NotFoundError
from engine.tenants.service import get_venue
from infra.deps import RuntimeDep
from infra.live import async_twin
from infra.runtime import Runtime
from infra.stopping import until_stopping

log = logging.getLogger(__name__)

router = APIRouter(tags=["live"])

#: How often an open stream asks the database whether its login still stands, so a stream
#: outlives a logout whose news the bus lost by at most this long.
RECHECK_SECONDS = 5.0


class VenueScope:
    """Which venues belong to the caller's business, asked of the database once per venue."""

    def __init__(self, runtime: Runtime, business_id: int) -> None:
        self._runtime, self._business_id = runtime, business_id
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
        with autocommit(self._runtime) as session:
            try:
                get_venue(session, venue_id=venue_id, business_id=self._business_id)
            except NotFoundError:
                return False
        return True


class LoginWatch:
    """Whether a stream's caller still stands as they did when it opened (same login, role and
    business, account active): asked of the database when the bus says so, or when due."""

    def __init__(self, runtime: Runtime, principal: Principal) -> None:
        self._runtime, self._principal = runtime, principal
        self._checked = time.monotonic()

    async def stands(self, event: dict[str, Any] | None) -> bool:
        """False once the login ended or the account changed; ``event`` may be news of it."""
        if not self._about_me(event) and time.monotonic() - self._checked < RECHECK_SECONDS:
            return True
        self._checked = time.monotonic()
        return await run_in_threadpool(self._look_up)

    def _about_me(self, event: dict[str, Any] | None) -> bool:
        return (
            event is not None
            and event.get("type") == LOGIN_CHANGED
            and event.get("user_id") == self._principal.user_id
        )

    def _look_up(self) -> bool:
        identity = Identity(self._principal.user_id, self._principal.login_id)
        with autocommit(self._runtime) as session:
            try:
                return load_principal(session, identity) == self._principal
            except NotFoundError:
                return False


@router.get("/live", response_class=EventSourceResponse)
async def live(principal: StaffUser, runtime: RuntimeDep) -> AsyncIterator[ServerSentEvent]:
    """Bookings, payments and handoffs of the caller's business as they happen (SSE)."""
    scope = VenueScope(runtime, tenant(principal))
    login = LoginWatch(runtime, principal)
    client = async_twin(runtime.redis, runtime.settings.redis_url)
    try:
        async with subscription(client) as pubsub:
            yield ServerSentEvent(event="ready", data={})
            async for event in until_stopping(events(pubsub, every=RECHECK_SECONDS)):
                if not await login.stands(event):
                    break
                if event is not None and await scope.allows(event):
                    yield ServerSentEvent(event=str(event["type"]), raw_data=json.dumps(event))
    except (RedisError, SubscriptionError, SQLAlchemyError) as exc:
        log.warning("live feed ended: %s", exc)  # the client reconnects
    finally:
        with anyio.CancelScope(shield=True):
            await client.aclose()
