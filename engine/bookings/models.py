"""Tables of the bookings domain.

A ``Claim`` is one resource-unit (a room-night or a table-slot) taken by a booking. The unique
constraint on ``(resource, unit)`` is what makes double booking impossible: two transactions
that race for the same unit cannot both commit, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.bookings.enums import Approval, BookingStatus, Channel
from engine.db import Base, StrEnumType, UTCDateTime, utcnow
from engine.feedback.models import Feedback
from engine.guests.models import Guest
from engine.tenants.models import Venue


class Booking(Base):
    """A guest's reservation, from hold to completion."""

    __tablename__ = "bookings"
    __table_args__ = (
        # The reminder sweep reads each venue's bookings starting within the next hours.
        Index("ix_bookings_venue_starts_at", "venue_id", "starts_at"),
        Index("ix_bookings_venue_check_in", "venue_id", "check_in"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(12), unique=True)
    venue_id: Mapped[int] = mapped_column(ForeignKey("venues.id"), index=True)
    guest_id: Mapped[int] = mapped_column(ForeignKey("guests.id"), index=True)
    status: Mapped[BookingStatus] = mapped_column(StrEnumType(BookingStatus, 20), index=True)
    channel: Mapped[Channel] = mapped_column(StrEnumType(Channel, 20))
    party_size: Mapped[int]
    # Hotels: the stay; restaurants: the seating in UTC. Starts are indexed: the attendance
    # sweep looks for the bookings due around now.
    room_type_id: Mapped[int | None] = mapped_column(ForeignKey("room_types.id"))
    check_in: Mapped[date | None] = mapped_column(Date(), index=True)
    check_out: Mapped[date | None] = mapped_column(Date())
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: Resource keys assigned to this booking ("room:3", "table:7"), kept after release.
    resources: Mapped[list[str]] = mapped_column(JSON, default=list)
    amount: Mapped[int] = mapped_column(default=0)
    amount_paid: Mapped[int] = mapped_column(default=0)
    currency: Mapped[str] = mapped_column(String(3))
    hold_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    #: When staff marked the guest arrived (seated / checked in); None until then.
    arrived_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: When the attendance sweep found the guest had not arrived by the end of the grace
    #: (it tells staff, and no-shows the booking where the venue opted in, once).
    not_arrived_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: A group above the venue's chat limits: staff accept or decline it (None for the rest).
    approval: Mapped[Approval | None] = mapped_column(StrEnumType(Approval, 20))
    #: When the guest answered a reminder that they are coming (cleared when the booking moves).
    guest_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    venue: Mapped[Venue] = relationship()
    guest: Mapped[Guest] = relationship()
    claims: Mapped[list[Claim]] = relationship(
        back_populates="booking", cascade="all, delete-orphan"
    )
    events: Mapped[list[BookingEvent]] = relationship(
        back_populates="booking", order_by="BookingEvent.id", cascade="all, delete-orphan"
    )
    #: The rooms of a stay of several rooms, in the order they were offered; empty for a stay
    #: of one room or a seating (see ``BookingRoom``).
    rooms: Mapped[list[BookingRoom]] = relationship(
        back_populates="booking", order_by="BookingRoom.id", cascade="all, delete-orphan"
    )
    #: What the guest said of the visit, once they were asked (None before).
    feedback: Mapped[Feedback | None] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def several_rooms(self) -> bool:
        """A stay of several rooms (its rooms in ``rooms``), told from the columns alone: only
        such a stay has no ``room_type_id``, so a stay of one room loads nothing to know."""
        return self.check_in is not None and self.room_type_id is None

    def hold_lapsed(self, now: datetime) -> bool:
        """True when this is an unpaid hold whose time is up."""
        return (
            self.status in (BookingStatus.HELD, BookingStatus.PENDING_PAYMENT)
            and self.hold_expires_at is not None
            and self.hold_expires_at <= now
        )


class Claim(Base):
    """One resource-unit taken by a booking; at most one claim per unit, ever."""

    __tablename__ = "claims"
    __table_args__ = (UniqueConstraint("resource", "unit"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(
        ForeignKey("bookings.id", ondelete="CASCADE"), index=True
    )
    venue_id: Mapped[int] = mapped_column(ForeignKey("venues.id"), index=True)
    resource: Mapped[str] = mapped_column(String(40))
    #: ISO night date for rooms ("2026-12-24"), UTC slot start for tables ("2026-12-24T14:30Z").
    unit: Mapped[str] = mapped_column(String(20))

    booking: Mapped[Booking] = relationship(back_populates="claims")


class BookingRoom(Base):
    """One room of a stay booked with others under one reference (a family's two rooms).

    A stay of one room keeps its room on the booking itself (``room_type_id``, ``resources``,
    ``party_size``, ``amount``) and has no row here, so the single-room hold stays one
    statement. A stay of several rooms has one row per room: its type, the room held, the
    guests it sleeps and its share of the price; the booking's columns are the totals (its
    ``room_type_id`` is None). A room cancelled on its own keeps its row, with
    ``cancelled_at`` set, as the record of what was given back.
    """

    __tablename__ = "booking_rooms"

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(
        ForeignKey("bookings.id", ondelete="CASCADE"), index=True
    )
    room_type_id: Mapped[int] = mapped_column(ForeignKey("room_types.id"))
    #: The room held ("room:3"); a late payment may re-claim another room of the type.
    resource: Mapped[str] = mapped_column(String(40))
    guests: Mapped[int]
    amount: Mapped[int]
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    booking: Mapped[Booking] = relationship(back_populates="rooms")


class BookingEvent(Base):
    """Audit trail: every status change (and notable edit) with who or what caused it."""

    __tablename__ = "booking_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(
        ForeignKey("bookings.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(120))
    reason: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)

    booking: Mapped[Booking] = relationship(back_populates="events")
