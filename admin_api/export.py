"""Bookings as CSV for spreadsheets: local times, amounts in the currency's major unit.

Every cell is neutralised against spreadsheet formulas (OWASP "CSV injection"): a guest's
WhatsApp profile name is theirs to choose, and "=HYPERLINK(...)" or "@SUM(...)" in a name must
open as text, not run. A cell that starts like a formula gets a leading apostrophe; a plain
number ("+919800000001", "7000.00") is left alone, since a spreadsheet reads it as a number.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal

from bot.format import MINOR_UNITS
from engine.bookings.models import Booking

COLUMNS = [
    "reference", "venue", "status", "channel", "guest_name", "guest_phone", "party_size",
    "check_in", "check_out", "starts_at_local", "resources", "amount", "amount_paid",
    "currency", "created_at_local", "notes",
]  # fmt: skip
#: What a spreadsheet may read as the start of a formula (fullwidth forms included: some
#: spreadsheets fold them to ASCII), and the control characters OWASP lists with them.
FORMULA_STARTS = ("=", "+", "-", "@", "＝", "＋", "－", "＠")
CONTROL_STARTS = ("\t", "\r", "\n")
PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def major(amount: int, currency: str) -> str:
    """Minor units as a decimal string in the currency's major unit (12345 INR -> 123.45)."""
    return str(Decimal(amount).scaleb(-MINOR_UNITS.get(currency, 2)))


def safe_cell(text: str) -> str:
    """``text`` as a spreadsheet will show it, never evaluate it ("=1+1" -> "'=1+1")."""
    if PLAIN_NUMBER.fullmatch(text):
        return text
    if text.startswith(CONTROL_STARTS) or text.lstrip(" ").startswith(FORMULA_STARTS):
        return "'" + text
    return text


def _cells(booking: Booking) -> list[str]:
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
        booking.notes,
    ]


def _row(booking: Booking) -> list[str]:
    """One booking's cells, each made safe (so no column can be forgotten)."""
    return [safe_cell(cell) for cell in _cells(booking)]


def _lines(rows: Iterable[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue()


def bookings_csv(batches: Iterable[list[Booking]]) -> Iterator[str]:
    """The CSV document in pieces: the header row, then one piece per batch of bookings."""
    yield _lines([COLUMNS])
    for batch in batches:
        yield _lines(_row(booking) for booking in batch)
