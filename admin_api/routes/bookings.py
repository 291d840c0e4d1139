"""Bookings: list, search, CSV export, detail with audit trail, desk bookings and actions."""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import StreamingResponse

from admin_api.deps import OwnerUser, StaffUser, Tx, Work, actor, tenant
from admin_api.export import bookings_csv
from admin_api.schemas.bookings import (
    BookingDetail,
    BookingOut,
    CancelRequest,
    CancelResult,
    DeskBookingCreate,
    MoveRequest,
    RefundQuote,
    RoomCancelResult,
)
from admin_api.schemas.common import PathId, QueryId
from admin_api.schemas.venues import CancellationTier
from application.approvals import accept_request, decline_request
from application.sessions import autocommit
from engine.accounts.enums import Role
from engine.bookings.enums import Approval, BookingStatus, CancelledBy, Channel
from engine.bookings.models import Booking
from engine.bookings.policies import (
    booking_start,
    paid_not_refunded,
    paid_toward_price,
    quote_cancellation,
)
from engine.bookings.service import complete, get_booking, mark_no_show
from engine.db import utcnow
from engine.frontdesk.service import (
    MAX_PAGE,
    BookingFilter,
    DeskRequest,
    Move,
    booking_batches,
    desk_booking,
    desk_cancel,
    desk_move,
    list_bookings,
    staff_refund_cap,
)
from engine.guests.service import normalize_phone
from engine.payments.changes import cancel_room
from engine.tenants.service import get_venue
from infra.deps import RuntimeDep
from infra.runtime import Runtime

router = APIRouter(prefix="/bookings", tags=["bookings"])


def booking_filter(
    venue_id: QueryId | None = None,
    start: Annotated[date | None, Query(description="First local arrival date")] = None,
    end: Annotated[date | None, Query(description="Last local arrival date")] = None,
    status: BookingStatus | None = None,
    channel: Channel | None = None,
    guest_phone: Annotated[str | None, Query(max_length=32)] = None,
    q: Annotated[str | None, Query(max_length=64, description="Reference or phone")] = None,
    approval: Annotated[
        Approval | None, Query(description="Groups' requests: pending, accepted, declined")
    ] = None,
) -> BookingFilter:
    """The list filters from the query string; a phone that cannot be one is refused here,
    before a CSV export has started streaming (a 200 cannot become an error halfway)."""
    phone = normalize_phone(guest_phone) if guest_phone else None
    return BookingFilter(venue_id, start, end, status, channel, phone, q, approval)


Filters = Annotated[BookingFilter, Depends(booking_filter)]


