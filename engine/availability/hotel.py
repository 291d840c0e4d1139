"""Hotel availability: room types free for every night of a stay, and what the stay costs."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from engine.availability.offers import RoomOffer
from engine.availability.requests import StayRequest, validate_stay
from engine.availability.units import night_unit, taken_pairs
from engine.exceptions import ValidationError
from engine.inventory.models import RateOverride, Room, RoomType
from engine.tenants.models import Venue


def room_types_for(session: Session, venue: Venue, request: StayRequest) -> list[RoomType]:
    """Room types that can host the party (or the one asked for), cheapest first."""
    query = (
        select(RoomType)
        .where(RoomType.venue_id == venue.id)
        .options(selectinload(RoomType.rooms))
        .order_by(RoomType.nightly_rate, RoomType.id)
    )
    if request.room_type_id is not None:
        room_type = session.scalar(query.where(RoomType.id == request.room_type_id))
        if room_type is None:
            raise ValidationError("That room type does not exist at this hotel.")
        if room_type.capacity < request.guests:
            raise ValidationError(
                f"A {room_type.name} room sleeps at most {room_type.capacity} guests."
            )
        return [room_type]
    return [rt for rt in session.scalars(query) if rt.capacity >= request.guests]


def stay_price(session: Session, room_type: RoomType, request: StayRequest) -> int:
    """Total for the stay in minor units: per-date overrides win over the base rate."""
    nights = request.nights
    rows = session.execute(
        select(RateOverride.night, RateOverride.nightly_rate).where(
            RateOverride.room_type_id == room_type.id,
            RateOverride.night >= nights[0],
            RateOverride.night <= nights[-1],
        )
    )
    overrides = {night: rate for night, rate in rows}
    return sum(overrides.get(night, room_type.nightly_rate) for night in nights)


def room_pairs(room: Room, request: StayRequest) -> list[tuple[str, str]]:
    """The claims a stay needs in one room."""
    return [(room.resource, night_unit(night)) for night in request.nights]


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
    rooms = [room for room in room_type.rooms if room.active]
    if not rooms:
        return []
    taken = taken_pairs(
        session,
        venue_id=venue.id,
        resources=[room.resource for room in rooms],
        unit_from=night_unit(request.nights[0]),
        unit_to=night_unit(request.nights[-1]),
        now=now,
        ignore_booking_id=ignore_booking_id,
    )
    return [room for room in rooms if not taken.intersection(room_pairs(room, request))]


def search_rooms(
    session: Session, venue: Venue, request: StayRequest, *, now: datetime
) -> list[RoomOffer]:
    """Offers for every room type with at least one room free for the whole stay."""
    validate_stay(venue, request, now=now)
    offers = []
    for room_type in room_types_for(session, venue, request):
        rooms = free_rooms(session, venue, room_type, request, now=now)
        if rooms:
            offers.append(
                RoomOffer(
                    venue_id=venue.id,
                    room_type_id=room_type.id,
                    room_type_name=room_type.name,
                    capacity=room_type.capacity,
                    check_in=request.check_in,
                    check_out=request.check_out,
                    guests=request.guests,
                    nights=len(request.nights),
                    total_amount=stay_price(session, room_type, request),
                    currency=venue.currency,
                    rooms_left=len(rooms),
                )
            )
    return offers
