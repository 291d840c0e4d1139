"""The rooms of a stay of several rooms: hold them all or none, take them back after a late
payment, give one back on its own, and list a booking's rooms for staff.

Each room is claimed night by night like a stay of one room, so ``UNIQUE(resource, unit)``
guards every room of the booking; the rooms are taken inside one savepoint, and a room that
cannot be had undoes the rooms taken before it (all or nothing).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.availability.hotel import free_rooms, room_type_for, stay_pairs, stay_prices
from engine.availability.offers import RoomsOffer
from engine.availability.requests import StayRequest, validate_stay
from engine.bookings.claims import release_claims, take_claims
from engine.bookings.enums import ACTIVE_STATUSES
from engine.bookings.models import Booking, BookingRoom
from engine.bookings.transitions import record_event
from engine.exceptions import NotFoundError, ValidationError
from engine.inventory.models import Room, RoomType
from engine.tenants.models import Venue

#: The audit reason of one room of a booking given back on its own.
ROOM_CANCELLED = "room cancelled"


@dataclass(frozen=True)
class RoomPlan:
    """One room to hold: its type, guests and price, and the free rooms of the type."""

    room_type_id: int
    guests: int
    amount: int
    free: list[str]


def rooms_plan(
    session: Session, venue: Venue, offer: RoomsOffer, *, now: datetime
) -> list[RoomPlan]:
    """The offer's rooms checked and priced afresh (a hold never trusts an offer)."""
    stay = StayRequest(offer.check_in, offer.check_out, offer.guests)
    validate_stay(venue, stay, now=now)
    types = [
        room_type_for(
            session,
            venue,
            StayRequest(stay.check_in, stay.check_out, room.guests, room.room_type_id),
        )
        for room in offer.rooms
    ]
    unique = list({room_type.id: room_type for room_type in types}.values())
    prices = stay_prices(session, unique, stay)
    free = free_rooms(session, unique, stay, now=now)
    return [
        RoomPlan(room_type.id, room.guests, prices[room_type.id], free[room_type.id])
        for room_type, room in zip(types, offer.rooms, strict=True)
    ]


def take_rooms(
    session: Session,
    *,
    booking: Booking,
    plans: list[tuple[RoomPlan, list[str]]],
    now: datetime,
) -> list[str] | None:
    """Claim one room per plan for the booking's nights (trying the resources given, in
    order), all or none: the room taken for each plan, or None with nothing written.

    The plans are tried in room type order (a hold tries each type's rooms in number order),
    whatever order the guest's rooms are in: two holds that want rooms of the same types lock
    the claims' index entries in the same order on PostgreSQL, and cannot deadlock.
    """
    assert booking.check_in is not None and booking.check_out is not None
    stay = StayRequest(booking.check_in, booking.check_out, booking.party_size)
    taken: dict[int, str] = {}
    with session.begin_nested() as savepoint:
        for index in sorted(range(len(plans)), key=lambda n: plans[n][0].room_type_id):
            room = next(
                (
                    resource
                    for resource in plans[index][1]
                    if resource not in taken.values()
                    and take_claims(
                        session, booking=booking, pairs=stay_pairs(resource, stay), now=now
                    )
                ),
                None,
            )
            if room is None:
                savepoint.rollback()
                return None
            taken[index] = room
    return [taken[index] for index in range(len(plans))]


def add_rooms(booking: Booking, plans: list[RoomPlan], resources: list[str]) -> None:
    """Record the rooms held for a new booking of several rooms."""
    booking.rooms = [
        BookingRoom(
            room_type_id=plan.room_type_id,
            resource=resource,
            guests=plan.guests,
            amount=plan.amount,
        )
        for plan, resource in zip(plans, resources, strict=True)
    ]


def retake_rooms(session: Session, *, booking: Booking, now: datetime) -> bool:
    """Claim the live rooms of a lapsed booking again (each its old room first, else another
    free room of its type); False when one of them cannot be had."""
    live = live_rooms(booking)
    assert booking.check_in is not None and booking.check_out is not None
    stay = StayRequest(booking.check_in, booking.check_out, booking.party_size)
    types = [session.get(RoomType, room.room_type_id) for room in live]
    unique = list({rt.id: rt for rt in types if rt is not None}.values())
    free = free_rooms(session, unique, stay, now=now, ignore_booking_id=booking.id)
    plans = [
        (RoomPlan(room.room_type_id, room.guests, room.amount, []), _old_first(room, free))
        for room in live
    ]
    resources = take_rooms(session, booking=booking, plans=plans, now=now)
    if resources is None:
        return False
    for room, resource in zip(live, resources, strict=True):
        room.resource = resource
    booking.resources = resources
    return True


