"""Staff in a guest's conversation: who is handed off, taking over, handing back.

A staff reply (``application.staff``) takes the conversation over (and answers the questions
the bot left for a person, ``bot.open_questions``): the bot stays quiet
while a person is answering, until staff hand it back or the handoff times out. A booking the
guest was building survives the takeover, so the guest's "bot" or the timeout carries on with
it; staff handing back starts the guest afresh (a person has dealt with them).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from redis import Redis
from redis.client import Pipeline

from bot.choices import Thread, forget_options
from bot.conversation import Conversation, ConversationStore, State
from bot.events import publish
from bot.flows.general import HANDOFF_HOURS
from bot.open_questions import answered

#: How long a person in the dashboard waits for a bot turn in flight (a turn takes well under
#: a second; longer means something is stuck, and they are told to try again).
STAFF_WAIT_SECONDS = 5


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

    def silence(conversation: Conversation, pipeline: Pipeline) -> None:
        conversation.hand_off(now + timedelta(hours=HANDOFF_HOURS))
        answered(redis, thread.key, pipeline=pipeline)  # a person is on it

    ConversationStore(redis).update(thread.key, silence, wait=STAFF_WAIT_SECONDS)


def hand_back(redis: Redis, thread: Thread) -> None:
    """Let the bot answer again from a fresh start (the guest's language is kept)."""

    def restart(conversation: Conversation, pipeline: Pipeline) -> None:
        conversation.reset()
        forget_options(redis, thread.key, pipeline=pipeline)
        answered(redis, thread.key, pipeline=pipeline)
        summary = f"{thread.guest_phone} is back with the bot"
        publish(redis, "conversation.handed_back", staff_event(thread, summary), pipeline=pipeline)

    ConversationStore(redis).update(thread.key, restart, wait=STAFF_WAIT_SECONDS)


def staff_event(thread: Thread, summary: str) -> dict[str, object]:
    """The live event payload of something staff did in a thread."""
    return {
        "venue_id": thread.venue_id,
        "channel": thread.channel.value,
        "guest_phone": thread.guest_phone,
        "summary": f"{summary} ({thread.channel.value})",
    }
