"""iCalendar feeds per venue (optionally one room type) behind an unguessable URL token.

The token is an HMAC of the venue id and a per-venue salt kept in ``Venue.settings``, so no
table stores it, anyone holding the URL can read the feed, and rotating the salt revokes every
URL handed out before. Stays are all-day events from check-in to check-out; seatings are timed
events in UTC. Lines are folded and text escaped as RFC 5545 requires.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import date, datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, joinedload

from engine.bookings.enums import BookingStatus
from engine.bookings.models import Booking, BookingRoom
from engine.db import utcnow
from engine.exceptions import NotFoundError
from engine.tenants.models import Venue

FEED_STATUSES = (BookingStatus.CONFIRMED, BookingStatus.COMPLETED)
PAST_WINDOW = timedelta(days=60)
FUTURE_WINDOW = timedelta(days=730)


def feed_token(*, venue: Venue, secret: str) -> str:
    """The venue's current feed token: ``{venue id}-{mac}``."""
    salt = str(venue.settings.get("ical_salt", ""))
    mac = hmac.new(secret.encode(), f"ical:{venue.id}:{salt}".encode(), hashlib.sha256)
    return f"{venue.id}-{mac.hexdigest()[:40]}"


def rotate_feed_token(*, venue: Venue, secret: str) -> str:
    """Invalidate every URL given out so far and return the new token."""
    venue.settings = {**venue.settings, "ical_salt": secrets.token_hex(8)}
    return feed_token(venue=venue, secret=secret)


def venue_for_token(session: Session, *, token: str, secret: str) -> Venue:
    """The venue a feed token opens; NotFoundError for any wrong or revoked token."""
    venue_id, _, _mac = token.partition("-")
    venue = session.get(Venue, int(venue_id)) if venue_id.isdigit() else None
    if venue is None or not hmac.compare_digest(feed_token(venue=venue, secret=secret), token):
        raise NotFoundError("No calendar feed at that address.")
    return venue


def venue_feed(
    session: Session, *, venue: Venue, room_type_id: int | None = None, now: datetime | None = None
) -> str:
    """The VCALENDAR text of the venue's confirmed bookings from two months back on."""
    now = now or utcnow()
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Bookline//Bookings//EN",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{_escape(venue.name)}",
    ]
    for booking in _feed_bookings(session, venue, room_type_id, now):
        lines += _event(booking, now)
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)


def _feed_bookings(
    session: Session, venue: Venue, room_type_id: int | None, now: datetime
) -> list[Booking]:
    low, high = now - PAST_WINDOW, now + FUTURE_WINDOW
    query = (
        select(Booking)
        .where(Booking.venue_id == venue.id, Booking.status.in_(FEED_STATUSES))
        .where(
            or_(
                Booking.check_in.between(low.date(), high.date()),
                Booking.starts_at.between(low, high),
            )
        )
        .options(joinedload(Booking.guest))
        .order_by(Booking.id)
    )
    if room_type_id is not None:
        with_room = select(BookingRoom.booking_id).where(
            BookingRoom.room_type_id == room_type_id, BookingRoom.cancelled_at.is_(None)
        )
        query = query.where(or_(Booking.room_type_id == room_type_id, Booking.id.in_(with_room)))
    return list(session.scalars(query))


def _event(booking: Booking, now: datetime) -> list[str]:
    name = booking.guest.name or booking.guest.phone
    lines = [
        "BEGIN:VEVENT",
        f"UID:{booking.reference}@bookline",
        f"DTSTAMP:{_utc(now)}",
        f"SUMMARY:{_escape(f'{booking.reference} {name} ({booking.party_size})')}",
        f"DESCRIPTION:{_escape(f'{booking.status.value}; phone {booking.guest.phone}')}",
    ]
    if booking.check_in is not None and booking.check_out is not None:
        lines += [f"DTSTART;VALUE=DATE:{_day(booking.check_in)}"]
        lines += [f"DTEND;VALUE=DATE:{_day(booking.check_out)}"]
    elif booking.starts_at is not None and booking.ends_at is not None:
        lines += [f"DTSTART:{_utc(booking.starts_at)}", f"DTEND:{_utc(booking.ends_at)}"]
    return [*lines, "END:VEVENT"]


def _utc(at: datetime) -> str:
    return at.strftime("%Y%m%dT%H%M%SZ")


def _day(day: date) -> str:
    return day.strftime("%Y%m%d")


def _escape(text: str) -> str:
    """TEXT value escaping: backslash, semicolon, comma and newlines."""
    for raw, escaped in (
        ("\\", "\\\\"),
        (";", "\\;"),
        (",", "\\,"),
        ("\r\n", "\\n"),
        ("\n", "\\n"),
    ):
        text = text.replace(raw, escaped)
    return text


def _fold(line: str) -> str:
    """Split a content line into 75-octet pieces joined by CRLF + space, never inside a char."""
    parts, current = [], b""
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > 75:
            parts.append(current.decode())
            current = b" "
        current += encoded
    parts.append(current.decode())
    return "\r\n".join(parts)
