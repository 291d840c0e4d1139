"""Bookings: list rows, detail with the audit trail, actions and desk bookings."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, Field

from admin_api.schemas.common import MAX_ID, ORM, BodyId
from engine.bookings.enums import BookingStatus, Channel
from engine.frontdesk.service import RefundChoice

Money = Annotated[int, Field(ge=0, le=10**12, description="Minor units (paise, cents)")]


class GuestOut(ORM):
    id: int
    phone: str
    name: str | None
    language: str | None
    opted_out_sms: bool
    opted_out_whatsapp: bool


class BookingOut(ORM):
    """A booking as the list shows it; times in UTC, amounts in minor units."""

    reference: str
    venue_id: int
    status: BookingStatus
    channel: Channel
    guest: GuestOut
    party_size: int
    room_type_id: int | None
    check_in: date | None
    check_out: date | None
    starts_at: datetime | None
    ends_at: datetime | None
    resources: list[str]
    amount: int
    amount_paid: int
    currency: str
    hold_expires_at: datetime | None
    notes: str
    created_at: datetime


class EventOut(ORM):
    """One line of the audit trail."""

    at: datetime
    from_status: str | None
    to_status: str
    actor: str
    reason: str
    details: dict[str, Any]


class BookingDetail(BookingOut):
    """A booking with everything that happened to it."""

    events: list[EventOut]


class CancelRequest(BaseModel):
    """How much to refund: the venue policy, everything paid, nothing, or ``refund_amount``."""

    refund: RefundChoice = RefundChoice.POLICY
    refund_amount: Money | None = None
    reason: str = Field(default="", max_length=500)


class CancelResult(BaseModel):
    booking: BookingDetail
    refund_amount: int
    refund_percent: int
    currency: str


class MoveRequest(BaseModel):
    """What to change; omitted fields stay. ``room_id`` / ``table_ids`` pick exact places."""

    check_in: date | None = None
    check_out: date | None = None
    room_type_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    room_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    starts_at: AwareDatetime | None = None
    party_size: int | None = Field(default=None, ge=1, le=50)
    table_ids: list[BodyId] | None = Field(default=None, max_length=4)


class DeskBookingCreate(BaseModel):
    """A phone or walk-in booking: dates and room type for hotels, a start for restaurants."""

    venue_id: int = Field(ge=1, le=MAX_ID)
    channel: Literal[Channel.PHONE, Channel.WALK_IN, Channel.DASHBOARD] = Channel.PHONE
    guest_phone: str = Field(min_length=3, max_length=32)
    guest_name: str | None = Field(default=None, max_length=120)
    party_size: int = Field(ge=1, le=50)
    check_in: date | None = None
    check_out: date | None = None
    room_type_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    starts_at: AwareDatetime | None = None
    amount_paid: Money = 0
    notes: str = Field(default="", max_length=2000)


class GuestDetail(GuestOut):
    bookings: list[BookingOut]
