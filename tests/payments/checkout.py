"""Driving the fake Razorpay over HTTP as a paying guest would, and waiting for the results.

On the embedded default a webhook is handled inline, so a payment's effects are done when the
POST returns; with real workers they follow, hence ``settle``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from engine.bookings.models import Booking
from engine.messaging.enums import InboundStatus, OutboxStatus
from engine.messaging.models import InboundEvent, OutboxMessage
from engine.payments.enums import PAYMENT_PROVIDER
from fakeproviders import razorpay_payloads as rp
from fakeproviders.config import FAKE_PROVIDER_PATH
from fakeproviders.credentials import FAKE_RAZORPAY_WEBHOOK_SECRET
from fakeproviders.inbound import post_razorpay_event
from tests.dialogue.harness import ChatGuest, Reply
from tests.stack import Stack, wait_for


@dataclass
class Checkout:
    """The guest's side of Razorpay, and the app's books as seen after each step."""

    stack: Stack
    sessions: sessionmaker[Session]

    @property
    def base(self) -> str:
        return f"{self.stack.url}{FAKE_PROVIDER_PATH}/_fake/razorpay"

    def links(self, phone: str | None = None) -> list[dict[str, Any]]:
        """Links the fake Razorpay holds (for one customer number), oldest first."""
        params = {"contact": phone} if phone else {}
        response = httpx.get(f"{self.base}/payment_links", params=params, timeout=10)
        response.raise_for_status()
        links: list[dict[str, Any]] = response.json()["payment_links"]
        return links

    def link(self, phone: str) -> dict[str, Any]:
        """The one link the customer was sent."""
        (link,) = self.links(phone)
        return link

    def pay(self, link_id: str, **how: Any) -> dict[str, Any]:
        """The guest pays (or fails to pay) the link; the fake posts the signed webhooks."""
        response = httpx.post(f"{self.base}/payment_links/{link_id}/pay", json=how, timeout=60)
        response.raise_for_status()
        self.settle()
        result: dict[str, Any] = response.json()
        return result

    def post(
        self,
        event: dict[str, Any],
        *,
        event_id: str | None = None,
        secret: str = FAKE_RAZORPAY_WEBHOOK_SECRET,
    ) -> httpx.Response:
        """POST a hand-made webhook event, signed with ``secret``."""
        response = post_razorpay_event(
            self.stack.url, webhook_secret=secret, event=event, event_id=event_id
        )
        self.settle()
        return response

    def settle(self, timeout: float = 30) -> None:
        """Wait until webhooks were delivered and handled and the outbox is drained, all at once
        (with real workers, a refund made after the first check posts its webhook later).
        """
        wait_for(
            lambda: self.stack.fake.deliveries_in_flight() == 0 and self._quiet(), timeout=timeout
        )

    def _quiet(self) -> bool:
        with self.sessions() as session:
            pending = session.scalar(
                select(func.count(InboundEvent.id)).where(
                    InboundEvent.provider == PAYMENT_PROVIDER,
                    InboundEvent.status == InboundStatus.PENDING,
                )
            )
            unsent = session.scalar(
                select(func.count(OutboxMessage.id)).where(
                    OutboxMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.SENDING])
                )
            )
        return not pending and not unsent

    def events(self) -> list[InboundEvent]:
        """The Razorpay webhooks the app stored, oldest first."""
        with self.sessions() as session:
            query = select(InboundEvent).where(InboundEvent.provider == PAYMENT_PROVIDER)
            return list(session.scalars(query.order_by(InboundEvent.id)))

    def booking(self, reference: str) -> Booking:
        """A booking as the database has it now."""
        with self.sessions() as session:
            return session.scalars(select(Booking).where(Booking.reference == reference)).one()


def paid_event(link: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """``payment_link.paid`` for a link, as if the guest had paid it (``changes`` tamper)."""
    paid = {**link, "status": "paid", "amount_paid": link["amount"]}
    payment = rp.payment(paid, amount=link["amount"], currency=link["currency"], method="upi")
    payment.update(changes.pop("payment", {}))
    paid.update(changes)
    return rp.event(
        "payment_link.paid", payment_link=paid, order=rp.order_of(paid), payment=payment
    )


def find(replies: list[Reply], key: str, language: str = "en") -> Reply:
    """The reply that is catalog sentence ``key`` (replies from two jobs may come in any order)."""
    found = [reply for reply in replies if reply.has(key, language)]
    assert len(found) == 1, f"expected one {key!r} among {[r.text for r in replies]}"
    return found[0]


def book_hotel(guest: ChatGuest, stay: str = "24-27 Dec", room: str = "Deluxe") -> Reply:
    """Chat a hotel hold into being; returns the message carrying the payment link."""
    if guest.channel == "whatsapp":
        offers = guest.say(f"double room {stay} for 2")[0]
        option = next(option for option in offers.options if option[1] == room)
        (held,) = guest.tap(*option)  # the list showed the stay: the pick is the yes
    else:
        offers = guest.say(f"{room.lower()} room {stay} for 2")[0]
        (held,) = guest.say(guest.name) if offers.has("confirm_offer_name") else guest.say("yes")
    assert held.has("held_payment"), held.text
    return held


def paid_stay(guest: ChatGuest, checkout: Checkout) -> None:
    """Book a Deluxe room for 24-27 Dec by chat and pay its link (confirmation read)."""
    book_hotel(guest)
    checkout.pay(checkout.link(guest.phone)["id"])
    guest.receive()
