"""Razorpay's wire shapes: payment link, payment and refund entities, error bodies, webhooks.

Kept apart from the routes so the REST fake, the "pay" control route and tests that post
hand-made events all build the same JSON, as Razorpay documents it: ids with type prefixes,
amounts in the smallest currency unit, unix-second timestamps.
"""

from __future__ import annotations

import json
import time
from typing import Any

from fakeproviders.callbacks import PreparedCallback
from fakeproviders.ids import razorpay_id
from fakeproviders.signing import (
    RAZORPAY_EVENT_ID_HEADER,
    RAZORPAY_SIGNATURE_HEADER,
    razorpay_signature,
)

ACCOUNT_ID = "acc_BooklineFake01"
WEBHOOK_PATH = "/webhooks/razorpay"
MIN_AMOUNT = 100
MIN_EXPIRY_LEAD_SECONDS = 15 * 60
REFERENCE_MAX = 40


def now() -> int:
    """Unix seconds, Razorpay's timestamp format."""
    return int(time.time())


def error_body(code: str, description: str, field: str | None = None) -> dict[str, Any]:
    """Razorpay's error JSON (the SDK maps ``code`` to BadRequestError/ServerError…)."""
    return {
        "error": {
            "code": code,
            "description": description,
            "source": "business" if code == "BAD_REQUEST_ERROR" else "internal",
            "step": "payment_initiation",
            "reason": "input_validation_failed" if code == "BAD_REQUEST_ERROR" else "server_error",
            "metadata": {},
            "field": field,
        }
    }


def bad_request(description: str, field: str | None = None) -> dict[str, Any]:
    """A 400 body: the request itself is wrong."""
    return error_body("BAD_REQUEST_ERROR", description, field)


def server_error() -> dict[str, Any]:
    """A 500 body, as an outage answers."""
    return error_body("SERVER_ERROR", "The server encountered an error. Please try again.")


def payment_link(data: dict[str, Any], short_url: str) -> dict[str, Any]:
    """A new Standard Payment Link entity for a validated create request."""
    stamp = now()
    return {
        "id": razorpay_id("plink"),
        "accept_partial": bool(data.get("accept_partial", False)),
        "amount": data["amount"],
        "amount_paid": 0,
        "callback_method": data.get("callback_method", ""),
        "callback_url": data.get("callback_url", ""),
        "cancelled_at": 0,
        "created_at": stamp,
        "currency": data.get("currency", "INR"),
        "customer": data.get("customer") or {},
        "description": data.get("description", ""),
        "expire_by": int(data.get("expire_by") or 0),
        "expired_at": 0,
        "first_min_partial_amount": int(data.get("first_min_partial_amount") or 0),
        "notes": data.get("notes") or {},
        "notify": data.get("notify") or {"email": False, "sms": False},
        "order_id": razorpay_id("order"),
        "payments": None,
        "reference_id": data.get("reference_id", ""),
        "reminder_enable": bool(data.get("reminder_enable", False)),
        "reminders": [],
        "short_url": short_url,
        "status": "created",
        "updated_at": stamp,
        "upi_link": False,
        "user_id": "",
    }


def payment(
    link: dict[str, Any], *, amount: int, currency: str, method: str, failed: bool = False
) -> dict[str, Any]:
    """A payment made (or attempted, when ``failed``) on a link."""
    customer = link.get("customer") or {}
    error = {
        "error_code": "BAD_REQUEST_ERROR" if failed else None,
        "error_description": "Payment failed because the bank declined it." if failed else None,
        "error_source": "bank" if failed else None,
        "error_step": "payment_authorization" if failed else None,
        "error_reason": "payment_failed" if failed else None,
    }
    return {
        "id": razorpay_id("pay"),
        "entity": "payment",
        "amount": amount,
        "currency": currency,
        "status": "failed" if failed else "captured",
        "order_id": link["order_id"],
        "invoice_id": None,
        "international": False,
        "method": method,
        "amount_refunded": 0,
        "refund_status": None,
        "captured": not failed,
        "description": link.get("description", ""),
        "card_id": None,
        "bank": None,
        "wallet": None,
        "vpa": "success@razorpay" if method == "upi" else None,
        "email": customer.get("email", "void@razorpay.com"),
        "contact": customer.get("contact", ""),
        "notes": link.get("notes") or {},
        "fee": 0 if failed else amount * 2 // 100,
        "tax": 0 if failed else amount * 36 // 10000,
        **error,
        "acquirer_data": {},
        "created_at": now(),
    }


def refund(pay: dict[str, Any], data: dict[str, Any], amount: int) -> dict[str, Any]:
    """A refund entity, pending until the fake settles it."""
    return {
        "id": razorpay_id("rfnd"),
        "entity": "refund",
        "amount": amount,
        "currency": pay["currency"],
        "payment_id": pay["id"],
        "notes": data.get("notes") or {},
        "receipt": data.get("receipt"),
        "acquirer_data": {"arn": None},
        "created_at": now(),
        "batch_id": None,
        "status": "pending",
        "speed_processed": "normal",
        "speed_requested": data.get("speed", "normal"),
    }


def event(name: str, **entities: dict[str, Any]) -> dict[str, Any]:
    """A webhook event envelope carrying ``entities`` (payment_link=…, payment=…, refund=…)."""
    return {
        "entity": "event",
        "account_id": ACCOUNT_ID,
        "event": name,
        "contains": list(entities),
        "payload": {kind: {"entity": entity} for kind, entity in entities.items()},
        "created_at": now(),
    }


def order_of(link: dict[str, Any]) -> dict[str, Any]:
    """The order Razorpay creates behind a payment link (sent with ``payment_link.paid``)."""
    return {
        "id": link["order_id"],
        "entity": "order",
        "amount": link["amount"],
        "amount_paid": link["amount_paid"],
        "amount_due": link["amount"] - link["amount_paid"],
        "currency": link["currency"],
        "receipt": None,
        "status": "paid" if link["status"] == "paid" else "attempted",
        "notes": link.get("notes") or {},
        "created_at": link["created_at"],
    }


def signed_webhook(
    app_url: str, webhook_secret: str, body: dict[str, Any], event_id: str | None = None
) -> PreparedCallback:
    """A webhook POST as Razorpay sends it: exact bytes, signature and event id headers."""
    content = json.dumps(body, separators=(",", ":")).encode("utf-8")
    headers = {
        "Content-Type": "application/json",
        RAZORPAY_SIGNATURE_HEADER: razorpay_signature(webhook_secret, content),
        RAZORPAY_EVENT_ID_HEADER: event_id or razorpay_id("evt"),
    }
    return PreparedCallback(app_url.rstrip("/") + WEBHOOK_PATH, content, headers, body)
