"""Imports every table so ``Base.metadata`` is complete (for alembic and test setup)."""

from engine.accounts.models import LoginSession, User
from engine.answers.models import VenueQuestion
from engine.bookings.models import Booking, BookingEvent, Claim
from engine.db import Base
from engine.feedback.models import Feedback
from engine.guests.models import Guest
from engine.inventory.models import Closure, OpeningHours, RateOverride, Room, RoomType, Table
from engine.messaging.models import InboundEvent, OutboxMessage, TranscriptEntry
from engine.payments.models import Payment, PaymentFlag, PaymentLink, Refund
from engine.recommendations.models import RankingModel, Recommendation
from engine.risk.models import RiskAssessment
from engine.tenants.models import Business, Venue
from engine.waitlist.models import WaitlistEntry

__all__ = [
    "Base",
    "Booking",
    "BookingEvent",
    "Business",
    "Claim",
    "Closure",
    "Feedback",
    "Guest",
    "InboundEvent",
    "LoginSession",
    "OpeningHours",
    "OutboxMessage",
    "Payment",
    "PaymentFlag",
    "PaymentLink",
    "RankingModel",
    "RateOverride",
    "Recommendation",
    "Refund",
    "RiskAssessment",
    "Room",
    "RoomType",
    "Table",
    "TranscriptEntry",
    "User",
    "Venue",
    "VenueQuestion",
    "WaitlistEntry",
]
