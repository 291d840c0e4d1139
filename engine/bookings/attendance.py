"""Attendance rules: when a guest who has not come counts as not arrived, which bookings are,
and how many times a guest did not come.

Reads only: the actions (marking arrivals, noticing the bookings not arrived, undoing a
no-show) are in ``engine.bookings.arrivals``. The clock is always the caller's ``now``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session, joinedload

from engine.availability.units import Pair
from engine.bookings.enums import BookingStatus
from engine.bookings.models import Booking, BookingEvent
from engine.tenants.models import MAX_ARRIVAL_GRACE_MINUTES, Venue

#: Audit reasons of attendance (the live feed names its events after the first three).
ARRIVED = "arrived"
ARRIVAL_UNDONE = "arrival undone"
NOT_ARRIVED = "not arrived after grace"
AUTO_NO_SHOW = "no-show after grace"
NO_SHOW_UNDONE = "no-show undone"
#: Who the audit trail says noticed a booking not arrived (and no-showed it, if opted in).
SWEEP_ACTOR = "system:attendance"
#: How long after its grace ended a booking is still listed, and still swept, as not arrived:
#: one nobody marked for longer is history, not news (and may predate the feature itself).
LISTED_FOR = timedelta(days=1)
#: The longest grace owners can set, so the query can bound seatings.
MAX_GRACE = timedelta(minutes=MAX_ARRIVAL_GRACE_MINUTES)
#: Where a no-show's audit entry keeps the claims it gave back, for an undo to take again.
RELEASED = "released"


def arrival_deadline(booking: Booking, venue: Venue) -> datetime:
    """When a guest who has not come counts as not arrived (UTC): a seating's start plus the
    venue's grace; a stay's first morning at check-out time, once its first night is over."""
    if booking.starts_at is not None:
        return booking.starts_at.astimezone(UTC) + venue.arrival_grace
    assert booking.check_in is not None, "a booking is a seating or a stay"
    morning = booking.check_in + timedelta(days=1)
    return datetime.combine(morning, venue.check_out_time, tzinfo=venue.tz).astimezone(UTC)


def is_not_arrived(booking: Booking, now: datetime) -> bool:
    """Confirmed, nobody marked the guest arrived, and the grace is over by ``now``."""
    return (
        booking.status == BookingStatus.CONFIRMED
        and booking.arrived_at is None
        and arrival_deadline(booking, booking.venue) <= now
    )


def not_arrived(
    session: Session,
    *,
    now: datetime,
    venue_id: int | None = None,
    unnoticed: bool = False,
) -> list[Booking]:
    """Bookings not arrived whose grace ended in the last LISTED_FOR, longest overdue first;
    ``unnoticed``: only those the attendance sweep has not dealt with yet."""
    query = (
        select(Booking)
        .where(
            Booking.status == BookingStatus.CONFIRMED,
            Booking.arrived_at.is_(None),
            _due_around(now),
        )
        .options(joinedload(Booking.venue))
    )
    if venue_id is not None:
        query = query.where(Booking.venue_id == venue_id)
    if unnoticed:
        query = query.where(Booking.not_arrived_at.is_(None))
    found = [
        booking
        for booking in session.scalars(query)
        if now - LISTED_FOR < arrival_deadline(booking, booking.venue) <= now
    ]
    return sorted(found, key=lambda b: (arrival_deadline(b, b.venue), b.id))


def _due_around(now: datetime) -> ColumnElement[bool]:
    """A superset of the bookings whose grace ended in the LISTED_FOR before ``now``, in
    SQL (grace and zones are each venue's): seatings that started by then, and stays that
    arrived within a few days of then, whatever the zone."""
    earliest = now - LISTED_FOR
    seatings = and_(Booking.starts_at >= earliest - MAX_GRACE, Booking.starts_at <= now)
    stays = and_(
        Booking.check_in >= earliest.date() - timedelta(days=2),
        Booking.check_in <= now.date(),
    )
    return or_(seatings, stays)


def no_show_count(session: Session, *, guest_id: int, before: datetime) -> int:
    """How many of the guest's bookings had been marked no-show by ``before`` and still are
    (an undone no-show does not count). Guests belong to one business: this counts there."""
    query = (
        select(func.count(func.distinct(Booking.id)))
        .join(BookingEvent, BookingEvent.booking_id == Booking.id)
        .where(
            Booking.guest_id == guest_id,
            Booking.status == BookingStatus.NO_SHOW,
            BookingEvent.to_status == BookingStatus.NO_SHOW.value,
            BookingEvent.at <= before,
        )
    )
    return session.scalar(query) or 0


def deposit_no_shows(session: Session, *, venue: Venue, guest_id: int, before: datetime) -> int:
    """The no-shows the venue's deposit rule counts for a booking made at ``before`` (0, and
    nothing read, where the rule is off): a booking keeps the rule it was made under."""
    if not venue.no_show_deposit_after:
        return 0
    return no_show_count(session, guest_id=guest_id, before=before)


def released_details(pairs: Sequence[Pair]) -> dict[str, object]:
    """The audit details of a no-show: the claims it gave back, sorted."""
    return {RELEASED: [list(pair) for pair in sorted(pairs)]}


def released_pairs(details: dict[str, object]) -> list[Pair] | None:
    """The claims a no-show gave back, from its audit details (None: not recorded)."""
    released = details.get(RELEASED)
    if not isinstance(released, list):
        return None
    return [(str(resource), str(unit)) for resource, unit in released]
