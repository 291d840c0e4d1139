"""The owner's review of money the engine would not decide on alone: flags and refunds.

A flag is a to-do for the owner (a payment that did not match, a refund that failed...). The
owner sees the flags of their business, refunds what should go back (all or part, through
the same outbox path as every refund, so it is made exactly once) and closes the flag. Every
step names its actor in the booking's audit trail.

Only money that pays for no live booking may be refunded here: a flagged payment (it never
confirmed anything) or a payment of a booking no longer live (expired, cancelled, completed,
no-show: a goodwill refund). Money paying for a live booking
goes back through cancelling or changing that booking, where the policy and the booking's
own accounts are kept. Whatever the owner decides, a flagged payment whose booking is gone is
refunded in full by the sweep (``settlement.return_stranded``): resolving a flag never keeps
money for a booking that does not exist.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from engine.bookings.enums import ACTIVE_STATUSES
from engine.bookings.transitions import record_event
from engine.db import utcnow
from engine.exceptions import NotFoundError, ValidationError
from engine.payments.enums import PaymentOutcome
from engine.payments.exceptions import RefundError
from engine.payments.models import Payment, PaymentFlag, Refund
from engine.payments.service import refund_payment, refundable, resolve_flag
from engine.tenants.models import Venue

#: Refund causes of the owner's refunds: ``owner:{request id}``, or ``owner#{n}`` without one
#: (then a retried request refunds again, up to what is left: clients should send an id).
OWNER_CAUSE = "owner"
#: Audit reason of an owner's refund (details: payment, amount, currency, refund, reason).
OWNER_REFUND = "payment refunded by owner"
REQUEST_ID = re.compile(r"[A-Za-z0-9_-]{1,40}")


@dataclass(frozen=True)
class OwnerRefund:
    """What the owner asks to give back of one payment, in minor units."""

    amount: int
    reason: str = ""
    #: The client's id for this request: repeating it returns the first refund, not a second.
    request_id: str | None = None


def _venues(business_id: int) -> Select[int]:
    return select(Venue.id).where(Venue.business_id == business_id)


def payment_flags(
    session: Session, *, business_id: int, venue_id: int | None = None, resolved: bool = False
) -> list[PaymentFlag]:
    """The business's open flags (or its resolved ones), oldest first."""
    query = select(PaymentFlag).where(PaymentFlag.venue_id.in_(_venues(business_id)))
    if venue_id is not None:
        query = query.where(PaymentFlag.venue_id == venue_id)
    done = PaymentFlag.resolved_at.is_not(None) if resolved else PaymentFlag.resolved_at.is_(None)
    return list(session.scalars(query.where(done).order_by(PaymentFlag.id)))


def business_payment(session: Session, *, business_id: int, payment_id: int) -> Payment:
    """One payment of the business; NotFoundError for anyone else's."""
    payment = session.scalar(
        select(Payment).where(Payment.id == payment_id, Payment.venue_id.in_(_venues(business_id)))
    )
    if payment is None:
        raise NotFoundError("That payment does not exist.")
    return payment


def booking_payments(session: Session, *, booking_id: int) -> list[Payment]:
    """Every payment received for a booking, oldest first: flagged and returned ones too, so
    the booking's page shows all the money that moved."""
    query = select(Payment).where(Payment.booking_id == booking_id).order_by(Payment.id)
    return list(session.scalars(query))


def business_flag(session: Session, *, business_id: int, flag_id: int) -> PaymentFlag:
    """One flag of the business; NotFoundError for anyone else's."""
    row = session.scalar(
        select(PaymentFlag).where(
            PaymentFlag.id == flag_id, PaymentFlag.venue_id.in_(_venues(business_id))
        )
    )
    if row is None:
        raise NotFoundError("That payment flag does not exist.")
    return row


def refund_by_owner(
    session: Session, *, payment: Payment, ask: OwnerRefund, actor: str, now: datetime | None = None
) -> Refund:
    """Give back (part of) a payment that pays for no live booking, once per request id."""
    now = now or utcnow()
    cause = _cause(session, payment, ask.request_id)
    done = session.scalar(
        select(Refund).where(Refund.payment_id == payment.id, Refund.cause == cause)
    )
    if done is not None:
        return done
    _check_refundable(session, payment, ask.amount)
    refund = refund_payment(session, payment=payment, amount=ask.amount, cause=cause, now=now)
    if payment.outcome == PaymentOutcome.FLAGGED and refundable(session, payment) == 0:
        payment.outcome = PaymentOutcome.REFUNDED  # nothing left for the sweep to return
    details: dict[str, object] = {
        "payment": payment.provider_payment_id,
        "amount": refund.amount,
        "currency": refund.currency,
        "refund": refund.outbox_key,
        "reason": ask.reason,
    }
    record_event(payment.booking, actor=actor, reason=OWNER_REFUND, now=now, details=details)
    return refund


def _cause(session: Session, payment: Payment, request_id: str | None) -> str:
    if request_id is None:
        earlier = session.scalars(select(Refund.id).where(Refund.payment_id == payment.id))
        return f"{OWNER_CAUSE}#{len(earlier.all()) + 1}"
    if not REQUEST_ID.fullmatch(request_id):
        raise ValidationError("A request id is 1 to 40 letters, digits, '-' or '_'.")
    return f"{OWNER_CAUSE}:{request_id}"


def _check_refundable(session: Session, payment: Payment, amount: int) -> None:
    """RefundError unless ``amount`` can go back from this payment here."""
    booking = payment.booking
    if payment.outcome == PaymentOutcome.CONFIRMED and booking.status in ACTIVE_STATUSES:
        raise RefundError(
            f"This payment pays for booking {booking.reference}, which is "
            f"{booking.status.value}: cancel or change the booking to refund it."
        )
    left = refundable(session, payment)
    if amount <= 0:
        raise ValidationError("The refund amount must be more than zero.")
    if amount > left:
        raise RefundError(
            f"At most {left} {payment.currency} (minor units) of this payment can be refunded;"
            f" {amount} was asked."
        )


def resolve_by_owner(
    row: PaymentFlag, *, actor: str, note: str, now: datetime | None = None
) -> PaymentFlag:
    """Close a flag the owner has dealt with (closing it again changes nothing)."""
    resolve_flag(row, actor=actor, note=note, now=now or utcnow())
    return row
