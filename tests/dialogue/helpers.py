"""Helpers for scripted conversations: the venue's calendar, paying by hand, losing state."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from engine.bookings.enums import BookingStatus
from engine.bookings.models import Booking, BookingEvent
from engine.bookings.service import confirm
from engine.guests.models import Guest
from tests.dialogue.harness import ChatGuest

VENUE_TZ = ZoneInfo("Asia/Kolkata")  # both demo venues


def today() -> date:
    """Today where the venues are (the bot reads "tomorrow" in their time zone)."""
    return datetime.now(VENUE_TZ).date()


def in_days(days: int) -> date:
    """The venue's date ``days`` from today."""
    return today() + timedelta(days=days)


def weekday_in(days: int) -> tuple[str, date]:
    """The weekday name ("Saturday") ``days`` from today, and its date: a named day that is
    never today or tomorrow, whatever day the suite runs on.
    """
    day = in_days(days)
    return f"{day:%A}", day


def lunch_day(days: int = 1) -> tuple[str, date]:
    """A day ``days`` or more ahead on which the demo restaurant serves lunch (every day but
    Monday, when it opens for dinner only), and how a guest names it: "tomorrow", or "on 8
    December". A test that books lunch "tomorrow" would otherwise fail every Sunday."""
    day = in_days(days)
    if day.weekday() == 0:
        day += timedelta(days=1)
    return ("tomorrow" if day == in_days(1) else f"on {day.day} {day:%B}"), day


def next_date(month: int, day: int) -> date:
    """The next ``day``/``month`` from today on (how the bot reads "24 Dec")."""
    candidate = date(today().year, month, day)
    return candidate if candidate >= today() else date(today().year + 1, month, day)


def local_start(booking: Booking) -> datetime:
    """A table booking's start on the venue's clock."""
    assert booking.starts_at is not None
    return booking.starts_at.astimezone(VENUE_TZ)


def pay(guest: ChatGuest, reference: str) -> None:
    """Mark the guest's held booking paid in full, as the payment webhook would."""
    with guest.sessions.begin() as session:
        booking = session.scalars(select(Booking).where(Booking.reference == reference)).one()
        assert booking.status == BookingStatus.PENDING_PAYMENT
        confirm(session, booking=booking, actor="test", amount_paid=booking.amount)


def last_event(guest: ChatGuest, reference: str) -> BookingEvent:
    """The newest audit event of a booking (the cancellation carries the refund quote)."""
    with guest.sessions() as session:
        event = session.scalars(
            select(BookingEvent)
            .join(Booking, Booking.id == BookingEvent.booking_id)
            .where(Booking.reference == reference)
            .order_by(BookingEvent.id.desc())
        ).first()
        assert event is not None
        session.expunge(event)
        return event


def forget_conversations(guest: ChatGuest) -> int:
    """Lose every conversation state, as a Redis flush or failover would; how many keys went."""
    redis = guest.stack.runtime.redis
    keys = list(redis.scan_iter("bookline:conv:*"))
    for key in keys:
        redis.delete(key)
    return len(keys)


def conversation_state(guest: ChatGuest) -> tuple[str, dict[str, object]]:
    """The guest's stored conversation (key and document)."""
    redis = guest.stack.runtime.redis
    (key,) = list(redis.scan_iter(f"bookline:conv:*:{guest.phone}:state"))
    raw = redis.get(key)
    assert raw is not None
    return key.decode() if isinstance(key, bytes) else str(key), json.loads(raw)


def rewrite_conversation(guest: ChatGuest, **changes: object) -> None:
    """Edit the guest's stored conversation in place (e.g. move a handoff's end to the past)."""
    key, document = conversation_state(guest)
    document.update(changes)
    guest.stack.runtime.redis.set(key, json.dumps(document))


def guest_name(guest: ChatGuest) -> str:
    """The name the engine has for the guest."""
    with guest.sessions() as session:
        name = session.scalar(select(Guest.name).where(Guest.phone == guest.phone))
    return name or ""
