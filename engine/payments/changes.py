"""A guest's change to a booking, and what it means for money already asked for or paid.

A change may move the price (more nights, a larger party that owes a deposit), and it must
not leave money behind silently:

- nothing asked for yet (a hold with no payment link) or the same price: just the change;
- a payment link is out for the old price, or a higher price than what was paid: the change
  is refused (``PriceChangeError``) and the booking left as it was. A link's amount cannot
  move, and collecting a balance is for the venue to arrange;
- a lower price: of what was paid toward the old one, the difference goes back as the
  venue's cancellation policy refunds at this moment, from the booking as it was (moving or
  shortening a stay cannot dodge the policy's late-cancellation share); the venue keeps the
  rest. Only online payments can be refunded here: a refund owed on money the venue took
  itself (at the desk) is refused like the above.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Unpack

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.bookings.enums import BookingStatus, CancelledBy
from engine.bookings.models import Booking, BookingRoom
from engine.bookings.policies import (
    CHANGE_SETTLED,
    CancellationQuote,
    paid_toward_price,
    quote_cancellation,
)
from engine.bookings.rooms import drop_room
from engine.bookings.service import Changes, lock_booking, modify
from engine.bookings.transitions import record_event
from engine.db import utcnow
from engine.exceptions import BooklineError
from engine.payments.models import Refund
from engine.payments.service import (
    CHANGE_CAUSE,
    confirming_payments,
    refund_booking,
    refundable,
)


class PriceChangeReason(StrEnum):
    """Why a change that moves the price was refused."""

    LINK_OUT = "link_out"  # a payment link for the old price is with the guest
    MORE_DUE = "more_due"  # the booking is settled and would cost more
    REFUND_OFFLINE = "refund_offline"  # the refund owed is of money not paid online


class PriceChangeError(BooklineError):
    """The change would move the price in a way only the venue can settle."""

    def __init__(self, reason: PriceChangeReason, *, old: int, new: int, paid: int) -> None:
        super().__init__("That change moves the price in a way the venue has to settle.")
        self.reason = reason
        self.old, self.new, self.paid = old, new, paid


@dataclass(frozen=True)
class Change:
    """A change made: the booking as it now is, and what is being refunded for it."""

    booking: Booking
    refund_amount: int


def change_booking(
    session: Session,
    *,
    booking: Booking,
    actor: str,
    now: datetime | None = None,
    **changes: Unpack[Changes],
) -> Change:
    """Make the guest's change (see ``modify``), settling the price difference (see above).

    The change runs in a savepoint, so a refused one leaves the booking and its claims as
    they were while the caller's transaction goes on. A lower price settles the difference
    against what is still paid toward the booking (``paid_toward_price``): the policy's share
    goes back, the rest is kept, and both are recorded, so no later change or cancellation
    settles the same money twice.
    """
    now = now or utcnow()
    lock_booking(session, booking)  # a change racing in from another channel waits for this one
    old, paid = booking.amount, paid_toward_price(booking)
    percent = _refund_percent(booking, now)
    with session.begin_nested():
        modify(session, booking=booking, actor=actor, now=now, **changes)
        refund = _settleable_refund(session, booking, old=old, paid=paid, percent=percent)
    _settle(
        session, booking, actor=actor, now=now, old=old, paid=paid, percent=percent, refund=refund
    )
    return Change(booking, refund)


def cancel_room(
    session: Session,
    *,
    booking: Booking,
    room_id: int,
    by: CancelledBy,
    actor: str,
    now: datetime | None = None,
) -> Change:
    """Give back one room of a booking of several rooms, refunding its share of what was
    paid as the policy refunds a cancellation now (in full when the owner cancels it).

    Settled like a change that lowers the price (see ``change_booking``), so cancelling the
    rest later never refunds that room's share twice.
    """
    now = now or utcnow()
    lock_booking(session, booking)
    old, paid = booking.amount, paid_toward_price(booking)
    percent = _room_percent(booking, by, now)
    with session.begin_nested():
        drop_room(session, booking=booking, room_id=room_id, actor=actor, now=now)
        refund = _settleable_refund(session, booking, old=old, paid=paid, percent=percent)
    _settle(
        session, booking, actor=actor, now=now, old=old, paid=paid, percent=percent, refund=refund
    )
    return Change(booking, refund)


def quote_room(
    booking: Booking, *, room: BookingRoom, by: CancelledBy, now: datetime | None = None
) -> CancellationQuote:
    """What cancelling one room now would refund (``cancel_room`` gives exactly this), to put
    to the guest before they say yes."""
    now = now or utcnow()
    percent, paid = _room_percent(booking, by, now), paid_toward_price(booking)
    lowered = max(0, min(booking.amount, paid) - (booking.amount - room.amount))
    return CancellationQuote(lowered * percent // 100, percent, booking.currency)


def _room_percent(booking: Booking, by: CancelledBy, now: datetime) -> int:
    """The share of a room's price a cancellation of it gives back: the policy's for the
    guest, all of it when the owner cancels (0 when nothing was paid)."""
    if by == CancelledBy.OWNER:
        return 100 if booking.amount_paid else 0
    return _refund_percent(booking, now)


def _settleable_refund(
    session: Session, booking: Booking, *, old: int, paid: int, percent: int
) -> int:
    """The refund the booking's new price calls for; PriceChangeError (rolling the savepoint
    back) when it cannot be settled here."""
    _require_settleable(booking, old=old, paid=paid)
    refund = max(0, min(old, paid) - booking.amount) * percent // 100
    if refund > online_refundable(session, booking):
        raise PriceChangeError(
            PriceChangeReason.REFUND_OFFLINE, old=old, new=booking.amount, paid=paid
        )
    return refund


def _settle(
    session: Session,
    booking: Booking,
    *,
    actor: str,
    now: datetime,
    old: int,
    paid: int,
    percent: int,
    refund: int,
) -> None:
    """Record what a lower price gave back and kept of what was paid, and refund it."""
    lowered = max(0, min(old, paid) - booking.amount)
    if paid > 0:
        details: dict[str, object] = {
            "refund_amount": refund,
            "kept": lowered - refund,
            "percent": percent,
        }
        record_event(booking, actor=actor, reason=CHANGE_SETTLED, now=now, details=details)
    if refund:
        _refund(session, booking, refund, now)


def online_refundable(session: Session, booking: Booking) -> int:
    """What is left to give back of the booking's online payments."""
    return sum(refundable(session, p) for p in confirming_payments(session, booking.id))


