"""Risk services: the hold rate per guest, score a hold before its payment link, approve.

The rate (MAX_HOLDS_PER_HOUR) is checked by ``place_hold`` itself, in the hold's statement on
PostgreSQL: the bot passes it as ``holds_per_hour``.

A hold scored above REVIEW_AT waits for staff approval (no link goes out); above DECLINE_AT it
is released at once and the guest is declined politely. Every score is stored with its
feature contributions so the owner can see why.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.bookings.enums import BookingStatus, CancelledBy
from engine.bookings.models import Booking
from engine.bookings.service import cancel
from engine.db import utcnow
from engine.messaging.models import OutboxMessage
from engine.payments.service import request_link
from engine.risk.enums import RiskDecision
from engine.risk.exceptions import NotUnderReviewError
from engine.risk.features import (
    PastHold,
    features_of,
    typical_party,
    venue_history,
    venue_no_shows,
)
from engine.risk.fitted import MODELS
from engine.risk.models import RiskAssessment
from engine.risk.scoring import Score, rule_score
from engine.tenants.models import Venue

#: The bot's hold rate: ``place_hold``'s ``holds_per_hour`` for a guest's own holds.
MAX_HOLDS_PER_HOUR = 5
REVIEW_AT = 0.5
DECLINE_AT = 0.8
RISK_ACTOR = "system:risk"


def decide(score: float) -> RiskDecision:
    """The decision a score leads to."""
    if score >= DECLINE_AT:
        return RiskDecision.DECLINE
    return RiskDecision.REVIEW if score >= REVIEW_AT else RiskDecision.ALLOW


def score_hold(session: Session, *, booking: Booking) -> tuple[dict[str, float], Score]:
    """The hold's features and score, by the venue's model (refitted only as history moves on)."""
    history = [
        h for h in venue_history(session, venue_id=booking.venue_id) if h.booking_id != booking.id
    ]
    this = PastHold(
        booking.id,
        booking.guest_id,
        booking.created_at,
        booking.party_size,
        booking.status,
        booking.amount_paid,
        booking.guest.created_at,
    )
    earlier = [
        h for h in history if h.guest_id == booking.guest_id and h.created_at <= booking.created_at
    ]
    no_shows = venue_no_shows(session, venue_id=booking.venue_id)
    guest_no_shows = no_shows.get(booking.guest_id, [])
    features = features_of(this, earlier, typical_party(history), guest_no_shows)
    model = MODELS.model(booking.venue_id, history, no_shows)
    return features.as_dict(), model.score(features) if model else rule_score(features)


def assess_hold(
    session: Session, *, booking: Booking, now: datetime | None = None
) -> RiskAssessment:
    """Score a hold once, before its payment link; a decline releases its inventory."""
    existing = session.scalar(select(RiskAssessment).where(RiskAssessment.booking_id == booking.id))
    if existing is not None:
        return existing
    features, score = score_hold(session, booking=booking)
    assessment = RiskAssessment(
        booking_id=booking.id,
        venue_id=booking.venue_id,
        guest_id=booking.guest_id,
        score=round(score.value, 4),
        decision=decide(score.value),
        method=score.method,
        features=features,
        contributions=score.contributions,
        created_at=now or utcnow(),
    )
    session.add(assessment)
    if assessment.decision == RiskDecision.DECLINE:
        cancel(
            session,
            booking=booking,
            by=CancelledBy.OWNER,
            actor=RISK_ACTOR,
            reason="declined by the risk check",
            now=now,
        )
    return assessment


def approve_review(
    session: Session, *, booking: Booking, actor: str, now: datetime | None = None
) -> OutboxMessage:
    """Staff vouch for a hold under review: the payment link goes out to the guest."""
    now = now or utcnow()
    assessment = session.scalar(
        select(RiskAssessment).where(RiskAssessment.booking_id == booking.id)
    )
    waiting = assessment is not None and assessment.decision == RiskDecision.REVIEW
    if assessment is None or not waiting or booking.status != BookingStatus.HELD:
        raise NotUnderReviewError("That booking is not waiting for staff approval.")
    assessment.reviewed_by, assessment.reviewed_at = actor, now
    return request_link(session, booking=booking, actor=actor, now=now)


def pending_reviews(session: Session, *, business_id: int) -> list[RiskAssessment]:
    """Holds of the business waiting for staff approval, oldest first, with why they scored."""
    return list(
        session.scalars(
            select(RiskAssessment)
            .join(Booking, Booking.id == RiskAssessment.booking_id)
            .join(Venue, Venue.id == Booking.venue_id)
            .where(
                Venue.business_id == business_id,
                RiskAssessment.decision == RiskDecision.REVIEW,
                RiskAssessment.reviewed_at.is_(None),
                Booking.status == BookingStatus.HELD,
            )
            .order_by(RiskAssessment.id)
        )
    )
