"""Messages the bot sends on its own, with no guest message to answer: payment news, expiry.

A worker that has news for a guest opens a Turn on the booking's conversation, so the words
are in the guest's language and channel format and the conversation can move on (offering
alternatives, say). Replies go through the outbox under a key naming their cause, so a retried
job sends nothing twice. A sweep that asks many guests a question (a waitlist offer, "how was
your visit?") queues the messages in its transaction, then sets each conversation to expect
the answer once it has committed (``expect_answers``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Protocol

from redis import Redis
from redis.client import Pipeline
from sqlalchemy.orm import Session

from application.messenger import Recipient
from application.messenger import tell as tell_guest
from bot.choices import conversation_key
from bot.conversation import (
    IDLE_TTL_SECONDS,
    Conversation,
    ConversationBusyError,
    ConversationStore,
)
from bot.messages import Reply
from bot.nlu.intents import Intent
from bot.nlu.slots import Slots
from bot.turn import Turn
from bot.understanding import Understanding
from engine.bookings.models import Booking
from engine.guests.models import Guest
from engine.messaging.enums import MessageChannel
from engine.messaging.models import OutboxMessage
from engine.payments.service import guest_channel
from engine.tenants.models import Venue
from infra.runtime import Runtime

log = logging.getLogger(__name__)

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


def words_turn(
    session: Session,
    redis: Redis,
    venue: Venue,
    guest: Guest,
    channel: MessageChannel,
    now: datetime,
) -> Turn:
    """A Turn that only writes a message to ``guest`` (their language, the channel's format),
    for a sweep that messages many guests without holding their conversations' locks: its
    conversation is a blank one, never saved (``expect_answers`` moves the real one later)."""
    return Turn(session, redis, venue, guest, Conversation(), NOTHING_SAID, channel, now)


def tell(turn: Turn, key: str, replies: list[Reply]) -> list[OutboxMessage]:
    """Queue ``replies`` to the turn's guest once, under ``key`` (through the messenger)."""
    to = Recipient(turn.venue, turn.guest, turn.channel)
    return tell_guest(turn.session, turn.redis, to, replies, key=key, now=turn.now)


class Question(Protocol):
    """A message a sweep sent on its own whose answer the guest's conversation should expect
    (a waitlist offer, the question after a visit)."""

    @property
    def conversation(self) -> str:
        """The key of the guest's conversation."""
        ...

    def expect_answer(self, conversation: Conversation, pipeline: Pipeline) -> None:
        """Set the conversation to read the guest's next message as the answer."""
        ...


def expect_answers(runtime: Runtime, questions: Sequence[Question]) -> None:
    """After the commit that queued ``questions``, before they go out: set each guest's
    conversation to expect the answer, under its lock (a turn in flight would overwrite it).

    One guest whose conversation stays busy must not cost the others theirs: that guest's
    answer is then read without the question.
    """
    store = ConversationStore(runtime.redis)
    for question in questions:
        try:
            store.update(question.conversation, question.expect_answer)
        except ConversationBusyError:
            log.warning("%s busy: its message goes out all the same", question.conversation)
