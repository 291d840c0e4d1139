"""Payment services: asking for payment, recording links, refunds, and flags for the owner.

No provider is called from here. Every provider call is an outbox row (``payload["action"]``)
whose key comes from its cause (``paylink:{booking}``, ``refund:{payment}:{n}``), so a retried
job, a crash or a second request never creates two links or refunds twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.bookings.enums import BookingStatus, Channel
from engine.bookings.models import Booking
from engine.bookings.policies import CHANGE_SETTLED
from engine.bookings.service import Cancellation, extend_hold, mark_pending_payment
from engine.bookings.transitions import record_event
from engine.db import utcnow
from engine.exceptions import HoldExpiredError
from engine.messaging.enums import MessageChannel
from engine.messaging.models import OutboxMessage
from engine.messaging.service import enqueue_outbox
from engine.payments.enums import (
    PAYMENT_MOVES,
    REFUND_MOVES,
    FlagKind,
    LinkStatus,
    OutboxAction,
    PaymentOutcome,
    PaymentStatus,
    RefundStatus,
    can_move,
)
from engine.payments.exceptions import NotNeededError, RefundError
from engine.payments.models import Payment, PaymentFlag, PaymentLink, Refund

log = logging.getLogger(__name__)

#: Razorpay refuses links that expire less than 15 minutes ahead.
PROVIDER_MIN_LEAD = timedelta(minutes=15)
#: How far ahead a hold is stretched for its link: the provider's minimum plus a minute for
#: clock skew and the call itself. A link job finds it stretched enough if it has at least
#: STRETCH_BELOW left (so a job right behind the request does not stretch it again).
LINK_MIN_LEAD = timedelta(minutes=16)
STRETCH_BELOW = PROVIDER_MIN_LEAD + timedelta(seconds=30)
#: While the provider is down the hold is kept alive, but not longer than this after placing it.
MAX_LINK_WAIT = timedelta(hours=1)
CANCELLATION = "cancellation"
#: Refund cause of a flagged payment whose booking is gone (it paid for nothing).
STRANDED = "stranded"
#: Audit reason when a payment flag is closed (details: flag id, kind, note).
FLAG_RESOLVED = "payment flag resolved"
#: Refund causes of a guest's changes are ``change:1``, ``change:2``... per booking.
CHANGE_CAUSE = "change"
REFUNDABLE = (PaymentStatus.CAPTURED, PaymentStatus.PARTIALLY_REFUNDED)


@dataclass(frozen=True)
class LinkRequest:
    """One link for one booking; the provider keeps ``reference`` unique across links."""

    booking_id: int
    reference: str
    amount: int
    currency: str
    expire_by: datetime
    description: str
    customer_name: str | None
    customer_contact: str
    notes: dict[str, str]


@dataclass(frozen=True)
class CreatedLink:
    """The link the provider created for a request (or already had for its reference)."""

    link_id: str
    short_url: str
    status: str
    amount: int
    currency: str
    reference: str
    expire_by: datetime
    order_id: str | None = None


def guest_channel(booking: Booking) -> MessageChannel:
    """The chat channel the booking's guest is reached on (others fall back to SMS)."""
    return chat_channel(booking.channel)


def chat_channel(channel: Channel) -> MessageChannel:
    """The chat channel a booking made on ``channel`` reaches its guest on: WhatsApp for a
    WhatsApp booking, SMS for every other (a phone or walk-in guest gave a number)."""
    return MessageChannel.WHATSAPP if channel == Channel.WHATSAPP else MessageChannel.SMS


def _queue_action(
    session: Session, booking: Booking, *, key: str, action: OutboxAction, **data: Any
) -> OutboxMessage:
    """An outbox row for a provider call about ``booking`` (never suppressed by opt-out)."""
    return enqueue_outbox(
        session,
        key=key,
        venue_id=booking.venue_id,
        guest_id=booking.guest_id,
        channel=guest_channel(booking),
        to_address=booking.guest.phone,
        payload={"action": action.value, **data},
        bypass_opt_out=True,
    )


def request_link(
    session: Session, *, booking: Booking, actor: str, now: datetime | None = None
) -> OutboxMessage:
    """Ask the guest to pay: the hold waits, stretched to a link's minimum life, link via outbox."""
    now = now or utcnow()
    mark_pending_payment(session, booking=booking, actor=actor, now=now)
    extend_hold(session, booking=booking, until=now + LINK_MIN_LEAD, actor=actor, now=now)
    return _queue_action(
        session,
        booking,
        key=f"paylink:{booking.id}",
        action=OutboxAction.PAYMENT_LINK,
        booking_id=booking.id,
    )


