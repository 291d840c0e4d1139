"""Fake Razorpay REST API: payment links (create, fetch, list, cancel) and refunds.

Enough for the real ``razorpay.Client`` pointed here with ``base_url``: HTTP Basic auth with the
key pair, JSON bodies, Razorpay's error JSON (which the SDK turns into ``BadRequestError`` or
``ServerError``), and the rules that bite: ``reference_id`` unique across links, ``expire_by``
at least 15 minutes ahead, refunds no larger than what is left of the payment. Webhooks
(``payment_link.cancelled``, ``refund.processed`` / ``refund.failed``) are posted afterwards
from a background thread, signed with the webhook secret.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from typing import Any

from fastapi import APIRouter, Depends, Request

from fakeproviders import razorpay_payloads as rp
from fakeproviders.callbacks import post_callback
from fakeproviders.config import FakeConfig
from fakeproviders.deps import (
    ConfigDep,
    StateDep,
    basic_credentials,
    fault_injector,
    hang_after_accept,
)
from fakeproviders.exceptions import FakeProviderError
from fakeproviders.ids import BASE62
from fakeproviders.state import FakeState, Provider


async def require_keys(request: Request, config: ConfigDep) -> None:
    """401 unless Basic auth carries the configured key id and secret."""
    expected = (config.razorpay_key_id, config.razorpay_key_secret)
    if basic_credentials(request.headers.get("authorization")) != expected:
        raise FakeProviderError(401, rp.bad_request("Authentication failed"))


router = APIRouter(
    prefix="/v1",
    tags=["fake razorpay"],
    dependencies=[
        Depends(fault_injector(Provider.RAZORPAY, rp.server_error)),
        Depends(require_keys),
    ],
)


def post_events(
    state: FakeState, config: FakeConfig, bodies: list[dict[str, Any]], *, deliveries: int = 1
) -> list[int | None]:
    """POST each event ``deliveries`` times (same event id each time); the app's answers."""
    if not config.app_url:
        return []
    answers: list[int | None] = []
    for body in bodies:
        prepared = rp.signed_webhook(config.app_url, config.razorpay_webhook_secret, body)
        for _ in range(deliveries):
            answers.append(post_callback(state, Provider.RAZORPAY, prepared).status_code)
    return answers


def post_later(state: FakeState, config: FakeConfig, build: Any) -> None:
    """After one status step, build the events (``build()``) and post them, in a thread."""

    def run() -> None:
        try:
            time.sleep(state.knobs().status_step_seconds)
            post_events(state, config, build())
        finally:
            state.delivery_finished()

    state.delivery_started()  # counted before the API answers, so waiters never miss it
    threading.Thread(target=run, name="fake-razorpay-webhook", daemon=True).start()


async def _json(request: Request) -> dict[str, Any]:
    try:
        data = json.loads(await request.body() or b"{}")
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise FakeProviderError(400, rp.bad_request("The request body must be a JSON object"))
    return data


def _link(state: FakeState, link_id: str) -> dict[str, Any]:
    link = state.resource("payment_links", link_id)
    if link is None:
        raise FakeProviderError(400, rp.bad_request("The id provided does not exist", "id"))
    return link


def _check_link(state: FakeState, data: dict[str, Any]) -> None:
    """Razorpay's 400s for a link it would refuse."""
    amount, reference = data.get("amount"), data.get("reference_id")
    if not isinstance(amount, int) or isinstance(amount, bool) or amount < rp.MIN_AMOUNT:
        raise FakeProviderError(
            400, rp.bad_request("The amount must be atleast INR 1.00", "amount")
        )
    if reference is not None and len(str(reference)) > rp.REFERENCE_MAX:
        raise FakeProviderError(
            400, rp.bad_request("The reference id may not be greater than 40 characters.")
        )
    if reference and any(
        link["reference_id"] == reference for link in state.resources("payment_links")
    ):
        message = f"Payment Link with reference id {reference} already exists"
        raise FakeProviderError(400, rp.bad_request(message, "reference_id"))
    expire_by = data.get("expire_by")
    if expire_by and int(expire_by) < rp.now() + rp.MIN_EXPIRY_LEAD_SECONDS:
        message = "expire_by should be at least 15 minutes after the current time"
        raise FakeProviderError(400, rp.bad_request(message, "expire_by"))


