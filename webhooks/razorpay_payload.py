"""Parsing a Razorpay webhook event into a provider-neutral ``PaymentNotice``.

The envelope is ``{"event": "payment_link.paid", "payload": {"payment_link": {"entity": …},
"payment": {"entity": …}, …}}``. Events Bookline does not act on (``order.paid``,
``payment.authorized``, …) parse to None and are acknowledged; known events missing the
entity they need are malformed.
"""

from __future__ import annotations

from typing import Any

from engine.payments.notices import (
    LinkFacts,
    NoticeKind,
    PaymentFacts,
    PaymentNotice,
    RefundFacts,
)
from webhooks.payload import MalformedPayloadError, as_object

#: The entity each kind of event cannot do without.
REQUIRED = {
    "payment_link": {
        NoticeKind.LINK_PAID,
        NoticeKind.LINK_PARTIALLY_PAID,
        NoticeKind.LINK_EXPIRED,
        NoticeKind.LINK_CANCELLED,
    },
    "payment": {NoticeKind.LINK_PAID, NoticeKind.PAYMENT_CAPTURED, NoticeKind.PAYMENT_FAILED},
    "refund": {NoticeKind.REFUND_PROCESSED, NoticeKind.REFUND_FAILED},
}


def _int(entity: dict[str, Any], name: str) -> int:
    value = entity.get(name)
    if not isinstance(value, int) or isinstance(value, bool):
        raise MalformedPayloadError(f"{name} must be an integer amount in minor units")
    return value


def _str(entity: dict[str, Any], name: str) -> str:
    value = entity.get(name)
    if not isinstance(value, str) or not value:
        raise MalformedPayloadError(f"missing {name}")
    return value


def _optional(entity: dict[str, Any], name: str) -> str | None:
    value = entity.get(name)
    return str(value) if value else None


def _link(entity: dict[str, Any]) -> LinkFacts:
    return LinkFacts(
        link_id=_str(entity, "id"),
        status=_str(entity, "status"),
        amount=_int(entity, "amount"),
        amount_paid=_int(entity, "amount_paid"),
        currency=_str(entity, "currency"),
        reference=_optional(entity, "reference_id"),
        order_id=_optional(entity, "order_id"),
    )


def _payment(entity: dict[str, Any]) -> PaymentFacts:
    notes = entity.get("notes")
    return PaymentFacts(
        payment_id=_str(entity, "id"),
        status=_str(entity, "status"),
        amount=_int(entity, "amount"),
        currency=_str(entity, "currency"),
        order_id=_optional(entity, "order_id"),
        method=_optional(entity, "method"),
        error=_optional(entity, "error_description"),
        notes={str(k): str(v) for k, v in notes.items()} if isinstance(notes, dict) else {},
    )


def _refund(entity: dict[str, Any]) -> RefundFacts:
    return RefundFacts(
        refund_id=_str(entity, "id"),
        payment_id=_str(entity, "payment_id"),
        status=_str(entity, "status"),
        amount=_int(entity, "amount"),
        currency=_str(entity, "currency"),
        receipt=_optional(entity, "receipt"),
        error=_optional(entity, "error_description"),
    )


def _entity(payload: dict[str, Any], name: str, kind: NoticeKind) -> dict[str, Any] | None:
    """``payload[name].entity``; MalformedPayloadError when the event needs it and lacks it."""
    wrapper = payload.get(name)
    if wrapper is None:
        if kind in REQUIRED[name]:
            raise MalformedPayloadError(f"{kind.value} without payload.{name}")
        return None
    return as_object(as_object(wrapper, f"payload.{name}").get("entity"), f"{name}.entity")


def parse_event(document: Any) -> PaymentNotice | None:
    """The notice in a webhook document, or None for events Bookline does not act on."""
    root = as_object(document, "body")
    name = root.get("event")
    if not isinstance(name, str):
        raise MalformedPayloadError("missing event")
    try:
        kind = NoticeKind(name)
    except ValueError:
        return None
    payload = as_object(root.get("payload"), "payload")
    link = _entity(payload, "payment_link", kind)
    payment = _entity(payload, "payment", kind)
    refund = _entity(payload, "refund", kind)
    return PaymentNotice(
        kind=kind,
        link=_link(link) if link is not None else None,
        payment=_payment(payment) if payment is not None else None,
        refund=_refund(refund) if refund is not None else None,
    )
