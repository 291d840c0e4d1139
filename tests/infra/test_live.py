"""Committed booking changes are published for dashboards; rolled-back ones are not."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import fakeredis
import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.events import events_channel
from engine.availability.requests import StayRequest
from engine.availability.service import search_availability
from engine.bookings.enums import Channel
from engine.bookings.service import confirm, place_hold
from engine.db import make_session_factory
from engine.guests.service import get_or_create_guest
from engine.seed import seed_demo
from infra.live import publish_committed, watch
from tests.conftest import NOW


@pytest.fixture
def watched(
    db_engine: Engine, sessions: sessionmaker[Session]
) -> Iterator[tuple[sessionmaker[Session], fakeredis.FakeRedis]]:
    redis = fakeredis.FakeRedis(server=fakeredis.FakeServer())
    factory = make_session_factory(db_engine)
    watch(factory)
    with factory.begin() as session:
        seed_demo(session)
    yield factory, redis


@contextmanager
def _unit(factory: sessionmaker[Session], redis: fakeredis.FakeRedis) -> Iterator[Session]:
    """What the unit of work does around a use case: commit, then publish."""
    with factory() as session:
        yield session
        session.commit()
        publish_committed(session, redis)


def _events(pubsub: fakeredis.client.PubSub) -> list[dict[str, object]]:
    found = []
    while (message := pubsub.get_message(timeout=0.2)) is not None:
        if message["type"] == "message":
            found.append(json.loads(message["data"]))
    return found


def _hold(session: Session, *, confirmed: bool = True) -> None:
    from sqlalchemy import select

    from engine.tenants.models import Venue

    hotel = session.scalar(select(Venue).where(Venue.slug == "seaside-hotel"))
    assert hotel is not None
    guest = get_or_create_guest(session, business_id=hotel.business_id, phone="+919811100000")
    offer = search_availability(
        session,
        venue=hotel,
        now=NOW,
        request=StayRequest(date(2026, 12, 24), date(2026, 12, 26), 2),
    )[0]
    booking = place_hold(session, offer=offer, guest=guest, channel=Channel.SMS, actor="t", now=NOW)
    if confirmed:
        confirm(session, booking=booking, actor="t", now=NOW)


def test_committed_hold_and_confirmation_are_published_in_order(
    watched: tuple[sessionmaker[Session], fakeredis.FakeRedis],
) -> None:
    factory, redis = watched
    pubsub = redis.pubsub()
    pubsub.subscribe(events_channel(redis))
    with _unit(factory, redis) as session:
        _hold(session)
    events = _events(pubsub)
    assert [(e["type"], e["status"]) for e in events] == [
        ("booking.created", "held"),
        ("booking.changed", "confirmed"),
    ]
    assert str(events[0]["reference"]).startswith("BK-")


def test_rolled_back_changes_are_not_published(
    watched: tuple[sessionmaker[Session], fakeredis.FakeRedis],
) -> None:
    factory, redis = watched
    pubsub = redis.pubsub()
    pubsub.subscribe(events_channel(redis))
    with _unit(factory, redis) as session:
        _hold(session)
        session.flush()
        session.rollback()
    assert _events(pubsub) == []


def test_a_hold_stored_by_one_statement_is_published_once_and_not_when_rolled_back(
    watched: tuple[sessionmaker[Session], fakeredis.FakeRedis],
) -> None:
    """On PostgreSQL no flush sees the audit entry (the engine notes it); on SQLite one does."""
    factory, redis = watched
    pubsub = redis.pubsub()
    pubsub.subscribe(events_channel(redis))
    with _unit(factory, redis) as session:
        _hold(session, confirmed=False)
    assert [(e["type"], e["status"]) for e in _events(pubsub)] == [("booking.created", "held")]
    with _unit(factory, redis) as session:
        _hold(session, confirmed=False)
        session.rollback()
    assert _events(pubsub) == []
