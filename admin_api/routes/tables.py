"""Restaurant inventory and calendars: tables, opening hours, and closures (any venue)."""

from __future__ import annotations

from fastapi import APIRouter

from admin_api.deps import OwnerUser, Tx
from admin_api.routes.scoped import add_listing, add_removal, own_item, own_venue
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


@router.post("/venues/{venue_id}/closures", status_code=201)
def new_closure(
    venue_id: PathId, body: ClosureCreate, principal: OwnerUser, session: Tx
) -> ClosureOut:
    """Close the venue for a day (bookings already made that day are kept)."""
    venue = own_venue(session, principal, venue_id)
    closure = inventory.add_closure(session, venue=venue, day=body.day, reason=body.reason)
    return ClosureOut.model_validate(closure)


add_listing(router, "/venues/{venue_id}/tables", TableOut, inventory.list_tables)
add_removal(router, "/tables/{table_id}", Table, inventory.delete_table)

add_listing(router, "/venues/{venue_id}/opening-hours", HoursOut, inventory.list_opening_hours)
add_removal(router, "/opening-hours/{hours_id}", OpeningHours, inventory.delete_opening_hours)

add_listing(router, "/venues/{venue_id}/closures", ClosureOut, inventory.list_closures)
add_removal(router, "/closures/{closure_id}", Closure, inventory.delete_closure)
