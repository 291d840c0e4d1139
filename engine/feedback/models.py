"""Tables of the feedback domain."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column

from engine.db import Base, UTCDateTime


class Feedback(Base):
    """What a guest said of one visit: asked once per booking, then a score and a comment.

    The row exists from the moment the question is queued: its key (the booking) is what
    makes the question go out once, however many sweeps run at the same time.
    """

    __tablename__ = "feedback"

    booking_id: Mapped[int] = mapped_column(
        ForeignKey("bookings.id", ondelete="CASCADE"), primary_key=True
    )
    venue_id: Mapped[int] = mapped_column(ForeignKey("venues.id"), index=True)
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: 1 (poor) to 5 (excellent); None until the guest answers.
    score: Mapped[int | None]
    comment: Mapped[str] = mapped_column(Text, default="")
    #: When the score came in.
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