@router.post("/payment_links")
async def create_link(request: Request, state: StateDep) -> dict[str, Any]:
    """Create a Standard Payment Link; its short URL opens (pays) it on this fake."""
    data = await _json(request)
    _check_link(state, data)
    code = "".join(secrets.choice(BASE62) for _ in range(8))
    short_url = str(request.url_for("open_short_url", code=code))
    created = state.save_resource("payment_links", rp.payment_link(data, short_url))
    await hang_after_accept(state)
    return created


@router.get("/payment_links")
async def list_links(
    state: StateDep, reference_id: str | None = None, payment_id: str | None = None
) -> dict[str, Any]:
    """All links, newest first, filtered by ``reference_id`` or ``payment_id`` as Razorpay does."""
    links = [
        link
        for link in reversed(state.resources("payment_links"))
        if (reference_id is None or link["reference_id"] == reference_id)
        and (payment_id is None or payment_id in [p["payment_id"] for p in link["payments"] or []])
    ]
    return {"payment_links": links}


@router.get("/payment_links/{link_id}")
async def fetch_link(link_id: str, state: StateDep) -> dict[str, Any]:
    """One link with its current status and payments."""
    return _link(state, link_id)


@router.post("/payment_links/{link_id}/cancel")
async def cancel_link(link_id: str, state: StateDep, config: ConfigDep) -> dict[str, Any]:
    """Cancel an unpaid link; a paid, expired or cancelled one answers 400."""
    link = _link(state, link_id)
    if link["status"] not in ("created", "partially_paid"):
        message = f"Payment Link cannot be cancelled as it is already {link['status']}"
        raise FakeProviderError(400, rp.bad_request(message))
    link.update(status="cancelled", cancelled_at=rp.now(), updated_at=rp.now())
    saved = state.save_resource("payment_links", link)
    post_later(state, config, lambda: [rp.event("payment_link.cancelled", payment_link=saved)])
    return saved


@router.post("/payments/{payment_id}/refund")
async def create_refund(
    payment_id: str, request: Request, state: StateDep, config: ConfigDep
) -> dict[str, Any]:
    """Refund (part of) a captured payment; settled by a webhook a moment later."""
    data = await _json(request)
    pay = state.resource("payments", payment_id)
    if pay is None or pay["status"] not in ("captured", "refunded"):
        raise FakeProviderError(400, rp.bad_request("The id provided does not exist", "id"))
    left = pay["amount"] - pay["amount_refunded"]
    amount = data.get("amount", left)
    if not isinstance(amount, int) or not 0 < amount <= left:
        message = "The refund amount provided is greater than amount captured"
        raise FakeProviderError(400, rp.bad_request(message, "amount"))
    pay["amount_refunded"] += amount
    pay["refund_status"] = "full" if pay["amount_refunded"] == pay["amount"] else "partial"
    if pay["refund_status"] == "full":
        pay["status"] = "refunded"
    state.save_resource("payments", pay)
    created = state.save_resource("refunds", rp.refund(pay, data, amount))
    post_later(state, config, lambda: [_settle_refund(state, created["id"])])
    await hang_after_accept(state)
    return created


def _settle_refund(state: FakeState, refund_id: str) -> dict[str, Any]:
    """Process (or fail, per the knob) a pending refund and build its webhook."""
    refund = state.resource("refunds", refund_id)
    assert refund is not None
    outcome = state.knobs().razorpay_refund_outcome
    refund["status"] = outcome
    state.save_resource("refunds", refund)
    pay = state.resource("payments", refund["payment_id"])
    assert pay is not None
    if outcome == "failed":  # the money stays with the merchant
        pay["amount_refunded"] -= refund["amount"]
        pay["refund_status"] = "partial" if pay["amount_refunded"] else None
        pay["status"] = "captured"
        state.save_resource("payments", pay)
    return rp.event(f"refund.{outcome}", refund=refund, payment=pay)


@router.get("/payments/{payment_id}/refunds")
async def list_refunds(payment_id: str, state: StateDep) -> dict[str, Any]:
    """The refunds of one payment, as a Razorpay collection."""
    items = [r for r in state.resources("refunds") if r["payment_id"] == payment_id]
    return {"entity": "collection", "count": len(items), "items": items}
