"""Messages the bot sends on its own, with no guest message to answer: payment news, expiry.

A worker that has news for a guest opens a Turn on the booking's conversation, so the words
are in the guest's language and channel format and the conversation can move on (offering
alternatives, say). Replies go through the outbox under a key naming their cause, so a retried
job sends nothing twice.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from redis import Redis
from sqlalchemy.orm import Session

from application.messenger import Recipient
from application.messenger import tell as tell_guest
from bot.choices import conversation_key
from bot.conversation import IDLE_TTL_SECONDS, ConversationStore
from bot.messages import Reply
from bot.nlu.intents import Intent
from bot.nlu.slots import Slots
from bot.turn import Turn
from bot.understanding import Understanding
from engine.bookings.models import Booking
from engine.messaging.models import OutboxMessage
from engine.payments.service import guest_channel

#: What the guest "said" on a turn the bot started itself: nothing.
NOTHING_SAID = Understanding(Intent.UNKNOWN, 0.0, Slots(), None, None, None, "")


def booking_conversation(booking: Booking) -> str:
    """The key of the conversation the booking's guest is told about it in."""
    return conversation_key(booking.venue_id, guest_channel(booking), booking.guest.phone)


@contextmanager
def guest_turn(
    session: Session,
    redis: Redis,
    booking: Booking,
    now: datetime,
    *,
    ttl_seconds: int = IDLE_TTL_SECONDS,
) -> Iterator[Turn]:
    """A Turn on the conversation of the booking's guest; the conversation is saved after,
    kept ``ttl_seconds`` (longer than a chat's idle time when the answer may take hours).

    The caller holds that conversation's lock (``booking_conversation``), taken before its
    transaction began, so no guest turn runs in between the load and the save.
    """
    channel = guest_channel(booking)
    key = booking_conversation(booking)
    store = ConversationStore(redis, ttl_seconds=ttl_seconds)
    conversation = store.load(key)
    yield Turn(
        session, redis, booking.venue, booking.guest, conversation, NOTHING_SAID, channel, now
    )
    store.save(key, conversation)


def tell(turn: Turn, key: str, replies: list[Reply]) -> list[OutboxMessage]:
    """Queue ``replies`` to the turn's guest once, under ``key`` (through the messenger)."""
    to = Recipient(turn.venue, turn.guest, turn.channel)
    return tell_guest(turn.session, turn.redis, to, replies, key=key, now=turn.now)
