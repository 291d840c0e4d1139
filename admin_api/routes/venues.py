"""Venues: list and read (staff too), create and change settings (owners), calendar feed."""

from __future__ import annotations

from fastapi import APIRouter

from admin_api.deps import OwnerUser, StaffUser, Tx, tenant
from admin_api.routes.scoped import own_venue
from admin_api.schemas.common import PathId
from admin_api.schemas.venues import CalendarFeed, VenueChanges, VenueCreate, VenueOut
from engine.calendar.service import feed_token, rotate_feed_token
from engine.tenants.service import create_venue, list_venues, update_venue
from infra.deps import RuntimeDep
from infra.runtime import Runtime

router = APIRouter(prefix="/venues", tags=["venues"])


@router.get("")
def venues(principal: StaffUser, session: Tx) -> list[VenueOut]:
    """The business's hotels and restaurants."""
    rows = list_venues(session, business_id=tenant(principal))
    return [VenueOut.model_validate(row) for row in rows]


@router.post("", status_code=201)
def new_venue(body: VenueCreate, principal: OwnerUser, session: Tx) -> VenueOut:
    """Add a hotel or restaurant."""
    venue = create_venue(session, business_id=tenant(principal), fields=body.fields())
    return VenueOut.model_validate(venue)


@router.get("/{venue_id}")
def venue(venue_id: PathId, principal: StaffUser, session: Tx) -> VenueOut:
    """One venue with its settings."""
    found = own_venue(session, principal, venue_id)
    return VenueOut.model_validate(found)


@router.patch("/{venue_id}")
def change_venue(
    venue_id: PathId, body: VenueChanges, principal: OwnerUser, session: Tx
) -> VenueOut:
    """Change a venue's settings and policies."""
    found = own_venue(session, principal, venue_id)
    return VenueOut.model_validate(update_venue(session, venue=found, fields=body.fields()))


def _feed(runtime: Runtime, token: str) -> CalendarFeed:
    base = runtime.settings.public_base_url.rstrip("/")
    return CalendarFeed(url=f"{base}/api/v1/calendar/{token}.ics", token=token)


@router.get("/{venue_id}/calendar")
def calendar(
    venue_id: PathId, principal: OwnerUser, session: Tx, runtime: RuntimeDep
) -> CalendarFeed:
    """The venue's secret iCalendar address (add ``?room_type_id=`` for one room type)."""
    found = own_venue(session, principal, venue_id)
    return _feed(runtime, feed_token(venue=found, secret=runtime.settings.signing_key()))


@router.post("/{venue_id}/calendar/rotate")
def rotate_calendar(
    venue_id: PathId, principal: OwnerUser, session: Tx, runtime: RuntimeDep
) -> CalendarFeed:
    """Replace the secret address; the old one stops working at once."""
    found = own_venue(session, principal, venue_id)
    token = rotate_feed_token(venue=found, secret=runtime.settings.signing_key())
    return _feed(runtime, token)
