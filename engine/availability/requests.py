"""What a guest asks for, and the checks every request passes before anything is read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from engine.exceptions import CheckOutBeforeCheckInError, PartyTooLargeError, ValidationError
from engine.tenants.models import Venue

MAX_NIGHTS = 30
MAX_HOTEL_GUESTS = 12
MAX_TABLE_PARTY = 20
BOOKING_HORIZON = timedelta(days=730)


@dataclass(frozen=True)
class StayRequest:
    """A hotel stay: nights are the dates from ``check_in`` up to, not including, check-out."""

    check_in: date
    check_out: date
    guests: int
    room_type_id: int | None = None

    @property
    def nights(self) -> list[date]:
        """The dates the guest sleeps at the hotel."""
        count = (self.check_out - self.check_in).days
        return [self.check_in + timedelta(days=n) for n in range(count)]


@dataclass(frozen=True)
class TableRequest:
    """A restaurant seating at a local wall-clock time on a local date."""

    day: date
    at: time
    party_size: int


def validate_stay(venue: Venue, request: StayRequest, *, now: datetime) -> None:
    """Reject impossible stays with a message the guest can act on."""
    validate_stay_shape(request)
    today = now.astimezone(venue.tz).date()
    if request.check_in < today:
        raise ValidationError("Check-in cannot be in the past.")
    if request.check_in > today + BOOKING_HORIZON:
        raise ValidationError("That date is too far ahead to book yet.")


def validate_stay_shape(request: StayRequest) -> None:
    """The checks of a stay that need no venue (party, order and length of the dates)."""
    if not 1 <= request.guests <= MAX_HOTEL_GUESTS:
        raise ValidationError(f"Number of guests must be between 1 and {MAX_HOTEL_GUESTS}.")
    if request.check_out <= request.check_in:
        raise CheckOutBeforeCheckInError("Check-out must be after check-in.")
    if len(request.nights) > MAX_NIGHTS:
        raise ValidationError(f"Stays can be at most {MAX_NIGHTS} nights.")


def validate_table(venue: Venue, request: TableRequest, *, now: datetime) -> None:
    """Reject impossible seatings with a message the guest can act on."""
    today = now.astimezone(venue.tz).date()
    if not 1 <= request.party_size <= MAX_TABLE_PARTY:
        message = f"Party size must be between 1 and {MAX_TABLE_PARTY}."
        if request.party_size > MAX_TABLE_PARTY:
            raise PartyTooLargeError(message, largest=MAX_TABLE_PARTY)
        raise ValidationError(message)
    if request.day < today:
        raise ValidationError("That date is in the past.")
    if request.day > today + BOOKING_HORIZON:
        raise ValidationError("That date is too far ahead to book yet.")
