"""A link lives as long as its hold: a failed attempt keeps both, a hold that ends takes the
link with it (cancelled at Razorpay, so it can no longer take money) and the guest is told.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import select

from application.payments import retire_links
from engine.bookings.enums import BookingStatus
from engine.bookings.models import Booking
from engine.bookings.service import expire_holds
from engine.db import utcnow
from engine.payments.enums import LinkStatus, PaymentStatus
from engine.payments.models import Payment, PaymentLink
from tests.dialogue.harness import ChatGuest
from tests.payments.checkout import Checkout, book_hotel, find

Make = Callable[..., ChatGuest]


def _stored_link(checkout: Checkout) -> PaymentLink:
    with checkout.sessions() as session:
        return session.scalars(select(PaymentLink)).one()


def test_failed_payment_keeps_the_hold_and_offers_the_link_again(
    guest_factory: Make, checkout: Checkout
) -> None:
    guest = guest_factory("hotel", "sms")
    held = book_hotel(guest)
    link = checkout.link(guest.phone)
    checkout.pay(link["id"], fail=True)
    (failed,) = guest.receive()
    assert failed.has("payment_failed") and link["short_url"] in failed.text
    (booking,) = guest.bookings()
    assert booking.status == BookingStatus.PENDING_PAYMENT
    assert held.text.split("until ")[-1].rstrip(".") in failed.text  # same hold, same time
    with checkout.sessions() as session:
        assert session.scalars(select(Payment.status)).one() == PaymentStatus.FAILED

    checkout.pay(link["id"])
    assert find(guest.receive(), "payment_confirmed")
    assert guest.bookings()[0].status == BookingStatus.CONFIRMED


def test_lapsed_hold_cancels_its_link_and_tells_the_guest(
    guest_factory: Make, checkout: Checkout
) -> None:
    guest = guest_factory("hotel", "whatsapp")
    book_hotel(guest)
    with checkout.sessions.begin() as session:
        booking = session.scalars(select(Booking)).one()
        booking.hold_expires_at = utcnow() - timedelta(seconds=1)
        expire_holds(session, now=utcnow())
    retire_links(checkout.stack.runtime)  # (the sweep may have got there first)
    checkout.settle()
    (expired,) = guest.receive()
    assert expired.has("hold_expired")
    assert checkout.link(guest.phone)["status"] == "cancelled"
    assert _stored_link(checkout).status == LinkStatus.CANCELLED
    assert retire_links(checkout.stack.runtime) == 0


def test_guest_cancelling_before_paying_cancels_the_link_quietly(
    guest_factory: Make, checkout: Checkout
) -> None:
    guest = guest_factory("hotel", "sms")
    book_hotel(guest)
    guest.say("cancel my booking")
    (done,) = guest.say("yes")
    assert done.has("cancelled")
    retire_links(checkout.stack.runtime)
    checkout.settle()
    assert checkout.link(guest.phone)["status"] == "cancelled"
    assert guest.receive() == []
