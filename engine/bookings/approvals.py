"""Groups above a venue's chat limits: held while staff accept or decline them.

A hotel takes a family's two or three rooms by chat as it takes one room; a larger group
(more rooms or guests than the venue's settings allow by chat) is a request the owner
answers. The guest confirmed the rooms on screen as for any booking; they are held, for the
venue's approval window rather than the usual hold time, so nothing is sold under them while
staff decide. Accepting lets the booking go on to payment; declining cancels it (nothing was
paid, nothing is refunded).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from engine.bookings.enums import Approval, BookingStatus, CancelledBy
from engine.bookings.models import Booking
from engine.bookings.service import Cancellation, cancel, extend_hold, lock_booking
from engine.bookings.transitions import record_event
from engine.exceptions import HoldExpiredError, ValidationError
from engine.tenants.models import Venue


def needs_approval(venue: Venue, *, rooms: int, guests: int) -> bool:
    """Whether a chat booking of ``rooms`` rooms for ``guests`` is above the venue's limits."""
    return rooms > venue.chat_max_rooms or guests > venue.chat_max_guests


def request_approval(session: Session, *, booking: Booking, actor: str, now: datetime) -> None:
    """Put a held group to staff: pending, held for the venue's approval window."""
    if booking.status != BookingStatus.HELD:
        raise ValidationError("Only a booking on hold can wait for approval.")
    booking.approval = Approval.PENDING
    until = now + timedelta(hours=booking.venue.approval_hours)
    extend_hold(session, booking=booking, until=until, actor=actor, now=now)
    record_event(booking, actor=actor, reason="approval requested", now=now)


def _pending(session: Session, booking: Booking, now: datetime) -> None:
    """Lock the booking; refuse unless it still waits for staff with its rooms held."""
    lock_booking(session, booking)
    if booking.approval != Approval.PENDING:
        raise ValidationError("That booking does not wait for approval.")
    if booking.status != BookingStatus.HELD or booking.hold_lapsed(now):
        raise HoldExpiredError("The rooms of that request are no longer held.")


def accept(session: Session, *, booking: Booking, actor: str, now: datetime) -> Booking:
    """Staff accept the group: it goes on to payment (or is confirmed when nothing is due)."""
    _pending(session, booking, now)
    booking.approval = Approval.ACCEPTED
    record_event(booking, actor=actor, reason="request accepted", now=now)
    return booking


def decline(
    session: Session, *, booking: Booking, actor: str, now: datetime, reason: str = ""
) -> Cancellation:
    """Staff decline the group: the booking is cancelled and its rooms freed."""
    _pending(session, booking, now)
    booking.approval = Approval.DECLINED
    return cancel(
        session,
        booking=booking,
        by=CancelledBy.OWNER,
        actor=actor,
        reason=reason or "request declined",
        now=now,
    )
