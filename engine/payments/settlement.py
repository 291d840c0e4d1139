"""Applying provider payment events: confirm once, give back what cannot be kept, flag the odd.

Events repeat and arrive out of order (``payment.captured`` before ``payment_link.paid``, a
refund webhook before the refund's id was recorded). A captured payment is settled exactly
once, under a lock on its link; seeing it again changes nothing. Money that does not match
what the booking asked for never confirms anything: it is flagged for the owner.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from engine.bookings.enums import BookingStatus
from engine.bookings.models import Booking
from engine.bookings.service import confirm
from engine.db import utcnow
from engine.exceptions import HoldExpiredError
from engine.payments.enums import (
    LINK_MOVES,
    FlagKind,
    LinkStatus,
    PaymentOutcome,
    PaymentStatus,
    RefundStatus,
    can_move,
)
from engine.payments.models import Payment, PaymentLink, Refund
from engine.payments.notices import NoticeKind, PaymentFacts, PaymentNotice, RefundFacts
from engine.payments.service import (
    GONE,
    STRANDED,
    close_flags,
    flag,
    link_for_booking,
    refund_payment,
    refundable,
    settle_refund,
)

PROVIDER_ACTOR = "razorpay"
STRANDED_ACTOR = "system:stranded-money"
#: Booking statuses a payment can still confirm (an expired hold only if re-claimable).
PAYABLE = (BookingStatus.HELD, BookingStatus.PENDING_PAYMENT, BookingStatus.EXPIRED)


class OutcomeKind(StrEnum):
    """What applying an event did, so the worker knows what to tell the guest."""

    CONFIRMED = "confirmed"
    REFUNDED = "refunded"
    FLAGGED = "flagged"
    PAYMENT_FAILED = "payment_failed"
    REFUND_PROCESSED = "refund_processed"
    REFUND_FAILED = "refund_failed"
    NOTHING = "nothing"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Outcome:
    """The result of one event and the rows it concerned."""

    kind: OutcomeKind
    booking: Booking | None = None
    payment: Payment | None = None
    link: PaymentLink | None = None
    refund: Refund | None = None
    detail: str = ""


def apply_notice(
    session: Session, *, notice: PaymentNotice, now: datetime | None = None
) -> Outcome:
    """Apply one provider event; applying it (or its twin) again changes nothing."""
    now = now or utcnow()
    if notice.kind in (NoticeKind.LINK_PAID, NoticeKind.PAYMENT_CAPTURED):
        return _captured(session, notice, now)
    if notice.kind == NoticeKind.PAYMENT_FAILED:
        return _failed(session, notice)
    if notice.kind in (NoticeKind.REFUND_PROCESSED, NoticeKind.REFUND_FAILED):
        return _refund_settled(session, notice)
    return _link_changed(session, notice)


def notice_booking_id(session: Session, notice: PaymentNotice) -> int | None:
    """The booking an event is about, read without locking anything.

    Workers use it to find the guest's conversation, whose lock they take before the
    transaction that applies the event (the lock comes first: see ``bot.conversation``).
    """
    if notice.kind in (NoticeKind.REFUND_PROCESSED, NoticeKind.REFUND_FAILED):
        refund = session.scalar(_refund_query(notice.refund)) if notice.refund else None
        return refund.booking_id if refund is not None else None
    link = _find_link(session, notice, select(PaymentLink))
    if link is not None:
        return link.booking_id
    booking = _booking_by_reference(session, _reference(notice))
    return booking.id if booking is not None else None


def _locked_link(session: Session, notice: PaymentNotice) -> PaymentLink | None:
    """The stored link the event is about (by link id, order id or booking reference), locked."""
    return _find_link(session, notice, select(PaymentLink).with_for_update())


def _find_link(
    session: Session, notice: PaymentNotice, query: Select[PaymentLink]
) -> PaymentLink | None:
    """By link id, order id or booking reference, read with ``query`` (locking or not)."""
    if notice.link is not None:
        return session.scalar(query.where(PaymentLink.provider_link_id == notice.link.link_id))
    facts = notice.payment
    if facts is not None and facts.order_id:
        link = session.scalar(query.where(PaymentLink.order_id == facts.order_id))
        if link is not None:
            return link
    booking = _booking_by_reference(session, _reference(notice))
    if booking is None:
        return None
    found = link_for_booking(session, booking_id=booking.id)
    return session.scalar(query.where(PaymentLink.id == found.id)) if found else None


def _reference(notice: PaymentNotice) -> str | None:
    if notice.link is not None and notice.link.reference:
        return notice.link.reference
    return notice.payment.notes.get("booking_reference") if notice.payment else None


def _booking_by_reference(session: Session, reference: str | None) -> Booking | None:
    if not reference:
        return None
    return session.scalar(select(Booking).where(Booking.reference == reference))


def _payment_row(
    session: Session,
    booking: Booking,
    link: PaymentLink | None,
    facts: PaymentFacts,
    status: PaymentStatus,
) -> tuple[Payment, bool]:
    """The ledger row of a provider payment, and whether this event created it."""
    payment = session.scalar(select(Payment).where(Payment.provider_payment_id == facts.payment_id))
    if payment is not None:
        return payment, False
    payment = Payment(
        booking_id=booking.id,
        venue_id=booking.venue_id,
        link_id=link.id if link else None,
        provider_payment_id=facts.payment_id,
        amount=facts.amount,
        currency=facts.currency,
        method=facts.method,
        status=status,
        error=facts.error,
    )
    session.add(payment)
    session.flush()
    return payment, True


def _move_link(link: PaymentLink, status: str) -> None:
    """Follow the provider's link status forward (never backwards: events come out of order)."""
    try:
        target = LinkStatus(status)
    except ValueError:
        return
    if can_move(LINK_MOVES, link.status, target):
        link.status = target


