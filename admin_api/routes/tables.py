"""Restaurant inventory and calendars: tables, opening hours, and closures (any venue)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from admin_api.deps import OwnerUser, StaffUser, Tx
from admin_api.routes.scoped import own_item, own_venue
from admin_api.schemas.common import PathId
from admin_api.schemas.inventory import (
    ClosureCreate,
    ClosureOut,
    HoursChanges,
    HoursCreate,
    HoursOut,
    TableChanges,
    TableCreate,
    TableOut,
)
from engine.inventory import service as inventory
from engine.inventory.models import Closure, OpeningHours, Table

router = APIRouter(tags=["restaurant inventory"])


@router.get("/venues/{venue_id}/tables")
def tables(venue_id: PathId, principal: StaffUser, session: Tx) -> list[TableOut]:
    """A restaurant's tables."""
    venue = own_venue(session, principal, venue_id)
    return [TableOut.model_validate(t) for t in inventory.list_tables(session, venue=venue)]


@router.post("/venues/{venue_id}/tables", status_code=201)
def new_table(venue_id: PathId, body: TableCreate, principal: OwnerUser, session: Tx) -> TableOut:
    """Add a table."""
    venue = own_venue(session, principal, venue_id)
    return TableOut.model_validate(
        inventory.create_table(session, venue=venue, fields=body.fields())
    )


@router.patch("/tables/{table_id}")
def change_table(
    table_id: PathId, body: TableChanges, principal: OwnerUser, session: Tx
) -> TableOut:
    """Relabel, resize, regroup or (de)activate a table."""
    table = own_item(session, principal, Table, table_id)
    return TableOut.model_validate(
        inventory.update_table(session, table=table, fields=body.fields())
    )


@router.delete("/tables/{table_id}", status_code=204)
def delete_table(table_id: PathId, principal: OwnerUser, session: Tx) -> Response:
    """Remove a table that was never booked (otherwise deactivate it)."""
    inventory.delete_table(session, table=own_item(session, principal, Table, table_id))
    return Response(status_code=204)


@router.get("/venues/{venue_id}/opening-hours")
def opening_hours(venue_id: PathId, principal: StaffUser, session: Tx) -> list[HoursOut]:
    """A restaurant's service windows, Monday first."""
    venue = own_venue(session, principal, venue_id)
    return [HoursOut.model_validate(h) for h in inventory.list_opening_hours(session, venue=venue)]


@router.post("/venues/{venue_id}/opening-hours", status_code=201)
def new_opening_hours(
    venue_id: PathId, body: HoursCreate, principal: OwnerUser, session: Tx
) -> HoursOut:
    """Add a service window on a weekday."""
    venue = own_venue(session, principal, venue_id)
    return HoursOut.model_validate(
        inventory.add_opening_hours(session, venue=venue, fields=body.fields())
    )


@router.patch("/opening-hours/{hours_id}")
def change_opening_hours(
    hours_id: PathId, body: HoursChanges, principal: OwnerUser, session: Tx
) -> HoursOut:
    """Move a service window."""
    hours = own_item(session, principal, OpeningHours, hours_id)
    return HoursOut.model_validate(
        inventory.update_opening_hours(session, hours=hours, fields=body.fields())
    )


@router.delete("/opening-hours/{hours_id}", status_code=204)
def delete_opening_hours(hours_id: PathId, principal: OwnerUser, session: Tx) -> Response:
    """Remove a service window."""
    inventory.delete_row(session, row=own_item(session, principal, OpeningHours, hours_id))
    return Response(status_code=204)


@router.get("/venues/{venue_id}/closures")
def closures(venue_id: PathId, principal: StaffUser, session: Tx) -> list[ClosureOut]:
    """Days the venue is closed."""
    venue = own_venue(session, principal, venue_id)
    return [ClosureOut.model_validate(c) for c in inventory.list_closures(session, venue=venue)]


@router.post("/venues/{venue_id}/closures", status_code=201)
def new_closure(
    venue_id: PathId, body: ClosureCreate, principal: OwnerUser, session: Tx
) -> ClosureOut:
    """Close the venue for a day (bookings already made that day are kept)."""
    venue = own_venue(session, principal, venue_id)
    closure = inventory.add_closure(session, venue=venue, day=body.day, reason=body.reason)
    return ClosureOut.model_validate(closure)


@router.delete("/closures/{closure_id}", status_code=204)
def delete_closure(closure_id: PathId, principal: OwnerUser, session: Tx) -> Response:
    """Open the venue again on that day."""
    inventory.delete_row(session, row=own_item(session, principal, Closure, closure_id))
    return Response(status_code=204)
