"""What a payment provider told us, in provider-neutral form.

The webhook adapter turns a provider's JSON into a ``PaymentNotice``; the engine applies
notices and never reads provider JSON. Stored with the inbound event, so a retried job applies
exactly what was received.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


class NoticeKind(StrEnum):
    """The provider events Bookline acts on."""

    LINK_PAID = "payment_link.paid"
    LINK_PARTIALLY_PAID = "payment_link.partially_paid"
    LINK_EXPIRED = "payment_link.expired"
    LINK_CANCELLED = "payment_link.cancelled"
    PAYMENT_CAPTURED = "payment.captured"
    PAYMENT_FAILED = "payment.failed"
    REFUND_PROCESSED = "refund.processed"
    REFUND_FAILED = "refund.failed"


@dataclass(frozen=True)
class LinkFacts:
    """A payment link as the provider saw it when the event fired."""

    link_id: str
    status: str
    amount: int
    amount_paid: int
    currency: str
    reference: str | None = None
    order_id: str | None = None


@dataclass(frozen=True)
class PaymentFacts:
    """One payment attempt."""

    payment_id: str
    status: str
    amount: int
    currency: str
    order_id: str | None = None
    method: str | None = None
    error: str | None = None
    notes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RefundFacts:
    """One refund; ``receipt`` carries our outbox key back."""

    refund_id: str
    payment_id: str
    status: str
    amount: int
    currency: str
    receipt: str | None = None
    error: str | None = None


@dataclass(frozen=True)
class PaymentNotice:
    """One provider event: its kind plus the entities it carried."""

    kind: NoticeKind
    link: LinkFacts | None = None
    payment: PaymentFacts | None = None
    refund: RefundFacts | None = None

    def to_json(self) -> dict[str, Any]:
        """JSON-ready form for the inbound event row."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PaymentNotice:
        """The notice stored by ``to_json``."""
        return cls(
            kind=NoticeKind(data["kind"]),
            link=LinkFacts(**data["link"]) if data.get("link") else None,
            payment=PaymentFacts(**data["payment"]) if data.get("payment") else None,
            refund=RefundFacts(**data["refund"]) if data.get("refund") else None,
        )