def _old_first(room: BookingRoom, free: dict[int, list[str]]) -> list[str]:
    others = [r for r in free.get(room.room_type_id, []) if r != room.resource]
    return [room.resource, *others]


def live_rooms(booking: Booking) -> list[BookingRoom]:
    """The rooms of a booking of several rooms that were not given back on their own."""
    return [room for room in booking.rooms if room.cancelled_at is None]


def drop_room(
    session: Session, *, booking: Booking, room_id: int, actor: str, now: datetime
) -> BookingRoom:
    """Give back one room of a booking of several rooms: its nights, guests and price.

    The last room is not given back this way: that is cancelling the booking.
    """
    if booking.status not in ACTIVE_STATUSES:
        raise ValidationError("Only a live booking can have a room cancelled.")
    if not booking.several_rooms:
        raise ValidationError("That booking has no rooms to cancel one by one: cancel it instead.")
    live = live_rooms(booking)
    room = next((r for r in live if r.id == room_id), None)
    if room is None:
        raise NotFoundError("That booking has no such room.")
    if len(live) < 2:
        raise ValidationError("That is the booking's last room: cancel the booking instead.")
    assert booking.check_in is not None and booking.check_out is not None
    stay = StayRequest(booking.check_in, booking.check_out, room.guests)
    release_claims(session, booking=booking, pairs=stay_pairs(room.resource, stay))
    room.cancelled_at = now
    booking.amount -= room.amount
    booking.party_size -= room.guests
    booking.resources = [r.resource for r in live if r is not room]
    details: dict[str, object] = {
        "room_type_id": room.room_type_id,
        "resource": room.resource,
        "guests": room.guests,
        "amount": room.amount,
    }
    record_event(booking, actor=actor, reason=ROOM_CANCELLED, now=now, details=details)
    return room


@dataclass(frozen=True)
class RoomLine:
    """One room of a stay as staff see it (a stay of one room has one line)."""

    id: int | None  # the BookingRoom, None for a stay of one room
    room_type_id: int
    room_type: str
    room: str  # the room's number
    guests: int
    amount: int
    cancelled_at: datetime | None


def room_lines(session: Session, booking: Booking) -> list[RoomLine]:
    """Every room of a stay, cancelled ones too; nothing for a seating."""
    rows: list[tuple[int | None, int, str, int, int, datetime | None]]
    if booking.several_rooms:
        rows = [
            (r.id, r.room_type_id, r.resource, r.guests, r.amount, r.cancelled_at)
            for r in booking.rooms
        ]
    elif booking.room_type_id is not None and booking.resources:
        rows = [
            (
                None,
                booking.room_type_id,
                booking.resources[0],
                booking.party_size,
                booking.amount,
                None,
            )
        ]
    else:
        return []
    names = _names(session, [row[1] for row in rows], [row[2] for row in rows])
    return [
        RoomLine(
            id_, type_id, names[0].get(type_id, ""), names[1].get(resource, ""), guests, amount, at
        )
        for id_, type_id, resource, guests, amount, at in rows
    ]


def _names(
    session: Session, type_ids: list[int], resources: list[str]
) -> tuple[dict[int, str], dict[str, str]]:
    """Room type names by id and room numbers by resource key, in one query."""
    room_ids = [int(r.removeprefix("room:")) for r in resources if r.startswith("room:")]
    rows = session.execute(
        select(RoomType.id, RoomType.name, Room.id, Room.number)
        .join(Room, Room.room_type_id == RoomType.id, isouter=True)
        .where(RoomType.id.in_(type_ids))
    )
    types: dict[int, str] = {}
    rooms: dict[str, str] = {}
    for type_id, name, room_id, number in rows:
        types[type_id] = name
        if room_id in room_ids:
            rooms[f"room:{room_id}"] = number
    return types, rooms
