"""The hold path's lean shortcuts: what they skip must not show.

A hold is inserted with Core and attached to the session as if loaded, its audit entry is added
without visiting the booking, and rooms are found free in SQL. These tests pin what callers
and the live feed rely on: a complete booking object, an audit entry flushed as a new object,
nothing written by a hold that loses, and a small statement budget for a search and a hold.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import event, func, inspect, select
from sqlalchemy.orm import Session, UOWTransaction, sessionmaker

from engine.availability.hotel import ROOM_RESOURCE
from engine.availability.offers import RoomOffer
from engine.availability.requests import StayRequest
from engine.availability.service import search_availability
from engine.bookings.enums import BookingStatus, Channel
from engine.bookings.models import Booking, BookingEvent
from engine.bookings.service import place_hold
from engine.bookings.transitions import STORED_ENTRIES
from engine.exceptions import NotAvailableError
from engine.guests.models import Guest
from engine.inventory.models import Room
from engine.tenants.models import Venue
from tests.conftest import NOW
from tests.engine.conftest import Demo
from tests.engine.factories import hold_room, room_numbers, room_offer

XMAS = date(2026, 12, 24)
BOXING = date(2026, 12, 26)


@contextmanager
def statements(session: Session) -> Iterator[list[str]]:
    """The SQL statements ``session``'s engine runs inside the block."""
    seen: list[str] = []
    engine = session.get_bind()

    def record(*args: Any) -> None:
        seen.append(args[2])

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_a_placed_hold_has_every_column_and_its_audit_entry_loaded(
    session: Session, demo: Demo
) -> None:
    booking = hold_room(session, demo, "Deluxe", XMAS, BOXING)
    state = inspect(booking)
    columns = {column.key for column in state.mapper.column_attrs}
    assert columns.isdisjoint(state.unloaded)
    with statements(session) as seen:
        assert (booking.amount_paid, booking.updated_at) == (0, NOW)
        assert [(e.from_status, e.to_status, e.actor) for e in booking.events] == [
            (None, "held", "guest")
        ]
        assert booking.events[0].booking is booking
    assert seen == []


def test_the_creation_entry_reaches_the_live_feed_flushed_or_noted_as_stored(
    session: Session, demo: Demo, is_postgres: bool
) -> None:
    """SQLite's hold adds the entry for the flush; PostgreSQL's statement stores it, and the
    engine notes it under ``STORED_ENTRIES`` instead: the live feed tells either once."""
    flushed: list[BookingEvent] = []

    def remember(flushing: Session, _context: UOWTransaction) -> None:
        flushed.extend(item for item in flushing.new if isinstance(item, BookingEvent))

    event.listen(session, "after_flush", remember)
    booking = hold_room(session, demo, "Deluxe", XMAS, BOXING)
    stored = list(session.info.get(STORED_ENTRIES, []))
    session.commit()
    event.remove(session, "after_flush", remember)
    told = stored if is_postgres else flushed
    assert [(e.booking, e.from_status, e.reason) for e in told] == [(booking, None, "hold placed")]
    assert (stored if not is_postgres else flushed) == []
    assert inspect(told[0]).persistent
    assert session.scalar(select(BookingEvent.actor).where(BookingEvent.id == told[0].id)) == (
        "guest"
    )


def test_a_hold_that_finds_its_room_gone_writes_no_booking_and_no_audit_entry(
    session: Session, demo: Demo
) -> None:
    hold_room(session, demo, "Suite", XMAS, BOXING)
    session.flush()
    before = session.scalar(select(func.count(BookingEvent.id)))
    with pytest.raises(NotAvailableError):
        hold_room(session, demo, "Suite", XMAS, BOXING)
    session.flush()
    assert session.scalar(select(func.count(BookingEvent.id))) == before
    assert session.scalar(select(func.count(Booking.id))) == 1


def test_room_resource_in_sql_is_the_rooms_resource_key(session: Session, demo: Demo) -> None:
    rows = session.execute(select(Room, ROOM_RESOURCE)).all()
    assert rows and all(resource == room.resource for room, resource in rows)


def test_a_one_night_hold_after_a_search_takes_six_statements_with_its_commit(
    sessions: sessionmaker[Session], demo: Demo
) -> None:
    """The bench's chat turn: room type, free rooms, rates, booking, claim, audit entry."""
    with sessions() as session:
        venue = session.get_one(Venue, demo.hotel.id)
        guest = session.get_one(Guest, demo.guest.id)
        request = StayRequest(XMAS, XMAS + timedelta(days=1), 2)
        offer = search_availability(session, venue=venue, request=request, now=NOW)[0]
        assert isinstance(offer, RoomOffer)
        with statements(session) as seen:
            booking = place_hold(
                session, offer=offer, guest=guest, channel=Channel.SMS, actor="guest", now=NOW
            )
            session.commit()
    assert booking.status == BookingStatus.HELD
    assert len(seen) <= 6, "\n".join(seen)


def test_on_postgresql_a_stays_hold_is_one_statement_before_its_commit(
    session: Session, demo: Demo, is_postgres: bool
) -> None:
    """Rooms, price, booking, claims and the audit entry in one round trip: nothing to flush."""
    if not is_postgres:
        pytest.skip("the one-statement hold is PostgreSQL's (SQLite keeps the Python path)")
    hold_room(session, demo, "Standard", XMAS, BOXING)  # room 101 goes first
    session.flush()
    offer = room_offer(session, demo, "Standard", XMAS, BOXING)  # loads the type, as a search
    with statements(session) as seen:
        booking = place_hold(
            session, offer=offer, guest=demo.guest, channel=Channel.SMS, actor="guest", now=NOW
        )
    assert len(seen) == 1 and "bookline_hold_stay" in seen[0], seen
    assert (room_numbers(session, booking), booking.amount, booking.status) == (
        ["102"],
        2 * 350_000,
        BookingStatus.HELD,
    )
    with statements(session) as flushed:
        session.flush()
    assert flushed == []
    assert [(e.reason, e.actor) for e in booking.events] == [("hold placed", "guest")]
    assert session.scalar(select(func.count()).where(BookingEvent.booking_id == booking.id)) == 1