def _captured(session: Session, notice: PaymentNotice, now: datetime) -> Outcome:
    facts = notice.payment
    if facts is None:
        return Outcome(OutcomeKind.UNKNOWN, detail=f"{notice.kind} without a payment")
    link = _locked_link(session, notice)
    if link is None:
        return _foreign(session, notice, facts, now)
    if notice.link is not None:
        _move_link(link, notice.link.status)
    payment, _ = _payment_row(session, link.booking, link, facts, PaymentStatus.CAPTURED)
    if payment.outcome is not None:
        return Outcome(OutcomeKind.NOTHING, link.booking, payment, link)
    problems = _mismatches(link, notice, facts)
    if problems:
        return _hold_for_owner(session, payment, link, problems, now)
    return _keep_or_give_back(session, payment, link, now)


def _foreign(
    session: Session, notice: PaymentNotice, facts: PaymentFacts, now: datetime
) -> Outcome:
    """A payment on a link we never stored: flagged if it names one of our bookings."""
    booking = _booking_by_reference(session, _reference(notice))
    link_id = notice.link.link_id if notice.link else None
    if booking is None:
        return Outcome(
            OutcomeKind.UNKNOWN, detail=f"payment {facts.payment_id} on unknown link {link_id}"
        )
    payment, _ = _payment_row(session, booking, None, facts, PaymentStatus.CAPTURED)
    if payment.outcome is not None:
        return Outcome(OutcomeKind.NOTHING, booking, payment)
    problems = {FlagKind.UNKNOWN_LINK: {"link_id": link_id}}
    return _hold_for_owner(session, payment, None, problems, now)


def _mismatches(
    link: PaymentLink, notice: PaymentNotice, facts: PaymentFacts
) -> dict[FlagKind, dict[str, Any]]:
    """Every way the payment differs from what the booking asked for (empty when it matches)."""
    booking = link.booking
    problems: dict[FlagKind, dict[str, Any]] = {}
    references = {link.reference, booking.reference}
    if notice.link is not None:
        references.add(notice.link.reference or "")
    if len(references) > 1:
        problems[FlagKind.REFERENCE_MISMATCH] = {"references": sorted(references)}
    if len({facts.currency, link.currency, booking.currency}) > 1:
        problems[FlagKind.CURRENCY_MISMATCH] = {"paid": facts.currency, "due": booking.currency}
    if len({facts.amount, link.amount, booking.amount}) > 1:
        problems[FlagKind.AMOUNT_MISMATCH] = {"paid": facts.amount, "due": booking.amount}
    return problems


def _hold_for_owner(
    session: Session,
    payment: Payment,
    link: PaymentLink | None,
    problems: dict[FlagKind, dict[str, Any]],
    now: datetime,
) -> Outcome:
    """Keep the money untouched and the booking unconfirmed until the owner decides, or,
    when the booking is already gone, give it back at once (the flags stay as the record)."""
    payment.outcome = PaymentOutcome.FLAGGED
    for kind, details in problems.items():
        flag(
            session,
            venue_id=payment.venue_id,
            kind=kind,
            booking_id=payment.booking_id,
            payment_id=payment.id,
            details={**details, "payment": payment.provider_payment_id},
        )
    returned = return_stranded(session, payment_id=payment.id, now=now)
    return returned or Outcome(OutcomeKind.FLAGGED, payment.booking, payment, link)


def stranded_payments(session: Session, *, limit: int = 100) -> list[Payment]:
    """Flagged payments whose booking is gone, oldest first (read, not locked).

    A flagged payment never confirms anything, so once its booking expired or was cancelled
    the money pays for nothing: it must go back.
    """
    return list(
        session.scalars(
            select(Payment)
            .join(Booking, Booking.id == Payment.booking_id)
            .where(Payment.outcome == PaymentOutcome.FLAGGED, Booking.status.in_(GONE))
            .order_by(Payment.id)
            .limit(limit)
        )
    )


