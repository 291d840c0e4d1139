"""Bookings as CSV for spreadsheets: local times, amounts in the currency's major unit."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from bot.format import MINOR_UNITS
from engine.bookings.models import Booking

COLUMNS = [
    "reference", "venue", "status", "channel", "guest_name", "guest_phone", "party_size",
    "check_in", "check_out", "starts_at_local", "resources", "amount", "amount_paid",
    "currency", "created_at_local", "notes",
]  # fmt: skip


def major(amount: int, currency: str) -> str:
    """Minor units as a decimal string in the currency's major unit (12345 INR -> 123.45)."""
    return str(Decimal(amount).scaleb(-MINOR_UNITS.get(currency, 2)))


def _row(booking: Booking) -> list[str]:
    tz = booking.venue.tz
    starts = (
        booking.starts_at.astimezone(tz).strftime("%Y-%m-%d %H:%M") if booking.starts_at else ""
    )
    return [
        booking.reference,
        booking.venue.name,
        booking.status.value,
        booking.channel.value,
        booking.guest.name or "",
        booking.guest.phone,
        str(booking.party_size),
        booking.check_in.isoformat() if booking.check_in else "",
        booking.check_out.isoformat() if booking.check_out else "",
        starts,
        " ".join(booking.resources),
        major(booking.amount, booking.currency),
        major(booking.amount_paid, booking.currency),
        booking.currency,
        booking.created_at.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
        _safe(booking.notes),
    ]


def _safe(text: str) -> str:
    """Neutralise spreadsheet formulas in free text ("=HYPERLINK(...)" stays text)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def bookings_csv(bookings: list[Booking]) -> str:
    """The CSV document: a header row, then one row per booking."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerows(_row(booking) for booking in bookings)
    return out.getvalue()
