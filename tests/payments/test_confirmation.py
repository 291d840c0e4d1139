"""Paying a hold confirms it, once: chat → hold → link → signed webhooks → confirmation.

Razorpay repeats webhooks and does not promise their order; however often and in whatever
order ``payment.captured`` and ``payment_link.paid`` arrive, the guest hears one confirmation.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.choices import conversation_key
from bot.conversation import ConversationStore, State, conversation_lock, holding
from engine.bookings.enums import BookingStatus
from engine.messaging.enums import MessageChannel
from engine.payments.enums import LinkStatus, PaymentOutcome, PaymentStatus
from engine.payments.ledger import ledger
from engine.payments.models import Payment, PaymentLink
from engine.tenants.models import Venue
from tests.dialogue.harness import ChatGuest
from tests.payments.checkout import Checkout, book_hotel

Make = Callable[..., ChatGuest]


@pytest.mark.parametrize(
    ("channel", "events"),
    [
        ("whatsapp", ["payment.captured", "payment_link.paid"]),
        ("sms", ["payment_link.paid", "payment.captured"]),
    ],
)
def test_paid_hold_is_confirmed_once_however_often_and_in_whatever_order_webhooks_come(
    guest_factory: Make, checkout: Checkout, channel: str, events: list[str]
) -> None:
    guest = guest_factory("hotel", channel)
    held = book_hotel(guest)
    (booking,) = guest.bookings()
    assert booking.status == BookingStatus.PENDING_PAYMENT

    link = checkout.link(guest.phone)
    assert link["id"].startswith("plink_") and link["short_url"] in held.text
    assert link["amount"] == booking.amount == 3 * 550_000 and link["currency"] == "INR"
    assert link["reference_id"] == booking.reference
    assert link["customer"]["contact"] == guest.phone
    assert link["notes"]["booking_id"] == str(booking.id)
    assert link["notes"]["venue_id"] == str(booking.venue_id)
    assert link["expire_by"] >= datetime.now(UTC).timestamp() + 15 * 60
    assert booking.hold_expires_at is not None
    assert abs(booking.hold_expires_at.timestamp() - link["expire_by"]) < 1

    result = checkout.pay(link["id"], events=events, deliveries=5)
    assert result["webhooks"] == [200] * 10

    (confirmed,) = guest.receive()
    assert confirmed.has("payment_confirmed") and booking.reference in confirmed.text
    booking = checkout.booking(booking.reference)
    assert booking.status == BookingStatus.CONFIRMED and booking.amount_paid == booking.amount
    assert len(checkout.events()) == 2
    with checkout.sessions() as session:
        (payment,) = session.scalars(select(Payment)).all()
        stored_link = session.scalars(select(PaymentLink)).one()
        venue = session.get(Venue, booking.venue_id)
        assert venue is not None
        entries = ledger(session, business_id=venue.business_id)
    assert payment.provider_payment_id == result["payment"]["id"]
    assert (payment.status, payment.outcome) == (PaymentStatus.CAPTURED, PaymentOutcome.CONFIRMED)
    assert payment.amount == booking.amount and payment.currency == "INR"
    assert stored_link.status == LinkStatus.PAID
    assert [(e.kind, e.amount, e.provider_id) for e in entries] == [
        ("payment", booking.amount, payment.provider_payment_id)
    ]
    checkout.stack.settle(0.3)
    assert guest.receive() == []


def test_restaurant_deposit_is_paid_through_the_link_in_the_message(
    guest_factory: Make, checkout: Checkout
) -> None:
    guest = guest_factory("restaurant", "sms", name="Dev")
    guest.say("table for 6 tomorrow 8pm")
    (held,) = guest.say("Dev Anand")
    link = checkout.link(guest.phone)
    assert held.has("held_payment") and "Rs 1,200" in held.text and link["short_url"] in held.text
    assert link["amount"] == 6 * 20_000
    checkout.pay(link["id"])
    (confirmed,) = guest.receive()
    assert confirmed.has("payment_confirmed")
    assert guest.bookings()[0].status == BookingStatus.CONFIRMED


def test_hold_shorter_than_razorpays_minimum_is_extended_to_the_links_expiry(
    guest_factory: Make, checkout: Checkout
) -> None:
    guest = guest_factory("restaurant", "whatsapp", name="Kiran")
    guest.say("table for 6 tomorrow 8pm")
    guest.tap("yes")
    (booking,) = guest.bookings()
    assert booking.hold_expires_at is not None
    # The demo venues hold for 15 minutes; Razorpay wants expire_by 15 minutes ahead at least.
    assert booking.hold_expires_at - booking.created_at >= timedelta(minutes=16)
    assert checkout.link(guest.phone)["expire_by"] == int(booking.hold_expires_at.timestamp())


def test_payment_news_waits_for_the_guests_turn_in_flight_and_is_not_overwritten_by_it(
    guest_factory: Make, checkout: Checkout
) -> None:
    guest = guest_factory("hotel", "sms")
    book_hotel(guest)
    (booking,) = guest.bookings()
    link = checkout.link(guest.phone)
    redis = guest.stack.runtime.redis
    key = conversation_key(booking.venue_id, MessageChannel.SMS, guest.phone)
    store = ConversationStore(redis)
    with ThreadPoolExecutor(1) as pool:
        with holding(conversation_lock(redis, key)):  # the bot is answering the guest
            conversation = store.load(key)
            assert conversation.state == State.AWAITING_PAYMENT
            paying = pool.submit(checkout.pay, link["id"], events=["payment_link.paid"])
            time.sleep(1.0)
            assert checkout.booking(booking.reference).status == BookingStatus.PENDING_PAYMENT
            store.save(key, conversation)  # the turn ends, saving what it worked on
        assert paying.result(timeout=60)["webhooks"] == [200]
    (confirmed,) = guest.receive()
    assert confirmed.has("payment_confirmed")
    assert checkout.booking(booking.reference).status == BookingStatus.CONFIRMED
    # The news moved the conversation on, and that stays: to the table next door it offers.
    assert store.load(key).state == State.CROSS_SELL_OFFERED
