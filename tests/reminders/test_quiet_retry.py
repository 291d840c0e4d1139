"""A reminder is written only outside the venue's quiet hours, but its send can be retried into
them (an outage at 21:55). It then waits, unsent, for the end of the night, and goes once."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import update
from sqlalchemy.exc import NoResultFound
from sqlalchemy.orm import Session, sessionmaker

from application.reminders import send_due_reminders
from application.sweeps import sweep
from engine.db import utcnow
from engine.messaging.enums import OutboxStatus
from engine.messaging.models import OutboxMessage
from engine.messaging.service import stale_outbox
from engine.reminders.schedule import QuietHours
from engine.tenants.service import update_venue, venue_by_slug
from tests.reminders.chat import KOLKATA, book, due, reminder_message
from tests.stack import Stack, wait_for

RESTAURANT = "spice-garden"


def _quiet_now(sessions: sessionmaker[Session], quiet: QuietHours) -> None:
    """Give the restaurant these quiet hours."""
    with sessions.begin() as session:
        venue = venue_by_slug(session, slug=RESTAURANT)
        fields = {"quiet_hours": {"start": quiet.start, "end": quiet.end}}
        update_venue(session, venue=venue, fields=fields)


def _told_to_wait(sessions: sessionmaker[Session], booking_id: int, kind: str) -> bool:
    """Whether the reminder's message exists and was given a time to wait for."""
    try:
        return reminder_message(sessions, booking_id, kind).not_before is not None
    except NoResultFound:
        return False


def test_a_reminder_sent_in_quiet_hours_waits_for_their_end_then_goes_once(
    live: Stack, sessions: sessionmaker[Session]
) -> None:
    guest, booking = book(live, sessions)
    here = datetime.now(KOLKATA)
    minute = here.replace(second=0, microsecond=0)  # quiet hours are stored to the minute
    night = QuietHours(
        (minute - timedelta(minutes=1)).time(), (minute + timedelta(minutes=20)).time()
    )
    # The reminder is written when due (the day before at 20:01, or 18:01 for the same day),
    # outside this night; its send, at the real clock, falls inside it.
    hours, kind = (24, "day_before") if not night.contains(time(20, 1)) else (2, "same_day")
    _quiet_now(sessions, night)

    assert send_due_reminders(live.runtime, due(sessions, booking, hours)) == 1
    # A worker turns the reminder into its message and is told to wait (on the real stack,
    # in a process of its own).
    wait_for(lambda: _told_to_wait(sessions, booking.id, kind))
    live.settle()
    assert live.sent_to(guest.phone) == []
    waiting = reminder_message(sessions, booking.id, kind)
    ends = night.ends(here)
    assert ends is not None and waiting.not_before == ends
    assert waiting.status == OutboxStatus.PENDING

    with sessions.begin() as session:  # long written: only its time keeps it from the sweep
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == waiting.id)
            .values(created_at=utcnow() - timedelta(hours=1))
        )
    with sessions() as session:
        assert waiting.id not in stale_outbox(session, before=utcnow(), limit=1000)
    sweep(live.runtime)
    live.settle()
    assert live.sent_to(guest.phone) == []

    # Morning: the night is over and the message's time has come.
    _quiet_now(sessions, QuietHours(time(0, 0), time(0, 0)))
    with sessions.begin() as session:
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == waiting.id)
            .values(not_before=utcnow() - timedelta(minutes=5))
        )
    sweep(live.runtime)
    live.wait_sent(guest.phone, 1)
    sweep(live.runtime)
    live.settle()
    assert len(live.sent_to(guest.phone)) == 1
    assert reminder_message(sessions, booking.id, kind).status in (
        OutboxStatus.SENT,
        OutboxStatus.DELIVERED,
    )
