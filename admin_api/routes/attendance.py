"""Attendance: staff mark arrivals in one tap (and take a mistaken one back), see who has not
arrived after the grace, and undo a no-show."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import AwareDatetime

from admin_api.deps import StaffUser, Tx, actor, tenant
from admin_api.routes.scoped import own_venue
from admin_api.schemas.bookings import BookingDetail, BookingOut, NotArrived
from admin_api.schemas.common import PathId
from engine.bookings.arrivals import mark_arrived, undo_arrival, undo_no_show
from engine.bookings.attendance import arrival_deadline, not_arrived
from engine.bookings.service import get_booking
from engine.db import utcnow

router = APIRouter(tags=["attendance"])

AsOf = Annotated[AwareDatetime | None, Query(description="The moment to answer for (default: now)")]


@router.post("/bookings/{reference}/arrived")
def arrived(reference: str, principal: StaffUser, session: Tx) -> BookingDetail:
    """The guest is here (seated, checked in); a second tap changes nothing."""
    found = get_booking(session, reference=reference, business_id=tenant(principal))
    marked = mark_arrived(session, booking=found, actor=actor(principal), now=utcnow())
    return BookingDetail.model_validate(marked)


@router.post("/bookings/{reference}/undo-arrival")
def take_back_arrival(reference: str, principal: StaffUser, session: Tx) -> BookingDetail:
    """Take back an arrival marked by mistake: the booking waits for its guest again."""
    found = get_booking(session, reference=reference, business_id=tenant(principal))
    undone = undo_arrival(session, booking=found, actor=actor(principal), now=utcnow())
    return BookingDetail.model_validate(undone)


@router.post("/bookings/{reference}/undo-no-show")
def take_back_no_show(reference: str, principal: StaffUser, session: Tx) -> BookingDetail:
    """Take back a no-show: confirmed again with the room or table it had (409 if another
    booking took it meanwhile)."""
    found = get_booking(session, reference=reference, business_id=tenant(principal))
    undone = undo_no_show(session, booking=found, actor=actor(principal), now=utcnow())
    return BookingDetail.model_validate(undone)


@router.get("/venues/{venue_id}/not-arrived")
def not_arrived_bookings(
    venue_id: PathId, principal: StaffUser, session: Tx, as_of: AsOf = None
) -> list[NotArrived]:
    """Confirmed bookings whose guest has not arrived though the grace ended (in the last
    day), longest overdue first."""
    venue = own_venue(session, principal, venue_id)
    now: datetime = as_of or utcnow()
    return [
        NotArrived(
            booking=BookingOut.model_validate(booking),
            grace_ended_at=arrival_deadline(booking, venue),
        )
        for booking in not_arrived(session, now=now, venue_id=venue.id)
    ]
