"""Payment flags and owner refunds: see what money waits for a decision, give it back.

Staff may read the flags (a guest may ask them where their money is); only owners refund or
close them. A refund goes out through the outbox after the commit, like every refund.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy.orm import Session

from admin_api.deps import OwnerUser, StaffUser, Tx, actor, tenant
from admin_api.schemas.common import PathId, QueryId
from admin_api.schemas.payments import (
    PaymentFlagOut,
    PaymentOut,
    RefundOut,
    RefundRequest,
    ResolveRequest,
)
from engine.bookings.service import get_booking
from engine.payments.models import Payment, PaymentFlag
from engine.payments.review import (
    OwnerRefund,
    booking_payments,
    business_flag,
    business_payment,
    payment_flags,
    refund_by_owner,
    resolve_by_owner,
)
from engine.payments.service import refundable

router = APIRouter(prefix="/payments", tags=["payments"])
#: Read-only: a booking's payments, for its page (mounted under /bookings).
booking_router = APIRouter(prefix="/bookings", tags=["payments"])


@booking_router.get("/{reference}/payments")
def payments_of_booking(reference: str, principal: StaffUser, session: Tx) -> list[PaymentOut]:
    """The booking's payments, oldest first, each with its refunds and what is left."""
    found = get_booking(session, reference=reference, business_id=tenant(principal))
    return [_payment_out(session, row) for row in booking_payments(session, booking_id=found.id)]


@router.get("/flags")
def flags(
    principal: StaffUser,
    session: Tx,
    venue_id: QueryId | None = None,
    resolved: Annotated[bool, Query(description="List closed flags instead of open ones")] = False,
) -> list[PaymentFlagOut]:
    """The business's open payment flags (or its resolved ones), oldest first."""
    rows = payment_flags(
        session, business_id=tenant(principal), venue_id=venue_id, resolved=resolved
    )
    return [_flag_out(session, row) for row in rows]


@router.get("/{payment_id}")
def payment(payment_id: PathId, principal: StaffUser, session: Tx) -> PaymentOut:
    """One payment with its refunds and what is left to refund."""
    found = business_payment(session, business_id=tenant(principal), payment_id=payment_id)
    return _payment_out(session, found)


@router.post("/{payment_id}/refunds", status_code=201)
def refund(
    payment_id: PathId,
    body: RefundRequest,
    principal: OwnerUser,
    session: Tx,
) -> RefundOut:
    """Refund (part of) a flagged payment, or one whose booking is gone; made exactly once."""
    found = business_payment(session, business_id=tenant(principal), payment_id=payment_id)
    ask = OwnerRefund(amount=body.amount, reason=body.reason, request_id=body.request_id)
    made = refund_by_owner(session, payment=found, ask=ask, actor=actor(principal))
    return RefundOut.model_validate(made)


@router.post("/flags/{flag_id}/resolve")
def resolve(
    flag_id: PathId, body: ResolveRequest, principal: OwnerUser, session: Tx
) -> PaymentFlagOut:
    """Close a flag that has been dealt with (who and why go into the audit trail)."""
    row = business_flag(session, business_id=tenant(principal), flag_id=flag_id)
    resolve_by_owner(row, actor=actor(principal), note=body.note)
    return _flag_out(session, row)


def _flag_out(session: Session, row: PaymentFlag) -> PaymentFlagOut:
    return PaymentFlagOut(
        id=row.id,
        venue_id=row.venue_id,
        kind=row.kind,
        details=row.details,
        booking_reference=row.booking.reference if row.booking else None,
        payment=_payment_out(session, row.payment) if row.payment else None,
        created_at=row.created_at,
        resolved_at=row.resolved_at,
    )


def _payment_out(session: Session, found: Payment) -> PaymentOut:
    return PaymentOut(
        id=found.id,
        provider_payment_id=found.provider_payment_id,
        booking_reference=found.booking.reference,
        booking_status=found.booking.status,
        amount=found.amount,
        currency=found.currency,
        status=found.status,
        outcome=found.outcome,
        refundable=refundable(session, found),
        refunds=[RefundOut.model_validate(r) for r in found.refunds],
        created_at=found.created_at,
    )
