"""Cancellation policy: how much of what was paid goes back, decided by time before arrival.

A change that lowered the price settled part of what was paid already (some refunded, the
rest kept under this same policy); its audit entry (``CHANGE_SETTLED``) says how much, so a
later change or cancellation works from what is still paid toward the booking as it is now.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from engine.bookings.enums import CancelledBy
from engine.bookings.models import Booking
from engine.exceptions import ValidationError
from engine.tenants.models import Venue

#: Audit reason of a guest's change of a paid booking; details carry ``refund_amount`` (given
#: back, negative when that refund failed), ``kept`` (kept by the venue under the policy) and
#: ``percent`` (what the policy refunded when the change was made).
CHANGE_SETTLED = "change settled"


def settled_by_changes(booking: Booking) -> tuple[int, int]:
    """(refunded, kept) of what was paid, over the booking's price-lowering changes."""
    entries = [event.details for event in booking.events if event.reason == CHANGE_SETTLED]
    refunded = sum(int(str(details.get("refund_amount", 0))) for details in entries)
    kept = sum(int(str(details.get("kept", 0))) for details in entries)
    return refunded, kept


def change_percents(booking: Booking) -> list[int]:
    """The policy percent at each of the guest's changes of the paid booking."""
    return [
        int(str(event.details["percent"]))
        for event in booking.events
        if event.reason == CHANGE_SETTLED and "percent" in event.details
    ]


def paid_not_refunded(booking: Booking) -> int:
    """What was paid and not given back by a change (the most a cancellation can refund)."""
    return booking.amount_paid - settled_by_changes(booking)[0]


def paid_toward_price(booking: Booking) -> int:
    """What was paid and still counts toward the booking's price as it is now."""
    refunded, kept = settled_by_changes(booking)
    return booking.amount_paid - refunded - kept


@dataclass(frozen=True)
class CancellationQuote:
    """What cancelling now would refund, to show the guest before they confirm."""

    refund_amount: int
    refund_percent: int
    currency: str


def booking_start(booking: Booking, venue: Venue) -> datetime:
    """When the guest is due: check-in time on the arrival date, or the seating start.

    In UTC: Python subtracts two datetimes sharing a tzinfo by wall clock, so a ``now`` given
    in the venue's zone would be an hour off across a DST change; UTC keeps it real time.
    """
    return start_of(venue, starts_at=booking.starts_at, check_in=booking.check_in)


def start_of(venue: Venue, *, starts_at: datetime | None, check_in: date | None) -> datetime:
    """``booking_start`` from the two columns alone (for code reading rows, not bookings)."""
    if starts_at is not None:
        return starts_at.astimezone(UTC)
    if check_in is None:
        raise ValidationError("The booking has no start.")
    return datetime.combine(check_in, venue.check_in_time, tzinfo=venue.tz).astimezone(UTC)


def refund_percent(tiers: list[dict[str, int]], *, hours_before: float) -> int:
    """Percent refunded when cancelling ``hours_before`` the start (tiers are inclusive)."""
    for tier in sorted(tiers, key=lambda t: t["hours_before"], reverse=True):
        if hours_before >= tier["hours_before"]:
            return int(tier["refund_percent"])
    return 0


def quote_cancellation(
    booking: Booking, *, by: CancelledBy, now: datetime, amount: int | None = None
) -> CancellationQuote:
    """Refund for cancelling now: the venue policy for guests, full or chosen for owners."""
    if by == CancelledBy.OWNER:  # may give back everything not refunded yet, fees included
        paid = paid_not_refunded(booking)
        refund = paid if amount is None else amount
        if not 0 <= refund <= paid:
            raise ValidationError(f"A refund must be between 0 and the {paid} paid.")
        percent = 100 * refund // paid if paid else 0
        return CancellationQuote(refund, percent, booking.currency)
    paid = paid_toward_price(booking)
    hours = (booking_start(booking, booking.venue) - now).total_seconds() / 3600
    # Moving a booking away cannot turn a late cancellation into an early one: the guest's
    # own changes count as the cancellations they would have been.
    percent = min(
        [refund_percent(booking.venue.cancellation_tiers, hours_before=hours)]
        + change_percents(booking)
    )
    return CancellationQuote(paid * percent // 100, percent, booking.currency)
