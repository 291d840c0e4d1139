"""The fake Razorpay against the REAL ``razorpay`` SDK over real HTTP, and its webhooks checked
by the SDK's own signature utility in an "app double" that shares no code with the fake.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import razorpay
from fastapi import FastAPI, Request
from razorpay.errors import BadRequestError, ServerError

from fakeproviders import FakeConfig, create_fake_app, run_in_thread
from fakeproviders.credentials import (
    FAKE_RAZORPAY_KEY_ID,
    FAKE_RAZORPAY_KEY_SECRET,
    FAKE_RAZORPAY_WEBHOOK_SECRET,
)
from fakeproviders.server import RunningServer
from fakeproviders.state import FakeState


class AppDouble:
    """Records webhooks whose signature the SDK accepts; answers 403 to the rest."""

    def __init__(self) -> None:
        self.events: list[tuple[str, dict[str, Any]]] = []
        self.app = FastAPI()
        self.app.post("/webhooks/razorpay")(self.receive)

    async def receive(self, request: Request) -> dict[str, str]:
        body = (await request.body()).decode()
        signature = request.headers.get("x-razorpay-signature", "")
        utility = razorpay.Client().utility
        utility.verify_webhook_signature(body, signature, FAKE_RAZORPAY_WEBHOOK_SECRET)
        self.events.append((request.headers["x-razorpay-event-id"], json.loads(body)))
        return {"ok": "yes"}


@pytest.fixture(scope="module")
def double() -> Iterator[tuple[AppDouble, RunningServer]]:
    app = AppDouble()
    with run_in_thread(app.app) as server:
        yield app, server


@pytest.fixture
def fake(double: tuple[AppDouble, RunningServer]) -> Iterator[tuple[RunningServer, FakeState]]:
    app, server = double
    app.events.clear()
    fake_app = create_fake_app(FakeConfig(app_url=server.url))
    with run_in_thread(fake_app) as running:
        yield running, fake_app.state.fake_state


def client(url: str, secret: str = FAKE_RAZORPAY_KEY_SECRET) -> razorpay.Client:
    return razorpay.Client(auth=(FAKE_RAZORPAY_KEY_ID, secret), base_url=url)


def link_body(**changes: Any) -> dict[str, Any]:
    return {
        "amount": 120_000,
        "currency": "INR",
        "reference_id": "BK-FAKE01",
        "expire_by": int(time.time()) + 20 * 60,
        "customer": {"name": "Asha", "contact": "+919800000001"},
        "notes": {"booking_reference": "BK-FAKE01"},
        **changes,
    }


def test_link_is_created_fetched_listed_and_cancelled_like_razorpay(
    fake: tuple[RunningServer, FakeState],
) -> None:
    server, _ = fake
    rzp = client(server.url)
    link = rzp.payment_link.create(link_body())
    assert link["id"].startswith("plink_") and link["status"] == "created"
    assert link["short_url"].startswith(server.url + "/i/") and link["order_id"].startswith(
        "order_"
    )
    assert rzp.payment_link.fetch(link["id"])["amount"] == 120_000
    assert rzp.payment_link.all({"reference_id": "BK-FAKE01"})["payment_links"] == [link]
    assert rzp.payment_link.cancel(link["id"])["status"] == "cancelled"
    with pytest.raises(BadRequestError, match="already cancelled"):
        rzp.payment_link.cancel(link["id"])


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"amount": 99}, "atleast"),
        ({"expire_by": int(time.time()) + 5 * 60}, "15 minutes"),
        ({"reference_id": "X" * 41}, "40 characters"),
    ],
)
def test_link_requests_razorpay_would_refuse_are_400(
    fake: tuple[RunningServer, FakeState], changes: dict[str, Any], message: str
) -> None:
    with pytest.raises(BadRequestError, match=message):
        client(fake[0].url).payment_link.create(link_body(**changes))


def test_reference_id_is_unique_across_links(fake: tuple[RunningServer, FakeState]) -> None:
    rzp = client(fake[0].url)
    rzp.payment_link.create(link_body())
    with pytest.raises(BadRequestError, match="already exists"):
        rzp.payment_link.create(link_body())


def test_wrong_key_and_injected_outage(fake: tuple[RunningServer, FakeState]) -> None:
    server, state = fake
    with pytest.raises(BadRequestError, match="Authentication failed"):
        client(server.url, "wrong").payment_link.create(link_body())
    state.update_knobs(fail_next=1, fail_provider="razorpay")
    with pytest.raises(ServerError):
        client(server.url).payment_link.create(link_body())
    assert client(server.url).payment_link.create(link_body())["status"] == "created"


def test_paying_posts_signed_webhooks_in_the_order_and_number_asked(
    fake: tuple[RunningServer, FakeState], double: tuple[AppDouble, RunningServer]
) -> None:
    server, _ = fake
    app, _ = double
    link = client(server.url).payment_link.create(link_body())
    how = {"events": ["payment_link.paid", "payment.captured"], "deliveries": 2}
    paid = httpx.post(f"{server.url}/_fake/razorpay/payment_links/{link['id']}/pay", json=how)
    assert paid.json()["webhooks"] == [200] * 4
    names = [event["event"] for _, event in app.events]
    assert names == ["payment_link.paid"] * 2 + ["payment.captured"] * 2
    assert app.events[0][0] == app.events[1][0] != app.events[2][0]  # repeats keep their id
    payload = app.events[0][1]["payload"]
    assert payload["payment_link"]["entity"]["status"] == "paid"
    assert payload["payment"]["entity"]["amount"] == 120_000
    assert payload["payment"]["entity"]["order_id"] == link["order_id"]


def test_opening_the_short_url_pays_the_link(
    fake: tuple[RunningServer, FakeState], double: tuple[AppDouble, RunningServer]
) -> None:
    link = client(fake[0].url).payment_link.create(link_body())
    page = httpx.get(link["short_url"])
    assert page.status_code == 200 and "INR 1200.00" in page.text
    assert client(fake[0].url).payment_link.fetch(link["id"])["status"] == "paid"
    assert [event["event"] for _, event in double[0].events] == [
        "payment.captured",
        "payment_link.paid",
    ]


def test_refunds_are_bounded_by_the_payment_and_settled_by_webhook(
    fake: tuple[RunningServer, FakeState], double: tuple[AppDouble, RunningServer]
) -> None:
    server, state = fake
    rzp = client(server.url)
    link = rzp.payment_link.create(link_body())
    payment = httpx.post(f"{server.url}/_fake/razorpay/payment_links/{link['id']}/pay", json={})
    payment_id = payment.json()["payment"]["id"]
    refund = rzp.payment.refund(payment_id, {"amount": 20_000, "receipt": "refund:x:1"})
    assert refund["id"].startswith("rfnd_") and refund["status"] == "pending"
    with pytest.raises(BadRequestError, match="greater than amount captured"):
        rzp.payment.refund(payment_id, {"amount": 100_001})
    assert state.wait_until(lambda s: s.deliveries_in_flight() == 0)
    (found,) = rzp.payment.fetch_multiple_refund(payment_id)["items"]
    assert (found["receipt"], found["status"]) == ("refund:x:1", "processed")
    assert double[0].events[-1][1]["event"] == "refund.processed"