@router.get("")
def bookings(
    filters: Filters,
    principal: StaffUser,
    session: Tx,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> list[BookingOut]:
    """Bookings matching the filters, newest first."""
    rows = list_bookings(
        session, business_id=tenant(principal), filters=filters, limit=limit, offset=offset
    )
    return [BookingOut.model_validate(row) for row in rows]


@router.get(
    "/export.csv", response_class=StreamingResponse, responses={200: {"content": {"text/csv": {}}}}
)
def export(filters: Filters, principal: StaffUser, runtime: RuntimeDep) -> StreamingResponse:
    """Every filtered booking as a CSV file (no cap), streamed as it is read."""
    headers = {"Content-Disposition": 'attachment; filename="bookings.csv"'}
    rows = _export_rows(runtime, tenant(principal), filters)
    return StreamingResponse(rows, media_type="text/csv", headers=headers)


def _export_rows(runtime: Runtime, business_id: int, filters: BookingFilter) -> Iterator[str]:
    """The CSV pieces, read in batches in a session of their own (the request's transaction
    has ended by the time the body is sent)."""
    with autocommit(runtime) as session:
        batches = booking_batches(session, business_id=business_id, filters=filters)
        yield from bookings_csv(batches)


@router.post("", status_code=201)
def new_booking(body: DeskBookingCreate, principal: StaffUser, session: Tx) -> BookingDetail:
    """A phone or walk-in booking, held and confirmed through the engine."""
    venue = get_venue(session, venue_id=body.venue_id, business_id=tenant(principal))
    fields = body.model_dump(exclude={"venue_id", "local_start"})
    request = DeskRequest(**{**fields, "starts_at": body.start_at(venue)})
    booking = desk_booking(session, venue=venue, request=request, actor=actor(principal))
    return BookingDetail.model_validate(booking)


@router.get("/{reference}")
def booking(reference: str, principal: StaffUser, session: Tx) -> BookingDetail:
    """One booking with its audit trail."""
    found = get_booking(session, reference=reference, business_id=tenant(principal))
    return BookingDetail.model_validate(found)


@router.get("/{reference}/refund-quote")
def refund_quote(reference: str, principal: StaffUser, session: Tx) -> RefundQuote:
    """What a policy cancellation would refund now, as the cancel itself will compute it."""
    found = get_booking(session, reference=reference, business_id=tenant(principal))
    return _quote(found, now=utcnow())


def _quote(booking: Booking, *, now: datetime) -> RefundQuote:
    """The engine's guest-policy quote (what ``desk_cancel`` refunds for "policy"), with the
    notice and tiers that explain it and the staff member's ceiling."""
    quote = quote_cancellation(booking, by=CancelledBy.GUEST, now=now)
    starts_at = booking_start(booking, booking.venue)
    return RefundQuote(
        refund_amount=quote.refund_amount,
        refund_percent=quote.refund_percent,
        currency=quote.currency,
        amount_paid=paid_not_refunded(booking),
        policy_base=paid_toward_price(booking),
        starts_at=starts_at,
        hours_before_start=math.floor((starts_at - now).total_seconds() / 3600),
        tiers=[CancellationTier.model_validate(t) for t in booking.venue.cancellation_tiers],
        staff_refund_cap=staff_refund_cap(booking, now=now),
    )


@router.post("/{reference}/cancel")
def cancel_booking(
    reference: str,
    body: CancelRequest,
    principal: StaffUser,
    session: Tx,
) -> CancelResult:
    """Cancel with the policy refund, a full one, none, or a chosen amount (staff: limited)."""
    found = get_booking(session, reference=reference, business_id=tenant(principal))
    result = desk_cancel(
        session,
        booking=found,
        actor=actor(principal),
        role=principal.role,
        choice=body.refund,
        amount=body.refund_amount,
        reason=body.reason,
    )
    return CancelResult(
        booking=BookingDetail.model_validate(result.booking),
        refund_amount=result.quote.refund_amount,
        refund_percent=result.quote.refund_percent,
        currency=result.quote.currency,
    )


@router.post("/{reference}/rooms/{room_id}/cancel")
def cancel_one_room(
    reference: str, room_id: PathId, principal: StaffUser, session: Tx
) -> RoomCancelResult:
    """Cancel one room of a stay of several rooms: an owner refunds its share in full, staff
    as the venue policy refunds a guest's cancellation now."""
    found = get_booking(session, reference=reference, business_id=tenant(principal))
    by = CancelledBy.OWNER if principal.role == Role.OWNER else CancelledBy.GUEST
    change = cancel_room(session, booking=found, room_id=room_id, by=by, actor=actor(principal))
    return RoomCancelResult(
        booking=BookingDetail.model_validate(change.booking),
        refund_amount=change.refund_amount,
        currency=found.currency,
    )


@router.post("/{reference}/accept")
def accept_group(reference: str, principal: OwnerUser, uow: Work) -> BookingDetail:
    """Accept a group's request: the guest is told and gets the payment link."""
    found = get_booking(uow.session, reference=reference, business_id=tenant(principal))
    accepted = accept_request(uow, booking=found, actor=actor(principal), now=utcnow())
    return BookingDetail.model_validate(accepted)


@router.post("/{reference}/decline")
def decline_group(reference: str, principal: OwnerUser, uow: Work) -> BookingDetail:
    """Decline a group's request: its rooms are freed and the guest is told."""
    found = get_booking(uow.session, reference=reference, business_id=tenant(principal))
    declined = decline_request(uow, booking=found, actor=actor(principal), now=utcnow())
    return BookingDetail.model_validate(declined)


@router.post("/{reference}/no-show")
def no_show(reference: str, principal: StaffUser, session: Tx) -> BookingDetail:
    """The guest did not come: close the booking and free the rest of its inventory."""
    found = get_booking(session, reference=reference, business_id=tenant(principal))
    return BookingDetail.model_validate(
        mark_no_show(session, booking=found, actor=actor(principal))
    )


@router.post("/{reference}/complete")
def complete_booking(reference: str, principal: StaffUser, session: Tx) -> BookingDetail:
    """The guest came and went."""
    found = get_booking(session, reference=reference, business_id=tenant(principal))
    return BookingDetail.model_validate(complete(session, booking=found, actor=actor(principal)))


@router.post("/{reference}/move")
def move_booking(
    reference: str, body: MoveRequest, principal: StaffUser, session: Tx
) -> BookingDetail:
    """Change dates, time, party size, or move to a chosen room or tables."""
    found = get_booking(session, reference=reference, business_id=tenant(principal))
    fields = body.model_dump(exclude={"local_start"})
    move = Move(**{**fields, "starts_at": body.start_at(found.venue)})
    moved = desk_move(session, booking=found, move=move, actor=actor(principal))
    return BookingDetail.model_validate(moved)
