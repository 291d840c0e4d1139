"""Attendance actions: staff mark a guest arrived (or take a mistaken tap back), the sweep
notices a booking not arrived after its grace, and staff undo a no-show.

Each works inside the caller's transaction under the booking's row lock and leaves an audit
entry, which is also what tells the dashboards (``infra.live``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, time

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from engine.availability.units import Pair
from engine.bookings.attendance import (
    ARRIVAL_UNDONE,
    ARRIVED,
    AUTO_NO_SHOW,
    NO_SHOW_UNDONE,
    NOT_ARRIVED,
    SWEEP_ACTOR,
    is_not_arrived,
    released_pairs,
)
from engine.bookings.claims import take_claims
from engine.bookings.enums import BookingStatus
from engine.bookings.models import Booking, Claim
from engine.bookings.policies import booking_start
from engine.bookings.service import lock_booking, mark_no_show
from engine.bookings.transitions import apply_transition, record_event
from engine.exceptions import NotAvailableError, ValidationError


def _words(status: BookingStatus) -> str:
    return status.value.replace("_", " ")


def mark_arrived(session: Session, *, booking: Booking, actor: str, now: datetime) -> Booking:
    """The guest is here (seated, checked in). A second tap changes nothing."""
    lock_booking(session, booking)
    if booking.status != BookingStatus.CONFIRMED:
        raise ValidationError(
            f"Only a confirmed booking can be marked arrived; this one is {_words(booking.status)}."
        )
    if booking.arrived_at is not None:
        return booking
    start = booking_start(booking, booking.venue)
    due_day = start.astimezone(booking.venue.tz).date()
    if now < datetime.combine(due_day, time(), tzinfo=booking.venue.tz).astimezone(UTC):
        raise ValidationError(f"The guest is due on {due_day:%a %d %b}: mark them arrived then.")
    booking.arrived_at = now
    record_event(booking, actor=actor, reason=ARRIVED, now=now)
    return booking


def undo_arrival(session: Session, *, booking: Booking, actor: str, now: datetime) -> Booking:
    """Take back a mistaken arrival: the booking waits for its guest again."""
    lock_booking(session, booking)
    if booking.status != BookingStatus.CONFIRMED or booking.arrived_at is None:
        raise ValidationError("This booking has no arrival to undo.")
    details: dict[str, object] = {"arrived_at": booking.arrived_at.isoformat()}
    booking.arrived_at = None
    record_event(booking, actor=actor, reason=ARRIVAL_UNDONE, now=now, details=details)
    return booking


def notice_not_arrived(session: Session, *, booking: Booking, now: datetime) -> bool:
    """The sweep found the guest not arrived after the grace: note it once, and make it a
    no-show where the venue opted in before the booking started. False when, under the lock,
    it turned out to be dealt with already (arrived, moved, cancelled, noticed)."""
    lock_booking(session, booking)
    if booking.not_arrived_at is not None or not is_not_arrived(booking, now):
        return False
    booking.not_arrived_at = now
    since = booking.venue.auto_no_show_since
    if since is not None and since <= booking_start(booking, booking.venue):
        mark_no_show(session, booking=booking, actor=SWEEP_ACTOR, now=now, reason=AUTO_NO_SHOW)
    else:
        record_event(booking, actor=SWEEP_ACTOR, reason=NOT_ARRIVED, now=now)
    return True


def undo_no_show(session: Session, *, booking: Booking, actor: str, now: datetime) -> Booking:
    """Take back a no-show: the booking is confirmed again with the very claims the no-show
    gave back, or NotAvailableError naming who holds them now (nothing is changed then)."""
    lock_booking(session, booking)
    if booking.status != BookingStatus.NO_SHOW:
        raise ValidationError(
            f"Only a no-show can be undone; this booking is {_words(booking.status)}."
        )
    no_show = next(e for e in reversed(booking.events) if e.to_status == BookingStatus.NO_SHOW)
    pairs = released_pairs(no_show.details)
    if pairs is None:
        raise ValidationError(
            "This no-show does not say which room or table it gave back, so it cannot be undone."
        )
    if not take_claims(session, booking=booking, pairs=pairs, now=now):
        raise NotAvailableError(_taken_meanwhile(session, pairs))
    apply_transition(booking, BookingStatus.CONFIRMED, actor=actor, reason=NO_SHOW_UNDONE, now=now)
    return booking


def _taken_meanwhile(session: Session, pairs: Sequence[Pair]) -> str:
    """Why an undo cannot take the claims back: the bookings that hold some of them now."""
    holders = session.scalars(
        select(Booking.reference)
        .distinct()
        .join(Claim, Claim.booking_id == Booking.id)
        .where(tuple_(Claim.resource, Claim.unit).in_(list(pairs)))
        .order_by(Booking.reference)
    ).all()
    return (
        f"Its place was given to {', '.join(holders) or 'another booking'} after the no-show: "
        "move that booking first, or book this guest again."
    )
