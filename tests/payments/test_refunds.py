"""Refunds ⚑: a cancellation refunds exactly what the venue policy says, once, even when the job
runs twice; Razorpay's refund webhooks reach the guest, and a failed refund is surfaced.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, time, timedelta

import pytest
from sqlalchemy import select

from engine.availability.offers import Offer
from engine.availability.requests import StayRequest, TableRequest
from engine.availability.service import search_availability
from engine.bookings.enums import BookingStatus, CancelledBy, Channel
from engine.bookings.models import Booking
from engine.bookings.policies import booking_start
from engine.bookings.service import cancel, place_hold
from engine.db import utcnow
from engine.guests.service import get_or_create_guest
from engine.messaging.enums import OutboxStatus
from engine.messaging.models import OutboxMessage
from engine.payments.enums import FlagKind, RefundStatus
from engine.payments.models import PaymentFlag, Refund
from engine.payments.service import refund_cancellation, request_link
from engine.tenants.models import Venue
from tests.dialogue.harness import ChatGuest
from tests.payments.checkout import Checkout, find, paid_stay
from workers.outbound import send_outbound

Make = Callable[..., ChatGuest]


def _offer(session: object, venue: Venue, day: date, nights: int = 2) -> Offer:
    request = (
        StayRequest(day, day + timedelta(days=nights), 2)
        if venue.slug == "seaside-hotel"
        else TableRequest(day, time(20, 0), 6)
    )
    return search_availability(session, venue=venue, request=request)[0]  # type: ignore[arg-type]


def paid_booking(checkout: Checkout, slug: str, phone: str, nights: int = 2) -> str:
    """A booking held, linked and paid through the fake Razorpay; returns its reference."""
    with checkout.sessions.begin() as session:
        venue = session.scalars(select(Venue).where(Venue.slug == slug)).one()
        guest = get_or_create_guest(session, business_id=venue.business_id, phone=phone, name="P")
        day = utcnow().astimezone(venue.tz).date() + timedelta(days=6)
        offer = _offer(session, venue, day, nights)
        booking = place_hold(session, offer=offer, guest=guest, channel=Channel.SMS, actor="test")
        row = request_link(session, booking=booking, actor="test")
        session.flush()
        reference, row_id = booking.reference, row.id
    send_outbound(row_id)
    checkout.pay(checkout.link(phone)["id"])
    assert checkout.booking(reference).status == BookingStatus.CONFIRMED
    return reference


def _cancel_at(checkout: Checkout, reference: str, hours_before: float) -> list[int]:
    """Cancel as the guest ``hours_before`` the start; ask for the refund twice."""
    with checkout.sessions.begin() as session:
        booking = session.scalars(select(Booking).where(Booking.reference == reference)).one()
        now = booking_start(booking, booking.venue) - timedelta(hours=hours_before)
        cancellation = cancel(session, booking=booking, by=CancelledBy.GUEST, actor="g", now=now)
        refunds = refund_cancellation(session, cancellation=cancellation, now=now)
        assert refund_cancellation(session, cancellation=cancellation, now=now) == refunds
        keys = [refund.outbox_key for refund in refunds]
        rows = session.scalars(select(OutboxMessage).where(OutboxMessage.key.in_(keys)))
        return [row.id for row in rows]


@pytest.mark.parametrize(
    ("slug", "hours_before", "percent"),
    [
        ("seaside-hotel", 72, 100),
        ("seaside-hotel", 48, 100),
        ("seaside-hotel", 48 - 1 / 60, 50),
        ("seaside-hotel", 0, 50),
        ("seaside-hotel", -1, 0),
        ("spice-garden", 24, 100),
        ("spice-garden", 24 - 1 / 60, 0),
    ],
)
def test_cancellation_refunds_exactly_the_policy_amount_once_even_if_the_job_runs_twice(
    checkout: Checkout, slug: str, hours_before: float, percent: int
) -> None:
    phone = "+919811122233"
    reference = paid_booking(checkout, slug, phone)
    paid = checkout.booking(reference).amount_paid
    for outbox_id in _cancel_at(checkout, reference, hours_before) * 2:
        send_outbound(outbox_id)
    checkout.settle()
    refunds = checkout.stack.fake.resources("refunds")
    expected = paid * percent // 100
    assert [r["amount"] for r in refunds] == ([expected] if expected else [])
    assert sum(r["amount"] for r in refunds) == expected
    with checkout.sessions() as session:
        stored = session.scalars(select(Refund)).all()
    assert [(r.amount, r.status) for r in stored] == (
        [(expected, RefundStatus.PROCESSED)] if expected else []
    )


def test_guest_cancelling_a_paid_booking_in_chat_is_refunded_and_told_when_it_lands(
    guest_factory: Make, checkout: Checkout
) -> None:
    guest = guest_factory("hotel", "whatsapp")
    paid_stay(guest, checkout)
    (quote,) = guest.say("cancel my booking")
    assert quote.has("confirm_cancel_refund") and "(100%)" in quote.text
    replies = guest.tap("yes")
    checkout.settle()
    replies += guest.receive()
    assert find(replies, "cancelled_refund") and find(replies, "refund_processed")
    (booking,) = guest.bookings()
    (refund,) = checkout.stack.fake.resources("refunds")
    assert booking.status == BookingStatus.CANCELLED
    assert refund["amount"] == booking.amount_paid == booking.amount
    assert refund["receipt"].startswith("refund:pay_") and refund["receipt"].endswith(":1")


def test_refund_failed_webhook_is_surfaced_to_owner_and_guest(
    guest_factory: Make, checkout: Checkout, caplog: pytest.LogCaptureFixture
) -> None:
    guest = guest_factory("hotel", "sms")
    paid_stay(guest, checkout)
    checkout.stack.fake.update_knobs(razorpay_refund_outcome="failed")
    guest.say("cancel my booking")
    with caplog.at_level(logging.WARNING):
        guest.say("yes")
        checkout.settle()
    assert find(guest.receive(), "refund_failed")
    with checkout.sessions() as session:
        refund = session.scalars(select(Refund)).one()
        flag = session.scalars(select(PaymentFlag)).one()
    assert refund.status == RefundStatus.FAILED
    assert (flag.kind, flag.refund_id) == (FlagKind.REFUND_FAILED, refund.id)
    if not checkout.stack.real_workers:
        assert "refund_failed" in caplog.text


def test_refund_the_provider_refuses_is_failed_and_flagged_not_retried(
    checkout: Checkout,
) -> None:
    reference = paid_booking(checkout, "seaside-hotel", "+919811122244")
    checkout.stack.fake.payments.clear()  # Razorpay no longer knows the payment
    for outbox_id in _cancel_at(checkout, reference, 72):
        send_outbound(outbox_id)
    with checkout.sessions() as session:
        refund = session.scalars(select(Refund)).one()
        row = session.scalars(
            select(OutboxMessage).where(OutboxMessage.key == refund.outbox_key)
        ).one()
        flags = [flag.kind for flag in session.scalars(select(PaymentFlag))]
    assert refund.status == RefundStatus.FAILED and "does not exist" in (refund.error or "")
    assert row.status == OutboxStatus.FAILED
    assert flags == [FlagKind.REFUND_FAILED]


def test_owner_cancelling_a_paid_booking_from_the_api_refunds_the_guest_once(
    guest_factory: Make, checkout: Checkout
) -> None:
    import httpx

    from engine.seed import OWNER_EMAIL, OWNER_PASSWORD

    guest = guest_factory("hotel", "whatsapp")
    paid_stay(guest, checkout)
    (booking,) = guest.bookings()
    base = checkout.stack.url
    login = httpx.post(
        f"{base}/api/v1/auth/token", data={"username": OWNER_EMAIL, "password": OWNER_PASSWORD}
    )
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    answer = httpx.post(
        f"{base}/api/v1/bookings/{booking.reference}/cancel",
        json={"refund": "policy", "reason": "owner closed the room"},
        headers=headers,
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    checkout.settle()
    guest.receive()
    (refund,) = checkout.stack.fake.resources("refunds")
    assert refund["amount"] == answer.json()["refund_amount"] == booking.amount
    with checkout.sessions() as session:
        (stored,) = session.scalars(select(Refund)).all()
        assert stored.status == RefundStatus.PROCESSED
