"""Remembering the options last offered to a guest, so "2" on SMS means the second one."""

from __future__ import annotations

import json
from dataclasses import dataclass

from redis import Redis
from redis.client import Pipeline

from bot.messages import Option
from engine.messaging.enums import MessageChannel

OPTIONS_TTL_SECONDS = 24 * 3600


def conversation_key(venue_id: int, channel: MessageChannel, guest_phone: str) -> str:
    """The Redis key prefix of one conversation (venue × channel × guest)."""
    return f"bookline:conv:{venue_id}:{channel.value}:{guest_phone}"


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


def remember_options(
    redis: Redis, conversation: str, options: list[Option], pipeline: Pipeline | None = None
) -> None:
    """Store the ids of the options just offered, in the order they were numbered."""
    target = pipeline if pipeline is not None else redis
    target.set(
        f"{conversation}:options", json.dumps([o.id for o in options]), ex=OPTIONS_TTL_SECONDS
    )


def resolve_choice(redis: Redis, conversation: str, text: str) -> str | None:
    """The option id a bare number ("2", " 2. ") picks from the last offer, if any."""
    digits = text.strip().rstrip(".)")
    if not digits.isdigit():
        return None
    raw = redis.get(f"{conversation}:options")
    if raw is None:
        return None
    ids: list[str] = json.loads(raw)
    index = int(digits) - 1
    return ids[index] if 0 <= index < len(ids) else None


def forget_options(redis: Redis, conversation: str, pipeline: Pipeline | None = None) -> None:
    """The last reply offered no options: a bare number no longer picks anything."""
    target = pipeline if pipeline is not None else redis
    target.delete(f"{conversation}:options")
