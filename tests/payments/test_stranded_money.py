"""Money that pays for nothing goes back ⚑: a payment that did not match what was due is
flagged while its hold lives, and refunded in full, exactly once, as soon as the hold lapses
(or at once when it lands after). The owner sees the flags and may refund part sooner.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from sqlalchemy import select

from application.payments import return_stranded_money
from application.sweeps import sweep
from engine.accounts.enums import Role
from engine.accounts.models import User
from engine.accounts.service import create_user, register_business
from engine.bookings.enums import BookingStatus
from engine.bookings.models import BookingEvent
from engine.payments.enums import PaymentOutcome, PaymentStatus, RefundStatus
from engine.payments.models import Payment, PaymentFlag, Refund
from engine.payments.service import STRANDED
from engine.seed import OWNER_EMAIL, OWNER_PASSWORD
from tests.dialogue.harness import ChatGuest
from tests.payments.checkout import Checkout, book_hotel, find, paid_event
from tests.payments.test_late_payment import lapse

Make = Callable[..., ChatGuest]
API = "/api/v1"
STAFF, OTHER = "staff@demo.test", "owner@other.test"
REPEATED = {"events": ["payment_link.paid", "payment.captured"], "deliveries": 3}


def _short_payment(guest: ChatGuest, checkout: Checkout) -> tuple[str, dict[str, Any]]:
    """Book a stay and pay half of it, each webhook three times and out of order."""
    book_hotel(guest)
    (booking,) = guest.bookings()
    link = checkout.link(guest.phone)
    paid = checkout.pay(link["id"], amount=link["amount"] // 2, **REPEATED)
    return booking.reference, paid["payment"]


def _assert_returned_once(checkout: Checkout, payment: dict[str, Any]) -> None:
    """One refund at Razorpay, of all of the payment, recorded and processed here."""
    (refund,) = checkout.stack.fake.resources("refunds")
    assert (refund["payment_id"], refund["amount"]) == (payment["id"], payment["amount"])
    with checkout.sessions() as session:
        stored = session.scalars(select(Payment)).one()
        (kept,) = session.scalars(select(Refund)).all()
        flags = session.scalars(select(PaymentFlag)).all()
    assert (stored.outcome, stored.status) == (PaymentOutcome.REFUNDED, PaymentStatus.REFUNDED)
    assert (kept.cause, kept.status, kept.amount) == (
        STRANDED,
        RefundStatus.PROCESSED,
        payment["amount"],
    )
    assert flags and all(flag.resolved_at is not None for flag in flags)


def test_short_payment_is_refunded_in_full_once_when_the_hold_lapses(
    guest_factory: Make, checkout: Checkout
) -> None:
    guest = guest_factory("hotel", "whatsapp")
    reference, payment = _short_payment(guest, checkout)
    (review,) = guest.receive()
    assert review.has("payment_review")
    assert checkout.stack.fake.resources("refunds") == []  # the owner decides while it lives

    lapse(checkout, reference)
    sweep(checkout.stack.runtime)
    checkout.settle()
    assert return_stranded_money(checkout.stack.runtime) == 0  # a second sweep: nothing due
    late = paid_event(checkout.link(guest.phone), payment={"id": payment["id"]})
    assert checkout.post(late).status_code == 200  # the payment's webhook, once more

    assert checkout.booking(reference).status == BookingStatus.EXPIRED
    _assert_returned_once(checkout, payment)
    replies = guest.receive()
    assert reference in find(replies, "payment_returned").text
    assert find(replies, "refund_processed")
    with checkout.sessions() as session:
        actors = session.scalars(select(BookingEvent.actor)).all()
    assert "system:stranded-money" in actors


def test_short_payment_after_the_hold_lapsed_is_refunded_at_once(
    guest_factory: Make, checkout: Checkout
) -> None:
    guest = guest_factory("hotel", "sms")
    book_hotel(guest)
    (booking,) = guest.bookings()
    lapse(checkout, booking.reference)
    guest.receive()  # the hold ran out
    link = checkout.link(guest.phone)
    paid = checkout.pay(link["id"], amount=link["amount"] - 100, **REPEATED)

    _assert_returned_once(checkout, paid["payment"])
    replies = guest.receive()
    assert find(replies, "payment_returned") and find(replies, "refund_processed")


def _log_in(checkout: Checkout, email: str) -> dict[str, str]:
    form = {"username": email, "password": OWNER_PASSWORD}
    answer = httpx.post(f"{checkout.stack.url}{API}/auth/token", data=form, timeout=10)
    answer.raise_for_status()
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def test_owner_refunds_part_of_a_flagged_payment_once_through_razorpay(
    guest_factory: Make, checkout: Checkout
) -> None:
    guest = guest_factory("hotel", "whatsapp")
    reference, payment = _short_payment(guest, checkout)
    guest.receive()
    callers = _api_callers(checkout)
    base = f"{checkout.stack.url}{API}/payments"

    (listed,) = httpx.get(f"{base}/flags", headers=callers["owner"], timeout=10).json()
    assert listed["booking_reference"] == reference and listed["kind"] == "amount_mismatch"
    assert listed["payment"]["refundable"] == payment["amount"]
    assert httpx.get(f"{base}/flags", headers=callers["other"], timeout=10).json() == []
    url = f"{base}/{listed['payment']['id']}/refunds"
    ask = {"amount": 10_000, "reason": "goodwill", "request_id": "partial-1"}
    assert httpx.post(url, json=ask, headers=callers["staff"], timeout=10).status_code == 403
    assert httpx.post(url, json=ask, headers=callers["other"], timeout=10).status_code == 404
    for _ in range(2):  # a retried request
        assert httpx.post(url, json=ask, headers=callers["owner"], timeout=10).status_code == 201
    checkout.settle()

    (refund,) = checkout.stack.fake.resources("refunds")
    assert (refund["payment_id"], refund["amount"]) == (payment["id"], 10_000)
    shown = httpx.get(f"{base}/{listed['payment']['id']}", headers=callers["owner"], timeout=10)
    assert shown.json()["refundable"] == payment["amount"] - 10_000
    assert shown.json()["refunds"][0]["status"] == "processed"
    assert find(guest.receive(), "refund_processed")


def _api_callers(checkout: Checkout) -> dict[str, dict[str, str]]:
    """Logged-in headers of the demo owner, a staff member of theirs, another business's owner."""
    with checkout.sessions.begin() as session:
        business_id = session.scalar(select(User.business_id).where(User.email == OWNER_EMAIL))
        create_user(
            session, email=STAFF, password=OWNER_PASSWORD, role=Role.STAFF, business_id=business_id
        )
        register_business(session, business_name="Other", email=OTHER, password=OWNER_PASSWORD)
    return {
        "owner": _log_in(checkout, OWNER_EMAIL),
        "staff": _log_in(checkout, STAFF),
        "other": _log_in(checkout, OTHER),
    }
