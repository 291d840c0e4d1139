"""The unit of work: nothing leaves before the commit; after it, callbacks, then live events,
then the outbox rows it wrote, on the queue its delivery names."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date

import pytest
from rq import Queue
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from application.messenger import Recipient, tell
from application.unit_of_work import Delivery, UnitOfWork, unit_of_work
from bot.events import events_channel
from bot.messages import Reply
from engine.availability.requests import StayRequest
from engine.availability.service import search_availability
from engine.bookings.enums import Channel
from engine.bookings.service import place_hold
from engine.guests.service import get_or_create_guest
from engine.messaging.enums import MessageChannel
from engine.messaging.models import OutboxMessage, TranscriptEntry
from engine.seed import seed_demo
from engine.tenants.models import Venue
from infra.runtime import QUEUE_NAMES, Runtime
from tests.conftest import NOW

PHONE = "+919811100042"


@pytest.fixture
def runtime(queued_runtime: Runtime, sessions: sessionmaker[Session]) -> Iterator[Runtime]:
    """Jobs wait in an in-memory queue; the demo is seeded (and every table emptied after)."""
    with sessions.begin() as session:
        seed_demo(session)
    yield queued_runtime


def _waiting(runtime: Runtime) -> dict[str, list[str]]:
    return {name: Queue(name, connection=runtime.redis).job_ids for name in QUEUE_NAMES}


def _hold_and_tell(uow: UnitOfWork) -> None:
    """A hold at the demo hotel (a live event) and a message to its guest (an outbox row)."""
    session = uow.session
    hotel = session.scalars(select(Venue).where(Venue.slug == "seaside-hotel")).one()
    guest = get_or_create_guest(session, business_id=hotel.business_id, phone=PHONE)
    request = StayRequest(date(2026, 12, 24), date(2026, 12, 26), 2)
    offer = search_availability(session, venue=hotel, request=request, now=NOW)[0]
    place_hold(session, offer=offer, guest=guest, channel=Channel.SMS, actor="t", now=NOW)
    to = Recipient(hotel, guest, MessageChannel.SMS)
    tell(session, uow.runtime.redis, to, [Reply("Held for you.")], key="test", now=NOW)


def _rows(sessions: sessionmaker[Session]) -> list[str]:
    with sessions() as session:
        return list(session.scalars(select(OutboxMessage.key)))


def test_a_use_case_that_raises_sends_publishes_and_stores_nothing(
    runtime: Runtime, sessions: sessionmaker[Session]
) -> None:
    events = runtime.redis.pubsub()
    events.subscribe(events_channel(runtime.redis))
    events.get_message(timeout=0.1)  # the subscription itself
    with pytest.raises(RuntimeError), unit_of_work(runtime) as uow:
        _hold_and_tell(uow)
        uow.after_commit(lambda: pytest.fail("a callback ran for a rolled-back unit"))
        raise RuntimeError("the use case failed")
    assert _rows(sessions) == []
    assert all(not jobs for jobs in _waiting(runtime).values())
    assert events.get_message(timeout=0.2) is None


def test_after_commit_callbacks_see_the_commit_before_anything_is_queued(
    runtime: Runtime, sessions: sessionmaker[Session]
) -> None:
    seen: list[tuple[list[str], dict[str, list[str]]]] = []
    with unit_of_work(runtime) as uow:
        _hold_and_tell(uow)
        uow.after_commit(lambda: seen.append((_rows(sessions), _waiting(runtime))))
    [(rows_then, queues_then)] = seen
    assert rows_then == ["test:0"]  # committed: another session reads it
    assert all(not jobs for jobs in queues_then.values())  # and not yet handed on


def test_what_it_wrote_goes_to_the_send_job_once_committed_with_its_live_events(
    runtime: Runtime, sessions: sessionmaker[Session]
) -> None:
    events = runtime.redis.pubsub()
    events.subscribe(events_channel(runtime.redis))
    events.get_message(timeout=0.1)
    with unit_of_work(runtime) as uow:
        _hold_and_tell(uow)
    with sessions() as session:
        (row,) = session.scalars(select(OutboxMessage))
        (line,) = session.scalars(select(TranscriptEntry).where(TranscriptEntry.direction == "out"))
    assert _waiting(runtime)["outbound"] == [f"send-{row.id}"]
    assert line.text == "Held for you."
    message = events.get_message(timeout=0.5)
    assert message is not None and json.loads(message["data"])["type"] == "booking.created"


def test_followup_delivery_queues_ahead_of_new_guest_messages(runtime: Runtime) -> None:
    with unit_of_work(runtime, delivery=Delivery.FOLLOWUP) as uow:
        _hold_and_tell(uow)
    waiting = _waiting(runtime)
    assert len(waiting["followup"]) == 1 and waiting["outbound"] == []


def test_a_quiet_unit_publishes_nothing(runtime: Runtime) -> None:
    events = runtime.redis.pubsub()
    events.subscribe(events_channel(runtime.redis))
    events.get_message(timeout=0.1)
    with unit_of_work(runtime, live=False) as uow:
        _hold_and_tell(uow)
    assert events.get_message(timeout=0.2) is None
