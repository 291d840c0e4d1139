"""POST /webhooks/razorpay: signatures, dedupe, bad input, events we do not know or use."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from engine.bookings.enums import BookingStatus
from engine.messaging.enums import InboundStatus
from engine.payments.models import Payment
from engine.payments.notices import NoticeKind
from fakeproviders import razorpay_payloads as rp
from fakeproviders.credentials import FAKE_RAZORPAY_WEBHOOK_SECRET
from fakeproviders.signing import razorpay_signature
from tests.dialogue.harness import ChatGuest
from tests.payments.checkout import Checkout, book_hotel, paid_event
from webhooks.payload import MalformedPayloadError
from webhooks.razorpay_payload import parse_event

Make = Callable[..., ChatGuest]


def test_forged_signature_is_403_and_nothing_changes(
    guest_factory: Make, checkout: Checkout
) -> None:
    guest = guest_factory("hotel", "whatsapp")
    book_hotel(guest)
    event = paid_event(checkout.link(guest.phone))
    forged = checkout.post(event, secret="not-the-webhook-secret")
    unsigned = httpx.post(
        checkout.stack.url + rp.WEBHOOK_PATH, content=json.dumps(event).encode(), timeout=10
    )
    assert (forged.status_code, unsigned.status_code) == (403, 403)
    assert checkout.events() == []
    assert guest.bookings()[0].status == BookingStatus.PENDING_PAYMENT
    assert guest.receive() == []


def test_same_event_id_is_stored_and_applied_once(guest_factory: Make, checkout: Checkout) -> None:
    guest = guest_factory("hotel", "sms")
    book_hotel(guest)
    event = paid_event(checkout.link(guest.phone))
    answers = [checkout.post(event, event_id="evt_SameEventId001").status_code for _ in range(3)]
    assert answers == [200, 200, 200]
    assert len(checkout.events()) == 1
    (confirmed,) = guest.receive()
    assert confirmed.has("payment_confirmed")


def test_malformed_body_with_a_good_signature_is_400(checkout: Checkout) -> None:
    url = checkout.stack.url + rp.WEBHOOK_PATH
    for body in (b"not json", b'{"event": "payment_link.paid", "payload": {}}', b"[]"):
        headers = {"X-Razorpay-Signature": razorpay_signature(FAKE_RAZORPAY_WEBHOOK_SECRET, body)}
        assert httpx.post(url, content=body, headers=headers, timeout=10).status_code == 400
    assert checkout.events() == []


def test_events_bookline_does_not_use_are_acknowledged_and_not_stored(checkout: Checkout) -> None:
    event = rp.event("order.paid", order={"id": "order_X", "amount": 100})
    assert checkout.post(event).status_code == 200
    assert checkout.events() == []


def test_payment_for_an_unknown_link_is_acknowledged_and_logged(
    checkout: Checkout, caplog: pytest.LogCaptureFixture
) -> None:
    link = rp.payment_link(
        {"amount": 5000, "currency": "INR", "reference_id": "BK-NOSUCH"}, "https://rzp.io/i/x"
    )
    with caplog.at_level(logging.WARNING, logger="workers.payments"):
        assert checkout.post(paid_event(link)).status_code == 200
    (event,) = checkout.events()
    assert event.status == InboundStatus.IGNORED and "unknown link" in (event.last_error or "")
    if not checkout.stack.real_workers:  # workers log in their own process
        assert "ignored" in caplog.text and link["id"] in caplog.text
    with checkout.sessions() as session:
        assert session.scalar(select(func.count(Payment.id))) == 0


def test_parser_reads_each_entity_as_provider_neutral_facts() -> None:
    link = rp.payment_link({"amount": 5000, "reference_id": "BK-ABC123"}, "https://rzp.io/i/x")
    notice = parse_event(paid_event(link))
    assert notice is not None and notice.kind == NoticeKind.LINK_PAID
    assert notice.link is not None and notice.payment is not None
    assert (notice.link.reference, notice.payment.amount) == ("BK-ABC123", 5000)
    assert notice.payment.order_id == link["order_id"]


@pytest.mark.parametrize(
    "document",
    [
        {"event": "payment.captured", "payload": {}},
        {"event": "payment.captured", "payload": {"payment": {"entity": {"id": "pay_1"}}}},
        {"payload": {}},
        {"event": "refund.processed", "payload": {"refund": {"entity": []}}},
    ],
)
def test_parser_rejects_known_events_missing_what_they_need(document: dict[str, Any]) -> None:
    with pytest.raises(MalformedPayloadError):
        parse_event(document)
