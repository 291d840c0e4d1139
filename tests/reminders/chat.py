"""Guests of the reminders' end-to-end tests: a confirmed booking made a week ago, the sweep
run at the clock of one of its reminders, and the guest's answers as each channel lets them."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from application.reminders import send_due_reminders
from bot.catalog import t
from engine.bookings.enums import Channel
from engine.bookings.models import Booking
from engine.bookings.policies import booking_start
from engine.messaging.models import OutboxMessage
from engine.tenants.models import Venue
from tests.dialogue.harness import VENUE_NUMBERS, ChatGuest, Reply
from tests.reminders.conftest import Demo
from tests.stack import Stack

KOLKATA = ZoneInfo("Asia/Kolkata")
CHANNELS = {"sms": Channel.SMS, "whatsapp": Channel.WHATSAPP}
ANSWERS = ("confirm", "change", "cancel")


def _day() -> date:
    """Three days ahead on the venues' clock: no reminder is due at the real time meanwhile."""
    return datetime.now(KOLKATA).date() + timedelta(days=3)


def book(
    stack: Stack,
    sessions: sessionmaker[Session],
    *,
    venue: str = "restaurant",
    channel: str = "sms",
    language: str | None = "en",
) -> tuple[ChatGuest, Booking]:
    """A guest with a confirmed booking made a week ago: dinner at 20:00 or a two-night stay."""
    guest = ChatGuest(stack, sessions, venue, channel)
    booked = datetime.now(KOLKATA) - timedelta(days=7)
    with sessions.begin() as session:
        demo = Demo.load(session)
        made: dict[str, Any] = {"now": booked, "phone": guest.phone, "language": language}
        made["channel"] = CHANNELS[channel]
        if venue == "restaurant":
            booking = demo.seating(session, _day(), time(20, 0), **made)
        else:
            booking = demo.stay(session, _day(), **made)
        session.flush()
        session.expunge(booking)
    return guest, booking


def reminder_message(sessions: sessionmaker[Session], booking_id: int, kind: str) -> OutboxMessage:
    """The message a reminder of ``kind`` became (not the reminder's own row), detached."""
    with sessions() as session:
        row = session.scalars(
            select(OutboxMessage).where(OutboxMessage.key.like(f"reminder:{booking_id}:{kind}:%:0"))
        ).one()
        session.expunge(row)
        return row


def due(sessions: sessionmaker[Session], booking: Booking, hours: int = 24) -> datetime:
    """A minute after the reminder ``hours`` before the booking's start is due."""
    with sessions() as session:
        found = session.get_one(Booking, booking.id)
        start = booking_start(found, session.get_one(Venue, found.venue_id))
    return start - timedelta(hours=hours) + timedelta(minutes=1)


def remind(stack: Stack, guest: ChatGuest, booking: Booking, hours: int = 24) -> Reply:
    """Run the sweep when the reminder ``hours`` before the start is due; the one message the
    guest then receives."""
    assert send_due_reminders(stack.runtime, due(guest.sessions, booking, hours)) == 1
    (reminder,) = guest.receive(at_least=1)
    return reminder


def last_payload(guest: ChatGuest) -> dict[str, Any]:
    """What the provider last got for the guest, as sent."""
    return guest.stack.sent_to(guest.address)[-1].payload


def reminder_text(guest: ChatGuest) -> str:
    """The reminder's words as the guest reads them, whatever form it went in."""
    payload = last_payload(guest)
    if guest.channel == "sms":
        return str(payload["Body"])
    if payload["type"] == "template":
        return str(payload["template"]["components"][0]["parameters"][0]["text"])
    return str(payload["interactive"]["body"]["text"])


def pick(guest: ChatGuest, n: int, language: str) -> list[Reply]:
    """Answer the reminder with its ``n``th option (0: Confirm, 1: Change, 2: Cancel) the way
    the channel lets the guest: a number on SMS, a tap on WhatsApp."""
    if guest.channel == "sms":
        return guest.say(str(n + 1))
    payload = last_payload(guest)
    titles = [t(key, language) for key in ("button_confirm", "button_change", "button_cancel")]
    if payload["type"] == "interactive":
        button = payload["interactive"]["action"]["buttons"][n]["reply"]
        return guest.tap(button["id"], button["title"])
    quick = payload["template"]["components"][n + 1]["parameters"][0]["payload"]
    guest.turns += 1
    response = guest.stack.whatsapp(
        guest=guest.address,
        to=VENUE_NUMBERS[(guest.venue, guest.channel)],
        name=guest.name,
        quick_reply=(quick, titles[n]),
    )
    assert response.status_code == 200, response.text
    return guest.receive()


def yes(guest: ChatGuest) -> list[Reply]:
    """Yes to the question on screen (Yes is the first option of every yes/no)."""
    return guest.say("1") if guest.channel == "sms" else guest.tap("yes")


def stored(guest: ChatGuest, booking: Booking) -> Booking:
    with guest.sessions() as session:
        found = session.get_one(Booking, booking.id)
        session.expunge(found)
        return found
