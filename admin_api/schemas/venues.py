"""Venues and their policies."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from admin_api.schemas.common import ORM, LocalTime
from engine.recommendations.enums import RecommendationKind
from engine.reminders.schedule import MAX_HOURS_BEFORE, ReminderKind
from engine.tenants.enums import VenueKind
from engine.tenants.models import MAX_ARRIVAL_GRACE_MINUTES

Minutes = Annotated[int, Field(ge=15, le=720)]
SlotMinutes = Literal[5, 10, 15, 20, 30, 60]
Money = Annotated[int, Field(ge=0, le=10**12, description="Minor units (paise, cents)")]
Party = Annotated[int, Field(ge=0, le=100)]
FeedbackDelay = Annotated[
    int, Field(ge=0, le=7 * 24 * 60, description="Minutes after the table's end or check-out")
]


class CancellationTier(BaseModel):
    """Cancelling at least ``hours_before`` the start refunds ``refund_percent``."""

    hours_before: int = Field(ge=0, le=24 * 365)
    refund_percent: int = Field(ge=0, le=100)


class ReminderRule(ORM):
    """One reminder before a visit: whether it goes, and how many hours before the start."""

    enabled: bool
    hours_before: int = Field(ge=1, le=MAX_HOURS_BEFORE)


class QuietHours(ORM):
    """Venue-clock hours in which no reminder goes out (it goes earlier instead)."""

    start: LocalTime
    end: LocalTime


class VenueChanges(BaseModel):
    """Venue settings to change; omitted (or null) fields stay as they are.

    ``sms_number`` / ``whatsapp_phone_number_id`` given as "" remove the number.
    """

    name: str | None = Field(default=None, min_length=1, max_length=200)
    timezone: str | None = Field(default=None, min_length=1, max_length=64)
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    sms_number: str | None = Field(default=None, max_length=32)
    whatsapp_phone_number_id: str | None = Field(default=None, pattern=r"^(\d{5,20})?$")
    hold_minutes: int | None = Field(default=None, ge=1, le=1440)
    cancellation_tiers: list[CancellationTier] | None = Field(default=None, max_length=10)
    check_in_time: LocalTime | None = None
    check_out_time: LocalTime | None = None
    slot_minutes: SlotMinutes | None = None
    turn_minutes: Minutes | None = None
    large_party_size: Party | None = None
    large_party_turn_minutes: Minutes | None = None
    deposit_per_person: Money | None = None
    deposit_min_party: Party | None = None
    staff_refund_limit: Money | None = None
    arrival_grace_minutes: int | None = Field(
        default=None,
        ge=0,
        le=MAX_ARRIVAL_GRACE_MINUTES,
        description="Tables: minutes after the start until not arrived",
    )
    auto_no_show: bool | None = Field(
        default=None, description="Mark bookings not arrived after the grace as no-shows"
    )
    no_show_deposit_after: int | None = Field(
        default=None,
        ge=0,
        le=20,
        description="No-shows after which a table needs a deposit (0: off)",
    )
    address: str | None = Field(default=None, max_length=300)
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    reminders: dict[ReminderKind, ReminderRule] | None = Field(
        default=None,
        description="Reminders to change, by kind (restaurants: day_before, same_day; hotels: "
        "day_before); kinds left out stay as they are",
    )
    quiet_hours: QuietHours | None = None
    reminder_template: str | None = Field(
        default=None,
        pattern=r"^[a-z0-9_]{1,512}$",
        description="The approved WhatsApp template reminders go as outside the 24-hour window",
    )
    feedback_enabled: bool | None = Field(
        default=None, description="Ask guests after the visit how it went"
    )
    feedback_delay_minutes: FeedbackDelay | None = None
    chat_max_rooms: int | None = Field(
        default=None, ge=1, le=10, description="Hotels: most rooms a chat booking takes unasked"
    )
    chat_max_guests: int | None = Field(
        default=None, ge=1, le=12, description="Hotels: most guests a chat booking takes unasked"
    )
    approval_hours: int | None = Field(
        default=None, ge=1, le=168, description="Hours a group's rooms wait for staff approval"
    )
    recommendations: dict[RecommendationKind, bool] | None = Field(
        default=None,
        description="Recommendation kinds to turn on or off (usual, alternatives, cross_sell, "
        "upgrade, sister_venue); kinds left out stay as they are",
    )

    def fields(self) -> dict[str, Any]:
        """The changes as engine fields ("" numbers become None)."""
        data = self.model_dump(exclude_none=True)
        for column in ("sms_number", "whatsapp_phone_number_id"):
            if data.get(column) == "":
                data[column] = None
        return data


class VenueCreate(VenueChanges):
    """A new hotel or restaurant."""

    kind: VenueKind
    name: str = Field(min_length=1, max_length=200)
    timezone: str = Field(default="Asia/Kolkata", min_length=1, max_length=64)
    currency: str = Field(default="INR", pattern=r"^[A-Z]{3}$")


class VenueOut(ORM):
    """A venue with every setting an owner can change."""

    id: int
    kind: VenueKind
    name: str
    slug: str
    timezone: str
    currency: str
    sms_number: str | None
    whatsapp_phone_number_id: str | None
    hold_minutes: int
    cancellation_tiers: list[CancellationTier]
    check_in_time: LocalTime
    check_out_time: LocalTime
    slot_minutes: int
    turn_minutes: int
    large_party_size: int
    large_party_turn_minutes: int
    deposit_per_person: int
    deposit_min_party: int
    staff_refund_limit: int
    arrival_grace_minutes: int
    auto_no_show: bool
    auto_no_show_since: datetime | None
    no_show_deposit_after: int
    address: str
    latitude: float | None
    longitude: float | None
    reminders: dict[ReminderKind, ReminderRule]
    quiet_hours: QuietHours
    reminder_template: str
    feedback_enabled: bool
    feedback_delay_minutes: int
    chat_max_rooms: int
    chat_max_guests: int
    approval_hours: int
    recommendations: dict[RecommendationKind, bool]


class CalendarFeed(BaseModel):
    """The secret iCalendar address of a venue (anyone with it can read the bookings)."""

    url: str
    token: str
