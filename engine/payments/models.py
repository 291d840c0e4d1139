"""Tables of the payments domain: the ledger of what was asked, paid and given back.

Money is always an integer in minor units (paise) plus its ISO currency. Provider ids are
unique, so an event delivered twice finds the row the first delivery wrote.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.bookings.models import Booking
from engine.db import Base, StrEnumType, UTCDateTime, utcnow
from engine.payments.enums import (
    PAYMENT_PROVIDER,
    FlagKind,
    LinkStatus,
    PaymentOutcome,
    PaymentStatus,
    RefundStatus,
)


class PaymentLink(Base):
    """The one payment link of a booking (its ``reference`` is the booking reference)."""

    __tablename__ = "payment_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("bookings.id"), unique=True)
    venue_id: Mapped[int] = mapped_column(ForeignKey("venues.id"), index=True)
    provider: Mapped[str] = mapped_column(String(20), default=PAYMENT_PROVIDER)
    provider_link_id: Mapped[str] = mapped_column(String(40), unique=True)
    order_id: Mapped[str | None] = mapped_column(String(40), index=True)
    reference: Mapped[str] = mapped_column(String(40))
    short_url: Mapped[str] = mapped_column(String(255))
    amount: Mapped[int]
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[LinkStatus] = mapped_column(StrEnumType(LinkStatus, 20), index=True)
    expire_by: Mapped[datetime] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    booking: Mapped[Booking] = relationship()


class Payment(Base):
    """One payment attempt the provider reported, captured or failed."""

    __tablename__ = "payments"

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("bookings.id"), index=True)
    venue_id: Mapped[int] = mapped_column(ForeignKey("venues.id"), index=True)
    link_id: Mapped[int | None] = mapped_column(ForeignKey("payment_links.id"))
    provider: Mapped[str] = mapped_column(String(20), default=PAYMENT_PROVIDER)
    provider_payment_id: Mapped[str] = mapped_column(String(40), unique=True)
    amount: Mapped[int]
    currency: Mapped[str] = mapped_column(String(3))
    method: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[PaymentStatus] = mapped_column(StrEnumType(PaymentStatus, 20))
    outcome: Mapped[PaymentOutcome | None] = mapped_column(StrEnumType(PaymentOutcome, 20))
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    booking: Mapped[Booking] = relationship()
    refunds: Mapped[list[Refund]] = relationship(back_populates="payment", order_by="Refund.seq")


class Refund(Base):
    """Money going back on one payment; ``cause`` makes asking twice for one reason a no-op."""

    __tablename__ = "refunds"
    __table_args__ = (
        UniqueConstraint("payment_id", "seq"),
        UniqueConstraint("payment_id", "cause"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("payments.id"), index=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("bookings.id"), index=True)
    venue_id: Mapped[int] = mapped_column(ForeignKey("venues.id"), index=True)
    #: 1, 2, … per payment: the ``n`` of the outbox key ``refund:{payment}:{n}``.
    seq: Mapped[int]
    #: Why: "cancellation", "late-payment", "duplicate-payment", or an owner's own label.
    cause: Mapped[str] = mapped_column(String(60))
    amount: Mapped[int]
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[RefundStatus] = mapped_column(StrEnumType(RefundStatus, 20))
    provider_refund_id: Mapped[str | None] = mapped_column(String(40), unique=True)
    outbox_key: Mapped[str] = mapped_column(String(200), unique=True)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    payment: Mapped[Payment] = relationship(back_populates="refunds")
    booking: Mapped[Booking] = relationship()


class PaymentFlag(Base):
    """Something about money the owner must look at; open until ``resolved_at`` (who closed it,
    and why, is in the booking's audit trail)."""

    __tablename__ = "payment_flags"

    id: Mapped[int] = mapped_column(primary_key=True)
    venue_id: Mapped[int] = mapped_column(ForeignKey("venues.id"), index=True)
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("bookings.id"), index=True)
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payments.id"))
    refund_id: Mapped[int | None] = mapped_column(ForeignKey("refunds.id"))
    kind: Mapped[FlagKind] = mapped_column(StrEnumType(FlagKind, 30))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    booking: Mapped[Booking | None] = relationship()
    payment: Mapped[Payment | None] = relationship()
