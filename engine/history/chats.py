"""The conversations of a history: the chat behind each chat booking, and chats that led nowhere.

The funnel counts conversations, so a chat booking comes with the lines that made it, and some
guests only ask a question and leave.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from random import Random

from engine.history.plan import Guest, Line, PlannedBooking, PlannedConversation
from engine.messaging.enums import MessageChannel
from engine.tenants.models import Venue

#: Chats per venue and day that end without a booking (low, high).
BROWSING = (0, 3)
QUESTIONS = (
    "What time do you open?",
    "Do you have parking?",
    "Is there anything free this weekend?",
    "How much is a night?",
    "Can I bring a dog?",
)
ANSWER = "Thanks for asking! Tell me the date and how many of you, and I will check."


def booking_chat(venue: Venue, planned: PlannedBooking) -> PlannedConversation:
    """The guest asks, is offered the place, accepts; the hold is placed on the acceptance."""
    at, request = planned.life.created_at, planned.request
    if request.check_in is not None and request.check_out is not None:
        stay = f"{request.check_in:%d %b} to {request.check_out:%d %b}"
        ask = f"Room for {request.party_size} from {stay}"
    else:
        ask = f"Table for {request.party_size} at {request.due_at.astimezone(venue.tz):%H:%M %d %b}"
    answer = (
        f"Please pay with the link to confirm {planned.reference}."
        if planned.life.link
        else f"Confirmed. Your reference is {planned.reference}."
    )
    lines = (
        Line(at - timedelta(minutes=4), "in", ask),
        Line(at - timedelta(minutes=3), "out", "Good news: that is available. Shall I book it?"),
        Line(at - timedelta(seconds=30), "in", "Yes"),
        Line(at + timedelta(seconds=5), "out", answer),
    )
    return PlannedConversation(
        venue.id, MessageChannel(planned.life.channel.value), planned.guest_phone, lines
    )


def browsing_chats(
    rng: Random, venue: Venue, days: list[date], guests: tuple[Guest, ...], *, latest: datetime
) -> list[PlannedConversation]:
    """Guests who asked a question during the day (09:00-22:00 local) and booked nothing."""
    chats: list[PlannedConversation] = []
    for day in days:
        for _ in range(rng.randint(*BROWSING)):
            opens = datetime.combine(day, time(9), tzinfo=venue.tz)
            at = opens + timedelta(minutes=rng.randrange(13 * 60))
            channel = rng.choice(list(MessageChannel))
            guest, question = rng.choice(guests), rng.choice(QUESTIONS)
            if at <= latest:
                lines = (Line(at, "in", question), Line(at + timedelta(seconds=5), "out", ANSWER))
                chats.append(PlannedConversation(venue.id, channel, guest.phone, lines))
    return chats
