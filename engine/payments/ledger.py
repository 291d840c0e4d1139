"""The payments ledger: every payment and refund with provider ids and statuses, for the owner."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.bookings.models import Booking
from engine.payments.models import Payment, Refund
from engine.tenants.models import Venue


@dataclass(frozen=True)
class LedgerEntry:
    """One movement of money: a payment in or a refund out (amounts are positive paise)."""

    at: datetime
    kind: str
    venue_id: int
    booking_reference: str
    provider_id: str | None
    amount: int
    currency: str
    status: str
    detail: str


def ledger(session: Session, *, business_id: int, venue_id: int | None = None) -> list[LedgerEntry]:
    """Every payment and refund of a business (or of one of its venues), oldest first."""
    venues = select(Venue.id).where(Venue.business_id == business_id)
    if venue_id is not None:
        venues = venues.where(Venue.id == venue_id)
    payments = session.execute(
        select(Payment, Booking.reference)
        .join(Booking, Booking.id == Payment.booking_id)
        .where(Payment.venue_id.in_(venues))
    )
    refunds = session.execute(
        select(Refund, Booking.reference)
        .join(Booking, Booking.id == Refund.booking_id)
        .where(Refund.venue_id.in_(venues))
    )
    entries = [_payment_entry(p, reference) for p, reference in payments]
    entries += [_refund_entry(r, reference) for r, reference in refunds]
    return sorted(entries, key=lambda entry: (entry.at, entry.kind))


def _payment_entry(payment: Payment, reference: str) -> LedgerEntry:
    outcome = payment.outcome.value if payment.outcome else ""
    return LedgerEntry(
        at=payment.created_at,
        kind="payment",
        venue_id=payment.venue_id,
        booking_reference=reference,
        provider_id=payment.provider_payment_id,
        amount=payment.amount,
        currency=payment.currency,
        status=payment.status.value,
        detail=outcome or (payment.error or ""),
    )


def _refund_entry(refund: Refund, reference: str) -> LedgerEntry:
    return LedgerEntry(
        at=refund.created_at,
        kind="refund",
        venue_id=refund.venue_id,
        booking_reference=reference,
        provider_id=refund.provider_refund_id,
        amount=refund.amount,
        currency=refund.currency,
        status=refund.status.value,
        detail=refund.cause,
    )