def return_stranded(
    session: Session, *, payment_id: int, now: datetime | None = None
) -> Outcome | None:
    """Refund what is left of a flagged payment whose booking is gone, once; None if not due.

    Under the payment's row lock the outcome moves to REFUNDED with the refund (cause
    ``stranded``, one per payment), so a second sweep or a repeated webhook finds nothing to
    do. Its open flags are resolved: nothing is left for the owner to decide.
    """
    now = now or utcnow()
    payment = session.get(Payment, payment_id, with_for_update=True)
    if payment is None or payment.outcome != PaymentOutcome.FLAGGED:
        return None
    booking = payment.booking
    if booking.status not in GONE:
        return None
    left = refundable(session, payment)
    payment.outcome = PaymentOutcome.REFUNDED
    reason = f"the booking is {booking.status.value} and the payment confirmed nothing"
    close_flags(
        session, payment=payment, actor=STRANDED_ACTOR, note=f"Refunded: {reason}.", now=now
    )
    if left == 0:
        return None
    refund = refund_payment(session, payment=payment, amount=left, cause=STRANDED, now=now)
    link = session.get(PaymentLink, payment.link_id) if payment.link_id else None
    return Outcome(OutcomeKind.REFUNDED, booking, payment, link, refund, detail=reason)


def _keep_or_give_back(
    session: Session, payment: Payment, link: PaymentLink, now: datetime
) -> Outcome:
    """Confirm the booking with this payment, or refund it in full when that cannot be."""
    booking = payment.booking
    if booking.status in PAYABLE:
        try:
            confirm(
                session, booking=booking, actor=PROVIDER_ACTOR, now=now, amount_paid=payment.amount
            )
        except HoldExpiredError as exc:
            return _give_back(session, payment, link, "late-payment", exc.message, now)
        payment.outcome = PaymentOutcome.CONFIRMED
        return Outcome(OutcomeKind.CONFIRMED, booking, payment, link)
    if booking.status == BookingStatus.CONFIRMED:
        flag(
            session,
            venue_id=payment.venue_id,
            kind=FlagKind.DUPLICATE_PAYMENT,
            booking_id=booking.id,
            payment_id=payment.id,
            details={"payment": payment.provider_payment_id, "amount": payment.amount},
        )
        return _give_back(session, payment, link, "duplicate-payment", "already paid", now)
    reason = f"the booking is {booking.status.value}"
    return _give_back(session, payment, link, "late-payment", reason, now)


def _give_back(
    session: Session,
    payment: Payment,
    link: PaymentLink,
    cause: str,
    reason: str,
    now: datetime,
) -> Outcome:
    """Never keep money for a booking that does not exist: refund all of it."""
    refund = refund_payment(
        session, payment=payment, amount=refundable(session, payment), cause=cause, now=now
    )
    payment.outcome = PaymentOutcome.REFUNDED
    return Outcome(OutcomeKind.REFUNDED, payment.booking, payment, link, refund, detail=reason)


def _failed(session: Session, notice: PaymentNotice) -> Outcome:
    facts = notice.payment
    link = _locked_link(session, notice) if facts is not None else None
    if facts is None or link is None:
        return Outcome(OutcomeKind.UNKNOWN, detail="failed payment on an unknown link")
    payment, new = _payment_row(session, link.booking, link, facts, PaymentStatus.FAILED)
    kind = OutcomeKind.PAYMENT_FAILED if new else OutcomeKind.NOTHING
    return Outcome(kind, link.booking, payment, link)


def _link_changed(session: Session, notice: PaymentNotice) -> Outcome:
    link = _locked_link(session, notice) if notice.link is not None else None
    if link is None or notice.link is None:
        return Outcome(OutcomeKind.UNKNOWN, detail=f"{notice.kind} for an unknown link")
    _move_link(link, notice.link.status)
    return Outcome(OutcomeKind.NOTHING, link.booking, link=link)


def _refund_settled(session: Session, notice: PaymentNotice) -> Outcome:
    facts = notice.refund
    if facts is None:
        return Outcome(OutcomeKind.UNKNOWN, detail=f"{notice.kind} without a refund")
    refund = session.scalar(_refund_query(facts).with_for_update())
    if refund is None:
        return Outcome(OutcomeKind.UNKNOWN, detail=f"unknown refund {facts.refund_id}")
    refund.provider_refund_id = refund.provider_refund_id or facts.refund_id
    processed = notice.kind == NoticeKind.REFUND_PROCESSED
    target = RefundStatus.PROCESSED if processed else RefundStatus.FAILED
    if not settle_refund(session, refund=refund, status=target, error=facts.error):
        return Outcome(OutcomeKind.NOTHING, refund.booking, refund.payment, refund=refund)
    kind = OutcomeKind.REFUND_PROCESSED if processed else OutcomeKind.REFUND_FAILED
    return Outcome(kind, refund.booking, refund.payment, refund=refund)


def _refund_query(facts: RefundFacts) -> Select[Refund]:
    """The refund an event reports on: by the provider's id, or the receipt we gave it."""
    return select(Refund).where(
        (Refund.provider_refund_id == facts.refund_id)
        | (Refund.outbox_key == (facts.receipt or ""))
    )
