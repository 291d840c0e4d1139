"""Tables of the tenants domain: a Business owns Venues; a Venue carries its policies."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import JSON, ForeignKey, String, Time
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.db import Base, StrEnumType, UTCDateTime, utcnow
from engine.recommendations.enums import RecommendationKind
from engine.reminders.schedule import (
    DEFAULT_TEMPLATE,
    QuietHours,
    ReminderKind,
    Rule,
    quiet_hours_for,
    rules_for,
)
from engine.tenants.enums import VenueKind

#: Minutes after a seating's start before a guest who has not come counts as not arrived
#: (owners may set up to the maximum).
DEFAULT_ARRIVAL_GRACE_MINUTES = 20
MAX_ARRIVAL_GRACE_MINUTES = 240

DEFAULT_CANCELLATION_TIERS: list[dict[str, int]] = [
    {"hours_before": 48, "refund_percent": 100},
    {"hours_before": 24, "refund_percent": 50},
]
#: Guests are asked how it went this long after the table's end or the check-out.
DEFAULT_FEEDBACK_DELAY_MINUTES = 120


class Business(Base):
    """A tenant: every owner query is scoped to one business."""

    __tablename__ = "businesses"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    venues: Mapped[list[Venue]] = relationship(back_populates="business")


class Venue(Base):
    """A hotel or restaurant; all guest-facing times are in its ``timezone``."""

    __tablename__ = "venues"

    id: Mapped[int] = mapped_column(primary_key=True)
    business_id: Mapped[int] = mapped_column(ForeignKey("businesses.id"), index=True)
    kind: Mapped[VenueKind] = mapped_column(StrEnumType(VenueKind, 20))
    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    timezone: Mapped[str] = mapped_column(String(64))
    currency: Mapped[str] = mapped_column(String(3))
    sms_number: Mapped[str | None] = mapped_column(String(32), unique=True)
    whatsapp_phone_number_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    hold_minutes: Mapped[int] = mapped_column(default=15)
    cancellation_tiers: Mapped[list[dict[str, int]]] = mapped_column(
        JSON, default=lambda: list(DEFAULT_CANCELLATION_TIERS)
    )
    # Hotels: check-in/out wall-clock times; full prepayment of the stay.
    check_in_time: Mapped[time] = mapped_column(Time(), default=time(14, 0))
    check_out_time: Mapped[time] = mapped_column(Time(), default=time(11, 0))
    # Restaurants: slot grid, turn times and the deposit rule.
    slot_minutes: Mapped[int] = mapped_column(default=15)
    turn_minutes: Mapped[int] = mapped_column(default=90)
    large_party_size: Mapped[int] = mapped_column(default=7)
    large_party_turn_minutes: Mapped[int] = mapped_column(default=120)
    deposit_per_person: Mapped[int] = mapped_column(default=0)
    deposit_min_party: Mapped[int] = mapped_column(default=0)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    business: Mapped[Business] = relationship(back_populates="venues")

    @property
    def tz(self) -> ZoneInfo:
        """The venue's time zone object."""
        return ZoneInfo(self.timezone)

    @property
    def staff_refund_limit(self) -> int:
        """What staff may refund even where the policy gives less, in minor units."""
        return int((self.settings or {}).get("staff_refund_limit", 0))

    @property
    def chat_max_rooms(self) -> int:
        """The most rooms one chat booking takes without staff approval (hotels)."""
        return int((self.settings or {}).get("chat_max_rooms", 3))

    @property
    def chat_max_guests(self) -> int:
        """The most guests one chat booking takes without staff approval (hotels)."""
        return int((self.settings or {}).get("chat_max_guests", 8))

    @property
    def approval_hours(self) -> int:
        """How long a group's rooms are held while staff decide on its request."""
        return int((self.settings or {}).get("approval_hours", 24))

    @property
    def arrival_grace(self) -> timedelta:
        """How long after a seating's start a guest who has not come counts as not arrived."""
        minutes = (self.settings or {}).get("arrival_grace_minutes")
        return timedelta(minutes=DEFAULT_ARRIVAL_GRACE_MINUTES if minutes is None else minutes)

    @property
    def arrival_grace_minutes(self) -> int:
        """``arrival_grace`` in minutes, as owners set it."""
        return int(self.arrival_grace.total_seconds()) // 60

    @property
    def auto_no_show_since(self) -> datetime | None:
        """Since when bookings not arrived after their grace become no-shows by themselves
        (None: the venue has not opted in; staff mark no-shows)."""
        since = (self.settings or {}).get("auto_no_show_since")
        return datetime.fromisoformat(since) if since else None

    @property
    def auto_no_show(self) -> bool:
        """Whether the venue opted in to automatic no-shows."""
        return self.auto_no_show_since is not None

    @property
    def no_show_deposit_after(self) -> int:
        """A guest with this many no-shows pays a deposit for any table (0: the rule is off)."""
        return int((self.settings or {}).get("no_show_deposit_after", 0))

    @property
    def address(self) -> str:
        """Where the venue is, as guests are told in reminders ("" when not set)."""
        return str((self.settings or {}).get("address", ""))

    @property
    def latitude(self) -> float | None:
        """The venue's latitude, for a map link (None when not set)."""
        return (self.settings or {}).get("latitude")

    @property
    def longitude(self) -> float | None:
        """The venue's longitude, for a map link (None when not set)."""
        return (self.settings or {}).get("longitude")

    @property
    def reminders(self) -> dict[ReminderKind, Rule]:
        """The reminders the venue sends before a visit (``engine.reminders``)."""
        return rules_for(self.kind, self.settings or {})

    @property
    def quiet_hours(self) -> QuietHours:
        """Wall-clock hours in which no reminder goes out."""
        return quiet_hours_for(self.settings or {})

    @property
    def reminder_template(self) -> str:
        """The approved WhatsApp template reminders go as outside the 24-hour window."""
        return str((self.settings or {}).get("reminder_template", DEFAULT_TEMPLATE))

    @property
    def feedback_enabled(self) -> bool:
        """Whether guests are asked how their visit went (on unless the owner turns it off)."""
        return bool((self.settings or {}).get("feedback_enabled", True))

    @property
    def feedback_delay_minutes(self) -> int:
        """How long after the table's end or the check-out the guest is asked."""
        delay = (self.settings or {}).get("feedback_delay_minutes", DEFAULT_FEEDBACK_DELAY_MINUTES)
        return int(delay)

    @property
    def recommendations(self) -> dict[RecommendationKind, bool]:
        """Which kinds of recommendation the venue makes (each on until the owner turns it off)."""
        chosen = (self.settings or {}).get("recommendations") or {}
        return {kind: bool(chosen.get(kind.value, True)) for kind in RecommendationKind}

    def turn_minutes_for(self, party_size: int) -> int:
        """How long a table is kept for a party of this size."""
        if party_size >= self.large_party_size:
            return self.large_party_turn_minutes
        return self.turn_minutes

    def deposit_for(self, party_size: int, *, no_shows: int = 0) -> int:
        """Deposit due for a restaurant party, in minor units (0 means confirm directly): from
        large parties, and from any party of a guest with the venue's count of no-shows."""
        if self.deposit_min_party and party_size >= self.deposit_min_party:
            return self.deposit_per_person * party_size
        if self.no_show_deposit_due(no_shows):
            return self.deposit_per_person * party_size
        return 0

    def no_show_deposit_due(self, no_shows: int) -> bool:
        """Whether a guest with ``no_shows`` no-shows here must pay a deposit for a table."""
        return 0 < self.no_show_deposit_after <= no_shows
