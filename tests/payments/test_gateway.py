"""The Razorpay client (the real SDK) against the fake: timeouts, outages, refusals, adoption."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from engine.db import utcnow
from engine.payments.service import LinkRequest
from infra.senders.base import PermanentSendError, TransientSendError
from infra.senders.razorpay import RazorpayGateway
from tests.payments.checkout import Checkout


def _request(
    reference: str = "BK-GATE01", *, lead: timedelta = timedelta(minutes=20)
) -> LinkRequest:
    return LinkRequest(
        booking_id=1,
        reference=reference,
        amount=250_000,
        currency="INR",
        expire_by=utcnow() + lead,
        description="Seaside Hotel booking",
        customer_name="Asha",
        customer_contact="+919800000001",
        notes={"booking_reference": reference},
    )


@pytest.fixture
def gateway(checkout: Checkout) -> RazorpayGateway:
    return RazorpayGateway(checkout.stack.runtime.settings.razorpay(), timeout=2)


def test_link_is_created_with_the_exact_request(
    gateway: RazorpayGateway, checkout: Checkout
) -> None:
    created = gateway.create_link(_request())
    (link,) = checkout.links()
    assert created.link_id == link["id"] and created.short_url == link["short_url"]
    assert (link["amount"], link["currency"], link["reference_id"]) == (250_000, "INR", "BK-GATE01")
    assert link["accept_partial"] is False and link["notify"] == {"sms": False, "email": False}


def test_creating_twice_adopts_the_first_link(gateway: RazorpayGateway, checkout: Checkout) -> None:
    first = gateway.create_link(_request())
    assert gateway.create_link(_request()) == first
    assert len(checkout.links()) == 1


def test_hung_provider_times_out_as_a_transient_error(
    gateway: RazorpayGateway, checkout: Checkout
) -> None:
    checkout.stack.fake.update_knobs(delay_seconds=4, delay_provider="razorpay")
    started = time.monotonic()
    with pytest.raises(TransientSendError, match="unreachable"):
        gateway.create_link(_request())
    assert time.monotonic() - started < 3.5


def test_server_errors_are_transient_and_refusals_permanent(
    gateway: RazorpayGateway, checkout: Checkout
) -> None:
    checkout.stack.fake.update_knobs(fail_next=1, fail_provider="razorpay")
    with pytest.raises(TransientSendError):
        gateway.create_link(_request())
    with pytest.raises(PermanentSendError, match="15 minutes"):
        gateway.create_link(_request("BK-SOON01", lead=timedelta(minutes=5)))
    with pytest.raises(PermanentSendError, match="does not exist"):
        gateway.refund("pay_NoSuchPayment01", amount=100, receipt="r", notes={})
    assert checkout.links() == []


def test_wrong_keys_are_refused(checkout: Checkout) -> None:
    keys = checkout.stack.runtime.settings.razorpay()._replace(key_secret="wrong")
    with pytest.raises(PermanentSendError, match="Authentication failed"):
        RazorpayGateway(keys).create_link(_request())
