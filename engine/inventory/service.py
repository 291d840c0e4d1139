"""Inventory services: what a venue sells (room types, rooms, rates, tables) and when
(opening hours, closures). The only code that writes these tables.

Every lookup is scoped by business: a row of another tenant is "not found", never "forbidden",
so its existence does not leak. Removing inventory that bookings used is refused with a hint to
deactivate it instead, which keeps every past booking's resources resolvable.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from functools import cache
from typing import Any, TypeVar

from sqlalchemy import Select, bindparam, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from engine.bookings.models import Booking, Claim
from engine.db import Base, core_rows
from engine.exceptions import NotFoundError, ValidationError
from engine.inventory.models import Closure, OpeningHours, RateOverride, Room, RoomType, Table
from engine.tenants.enums import VenueKind
from engine.tenants.models import Venue

M = TypeVar("M", bound=Base)
VenueItem = TypeVar("VenueItem", RoomType, Table, OpeningHours, Closure)

MAX_RATE_NIGHTS = 366
LABELS: dict[type[Base], str] = {
    RoomType: "room type",
    Room: "room",
    Table: "table",
    OpeningHours: "opening hours entry",
    Closure: "closure",
}


def get_item(session: Session, *, kind: type[M], item_id: int, business_id: int) -> M:
    """One inventory row of the business by id; NotFoundError for anyone else's."""
    query = select(kind).where(kind.id == item_id)  # type: ignore[attr-defined]
    if kind is Room:
        query = query.join(RoomType, Room.room_type_id == RoomType.id)
        query = query.join(Venue, RoomType.venue_id == Venue.id)
    else:
        query = query.join(Venue, kind.venue_id == Venue.id)  # type: ignore[attr-defined]
    row = session.scalar(query.where(Venue.business_id == business_id))
    if row is None:
        raise NotFoundError(f"That {LABELS[kind]} does not exist.")
    return row


def _require_kind(venue: Venue, kind: VenueKind, what: str) -> None:
    if venue.kind != kind:
        raise ValidationError(
            f"{venue.name} is a {venue.kind.value}; only a {kind.value} has {what}."
        )


def _save(session: Session, row: M, fields: Mapping[str, Any], duplicate: str) -> M:
    """Apply ``fields`` and flush; a unique-key clash becomes a readable ValidationError."""
    try:
        with session.begin_nested():
            for name, value in fields.items():
                setattr(row, name, value)
            session.add(row)
    except IntegrityError as exc:
        raise ValidationError(duplicate) from exc
    return row


def _list(session: Session, kind: type[VenueItem], venue: Venue, *order: Any) -> list[VenueItem]:
    return list(session.scalars(select(kind).where(kind.venue_id == venue.id).order_by(*order)))


def _delete_unused(session: Session, row: Room | Table) -> None:
    """Delete a room or table no booking ever used; otherwise ask for deactivation."""
    used = select(Claim.id).where(Claim.resource == row.resource).limit(1)
    if session.scalar(used) is not None:
        raise ValidationError(
            f"That {LABELS[type(row)]} has bookings; deactivate it instead of deleting it."
        )
    session.delete(row)
    session.flush()


# Room types and rooms -------------------------------------------------------------------------


def list_room_types(session: Session, *, venue: Venue) -> list[RoomType]:
    """A hotel's room types with their rooms, cheapest first."""
    query = (
        select(RoomType)
        .where(RoomType.venue_id == venue.id)
        .options(selectinload(RoomType.rooms))
        .order_by(RoomType.nightly_rate, RoomType.id)
    )
    return list(session.scalars(query))


def room_type_names(session: Session, *, venue_id: int) -> list[str]:
    """The names of the venue's room types (what "the deluxe one" may match).

    Read through Core with a statement built once: every hotel turn asks, and the ORM's
    execution layer and a freshly built select cost more CPU than the statement.
    """
    return [name for (name,) in core_rows(session, _room_type_names(), {"venue_id": venue_id})]


