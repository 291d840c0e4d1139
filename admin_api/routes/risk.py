"""Holds the risk check sent to staff: see why, and approve (the payment link then goes out)."""

from __future__ import annotations

from fastapi import APIRouter

from admin_api.deps import StaffUser, Tx, actor, tenant
from admin_api.schemas.risk import Approved, RiskReview
from engine.bookings.service import get_booking
from engine.risk.service import approve_review, pending_reviews

router = APIRouter(tags=["risk"])


@router.get("/risk/reviews")
def reviews(principal: StaffUser, session: Tx) -> list[RiskReview]:
    """Holds waiting for approval, each with its score and feature contributions."""
    found = pending_reviews(session, business_id=tenant(principal))
    return [
        RiskReview(
            reference=row.booking.reference,
            venue_id=row.venue_id,
            score=row.score,
            method=row.method,
            features=row.features,
            contributions=row.contributions,
            created_at=row.created_at,
        )
        for row in found
    ]


@router.post("/bookings/{reference}/approve")
def approve(
    reference: str,
    principal: StaffUser,
    session: Tx,
) -> Approved:
    """Vouch for a hold under review; its payment link goes to the guest after the commit."""
    booking = get_booking(session, reference=reference, business_id=tenant(principal))
    row = approve_review(session, booking=booking, actor=actor(principal))
    return Approved(reference=booking.reference, outbox_id=row.id)
