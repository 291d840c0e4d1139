"""Hotel availability: room types free for every night of a stay, and what the stay costs.

A search reads the whole hotel in three statements whatever the number of room types: the
room types with their rooms, the live claims on those rooms for the stay, and the rate
overrides of the types that still have a room (none when the hotel is full).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from engine.availability.offers import RoomOffer
from engine.availability.requests import StayRequest, validate_stay
from engine.availability.units import Pair, night_unit, taken_pairs
from engine.exceptions import ValidationError
from engine.inventory.models import RateOverride, Room, RoomType
from engine.tenants.models import Venue


def room_types_for(session: Session, venue: Venue, request: StayRequest) -> list[RoomType]:
    """Room types that can host the party (or the one asked for), cheapest first.

    Rooms come in the same statement (a joined eager load), not in a second one.
    """
    query = (
        select(RoomType)
        .where(RoomType.venue_id == venue.id)
        .options(joinedload(RoomType.rooms))
        .order_by(RoomType.nightly_rate, RoomType.id)
    )
    if request.room_type_id is not None:
        query = query.where(RoomType.id == request.room_type_id)
        room_type = session.scalars(query).unique().one_or_none()
        if room_type is None:
            raise ValidationError("That room type does not exist at this hotel.")
        if room_type.capacity < request.guests:
            raise ValidationError(
                f"A {room_type.name} room sleeps at most {room_type.capacity} guests."
            )
        return [room_type]
    return [rt for rt in session.scalars(query).unique() if rt.capacity >= request.guests]


def stay_prices(
    session: Session, room_types: Sequence[RoomType], request: StayRequest
) -> dict[int, int]:
    """Stay total per room type id in minor units: per-date overrides win over the base rate."""
    if not room_types:
        return {}
    nights = request.nights
    rows = session.execute(
        select(RateOverride.room_type_id, RateOverride.night, RateOverride.nightly_rate).where(
            RateOverride.room_type_id.in_([rt.id for rt in room_types]),
            RateOverride.night >= nights[0],
            RateOverride.night <= nights[-1],
        )
    )
    overrides = {(type_id, night): rate for type_id, night, rate in rows}
    return {
        rt.id: sum(overrides.get((rt.id, night), rt.nightly_rate) for night in nights)
        for rt in room_types
    }


def stay_price(session: Session, room_type: RoomType, request: StayRequest) -> int:
    """Total for the stay in minor units: per-date overrides win over the base rate."""
    return stay_prices(session, [room_type], request)[room_type.id]


def room_pairs(room: Room, request: StayRequest) -> list[Pair]:
    """The claims a stay needs in one room."""
    return [(room.resource, night_unit(night)) for night in request.nights]


def _active_rooms(room_types: Sequence[RoomType]) -> dict[int, list[Room]]:
    return {rt.id: [room for room in rt.rooms if room.active] for rt in room_types}


def _taken_nights(
    session: Session,
    venue: Venue,
    rooms: Sequence[Room],
    request: StayRequest,
    *,
    now: datetime,
    ignore_booking_id: int | None = None,
) -> set[Pair]:
    """Live claims on ``rooms`` for the stay's nights, in one query."""
    if not rooms:
        return set()
    return taken_pairs(
        session,
        venue_id=venue.id,
        resources=[room.resource for room in rooms],
        unit_from=night_unit(request.nights[0]),
        unit_to=night_unit(request.nights[-1]),
        now=now,
        ignore_booking_id=ignore_booking_id,
    )


def _free(rooms: Sequence[Room], taken: set[Pair], request: StayRequest) -> list[Room]:
    """The rooms with no taken night (the night units are formatted once, not per room)."""
    units = [night_unit(night) for night in request.nights]
    return [room for room in rooms if taken.isdisjoint([(room.resource, u) for u in units])]


def free_rooms(
    session: Session,
    venue: Venue,
    room_type: RoomType,
    request: StayRequest,
    *,
    now: datetime,
    ignore_booking_id: int | None = None,
) -> list[Room]:
    """Active rooms of the type with every night of the stay free, in room-number order."""
    rooms = _active_rooms([room_type])[room_type.id]
    taken = _taken_nights(
        session, venue, rooms, request, now=now, ignore_booking_id=ignore_booking_id
    )
    return _free(rooms, taken, request)


def search_rooms(
    session: Session, venue: Venue, request: StayRequest, *, now: datetime
) -> list[RoomOffer]:
    """Offers for every room type with at least one room free for the whole stay."""
    validate_stay(venue, request, now=now)
    room_types = room_types_for(session, venue, request)
    rooms = _active_rooms(room_types)
    taken = _taken_nights(
        session, venue, [room for each in rooms.values() for room in each], request, now=now
    )
    free = {rt.id: _free(rooms[rt.id], taken, request) for rt in room_types}
    available = [rt for rt in room_types if free[rt.id]]
    prices = stay_prices(session, available, request)
    return [
        RoomOffer(
            venue_id=venue.id,
            room_type_id=rt.id,
            room_type_name=rt.name,
            capacity=rt.capacity,
            check_in=request.check_in,
            check_out=request.check_out,
            guests=request.guests,
            nights=len(request.nights),
            total_amount=prices[rt.id],
            currency=venue.currency,
            rooms_left=len(free[rt.id]),
        )
        for rt in available
    ]
