"""Guests of the business: search by name or phone, and one guest's bookings."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from admin_api.deps import StaffUser, Tx, tenant
from admin_api.schemas.bookings import BookingOut, GuestDetail, GuestOut
from admin_api.schemas.common import PathId
from engine.frontdesk.service import get_guest, guest_history, list_guests

router = APIRouter(prefix="/guests", tags=["guests"])


@router.get("")
def guests(
    principal: StaffUser, session: Tx, q: Annotated[str | None, Query(max_length=64)] = None
) -> list[GuestOut]:
    """Guests whose name or phone matches ``q`` (all of them without it), newest first."""
    rows = list_guests(session, business_id=tenant(principal), query=q)
    return [GuestOut.model_validate(row) for row in rows]


@router.get("/{guest_id}")
def guest(guest_id: PathId, principal: StaffUser, session: Tx) -> GuestDetail:
    """A guest with every booking they made."""
    found = get_guest(session, business_id=tenant(principal), guest_id=guest_id)
    history = [BookingOut.model_validate(b) for b in guest_history(session, guest=found)]
    return GuestDetail.model_validate(
        {**GuestOut.model_validate(found).model_dump(), "bookings": history}
    )
