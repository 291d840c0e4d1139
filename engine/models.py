"""Imports every table so ``Base.metadata`` is complete (for alembic and test setup)."""

from engine.accounts.models import User
from engine.bookings.models import Booking, BookingEvent, Claim
from engine.db import Base
from engine.guests.models import Guest
from engine.inventory.models import Closure, OpeningHours, RateOverride, Room, RoomType, Table
from engine.tenants.models import Business, Venue

__all__ = [
    "Base",
    "Booking",
    "BookingEvent",
    "Business",
    "Claim",
    "Closure",
    "Guest",
    "OpeningHours",
    "RateOverride",
    "Room",
    "RoomType",
    "Table",
    "User",
    "Venue",
]
