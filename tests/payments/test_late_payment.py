"""A payment can land after its hold lapsed ⚑: confirm if the place is still free, otherwise
refund it in full, automatically, and offer the guest what is free instead.
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
from engine.payments.enums import FlagKind, PaymentOutcome, PaymentStatus, RefundStatus
from engine.payments.models import Payment, PaymentFlag, Refund
from engine.payments.service import link_for_booking
from tests.dialogue.harness import ChatGuest
from tests.payments.checkout import Checkout, book_hotel, find, paid_event

Make = Callable[..., ChatGuest]


def lapse(checkout: Checkout, reference: str) -> None:
    """The hold's time (and its link's, at Razorpay) runs out; the expiry sweep runs."""
    past = utcnow() - timedelta(minutes=1)
    with checkout.sessions.begin() as session:
        booking = session.scalars(select(Booking).where(Booking.reference == reference)).one()
        booking.hold_expires_at = past
        link = link_for_booking(session, booking_id=booking.id)
        assert link is not None
        link.expire_by = past
        expire_holds(session, now=utcnow())
    retire_links(checkout.stack.runtime)
    checkout.settle()


def test_late_payment_while_the_place_is_still_free_confirms(
    guest_factory: Make, checkout: Checkout
) -> None:
    guest = guest_factory("hotel", "whatsapp")
    book_hotel(guest, room="Suite")
    (booking,) = guest.bookings()
    lapse(checkout, booking.reference)
    (expired,) = guest.receive()
    assert expired.has("hold_expired")
    assert checkout.booking(booking.reference).status == BookingStatus.EXPIRED

    checkout.pay(checkout.link(guest.phone)["id"])
    (confirmed,) = guest.receive()
    assert confirmed.has("payment_confirmed")
    booking = checkout.booking(booking.reference)
    assert booking.status == BookingStatus.CONFIRMED and booking.amount_paid == booking.amount
    assert checkout.stack.fake.resources("refunds") == []


def test_late_payment_after_the_place_was_taken_is_refunded_in_full_with_alternatives(
    guest_factory: Make, checkout: Checkout
) -> None:
    late = guest_factory("hotel", "whatsapp", name="Late")
    book_hotel(late, room="Suite")
    (lost,) = late.bookings()
    lapse(checkout, lost.reference)
    late.receive()
    other = guest_factory("hotel", "whatsapp", name="Other")
    book_hotel(other, room="Suite")

    paid = checkout.pay(checkout.link(late.phone)["id"])
    replies = late.receive()
    refunded = find(replies, "payment_refunded_late")
    assert lost.reference in refunded.text and "Rs" not in refunded.text  # WhatsApp shows ₹
    (alternatives,) = [reply for reply in replies if reply.options]
    assert alternatives.has("choose_room")
    assert {title for _, title in alternatives.options} == {"Standard", "Deluxe"}
    assert checkout.booking(lost.reference).status == BookingStatus.EXPIRED
    assert other.bookings()[0].status == BookingStatus.PENDING_PAYMENT

    (refund,) = checkout.stack.fake.resources("refunds")
    assert refund["payment_id"] == paid["payment"]["id"]
    assert refund["amount"] == lost.amount == paid["payment"]["amount"]
    assert find(replies + late.receive(), "refund_processed")
    with checkout.sessions() as session:
        payment = session.scalars(select(Payment)).one()
        stored = session.scalars(select(Refund)).one()
    assert (payment.outcome, payment.status) == (PaymentOutcome.REFUNDED, PaymentStatus.REFUNDED)
    assert (stored.cause, stored.status) == ("late-payment", RefundStatus.PROCESSED)
    assert stored.provider_refund_id == refund["id"]


def test_second_payment_for_a_paid_booking_goes_back_in_full_and_is_flagged(
    guest_factory: Make, checkout: Checkout
) -> None:
    guest = guest_factory("hotel", "sms")
    book_hotel(guest)
    link = checkout.link(guest.phone)
    checkout.pay(link["id"])
    assert find(guest.receive(), "payment_confirmed")
    second = paid_event({**link, "status": "created", "amount_paid": 0})
    payment = second["payload"]["payment"]["entity"]
    checkout.stack.fake.save_resource("payments", payment)  # Razorpay took it, somehow
    checkout.post(second)
    replies = guest.receive()
    assert find(replies, "payment_duplicate") and find(replies, "refund_processed")
    assert guest.bookings()[0].status == BookingStatus.CONFIRMED
    (refund,) = checkout.stack.fake.resources("refunds")
    assert (refund["payment_id"], refund["amount"]) == (payment["id"], link["amount"])
    with checkout.sessions() as session:
        kinds = [flag.kind for flag in session.scalars(select(PaymentFlag))]
    assert kinds == [FlagKind.DUPLICATE_PAYMENT]
