"""Tables of the messaging domain.

``InboundEvent`` has ``UNIQUE(provider, provider_id)``: storing it is how a webhook delivered
twice is processed once. ``OutboxMessage`` has a unique ``key`` derived from what caused it
(``reply:{inbound id}:{n}``), so a re-run job finds the row it wrote before and sends nothing new.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from engine.db import Base, StrEnumType, UTCDateTime, utcnow
from engine.messaging.enums import InboundStatus, MessageChannel, OutboxStatus


class InboundEvent(Base):
    """One provider delivery (message or callback) that passed signature checks."""

    __tablename__ = "inbound_events"
    __table_args__ = (
        UniqueConstraint("provider", "provider_id"),
        Index("ix_inbound_events_conversation", "venue_id", "channel", "guest_phone", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    provider: Mapped[str] = mapped_column(String(20))
    provider_id: Mapped[str] = mapped_column(String(128))
    venue_id: Mapped[int | None] = mapped_column(ForeignKey("venues.id"))
    channel: Mapped[MessageChannel | None] = mapped_column(StrEnumType(MessageChannel, 20))
    guest_phone: Mapped[str | None] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(20), default="text")
    text: Mapped[str] = mapped_column(Text, default="")
    choice_id: Mapped[str | None] = mapped_column(String(256))
    profile_name: Mapped[str | None] = mapped_column(String(120))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[InboundStatus] = mapped_column(
        StrEnumType(InboundStatus, 20), default=InboundStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class OutboxMessage(Base):
    """A message (or other side effect) to deliver exactly once, keyed by its cause."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    venue_id: Mapped[int] = mapped_column(ForeignKey("venues.id"), index=True)
    guest_id: Mapped[int | None] = mapped_column(ForeignKey("guests.id"), index=True)
    channel: Mapped[MessageChannel] = mapped_column(StrEnumType(MessageChannel, 20))
    to_address: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: Sent even to an opted-out guest (only the opt-out confirmation itself).
    bypass_opt_out: Mapped[bool] = mapped_column(default=False)
    status: Mapped[OutboxStatus] = mapped_column(
        StrEnumType(OutboxStatus, 20), default=OutboxStatus.PENDING, index=True
    )
    provider_message_id: Mapped[str | None] = mapped_column(String(128), index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sending_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: Not to be sent before this (a reminder that a retry carried into quiet hours).
    not_before: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    status_updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class TranscriptEntry(Base):
    """One line of a conversation (guest or bot) as the owner's inbox shows it."""

    __tablename__ = "transcript"
    __table_args__ = (Index("ix_transcript_conversation", "venue_id", "channel", "guest_phone"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    venue_id: Mapped[int] = mapped_column(ForeignKey("venues.id"))
    channel: Mapped[MessageChannel] = mapped_column(StrEnumType(MessageChannel, 20))
    guest_phone: Mapped[str] = mapped_column(String(20))
    direction: Mapped[str] = mapped_column(String(3))
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
