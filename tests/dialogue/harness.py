"""Scripted conversations: a guest talks to a running Bookline over signed webhooks; every
reply is read back from the fake provider, exactly as the guest's phone would get it.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.catalog import template
from bot.render import sms_segments
from engine.bookings.models import Booking
from engine.guests.models import Guest
from engine.messaging.enums import FINAL_OUTBOX_STATUSES, InboundStatus
from engine.messaging.models import InboundEvent, OutboxMessage
from tests.stack import (
    HOTEL_SMS,
    HOTEL_WA,
    INN_SMS,
    INN_WA,
    RESTAURANT_SMS,
    RESTAURANT_WA,
    Stack,
    wait_for,
)

VENUE_NUMBERS = {
    ("hotel", "sms"): HOTEL_SMS,
    ("restaurant", "sms"): RESTAURANT_SMS,
    ("hotel", "whatsapp"): HOTEL_WA,
    ("restaurant", "whatsapp"): RESTAURANT_WA,
    ("inn", "sms"): INN_SMS,
    ("inn", "whatsapp"): INN_WA,
}
_numbers = itertools.count(1)


def literal_part(key: str, language: str = "en") -> str:
    """The longest fixed piece of a catalog sentence (to recognise it in a reply)."""
    pieces = re.split(r"\{\w+\}", template(key, language))
    return max(pieces, key=len).strip()


@dataclass
class Reply:
    """One message the guest received."""

    text: str
    options: list[tuple[str, str]] = field(default_factory=list)
    #: How WhatsApp showed the options: "button" or "list" ("" for none, and on SMS).
    form: str = ""
    #: Each list row's description, in the options' order ("" where a row has none).
    details: list[str] = field(default_factory=list)

    def has(self, key: str, language: str = "en") -> bool:
        """True when this is the catalog sentence ``key``."""
        return literal_part(key, language) in self.text

    @property
    def segments(self) -> int:
        """The SMS segments this text is billed as (GSM-7 160/153, UCS-2 70/67)."""
        return sms_segments(self.text)


@dataclass
class ChatGuest:
    """A guest on one channel talking to one venue."""

    stack: Stack
    sessions: sessionmaker[Session]
    venue: str  # "hotel" | "restaurant" | "inn" (the second hotel)
    channel: str  # "sms" | "whatsapp"
    name: str = "Asha"
    phone: str = ""
    seen: int = 0
    turns: int = 0

    def __post_init__(self) -> None:
        if not self.phone:
            self.phone = f"+9197{next(_numbers):08d}"

    @property
    def address(self) -> str:
        """The guest's number as the provider writes it."""
        return self.phone if self.channel == "sms" else self.phone.lstrip("+")

    def say(self, text: str) -> list[Reply]:
        """Send ``text`` and return every reply it produced."""
        self.turns += 1
        to = VENUE_NUMBERS[(self.venue, self.channel)]
        if self.channel == "sms":
            response = self.stack.sms(text, guest=self.phone, to=to)
        else:
            response = self.stack.whatsapp(text, guest=self.address, to=to, name=self.name)
        assert response.status_code == 200, response.text
        return self.receive()

    def tap(self, option_id: str, title: str = "", *, row: bool = False) -> list[Reply]:
        """Tap a WhatsApp reply button, or with ``row`` a list row (it comes back as a
        ``list_reply``)."""
        assert self.channel == "whatsapp"
        self.turns += 1
        tapped = (option_id, title or option_id)
        response = self.stack.whatsapp(
            guest=self.address,
            to=VENUE_NUMBERS[(self.venue, self.channel)],
            name=self.name,
            button_reply=None if row else tapped,
            list_reply=tapped if row else None,
        )
        assert response.status_code == 200, response.text
        return self.receive()

    def send_media(self) -> list[Reply]:
        """Send a picture instead of text."""
        self.turns += 1
        self.stack.whatsapp(
            guest=self.address,
            to=VENUE_NUMBERS[(self.venue, self.channel)],
            media_type="image",
            name=self.name,
        )
        return self.receive()

    def receive(self, *, at_least: int = 0) -> list[Reply]:
        """Wait until the app is done with the guest's messages (and at least ``at_least`` new
        ones arrived, for messages the guest did not prompt); return what arrived since."""
        wait_for(lambda: len(self.stack.sent_to(self.address)) >= self.seen + at_least, timeout=30)
        wait_for(self._settled, timeout=30, step=0.02)
        messages = self.stack.sent_to(self.address)
        new, self.seen = messages[self.seen :], len(messages)
        return [_reply(m.payload, m.body or "") for m in new]

    def _settled(self) -> bool:
        with self.sessions() as session:
            pending = session.scalar(
                select(InboundEvent.id).where(
                    InboundEvent.guest_phone == self.phone,
                    InboundEvent.status == InboundStatus.PENDING,
                )
            )
            unsent = session.scalar(
                select(OutboxMessage.id).where(
                    OutboxMessage.to_address == self.phone,
                    OutboxMessage.status.not_in(FINAL_OUTBOX_STATUSES),
                )
            )
            return pending is None and unsent is None

    def bookings(self) -> list[Booking]:
        """This guest's bookings (any status), oldest first."""
        with self.sessions() as session:
            return list(
                session.scalars(
                    select(Booking)
                    .join(Guest, Guest.id == Booking.guest_id)
                    .where(Guest.phone == self.phone)
                    .order_by(Booking.id)
                )
            )


def _reply(payload: dict[str, object], body: str) -> Reply:
    interactive = payload.get("interactive")
    if not isinstance(interactive, dict):
        return Reply(body)
    action = interactive.get("action", {})
    assert isinstance(action, dict)
    if "buttons" in action:
        options = [(b["reply"]["id"], b["reply"]["title"]) for b in action["buttons"]]
        return Reply(body, options, "button")
    rows = [row for section in action["sections"] for row in section["rows"]]
    options = [(row["id"], row["title"]) for row in rows]
    return Reply(body, options, "list", [row.get("description", "") for row in rows])
