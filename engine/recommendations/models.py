"""Tables of the recommendations domain: what was offered and taken, and the fitted rankers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from engine.db import Base, StrEnumType, UTCDateTime, utcnow
from engine.recommendations.enums import Outcome, RecommendationKind


class Recommendation(Base):
    """One recommendation put to a guest, with the features of each candidate it weighed.

    This is both the owner's record (offered, accepted, the revenue it brought, the features
    that drove it) and the ranking model's training data (``candidates`` in the order shown,
    ``chosen`` the index the guest took). Rows belong to one business: nothing learned from
    them is used for another.
    """

    __tablename__ = "recommendations"
    __table_args__ = (Index("ix_recommendations_business_kind", "business_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    business_id: Mapped[int] = mapped_column(ForeignKey("businesses.id"))
    venue_id: Mapped[int] = mapped_column(ForeignKey("venues.id"), index=True)
    guest_id: Mapped[int] = mapped_column(ForeignKey("guests.id"), index=True)
    kind: Mapped[RecommendationKind] = mapped_column(StrEnumType(RecommendationKind, 20))
    #: "model", "rule" or "usual": what put the first candidate first.
    method: Mapped[str] = mapped_column(String(20))
    offered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: Each candidate as shown: {"label": ..., "features": {name: value}}.
    candidates: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    #: Per feature, its share of the first candidate's score (log-odds; the owner's "why").
    contributions: Mapped[dict[str, float]] = mapped_column(JSON, default=dict)
    outcome: Mapped[Outcome] = mapped_column(StrEnumType(Outcome, 20), default=Outcome.OFFERED)
    chosen: Mapped[int | None] = mapped_column()
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("bookings.id", ondelete="SET NULL"))
    revenue: Mapped[int] = mapped_column(default=0)
    currency: Mapped[str] = mapped_column(String(3))


class RankingModel(Base):
    """A business's fitted ranker for one kind of venue: plain numbers, scored with numpy."""

    __tablename__ = "ranking_models"
    __table_args__ = (UniqueConstraint("business_id", "venue_kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    business_id: Mapped[int] = mapped_column(ForeignKey("businesses.id"))
    #: "hotel" or "restaurant": their offers differ, so each has its own model.
    venue_kind: Mapped[str] = mapped_column(String(20))
    mean: Mapped[list[float]] = mapped_column(JSON)
    scale: Mapped[list[float]] = mapped_column(JSON)
    weights: Mapped[list[float]] = mapped_column(JSON)
    intercept: Mapped[float]
    #: How many recommendations (and how many taken) it learnt from.
    cases: Mapped[int]
    accepted: Mapped[int]
    trained_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