@cache
def _room_type_names() -> Select[str]:
    return select(RoomType.name).where(RoomType.venue_id == bindparam("venue_id"))


def create_room_type(session: Session, *, venue: Venue, fields: Mapping[str, Any]) -> RoomType:
    """A new kind of room at a hotel."""
    _require_kind(venue, VenueKind.HOTEL, "room types")
    duplicate = f"{venue.name} already has a room type called '{fields.get('name')}'."
    return _save(session, RoomType(venue_id=venue.id), fields, duplicate)


def update_room_type(
    session: Session, *, room_type: RoomType, fields: Mapping[str, Any]
) -> RoomType:
    """Rename, re-price or resize a room type (existing bookings keep their amounts)."""
    duplicate = f"Another room type is already called '{fields.get('name')}'."
    return _save(session, room_type, fields, duplicate)


def delete_room_type(session: Session, *, room_type: RoomType) -> None:
    """Remove an empty room type that no booking refers to."""
    booked = select(Booking.id).where(Booking.room_type_id == room_type.id).limit(1)
    if room_type.rooms or session.scalar(booked) is not None:
        raise ValidationError("Only a room type without rooms or bookings can be deleted.")
    session.execute(delete(RateOverride).where(RateOverride.room_type_id == room_type.id))
    session.delete(room_type)
    session.flush()


def list_rooms(session: Session, *, venue: Venue) -> list[Room]:
    """Every room of a hotel, by number."""
    query = select(Room).join(RoomType).where(RoomType.venue_id == venue.id)
    return list(session.scalars(query.order_by(Room.number)))


def _check_room_number(session: Session, room_type: RoomType, room: Room, number: str) -> None:
    """Room numbers are unique across the hotel, not only within a type."""
    query = (
        select(Room)
        .join(RoomType)
        .where(RoomType.venue_id == room_type.venue_id, Room.number == number)
    )
    clash = session.scalar(query)
    if clash is not None and clash is not room:
        raise ValidationError(f"The hotel already has a room {number}.")


def create_room(session: Session, *, room_type: RoomType, fields: Mapping[str, Any]) -> Room:
    """Add a physical room of a type."""
    room = Room(room_type_id=room_type.id)
    _check_room_number(session, room_type, room, fields["number"])
    return _save(session, room, fields, f"The hotel already has a room {fields['number']}.")


def update_room(
    session: Session, *, room: Room, fields: Mapping[str, Any], business_id: int
) -> Room:
    """Renumber, (de)activate or re-type a room within its hotel."""
    room_type = room.room_type
    if "room_type_id" in fields:
        room_type = get_item(
            session, kind=RoomType, item_id=fields["room_type_id"], business_id=business_id
        )
        if room_type.venue_id != room.room_type.venue_id:
            raise ValidationError("A room can only move to a room type of its own hotel.")
    _check_room_number(session, room_type, room, fields.get("number", room.number))
    room.room_type = room_type
    changes = {name: value for name, value in fields.items() if name != "room_type_id"}
    return _save(session, room, changes, "The hotel already has a room with that number.")


def delete_room(session: Session, *, room: Room) -> None:
    """Remove a room that was never booked (otherwise deactivate it)."""
    _delete_unused(session, room)


# Rates ----------------------------------------------------------------------------------------


def _nights(start: date, end: date) -> list[date]:
    """The nights from ``start`` up to, not including, ``end`` (bounded)."""
    count = (end - start).days
    if not 0 < count <= MAX_RATE_NIGHTS:
        raise ValidationError(
            f"Choose an end date after the start, at most {MAX_RATE_NIGHTS} nights."
        )
    return [start + timedelta(days=n) for n in range(count)]


def list_rate_overrides(
    session: Session, *, room_type: RoomType, start: date, end: date
) -> list[RateOverride]:
    """Per-night rates set for a room type between two dates."""
    query = select(RateOverride).where(
        RateOverride.room_type_id == room_type.id,
        RateOverride.night >= start,
        RateOverride.night < end,
    )
    return list(session.scalars(query.order_by(RateOverride.night)))