def prepare_link(session: Session, *, booking_id: int, now: datetime | None = None) -> LinkRequest:
    """The link to create now, with the hold kept at least as long as the link will live.

    A provider outage must not cost the guest their hold, so each attempt stretches it again;
    after MAX_LINK_WAIT it is let go (the guest is told) rather than blocking inventory.
    """
    now = now or utcnow()
    booking = session.get(Booking, booking_id)
    if booking is None or booking.status != BookingStatus.PENDING_PAYMENT:
        raise NotNeededError("The booking no longer waits for payment.")
    assert booking.hold_expires_at is not None
    if booking.hold_expires_at < now + STRETCH_BELOW:
        if now - booking.created_at > MAX_LINK_WAIT:
            raise HoldExpiredError("The hold ran out before a payment link could be made.")
        until = now + LINK_MIN_LEAD
        extend_hold(session, booking=booking, until=until, actor="system:payment-link", now=now)
    return _link_request(booking)


def _link_request(booking: Booking) -> LinkRequest:
    venue, guest = booking.venue, booking.guest
    assert booking.hold_expires_at is not None
    return LinkRequest(
        booking_id=booking.id,
        reference=booking.reference,
        amount=booking.amount,
        currency=booking.currency,
        expire_by=booking.hold_expires_at,
        description=f"{venue.name} booking {booking.reference}",
        customer_name=guest.name,
        customer_contact=guest.phone,
        notes={
            "business_id": str(venue.business_id),
            "venue_id": str(venue.id),
            "booking_id": str(booking.id),
            "booking_reference": booking.reference,
        },
    )


def record_link(session: Session, *, booking_id: int, created: CreatedLink) -> PaymentLink:
    """Remember the booking's link (the same one however often the creation was retried)."""
    link = link_for_booking(session, booking_id=booking_id)
    if link is not None:
        return link
    booking = session.get(Booking, booking_id)
    assert booking is not None
    link = PaymentLink(
        booking_id=booking_id,
        venue_id=booking.venue_id,
        provider_link_id=created.link_id,
        order_id=created.order_id,
        reference=created.reference,
        short_url=created.short_url,
        amount=created.amount,
        currency=created.currency,
        status=LinkStatus(created.status),
        expire_by=created.expire_by,
    )
    session.add(link)
    session.flush()
    return link


def link_for_booking(session: Session, *, booking_id: int) -> PaymentLink | None:
    """The booking's payment link, if one was created."""
    return session.scalar(select(PaymentLink).where(PaymentLink.booking_id == booking_id))


#: Bookings that stopped waiting for payment: their links must not stay payable.
GONE = (BookingStatus.EXPIRED, BookingStatus.CANCELLED)


def lapsed_links(session: Session, *, limit: int = 100) -> list[PaymentLink]:
    """Links still payable whose booking stopped waiting, oldest first (read, not locked)."""
    return list(
        session.scalars(
            select(PaymentLink)
            .join(Booking, Booking.id == PaymentLink.booking_id)
            .where(PaymentLink.status == LinkStatus.CREATED, Booking.status.in_(GONE))
            .order_by(PaymentLink.id)
            .limit(limit)
        )
    )


def retire_link(
    session: Session, *, link_id: int, now: datetime | None = None
) -> PaymentLink | None:
    """Cancel one lapsed link at the provider, or note that it lapsed there.

    Re-read under a row lock, so a link another sweep retired first is left alone (None).
    """
    now = now or utcnow()
    link = session.get(PaymentLink, link_id, with_for_update=True)
    if link is None or link.status != LinkStatus.CREATED or link.booking.status not in GONE:
        return None
    if link.expire_by <= now:
        link.status = LinkStatus.EXPIRED  # the provider let it lapse at the same moment
    else:
        _queue_action(
            session,
            link.booking,
            key=f"paylink-cancel:{link.id}",
            action=OutboxAction.CANCEL_LINK,
            link_id=link.id,
        )
    return link


def flag(
    session: Session,
    *,
    venue_id: int,
    kind: FlagKind,
    details: dict[str, Any],
    booking_id: int | None = None,
    payment_id: int | None = None,
    refund_id: int | None = None,
) -> PaymentFlag:
    """Put something in front of the owner (and in the log: a flag is never silent)."""
    row = PaymentFlag(
        venue_id=venue_id,
        booking_id=booking_id,
        payment_id=payment_id,
        refund_id=refund_id,
        kind=kind,
        details=details,
    )
    session.add(row)
    log.warning("payment flag %s for booking %s: %s", kind.value, booking_id, details)
    return row


def resolve_flag(row: PaymentFlag, *, actor: str, note: str, now: datetime) -> bool:
    """Close a flag, with who and why in its booking's audit trail; False if already closed."""
    if row.resolved_at is not None:
        return False
    row.resolved_at = now
    if row.booking is not None:
        details: dict[str, object] = {"flag": row.id, "kind": row.kind.value, "note": note}
        record_event(row.booking, actor=actor, reason=FLAG_RESOLVED, now=now, details=details)
    return True


def close_flags(
    session: Session, *, payment: Payment, actor: str, note: str, now: datetime
) -> None:
    """Close every open flag of a payment: nothing about it is left for the owner to decide."""
    rows = session.scalars(
        select(PaymentFlag)
        .where(PaymentFlag.payment_id == payment.id, PaymentFlag.resolved_at.is_(None))
        .order_by(PaymentFlag.id)
    )
    for row in rows:
        resolve_flag(row, actor=actor, note=note, now=now)


