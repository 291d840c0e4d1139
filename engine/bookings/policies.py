"""Cancellation policy: how much of what was paid goes back, decided by time before arrival."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from engine.bookings.enums import CancelledBy
from engine.bookings.models import Booking
from engine.exceptions import ValidationError
from engine.tenants.models import Venue


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
    if booking.starts_at is not None:
        return booking.starts_at.astimezone(UTC)
    if booking.check_in is None:
        raise ValidationError("The booking has no start.")
    local = datetime.combine(booking.check_in, venue.check_in_time, tzinfo=venue.tz)
    return local.astimezone(UTC)


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
    paid = booking.amount_paid
    if by == CancelledBy.OWNER:
        refund = paid if amount is None else amount
        if not 0 <= refund <= paid:
            raise ValidationError(f"A refund must be between 0 and the {paid} paid.")
        percent = 100 * refund // paid if paid else 0
        return CancellationQuote(refund, percent, booking.currency)
    hours = (booking_start(booking, booking.venue) - now).total_seconds() / 3600
    percent = refund_percent(booking.venue.cancellation_tiers, hours_before=hours)
    # Paid beyond the price is what an earlier change kept under this same policy: not again.
    base = min(paid, booking.amount)
    return CancellationQuote(base * percent // 100, percent, booking.currency)
