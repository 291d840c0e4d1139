"""Factories and lookups for engine tests: offers, holds, and what the database now holds.

Offers are built directly rather than searched for: ``place_hold`` re-checks the inventory
behind an offer, so a test can aim a hold at a sold-out stay or a closed time on purpose.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.availability.offers import RoomOffer, TableOffer
from engine.bookings.enums import Channel
from engine.bookings.models import Booking, Claim
from engine.bookings.service import confirm, place_hold
from engine.inventory.models import Room, Table
from engine.tenants.models import Venue
from tests.conftest import NOW
from tests.engine.conftest import Demo
from tests.offers import stay_offer


@dataclass(frozen=True)
class Counts:
    """How many bookings and claims exist (to prove a failed call wrote nothing)."""

    bookings: int
    claims: int


def counts(session: Session) -> Counts:
    """Row counts of bookings and claims as the database sees them now."""
    session.flush()
    return Counts(
        bookings=session.scalar(select(func.count(Booking.id))) or 0,
        claims=session.scalar(select(func.count(Claim.id))) or 0,
    )


def local(venue: Venue, day: date, at: time) -> datetime:
    """The UTC instant of a wall-clock time at the venue."""
    return datetime.combine(day, at, tzinfo=venue.tz).astimezone(UTC)


def room_offer(
    session: Session,
    demo: Demo,
    room_type: str,
    check_in: date,
    check_out: date,
    *,
    guests: int = 2,
) -> RoomOffer:
    """An offer for a stay in a room type of the demo hotel (price and stock left unchecked)."""
    offer_type = demo.room_type(session, room_type)
    return stay_offer(demo.hotel, offer_type, check_in, (check_out - check_in).days, guests=guests)


def table_offer(venue: Venue, day: date, at: time, party_size: int) -> TableOffer:
    """An offer for a seating at a local wall-clock time (opening hours left unchecked)."""
    return table_offer_at(venue, local(venue, day, at), party_size)


def table_offer_at(venue: Venue, starts_at: datetime, party_size: int) -> TableOffer:
    """An offer for a seating starting at ``starts_at`` (opening hours left unchecked)."""
    return TableOffer(
        venue_id=venue.id,
        starts_at=starts_at,
        local_start=starts_at.astimezone(venue.tz),
        party_size=party_size,
        deposit_amount=0,
        currency=venue.currency,
        exact=True,
    )


def hold_room(
    session: Session,
    demo: Demo,
    room_type: str,
    check_in: date,
    check_out: date,
    *,
    now: datetime = NOW,
    guests: int = 2,
) -> Booking:
    """Place a hold on a stay at the demo hotel for the demo guest."""
    offer = room_offer(session, demo, room_type, check_in, check_out, guests=guests)
    return place_hold(
        session, offer=offer, guest=demo.guest, channel=Channel.WHATSAPP, actor="guest", now=now
    )


def hold_table(
    session: Session, demo: Demo, day: date, at: time, party_size: int, *, now: datetime = NOW
) -> Booking:
    """Place a hold on a seating at the demo restaurant for the demo guest."""
    offer = table_offer(demo.restaurant, day, at, party_size)
    return place_hold(
        session, offer=offer, guest=demo.guest, channel=Channel.SMS, actor="guest", now=now
    )


def confirmed_room(
    session: Session,
    demo: Demo,
    room_type: str,
    check_in: date,
    check_out: date,
    *,
    now: datetime = NOW,
) -> Booking:
    """A stay held and paid in full."""
    booking = hold_room(session, demo, room_type, check_in, check_out, now=now)
    return confirm(session, booking=booking, actor="razorpay", now=now, amount_paid=booking.amount)


def claim_pairs(session: Session, booking: Booking) -> set[tuple[str, str]]:
    """The (resource, unit) pairs the database holds for ``booking``."""
    session.flush()
    rows = session.execute(select(Claim.resource, Claim.unit).where(Claim.booking_id == booking.id))
    return {(resource, unit) for resource, unit in rows}


def claim_units(session: Session, booking: Booking) -> list[str]:
    """The sorted units the database holds for ``booking``."""
    return sorted(unit for _, unit in claim_pairs(session, booking))


def room_numbers(session: Session, booking: Booking) -> list[str]:
    """Room numbers behind the booking's resource keys ("room:3" -> "101")."""
    return [_room(session, key).number for key in booking.resources]


def table_labels(session: Session, booking: Booking) -> list[str]:
    """Table labels behind the booking's resource keys, sorted."""
    return sorted(_table(session, key).label for key in booking.resources)


def room_by_number(session: Session, number: str) -> Room:
    """A demo hotel room by its number."""
    room = session.scalar(select(Room).where(Room.number == number))
    assert room is not None
    return room


def table_by_label(session: Session, venue: Venue, label: str) -> Table:
    """A demo restaurant table by its label."""
    table = session.scalar(select(Table).where(Table.venue_id == venue.id, Table.label == label))
    assert table is not None
    return table


def _room(session: Session, key: str) -> Room:
    kind, _, ident = key.partition(":")
    room = session.get(Room, int(ident))
    assert kind == "room" and room is not None
    return room


def _table(session: Session, key: str) -> Table:
    kind, _, ident = key.partition(":")
    table = session.get(Table, int(ident))
    assert kind == "table" and table is not None
    return table


def minutes(n: int) -> timedelta:
    """Shorthand for a duration in minutes."""
    return timedelta(minutes=n)
