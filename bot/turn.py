"""Everything a dialogue handler needs for one turn, in one object."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from redis import Redis
from sqlalchemy.orm import Session

from bot.catalog import t
from bot.conversation import Conversation
from bot.format import format_day, format_money, format_time
from bot.messages import Option, Reply
from bot.understanding import Understanding
from engine.bookings.models import Booking
from engine.guests.models import Guest
from engine.messaging.enums import MessageChannel
from engine.tenants.models import Venue


@dataclass
class Turn:
    """One guest message being answered."""

    session: Session
    redis: Redis
    venue: Venue
    guest: Guest
    conversation: Conversation
    understood: Understanding
    channel: MessageChannel
    now: datetime
    #: The guest was mid-conversation but its state is gone (see ``bot.machine``).
    state_lost: bool = False

    @property
    def language(self) -> str | None:
        """The language replies are written in."""
        return self.conversation.language or self.guest.language

    @property
    def actor(self) -> str:
        """Who the audit trail says acted: this guest on this channel."""
        return f"guest:{self.guest.phone}:{self.channel.value}"

    def say(self, key: str, options: list[Option] | None = None, **values: object) -> Reply:
        """A reply from the catalog in the guest's language."""
        return Reply(
            t(key, self.language, **values),
            options or [],
            list_button=self.text("list_button"),
            language=self.language,
        )

    def text(self, key: str, **values: object) -> str:
        """A catalog sentence in the guest's language."""
        return t(key, self.language, **values)

    def money(self, amount: int) -> str:
        """A price as this channel should show it (no ₹ on SMS: it forces UCS-2)."""
        return format_money(
            amount, self.venue.currency, ascii_only=self.channel == MessageChannel.SMS
        )

    def yes_no(self, yes_key: str = "button_yes", no_key: str = "button_no") -> list[Option]:
        """Yes / No buttons."""
        return [Option("yes", self.text(yes_key)), Option("no", self.text(no_key))]

    def describe(self, booking: Booking) -> str:
        """One line about a booking: what, when, reference, status."""
        if booking.starts_at is not None:
            local = booking.starts_at.astimezone(self.venue.tz)
            when = self.text(
                "table_summary",
                party=booking.party_size,
                day=format_day(local.date(), self.language),
                time=format_time(local),
            )
        else:
            assert booking.check_in is not None and booking.check_out is not None
            when = self.text(
                "stay_summary",
                nights=(booking.check_out - booking.check_in).days,
                check_in=format_day(booking.check_in, self.language),
                check_out=format_day(booking.check_out, self.language),
                guests=booking.party_size,
            )
        status = self.text(f"status_{booking.status.value}")
        return f"{booking.reference}: {when} ({status})"