def set_rate_overrides(
    session: Session, *, room_type: RoomType, start: date, end: date, nightly_rate: int
) -> list[RateOverride]:
    """Price every night of a date range (seasons, events); replaces earlier overrides."""
    nights = _nights(start, end)
    clear_rate_overrides(session, room_type=room_type, start=start, end=end)
    rows = [
        RateOverride(room_type_id=room_type.id, night=n, nightly_rate=nightly_rate) for n in nights
    ]
    session.add_all(rows)
    session.flush()
    return rows


def clear_rate_overrides(session: Session, *, room_type: RoomType, start: date, end: date) -> None:
    """Back to the base rate for the nights of a date range."""
    _nights(start, end)
    session.execute(
        delete(RateOverride).where(
            RateOverride.room_type_id == room_type.id,
            RateOverride.night >= start,
            RateOverride.night < end,
        )
    )


# Tables, opening hours, closures --------------------------------------------------------------


def list_tables(session: Session, *, venue: Venue) -> list[Table]:
    """A restaurant's tables by label."""
    return _list(session, Table, venue, Table.label)


def create_table(session: Session, *, venue: Venue, fields: Mapping[str, Any]) -> Table:
    """Add a table to a restaurant."""
    _require_kind(venue, VenueKind.RESTAURANT, "tables")
    duplicate = f"{venue.name} already has a table '{fields.get('label')}'."
    return _save(session, Table(venue_id=venue.id), fields, duplicate)


def update_table(session: Session, *, table: Table, fields: Mapping[str, Any]) -> Table:
    """Relabel, resize, regroup or (de)activate a table."""
    return _save(session, table, fields, f"There already is a table '{fields.get('label')}'.")


def delete_table(session: Session, *, table: Table) -> None:
    """Remove a table that was never booked (otherwise deactivate it)."""
    _delete_unused(session, table)


def list_opening_hours(session: Session, *, venue: Venue) -> list[OpeningHours]:
    """A restaurant's service windows, Monday first."""
    return _list(session, OpeningHours, venue, OpeningHours.weekday, OpeningHours.opens)


def _check_window(fields: Mapping[str, Any], current: OpeningHours | None = None) -> None:
    opens = fields.get("opens", current.opens if current else None)
    closes = fields.get("closes", current.closes if current else None)
    if opens == closes:
        raise ValidationError(
            "Opening and closing times must differ (a window past midnight is fine)."
        )


def add_opening_hours(session: Session, *, venue: Venue, fields: Mapping[str, Any]) -> OpeningHours:
    """Add a service window on a weekday."""
    _require_kind(venue, VenueKind.RESTAURANT, "opening hours")
    _check_window(fields)
    return _save(session, OpeningHours(venue_id=venue.id), fields, "That window already exists.")


def update_opening_hours(
    session: Session, *, hours: OpeningHours, fields: Mapping[str, Any]
) -> OpeningHours:
    """Move a service window."""
    _check_window(fields, hours)
    return _save(session, hours, fields, "That window already exists.")


def list_closures(session: Session, *, venue: Venue) -> list[Closure]:
    """Days the venue takes no bookings, soonest first."""
    return _list(session, Closure, venue, Closure.day)


def add_closure(session: Session, *, venue: Venue, day: date, reason: str) -> Closure:
    """Close the venue for a whole local date (existing bookings are kept; the owner decides)."""
    duplicate = f"{venue.name} is already closed on {day.isoformat()}."
    return _save(session, Closure(venue_id=venue.id), {"day": day, "reason": reason}, duplicate)


def delete_opening_hours(session: Session, *, hours: OpeningHours) -> None:
    """Remove a service window (nothing refers to it)."""
    session.delete(hours)
    session.flush()


def delete_closure(session: Session, *, closure: Closure) -> None:
    """Open the venue again on that day (nothing refers to a closure)."""
    session.delete(closure)
    session.flush()
