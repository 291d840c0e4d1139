"""Staff in a guest's conversation: who is handed off, a reply from the dashboard, hand back.

A staff reply goes through the outbox like any bot reply (keyed by the dashboard's request
key, so a retried request sends once) and takes the conversation over: the bot stays quiet
while a person is answering, until staff hand it back or the handoff times out. A booking the
guest was building survives the takeover, so the guest's "bot" or the timeout carries on with
it; staff handing back starts the guest afresh (a person has dealt with them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from redis import Redis
from redis.client import Pipeline
from sqlalchemy.orm import Session

from bot.choices import conversation_key, forget_options
from bot.conversation import Conversation, ConversationStore, State
from bot.events import publish
from bot.flows.general import HANDOFF_HOURS
from bot.inbound import render
from bot.messages import Reply
from bot.render import plain_text
from engine.guests.models import Guest
from engine.messaging.enums import MessageChannel
from engine.messaging.models import OutboxMessage
from engine.messaging.service import add_transcript, enqueue_outbox, find_outbox, last_provider
from engine.tenants.models import Venue

#: How long a person in the dashboard waits for a bot turn in flight (a turn takes well under
#: a second; longer means something is stuck, and they are told to try again).
STAFF_WAIT_SECONDS = 5


@dataclass(frozen=True)
class Thread:
    """One conversation: a guest at a venue on a channel."""

    venue_id: int
    channel: MessageChannel
    guest_phone: str

    @property
    def key(self) -> str:
        """The Redis key prefix of the conversation."""
        return conversation_key(self.venue_id, self.channel, self.guest_phone)


def handed_off(redis: Redis, threads: list[Thread], *, now: datetime) -> list[bool]:
    """For each thread, whether a person (not the bot) is answering it now."""
    if not threads:
        return []
    raw = redis.mget([f"{thread.key}:state" for thread in threads])
    return [_is_handoff(Conversation.from_json(value), now) if value else False for value in raw]


def _is_handoff(conversation: Conversation, now: datetime) -> bool:
    until = conversation.handoff_until
    return conversation.state == State.HANDOFF and (
        until is None or datetime.fromisoformat(until) > now
    )


def take_over(redis: Redis, thread: Thread, *, now: datetime) -> None:
    """Silence the bot for this guest while staff answer (same timeout as a guest's request).

    A booking the guest was building survives, so "bot" or the timeout carries on with it.
    Under the conversation lock: a turn in flight finishes first and cannot undo it.
    """

    def silence(conversation: Conversation, _pipeline: Pipeline) -> None:
        conversation.hand_off(now + timedelta(hours=HANDOFF_HOURS))

    ConversationStore(redis).update(thread.key, silence, wait=STAFF_WAIT_SECONDS)


def hand_back(redis: Redis, thread: Thread) -> None:
    """Let the bot answer again from a fresh start (the guest's language is kept)."""

    def restart(conversation: Conversation, pipeline: Pipeline) -> None:
        conversation.reset()
        forget_options(redis, thread.key, pipeline=pipeline)
        summary = f"{thread.guest_phone} is back with the bot"
        publish(redis, "conversation.handed_back", _event(thread, summary), pipeline=pipeline)

    ConversationStore(redis).update(thread.key, restart, wait=STAFF_WAIT_SECONDS)


def staff_reply(
    session: Session,
    redis: Redis,
    *,
    venue: Venue,
    guest: Guest,
    thread: Thread,
    text: str,
    request_key: str,
    now: datetime,
) -> OutboxMessage:
    """Queue a staff message to the guest on the thread's channel and take the thread over.

    The takeover comes before anything is written: it waits for a bot turn in flight, which
    may itself be waiting for the rows (or, on SQLite, the write lock) this transaction takes.
    """
    key = f"staff:{request_key}"
    sent_before = find_outbox(session, key=key)
    if sent_before is not None:
        return sent_before
    take_over(redis, thread, now=now)
    provider = last_provider(
        session, venue_id=venue.id, channel=thread.channel, guest_phone=guest.phone
    )
    default = "twilio" if thread.channel == MessageChannel.SMS else "whatsapp"
    payload = render(Reply(text), thread.channel, provider or default)
    message = enqueue_outbox(
        session,
        key=key,
        venue_id=venue.id,
        guest_id=guest.id,
        channel=thread.channel,
        to_address=guest.phone,
        payload=payload,
    )
    add_transcript(
        session,
        venue_id=venue.id,
        channel=thread.channel,
        guest_phone=guest.phone,
        direction="out",
        text=plain_text(payload),
        now=now,
    )
    summary = f"Staff replied to {guest.name or guest.phone}"
    publish(redis, "conversation.staff_reply", _event(thread, summary))
    return message


def _event(thread: Thread, summary: str) -> dict[str, object]:
    return {
        "venue_id": thread.venue_id,
        "channel": thread.channel.value,
        "guest_phone": thread.guest_phone,
        "summary": f"{summary} ({thread.channel.value})",
    }
