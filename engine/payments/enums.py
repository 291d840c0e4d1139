"""Enumerations of the payments domain, each with its transition table.

Provider events repeat and arrive out of order, so a status only moves along its table: a
late or repeated event that would move it backwards is recorded as seen and changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import TypeVar

S = TypeVar("S", bound=StrEnum)

#: The payment provider (its webhooks are stored as inbound events of this provider).
PAYMENT_PROVIDER = "razorpay"


class LinkStatus(StrEnum):
    """A payment link as the provider reports it."""

    CREATED = "created"
    PARTIALLY_PAID = "partially_paid"
    PAID = "paid"
    EXPIRED = "expired"
    CANCELLED = "cancelled"


class PaymentStatus(StrEnum):
    """Money the guest tried to pay: captured (ours until refunded) or failed."""

    CAPTURED = "captured"
    FAILED = "failed"
    PARTIALLY_REFUNDED = "partially_refunded"
    REFUNDED = "refunded"


class PaymentOutcome(StrEnum):
    """What a captured payment did: confirmed its booking, went back, or waits for the owner."""

    CONFIRMED = "confirmed"
    REFUNDED = "refunded"
    FLAGGED = "flagged"


class RefundStatus(StrEnum):
    """A refund from the request until the provider settles it."""

    PENDING = "pending"
    PROCESSED = "processed"
    FAILED = "failed"


class OutboxAction(StrEnum):
    """Provider calls that go through the outbox (``payload["action"]`` of the row)."""

    PAYMENT_LINK = "payment_link"
    CANCEL_LINK = "cancel_link"
    REFUND = "refund"


class FlagKind(StrEnum):
    """Why the owner must look at a payment (nothing flagged is ever confirmed)."""

    AMOUNT_MISMATCH = "amount_mismatch"
    CURRENCY_MISMATCH = "currency_mismatch"
    REFERENCE_MISMATCH = "reference_mismatch"
    UNKNOWN_LINK = "unknown_link"
    DUPLICATE_PAYMENT = "duplicate_payment"
    LINK_FAILED = "link_failed"
    REFUND_FAILED = "refund_failed"


LINK_MOVES: Mapping[LinkStatus, frozenset[LinkStatus]] = {
    LinkStatus.CREATED: frozenset(
        {LinkStatus.PARTIALLY_PAID, LinkStatus.PAID, LinkStatus.EXPIRED, LinkStatus.CANCELLED}
    ),
    LinkStatus.PARTIALLY_PAID: frozenset(
        {LinkStatus.PAID, LinkStatus.EXPIRED, LinkStatus.CANCELLED}
    ),
    LinkStatus.PAID: frozenset(),
    LinkStatus.EXPIRED: frozenset(),
    LinkStatus.CANCELLED: frozenset(),
}
PAYMENT_MOVES: Mapping[PaymentStatus, frozenset[PaymentStatus]] = {
    PaymentStatus.CAPTURED: frozenset({PaymentStatus.PARTIALLY_REFUNDED, PaymentStatus.REFUNDED}),
    PaymentStatus.PARTIALLY_REFUNDED: frozenset(
        {PaymentStatus.PARTIALLY_REFUNDED, PaymentStatus.REFUNDED}
    ),
    PaymentStatus.FAILED: frozenset(),
    PaymentStatus.REFUNDED: frozenset(),
}
REFUND_MOVES: Mapping[RefundStatus, frozenset[RefundStatus]] = {
    RefundStatus.PENDING: frozenset({RefundStatus.PROCESSED, RefundStatus.FAILED}),
    RefundStatus.PROCESSED: frozenset(),
    RefundStatus.FAILED: frozenset(),
}


def can_move(moves: Mapping[S, frozenset[S]], current: S, target: S) -> bool:
    """True when ``current -> target`` is in the transition table ``moves``."""
    return target in moves[current]
