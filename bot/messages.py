"""Channel-neutral message types: what a guest said and what the bot answers.

Replies know nothing of WhatsApp or SMS; ``bot.render`` turns them into each channel's form
(interactive buttons and lists on WhatsApp, numbered options on SMS).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from engine.messaging.enums import MessageChannel


@dataclass(frozen=True)
class InboundMessage:
    """One guest message after normalisation, whatever the provider."""

    event_id: int
    business_id: int
    venue_id: int
    channel: MessageChannel
    guest_phone: str
    text: str
    choice_id: str | None
    kind: str
    provider_id: str
    received_at: datetime
    profile_name: str | None = None


@dataclass(frozen=True)
class Option:
    """A choice offered to the guest: ``id`` comes back when they pick it."""

    id: str
    title: str
    description: str = ""


@dataclass(frozen=True)
class Reply:
    """Text, optionally with options (up to 3 become buttons, more become a list)."""

    text: str
    options: list[Option] = field(default_factory=list)
    list_button: str = "Choose"
    #: The language of ``text``, so what a channel adds around it ("Reply 1 or 2") matches.
    language: str | None = None


def above(note: str, replies: list[Reply]) -> list[Reply]:
    """``replies`` with ``note`` written above the first one."""
    first, *rest = replies
    return [replace(first, text=f"{note}\n{first.text}"), *rest]
