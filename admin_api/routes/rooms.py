"""Hotel inventory: room types, rooms and per-night rates (reading: staff too; changes: owners)."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Response

from admin_api.deps import OwnerUser, StaffUser, Tx, tenant
from admin_api.routes.scoped import add_listing, add_removal, own_item, own_venue
from admin_api.schemas.common import PathId
from admin_api.schemas.inventory import (
    RateOut,
    RateRange,
    RoomChanges,
    RoomCreate,
    RoomOut,
    RoomTypeChanges,
    RoomTypeCreate,
    RoomTypeOut,
)
from engine.inventory import service as inventory
from engine.inventory.models import Room, RoomType

router = APIRouter(tags=["hotel inventory"])


@router.post("/venues/{venue_id}/room-types", status_code=201)
def new_room_type(
    venue_id: PathId, body: RoomTypeCreate, principal: OwnerUser, session: Tx
) -> RoomTypeOut:
    """Add a room type to a hotel."""
    venue = own_venue(session, principal, venue_id)
    room_type = inventory.create_room_type(session, venue=venue, fields=body.fields())
    return RoomTypeOut.model_validate(room_type)


@router.patch("/room-types/{room_type_id}")
def change_room_type(
    room_type_id: PathId, body: RoomTypeChanges, principal: OwnerUser, session: Tx
) -> RoomTypeOut:
    """Rename, re-price or resize a room type."""
    room_type = own_item(session, principal, RoomType, room_type_id)
    updated = inventory.update_room_type(session, room_type=room_type, fields=body.fields())
    return RoomTypeOut.model_validate(updated)


@router.post("/room-types/{room_type_id}/rooms", status_code=201)
def new_room(room_type_id: PathId, body: RoomCreate, principal: OwnerUser, session: Tx) -> RoomOut:
    """Add a room of this type."""
    room_type = own_item(session, principal, RoomType, room_type_id)
    return RoomOut.model_validate(
        inventory.create_room(session, room_type=room_type, fields=body.fields())
    )


@router.patch("/rooms/{room_id}")
def change_room(room_id: PathId, body: RoomChanges, principal: OwnerUser, session: Tx) -> RoomOut:
    """Renumber, (de)activate or re-type a room."""
    room = own_item(session, principal, Room, room_id)
    updated = inventory.update_room(
        session, room=room, fields=body.fields(), business_id=tenant(principal)
    )
    return RoomOut.model_validate(updated)


@router.get("/room-types/{room_type_id}/rates")
def rates(
    room_type_id: PathId, start: date, end: date, principal: StaffUser, session: Tx
) -> list[RateOut]:
    """Per-night rate overrides from ``start`` up to ``end`` (other nights: the base rate)."""
    room_type = own_item(session, principal, RoomType, room_type_id)
    rows = inventory.list_rate_overrides(session, room_type=room_type, start=start, end=end)
    return [RateOut.model_validate(row) for row in rows]


@router.put("/room-types/{room_type_id}/rates")
def set_rates(
    room_type_id: PathId, body: RateRange, principal: OwnerUser, session: Tx
) -> list[RateOut]:
    """Set one nightly rate for every night of a date range."""
    room_type = own_item(session, principal, RoomType, room_type_id)
    rows = inventory.set_rate_overrides(
        session, room_type=room_type, start=body.start, end=body.end, nightly_rate=body.nightly_rate
    )
    return [RateOut.model_validate(row) for row in rows]


@router.delete("/room-types/{room_type_id}/rates", status_code=204)
def clear_rates(
    room_type_id: PathId, start: date, end: date, principal: OwnerUser, session: Tx
) -> Response:
    """Back to the base rate from ``start`` up to ``end``."""
    room_type = own_item(session, principal, RoomType, room_type_id)
    inventory.clear_rate_overrides(session, room_type=room_type, start=start, end=end)
    return Response(status_code=204)


add_listing(router, "/venues/{venue_id}/room-types", RoomTypeOut, inventory.list_room_types)
add_removal(router, "/room-types/{room_type_id}", RoomType, inventory.delete_room_type)

add_listing(router, "/venues/{venue_id}/rooms", RoomOut, inventory.list_rooms)
add_removal(router, "/rooms/{room_id}", Room, inventory.delete_room)