def _refund_percent(booking: Booking, now: datetime) -> int:
    """The share the venue's policy gives back if the guest cancelled now (0 when unpaid)."""
    if not booking.amount_paid:
        return 0
    return quote_cancellation(booking, by=CancelledBy.GUEST, now=now).refund_percent


def _require_settleable(booking: Booking, *, old: int, paid: int) -> None:
    """PriceChangeError when the new price cannot be settled here."""
    new = booking.amount
    if new == old or (booking.status == BookingStatus.HELD and not paid):
        return
    if booking.status == BookingStatus.PENDING_PAYMENT:
        raise PriceChangeError(PriceChangeReason.LINK_OUT, old=old, new=new, paid=paid)
    if new > old and new > paid:
        raise PriceChangeError(PriceChangeReason.MORE_DUE, old=old, new=new, paid=paid)


def _refund(session: Session, booking: Booking, amount: int, now: datetime) -> None:
    """Refund ``amount`` for the booking under a cause of its own (each change has one)."""
    earlier = session.scalar(
        select(func.count(func.distinct(Refund.cause))).where(
            Refund.booking_id == booking.id, Refund.cause.like(f"{CHANGE_CAUSE}:%")
        )
    )
    cause = f"{CHANGE_CAUSE}:{(earlier or 0) + 1}"
    refund_booking(session, booking_id=booking.id, amount=amount, cause=cause, now=now)
