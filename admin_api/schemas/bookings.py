"""Bookings: list rows, detail with the audit trail, actions and desk bookings."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal, Self

from pydantic import AwareDatetime, BaseModel, Field, NaiveDatetime, model_validator

from admin_api.schemas.common import MAX_ID, ORM, BodyId
from admin_api.schemas.venues import CancellationTier
from engine.bookings.enums import Approval, BookingStatus, Channel
from engine.frontdesk.service import RefundChoice
from engine.tenants.models import Venue

Money = Annotated[int, Field(ge=0, le=10**12, description="Minor units (paise, cents)")]


class GuestOut(ORM):
    id: int
    phone: str
    name: str | None
    language: str | None
    opted_out_sms: bool
    opted_out_whatsapp: bool


class BookingRoomOut(ORM):
    """One room of a stay of several rooms; a cancelled one keeps its line."""

    id: int
    room_type_id: int
    resource: str
    guests: int
    amount: int
    cancelled_at: datetime | None


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
    rooms: list[BookingRoomOut] = Field(
        description="The rooms of a stay of several rooms (empty for one room or a table: "
        "its room is ``room_type_id`` and ``resources``)"
    )
    amount: int
    amount_paid: int
    currency: str
    hold_expires_at: datetime | None
    approval: Approval | None = Field(
        description="A group above the venue's chat limits: pending until staff accept or "
        "decline it (null for every other booking)"
    )
    notes: str
    arrived_at: datetime | None = Field(description="When staff marked the guest arrived")
    not_arrived_at: datetime | None = Field(
        description="When the guest was found not arrived after the grace"
    )
    guest_confirmed_at: datetime | None = Field(
        description="When the guest answered a reminder that they are coming"
    )
    created_at: datetime


class EventOut(ORM):
    """One line of the audit trail."""

    at: datetime
    from_status: str | None
    to_status: str
    actor: str
    reason: str
    details: dict[str, Any]


class FeedbackOut(ORM):
    """What the guest said of the visit: asked when, the score (1-5) and comment if any."""

    asked_at: datetime
    score: int | None
    comment: str
    answered_at: datetime | None


class BookingDetail(BookingOut):
    """A booking with everything that happened to it."""

    events: list[EventOut]
    feedback: FeedbackOut | None = Field(description="None until the guest is asked")


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


class RoomCancelResult(BaseModel):
    booking: BookingDetail
    refund_amount: int
    currency: str


class RefundQuote(BaseModel):
    """What cancelling now refunds under the venue policy, and why: the engine's own quote, so
    the dashboard shows the amount the cancel will give instead of re-deriving the rules."""

    refund_amount: int = Field(description="Minor units the policy refunds if cancelled now")
    refund_percent: int
    currency: str
    amount_paid: int = Field(description="Paid and not given back: the most any refund can be")
    policy_base: int = Field(
        description="What the policy percent applies to: paid toward the booking as it is now "
        "(less what the guest's earlier changes refunded or the venue kept)"
    )
    starts_at: AwareDatetime = Field(description="When the guest is due (UTC)")
    hours_before_start: int = Field(description="Whole hours of notice (negative once due)")
    tiers: list[CancellationTier] = Field(description="The venue policy the quote applied")
    staff_refund_cap: int = Field(description="The most a staff member may refund here")


class SeatingStart(BaseModel):
    """A restaurant start: ``starts_at`` (an instant) or ``local_start``, the time on the
    venue's own clock ("2026-11-26T20:00"), which is what the person at the desk was told."""

    starts_at: AwareDatetime | None = None
    local_start: NaiveDatetime | None = None

    @model_validator(mode="after")
    def _one_start(self) -> Self:
        """Two starts could disagree: refuse rather than pick one silently."""
        if self.starts_at is not None and self.local_start is not None:
            raise ValueError("Give starts_at or local_start, not both.")
        return self

    def start_at(self, venue: Venue) -> datetime | None:
        """The start as an instant; a wall-clock start is read in the venue's zone."""
        if self.local_start is not None:
            return self.local_start.replace(tzinfo=venue.tz)
        return self.starts_at


class MoveRequest(SeatingStart):
    """What to change; omitted fields stay. ``room_id`` / ``table_ids`` pick exact places."""

    check_in: date | None = None
    check_out: date | None = None
    room_type_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    room_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    party_size: int | None = Field(default=None, ge=1, le=50)
    table_ids: list[BodyId] | None = Field(default=None, max_length=4)


class DeskBookingCreate(SeatingStart):
    """A phone or walk-in booking: dates and room type for hotels, a start for restaurants."""

    venue_id: int = Field(ge=1, le=MAX_ID)
    channel: Literal[Channel.PHONE, Channel.WALK_IN, Channel.DASHBOARD] = Channel.PHONE
    guest_phone: str = Field(min_length=3, max_length=32)
    guest_name: str | None = Field(default=None, max_length=120)
    party_size: int = Field(ge=1, le=50)
    check_in: date | None = None
    check_out: date | None = None
    room_type_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    amount_paid: Money = 0
    notes: str = Field(default="", max_length=2000)


class NotArrived(BaseModel):
    """A booking whose guest has not arrived, and when the grace for them ended."""

    booking: BookingOut
    grace_ended_at: AwareDatetime


class GuestDetail(GuestOut):
    bookings: list[BookingOut]
