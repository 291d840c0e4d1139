"""Schemas of the owner's payment review: flags, the payments they concern, refunds."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, Field

from admin_api.schemas.common import ORM
from engine.bookings.enums import BookingStatus
from engine.payments.enums import FlagKind, PaymentOutcome, PaymentStatus, RefundStatus


class RefundOut(ORM):
    """Money going back on a payment (amounts in minor units)."""

    id: int
    amount: int
    currency: str
    cause: str
    status: RefundStatus
    provider_refund_id: str | None
    created_at: datetime


class PaymentOut(BaseModel):
    """A payment as the owner reviews it: what came in, what went back, what is left."""

    id: int
    provider_payment_id: str
    booking_reference: str
    booking_status: BookingStatus
    amount: int
    currency: str
    status: PaymentStatus
    outcome: PaymentOutcome | None
    refundable: int = Field(description="What can still be refunded, in minor units")
    refunds: list[RefundOut]
    created_at: datetime


class PaymentFlagOut(BaseModel):
    """Something about money the owner must look at, with the payment it concerns."""

    id: int
    venue_id: int
    kind: FlagKind
    details: dict[str, Any]
    booking_reference: str | None
    payment: PaymentOut | None
    created_at: datetime
    resolved_at: datetime | None


class RefundRequest(BaseModel):
    """Give back part or all of a payment that pays for no live booking."""

    amount: Annotated[int, Field(gt=0, le=10**12, description="Minor units (paise, cents)")]
    reason: Annotated[str, Field(max_length=500)] = ""
    request_id: Annotated[
        str | None,
        Field(
            pattern=r"^[A-Za-z0-9_-]{1,40}$",
            description="Your id for this request: sending it again returns the first refund "
            "instead of refunding twice (use a fresh one per refund you mean)",
        ),
    ] = None


class ResolveRequest(BaseModel):
    """Close a flag once it has been dealt with; the note goes into the audit trail."""

    note: Annotated[str, Field(max_length=500)] = ""
