"""Playing the guest at the checkout: pay (or fail to pay) a fake Razorpay payment link.

``POST /_fake/razorpay/payment_links/{id}/pay`` captures a payment and posts the signed webhooks
(``payment.captured`` and ``payment_link.paid`` by default, in the order asked, each as many
times as asked: Razorpay repeats and reorders them). ``GET /i/{code}`` is the link's short URL:
opening it pays, so ``bookline chat`` completes a paid booking locally. Routes are plain
``def``: the app may handle the webhooks inline and call this fake back while we wait.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, HTTPException
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel, Field

from fakeproviders import razorpay_payloads as rp
from fakeproviders.config import FakeConfig
from fakeproviders.deps import ConfigDep, StateDep
from fakeproviders.razorpay_api import post_events
from fakeproviders.state import FakeState, phone_key

router = APIRouter(tags=["fake razorpay checkout"])

CaptureEvent = Literal["payment.captured", "payment_link.paid"]
#: Razorpay's usual order; tests reverse it, as real deliveries sometimes are.
CAPTURE_EVENTS: list[CaptureEvent] = ["payment.captured", "payment_link.paid"]


class PayIn(BaseModel):
    """How the guest pays: defaults are "the amount due, by UPI, webhooks once each"."""

    amount: int | None = None
    currency: str | None = None
    method: str = "upi"
    events: list[CaptureEvent] = Field(default_factory=lambda: list(CAPTURE_EVENTS))
    deliveries: int = Field(default=1, ge=1, le=20)
    fail: bool = False


def _payable(state: FakeState, link_id: str) -> dict[str, Any]:
    link = state.resource("payment_links", link_id)
    if link is None:
        raise HTTPException(404, f"No payment link {link_id}.")
    if link["status"] not in ("created", "partially_paid"):
        raise HTTPException(409, f"Payment link {link_id} is {link['status']}.")
    return link


def pay(state: FakeState, config: FakeConfig, link_id: str, how: PayIn) -> dict[str, Any]:
    """Capture a payment on the link (or record a failed attempt) and post its webhooks."""
    link = _payable(state, link_id)
    amount = how.amount if how.amount is not None else link["amount"] - link["amount_paid"]
    currency = how.currency or link["currency"]
    made = rp.payment(link, amount=amount, currency=currency, method=how.method, failed=how.fail)
    state.save_resource("payments", made)
    if how.fail:
        bodies = [rp.event("payment.failed", payment=made)]
    else:
        link = _record_payment(state, link, made)
        bodies = [_capture_event(name, link, made) for name in how.events]
    answers = post_events(state, config, bodies, deliveries=how.deliveries)
    return {"payment": made, "payment_link": link, "webhooks": answers}


def _record_payment(state: FakeState, link: dict[str, Any], made: dict[str, Any]) -> dict[str, Any]:
    link["amount_paid"] += made["amount"]
    link["status"] = "paid" if link["amount_paid"] >= link["amount"] else "partially_paid"
    link["updated_at"] = rp.now()
    summary = {k: made[k] for k in ("amount", "created_at", "method", "status")}
    link["payments"] = [*(link["payments"] or []), {**summary, "payment_id": made["id"]}]
    return state.save_resource("payment_links", link)


def _capture_event(name: str, link: dict[str, Any], made: dict[str, Any]) -> dict[str, Any]:
    if name == "payment.captured":
        return rp.event(name, payment=made)
    return rp.event(name, payment_link=link, order=rp.order_of(link), payment=made)


@router.post("/_fake/razorpay/payment_links/{link_id}/pay")
def pay_link(link_id: str, how: PayIn, state: StateDep, config: ConfigDep) -> dict[str, Any]:
    """The guest pays this link."""
    return pay(state, config, link_id, how)


@router.get("/_fake/razorpay/payment_links")
def list_links(state: StateDep, contact: str | None = None) -> dict[str, Any]:
    """Links created so far, oldest first (``contact`` matches the customer's number)."""
    links = [
        link
        for link in state.resources("payment_links")
        if contact is None or phone_key(link["customer"].get("contact", "")) == phone_key(contact)
    ]
    return {"payment_links": links}


@router.post("/_fake/razorpay/pay")
def pay_latest(contact: str, state: StateDep, config: ConfigDep) -> dict[str, Any]:
    """The guest at ``contact`` pays the newest link still open for them."""
    open_links = [
        link
        for link in list_links(state, contact)["payment_links"]
        if link["status"] in ("created", "partially_paid")
    ]
    if not open_links:
        raise HTTPException(404, f"No open payment link for {contact}.")
    return pay(state, config, open_links[-1]["id"], PayIn())


@router.get("/i/{code}", response_class=PlainTextResponse)
def open_short_url(code: str, state: StateDep, config: ConfigDep) -> str:
    """Opening the short URL pays the link (the fake's whole checkout page)."""
    found = [
        link
        for link in state.resources("payment_links")
        if link["short_url"].endswith(f"/i/{code}")
    ]
    if not found:
        raise HTTPException(404, "This payment link does not exist.")
    result = pay(state, config, found[0]["id"], PayIn())
    paid = result["payment"]
    units, cents = divmod(paid["amount"], 100)
    return f"Payment of {paid['currency']} {units}.{cents:02d} successful."
