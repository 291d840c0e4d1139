"""Tables of the risk domain."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.bookings.models import Booking
from engine.db import Base, StrEnumType, UTCDateTime, utcnow
from engine.risk.enums import RiskDecision


class RiskAssessment(Base):
    """A hold's abuse score and why: each feature's contribution, for the owner to read."""

    __tablename__ = "risk_assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("bookings.id"), unique=True)
    venue_id: Mapped[int] = mapped_column(ForeignKey("venues.id"), index=True)
    guest_id: Mapped[int] = mapped_column(ForeignKey("guests.id"), index=True)
    score: Mapped[float]
    decision: Mapped[RiskDecision] = mapped_column(StrEnumType(RiskDecision, 20))
    #: "model" (trained on the venue's history) or "rules" (too little history).
    method: Mapped[str] = mapped_column(String(20))
    features: Mapped[dict[str, float]] = mapped_column(JSON, default=dict)
    contributions: Mapped[dict[str, float]] = mapped_column(JSON, default=dict)
    reviewed_by: Mapped[str | None] = mapped_column(String(120))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    booking: Mapped[Booking] = relationship()
