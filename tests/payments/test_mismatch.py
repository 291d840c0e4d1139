"""Money that does not match what the booking asked for never confirms it: it is flagged for the
owner and the guest is told it is being checked.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from engine.bookings.enums import BookingStatus
from engine.payments.enums import FlagKind, PaymentOutcome
from engine.payments.models import Payment, PaymentFlag
from tests.dialogue.harness import ChatGuest
from tests.payments.checkout import Checkout, book_hotel, paid_event

Make = Callable[..., ChatGuest]


def _flags(checkout: Checkout) -> set[FlagKind]:
    with checkout.sessions() as session:
        return {flag.kind for flag in session.scalars(select(PaymentFlag))}


def _assert_held_for_owner(guest: ChatGuest, checkout: Checkout, kind: FlagKind) -> None:
    (booking,) = guest.bookings()
    assert booking.status == BookingStatus.PENDING_PAYMENT and booking.amount_paid == 0
    assert kind in _flags(checkout)
    with checkout.sessions() as session:
        (payment,) = session.scalars(select(Payment)).all()
    assert payment.outcome == PaymentOutcome.FLAGGED
    (review,) = guest.receive()
    assert review.has("payment_review") and booking.reference in review.text


@pytest.mark.parametrize(
    ("how", "kind"),
    [
        ({"amount": 100_000}, FlagKind.AMOUNT_MISMATCH),
        ({"currency": "USD"}, FlagKind.CURRENCY_MISMATCH),
    ],
)
def test_payment_of_the_wrong_amount_or_currency_is_flagged_not_confirmed(
    guest_factory: Make, checkout: Checkout, how: dict[str, Any], kind: FlagKind
) -> None:
    guest = guest_factory("hotel", "sms")
    book_hotel(guest)
    checkout.pay(checkout.link(guest.phone)["id"], **how)
    _assert_held_for_owner(guest, checkout, kind)


def test_payment_naming_another_reference_is_flagged_not_confirmed(
    guest_factory: Make, checkout: Checkout
) -> None:
    guest = guest_factory("hotel", "whatsapp")
    book_hotel(guest)
    event = paid_event(checkout.link(guest.phone), reference_id="BK-OTHER1")
    assert checkout.post(event).status_code == 200
    _assert_held_for_owner(guest, checkout, FlagKind.REFERENCE_MISMATCH)


def test_payment_on_a_link_we_never_made_for_a_real_booking_is_flagged(
    guest_factory: Make, checkout: Checkout
) -> None:
    guest = guest_factory("hotel", "whatsapp")
    book_hotel(guest)
    link = checkout.link(guest.phone)
    event = paid_event({**link, "id": "plink_NotOursAtAll01", "order_id": "order_NotOurs01"})
    assert checkout.post(event).status_code == 200
    _assert_held_for_owner(guest, checkout, FlagKind.UNKNOWN_LINK)
