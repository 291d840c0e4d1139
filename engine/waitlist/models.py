"""Tables of the waitlist domain."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import Date, ForeignKey, String, Time
from sqlalchemy.orm import Mapped, mapped_column

from engine.db import Base, StrEnumType, UTCDateTime, utcnow
from engine.waitlist.enums import WaitlistStatus


class WaitlistEntry(Base):
    """What a guest wanted (a stay or a seating) and on which channel to tell them."""

    __tablename__ = "waitlist"

    id: Mapped[int] = mapped_column(primary_key=True)
    venue_id: Mapped[int] = mapped_column(ForeignKey("venues.id"), index=True)
    guest_id: Mapped[int] = mapped_column(ForeignKey("guests.id"), index=True)
    channel: Mapped[str] = mapped_column(String(20))
    party_size: Mapped[int]
    day: Mapped[date | None] = mapped_column(Date())
    at: Mapped[time | None] = mapped_column(Time())
    check_in: Mapped[date | None] = mapped_column(Date())
    check_out: Mapped[date | None] = mapped_column(Date())
    room_type_id: Mapped[int | None] = mapped_column(ForeignKey("room_types.id"))
    status: Mapped[WaitlistStatus] = mapped_column(
        StrEnumType(WaitlistStatus, 20), default=WaitlistStatus.WAITING, index=True
    )
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("bookings.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    offered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