def _refunds_of(session: Session, payment: Payment) -> list[Refund]:
    session.flush()
    return list(session.scalars(select(Refund).where(Refund.payment_id == payment.id)))


def refundable(session: Session, payment: Payment) -> int:
    """What is left to give back on a payment (refunds in flight count as given)."""
    if payment.status not in REFUNDABLE:
        return 0
    given = sum(r.amount for r in _refunds_of(session, payment) if r.status != RefundStatus.FAILED)
    return payment.amount - given


def refund_payment(
    session: Session, *, payment: Payment, amount: int, cause: str, now: datetime | None = None
) -> Refund:
    """Give ``amount`` back once per ``cause``; asking again returns the first refund."""
    session.flush()
    session.refresh(payment, with_for_update=True)
    refunds = _refunds_of(session, payment)
    existing = next((r for r in refunds if r.cause == cause), None)
    if existing is not None:
        return existing
    if not 0 < amount <= refundable(session, payment):
        raise RefundError(f"Cannot refund {amount} of payment {payment.provider_payment_id}.")
    seq = max((r.seq for r in refunds), default=0) + 1
    key = f"refund:{payment.provider_payment_id}:{seq}"
    refund = Refund(
        payment_id=payment.id,
        booking_id=payment.booking_id,
        venue_id=payment.venue_id,
        seq=seq,
        cause=cause,
        amount=amount,
        currency=payment.currency,
        status=RefundStatus.PENDING,
        outbox_key=key,
        created_at=now or utcnow(),
    )
    session.add(refund)
    session.flush()
    _queue_action(
        session,
        payment.booking,
        key=key,
        action=OutboxAction.REFUND,
        refund_id=refund.id,
        amount=amount,
    )
    return refund


def refund_cancellation(
    session: Session, *, cancellation: Cancellation, now: datetime | None = None
) -> list[Refund]:
    """Refund what the cancellation policy says, from the booking's payments, exactly once."""
    booking = cancellation.booking
    done = session.scalars(
        select(Refund).where(Refund.booking_id == booking.id, Refund.cause == CANCELLATION)
    ).all()
    if done:
        return list(done)
    return refund_booking(
        session,
        booking_id=booking.id,
        amount=cancellation.quote.refund_amount,
        cause=CANCELLATION,
        now=now,
    )


def refund_booking(
    session: Session, *, booking_id: int, amount: int, cause: str, now: datetime | None = None
) -> list[Refund]:
    """Refund ``amount`` from the payments that paid for the booking, oldest first."""
    refunds = []
    for payment in confirming_payments(session, booking_id):
        part = min(amount, refundable(session, payment))
        if part > 0:
            refunds.append(
                refund_payment(session, payment=payment, amount=part, cause=cause, now=now)
            )
            amount -= part
    return refunds


def confirming_payments(session: Session, booking_id: int) -> list[Payment]:
    """The payments that paid for the booking (not flagged or already returned ones)."""
    return list(
        session.scalars(
            select(Payment)
            .where(Payment.booking_id == booking_id, Payment.outcome == PaymentOutcome.CONFIRMED)
            .order_by(Payment.id)
        )
    )


def settle_refund(
    session: Session, *, refund: Refund, status: RefundStatus, error: str | None = None
) -> bool:
    """Move a refund to what the provider said; True when that changed it (tell the guest)."""
    if not can_move(REFUND_MOVES, refund.status, status):
        return False
    refund.status = status
    if status == RefundStatus.FAILED:
        refund.error = error
        if refund.cause.startswith(f"{CHANGE_CAUSE}:"):
            _undo_change_refund(refund)
        flag(
            session,
            venue_id=refund.venue_id,
            kind=FlagKind.REFUND_FAILED,
            booking_id=refund.booking_id,
            payment_id=refund.payment_id,
            refund_id=refund.id,
            details={"amount": refund.amount, "currency": refund.currency, "error": error},
        )
    elif status == RefundStatus.PROCESSED:
        _mark_refunded(session, refund.payment)
    return True


def _undo_change_refund(refund: Refund) -> None:
    """A change's refund failed: the money is still paid toward the booking (and flagged)."""
    record_event(
        refund.booking,
        actor="system:refund-failed",
        reason=CHANGE_SETTLED,
        now=utcnow(),
        details={"refund_amount": -refund.amount, "kept": 0},
    )


def _mark_refunded(session: Session, payment: Payment) -> None:
    given = sum(
        r.amount for r in _refunds_of(session, payment) if r.status == RefundStatus.PROCESSED
    )
    target = PaymentStatus.REFUNDED if given >= payment.amount else PaymentStatus.PARTIALLY_REFUNDED
    if can_move(PAYMENT_MOVES, payment.status, target):
        payment.status = target


def record_refund_created(
    session: Session, *, refund: Refund, provider_refund_id: str, status: str
) -> bool:
    """The provider accepted the refund; True when it says it is already processed."""
    refund.provider_refund_id = refund.provider_refund_id or provider_refund_id
    if status == RefundStatus.PROCESSED.value:
        return settle_refund(session, refund=refund, status=RefundStatus.PROCESSED)
    return False
