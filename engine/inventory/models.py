"""Tables of the inventory domain."""

from __future__ import annotations

from datetime import date, time

from sqlalchemy import Date, ForeignKey, String, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.db import Base


class RoomType(Base):
    """A sellable kind of room with its capacity and base nightly rate (minor units)."""

    __tablename__ = "room_types"
    __table_args__ = (UniqueConstraint("venue_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    venue_id: Mapped[int] = mapped_column(ForeignKey("venues.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    capacity: Mapped[int]
    nightly_rate: Mapped[int]
    description: Mapped[str] = mapped_column(String(500), default="")

    rooms: Mapped[list[Room]] = relationship(back_populates="room_type", order_by="Room.number")
    rate_overrides: Mapped[list[RateOverride]] = relationship(back_populates="room_type")


class RateOverride(Base):
    """A nightly rate that replaces the base rate on one date (seasons, events)."""

    __tablename__ = "rate_overrides"
    __table_args__ = (UniqueConstraint("room_type_id", "night"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    room_type_id: Mapped[int] = mapped_column(ForeignKey("room_types.id"), index=True)
    night: Mapped[date] = mapped_column(Date())
    nightly_rate: Mapped[int]

    room_type: Mapped[RoomType] = relationship(back_populates="rate_overrides")


class Room(Base):
    """One physical room; claims are taken per room-night."""

    __tablename__ = "rooms"
    __table_args__ = (UniqueConstraint("room_type_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    room_type_id: Mapped[int] = mapped_column(ForeignKey("room_types.id"), index=True)
    number: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(default=True)

    room_type: Mapped[RoomType] = relationship(back_populates="rooms")

    @property
    def resource(self) -> str:
        """The claim resource key of this room."""
        return f"room:{self.id}"


class Table(Base):
    """A restaurant table; tables sharing a ``combine_group`` can be joined for big parties."""

    __tablename__ = "tables"
    __table_args__ = (UniqueConstraint("venue_id", "label"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    venue_id: Mapped[int] = mapped_column(ForeignKey("venues.id"), index=True)
    label: Mapped[str] = mapped_column(String(20))
    seats: Mapped[int]
    combine_group: Mapped[str | None] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(default=True)

    @property
    def resource(self) -> str:
        """The claim resource key of this table."""
        return f"table:{self.id}"


class OpeningHours(Base):
    """One service window on a weekday (0 = Monday), in the venue's local wall time."""

    __tablename__ = "opening_hours"

    id: Mapped[int] = mapped_column(primary_key=True)
    venue_id: Mapped[int] = mapped_column(ForeignKey("venues.id"), index=True)
    weekday: Mapped[int]
    opens: Mapped[time] = mapped_column(Time())
    closes: Mapped[time] = mapped_column(Time())


class Closure(Base):
    """A whole local date on which the venue takes no bookings."""

    __tablename__ = "closures"
    __table_args__ = (UniqueConstraint("venue_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    venue_id: Mapped[int] = mapped_column(ForeignKey("venues.id"), index=True)
    day: Mapped[date] = mapped_column(Date())
    reason: Mapped[str] = mapped_column(String(200), default="")
