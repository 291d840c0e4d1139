"""Hotel availability: room types free for every night of a stay, and what the stay costs.

A search reads the whole hotel in one statement whatever the number of room types: per room
type that sleeps the party, its rooms still free for the whole stay counted and the stay
priced with the type's rate overrides (a full hotel is an empty result). The hold behind an
offer decides "free" by the same ``_TAKEN`` condition, so the two cannot disagree.

The statements are built once, here, with bound parameters: building a statement and
computing its cache key on every call cost as much CPU as running it. On PostgreSQL the
search's statement runs as the function ``bookline_room_offers`` (migration 0016), whose plan
the server keeps for the connection's life.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import (
    ColumnElement,
    Executable,
    Integer,
    Select,
    String,
    bindparam,
    cast,
    column,
    func,
    literal,
    select,
    text,
)
from sqlalchemy.orm import Session

from engine.availability.offers import RoomOffer
from engine.availability.requests import StayRequest, validate_stay
from engine.availability.units import Pair, live_claim, night_unit
from engine.bookings.models import Claim
from engine.db import core_rows, on_postgresql
from engine.exceptions import ValidationError
from engine.inventory.models import RateOverride, Room, RoomType
from engine.tenants.models import Venue

#: ``Room.resource`` ("room:<id>") spelled in SQL, to match a room's claims inside one query.
ROOM_RESOURCE: ColumnElement[str] = literal("room:") + cast(Room.id, String)

_ROOM_TYPES = (
    select(RoomType)
    .where(RoomType.venue_id == bindparam("venue_id"))
    .order_by(RoomType.nightly_rate, RoomType.id)
)

#: Rate overrides of some room types over a stay's nights.
_OVERRIDES = select(RateOverride.room_type_id, RateOverride.night, RateOverride.nightly_rate).where(
    RateOverride.room_type_id.in_(bindparam("type_ids", expanding=True)),
    RateOverride.night >= bindparam("first_night"),
    RateOverride.night <= bindparam("last_night"),
)

#: A live (not lapsed) booking's claim on the outer query's room, on a night of the stay.
_TAKEN = select(Claim.id).where(
    Claim.resource == ROOM_RESOURCE,
    Claim.unit >= bindparam("first_unit"),
    Claim.unit <= bindparam("last_unit"),
    live_claim(bindparam("now")),
)


#: What a stay costs in a room type beyond its base rate: the overrides' differences from it
#: (at most one override per type and night, by their unique constraint).
_RATE_DELTA = (
    select(func.coalesce(func.sum(RateOverride.nightly_rate - RoomType.nightly_rate), 0))
    .where(
        RateOverride.room_type_id == RoomType.id,
        RateOverride.night >= bindparam("first_night"),
        RateOverride.night <= bindparam("last_night"),
    )
    .correlate(RoomType)
    .scalar_subquery()
)

#: Per room type that sleeps the party and has a room free for every night: its stay price
#: and how many rooms are free, cheapest type first (the offers of a search, in one round trip).
_OFFERS = (
    select(
        RoomType.id,
        RoomType.name,
        RoomType.capacity,
        RoomType.nightly_rate * bindparam("nights", type_=Integer) + _RATE_DELTA,
        func.count(Room.id),
    )
    .join(Room, Room.room_type_id == RoomType.id)
    .where(
        RoomType.venue_id == bindparam("venue_id"),
        RoomType.capacity >= bindparam("guests"),
        Room.active,
        ~_TAKEN.exists(),
    )
    .group_by(RoomType.id, RoomType.name, RoomType.capacity, RoomType.nightly_rate)
    .order_by(RoomType.nightly_rate, RoomType.id)
)
_OFFERS_OF_TYPE = _OFFERS.where(RoomType.id == bindparam("room_type_id"))
#: ``_OFFERS`` (or, given a room type, ``_OFFERS_OF_TYPE``) as PostgreSQL runs it: a PL/pgSQL
#: function (migration 0016) keeps its plan for the connection's life, where the statement
#: sent as text was planned again on every search, which cost as much as running it. Its
#: columns are named: SQLAlchemy then keeps the result's layout with the compiled statement,
#: where for bare text it matched the columns by name again on every search.
_OFFERS_FUNCTION = text(
    "SELECT * FROM bookline_room_offers(:venue_id, :guests, :room_type_id, :nights,"
    " :first_night, :last_night, :first_unit, :last_unit, :now)"
).columns(
    column("room_type_id", Integer),
    column("name", String),
    column("capacity", Integer),
    column("total", Integer),
    column("rooms_left", Integer),
)


def _free_rooms_query(taken: Select[int]) -> Select[int, str]:
    return (
        select(Room.room_type_id, ROOM_RESOURCE)
        .where(
            Room.room_type_id.in_(bindparam("type_ids", expanding=True)),
            Room.active,
            ~taken.exists(),
        )
        .order_by(Room.number)
    )


_FREE_ROOMS = _free_rooms_query(_TAKEN)
_FREE_ROOMS_BUT_ONE = _free_rooms_query(
    _TAKEN.where(Claim.booking_id != bindparam("ignore_booking_id"))
)


def room_types_for(session: Session, venue: Venue, request: StayRequest) -> list[RoomType]:
    """Room types that can host the party (or the one asked for), cheapest first."""
    if request.room_type_id is not None:
        return [room_type_for(session, venue, request)]
    room_types = session.scalars(_ROOM_TYPES, {"venue_id": venue.id})
    return [rt for rt in room_types if rt.capacity >= request.guests]


def room_type_for(session: Session, venue: Venue, request: StayRequest) -> RoomType:
    """The room type the request names, if it is the venue's and sleeps the party.

    ``Session.get``: no statement at all when this unit of work still holds the type.
    """
    if request.room_type_id is None:
        raise ValidationError("Choose a room type to hold.")
    room_type = session.get(RoomType, request.room_type_id)
    if room_type is None or room_type.venue_id != venue.id:
        raise ValidationError("That room type does not exist at this hotel.")
    if room_type.capacity < request.guests:
        raise ValidationError(
            f"A {room_type.name} room sleeps at most {room_type.capacity} guests."
        )
    return room_type


def stay_prices(
    session: Session, room_types: Sequence[RoomType], request: StayRequest
) -> dict[int, int]:
    """Stay total per room type id in minor units: per-date overrides win over the base rate."""
    if not room_types:
        return {}
    nights = request.nights
    rows = session.execute(
        _OVERRIDES,
        {
            "type_ids": [rt.id for rt in room_types],
            "first_night": nights[0],
            "last_night": nights[-1],
        },
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
    return stay_pairs(room.resource, request)


def stay_pairs(resource: str, request: StayRequest) -> list[Pair]:
    """The claims a stay needs in the room with this resource key."""
    return [(resource, night_unit(night)) for night in request.nights]


def free_rooms(
    session: Session,
    room_types: Sequence[RoomType],
    request: StayRequest,
    *,
    now: datetime,
    ignore_booking_id: int | None = None,
) -> dict[int, list[str]]:
    """Per room type id, the resources of its active rooms free for every night of the stay.

    In room-number order, in one statement that returns only the free rooms: a room is out
    when a live (not lapsed) booking claims any of its nights, which is one probe of the
    claims' ``(resource, unit)`` index per room. A full hotel costs an empty result, not its
    rooms and their claims loaded and compared in Python. ``ignore_booking_id`` leaves out
    one booking's own claims, so a booking being modified can keep the nights it holds.
    """
    if not room_types:
        return {}
    params: dict[str, object] = {
        "type_ids": [rt.id for rt in room_types],
        "first_unit": night_unit(request.nights[0]),
        "last_unit": night_unit(request.nights[-1]),
        "now": now,
    }
    statement = _FREE_ROOMS
    if ignore_booking_id is not None:
        statement, params["ignore_booking_id"] = _FREE_ROOMS_BUT_ONE, ignore_booking_id
    free: dict[int, list[str]] = {rt.id: [] for rt in room_types}
    for type_id, resource in session.execute(statement, params):
        free[type_id].append(resource)
    return free


def search_rooms(
    session: Session, venue: Venue, request: StayRequest, *, now: datetime
) -> list[RoomOffer]:
    """Offers for every room type with at least one room free for the whole stay."""
    validate_stay(venue, request, now=now)
    nights = request.nights
    params: dict[str, object] = {
        "venue_id": venue.id,
        "guests": request.guests,
        "nights": len(nights),
        "first_night": nights[0],
        "last_night": nights[-1],
        "first_unit": night_unit(nights[0]),
        "last_unit": night_unit(nights[-1]),
        "now": now,
        "room_type_id": request.room_type_id,
    }
    statement: Executable = _OFFERS
    if request.room_type_id is not None:
        room_type_for(session, venue, request)  # says why when the type cannot be offered
        statement = _OFFERS_OF_TYPE
    if on_postgresql(session):
        statement = _OFFERS_FUNCTION
    return [
        RoomOffer(
            venue_id=venue.id,
            room_type_id=type_id,
            room_type_name=name,
            capacity=capacity,
            check_in=request.check_in,
            check_out=request.check_out,
            guests=request.guests,
            nights=len(nights),
            total_amount=total,
            currency=venue.currency,
            rooms_left=rooms_left,
        )
        for type_id, name, capacity, total, rooms_left in core_rows(session, statement, params)
    ]
