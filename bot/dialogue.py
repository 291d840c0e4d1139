"""The dialogue interface the message pipeline calls (``bot.machine`` implements it)."""

from __future__ import annotations

from typing import Protocol

from redis import Redis
from sqlalchemy.orm import Session

from bot.messages import InboundMessage, Reply
from engine.guests.models import Guest
from engine.tenants.models import Venue


class Dialogue(Protocol):
    """Turns one guest message into replies, calling the engine as needed."""

    def respond(
        self, session: Session, message: InboundMessage, *, venue: Venue, guest: Guest, redis: Redis
    ) -> list[Reply]:
        """Replies to send, in order; may be empty."""
        ...
