"""The hotel next door: when a hotel has no room for exactly the stay asked, another hotel of
the same business that has one is named, with its cheapest free room and how to book there.

The guest books at the sister hotel by writing to it (its messages and payment link come from
its own number), so this only finds the room; it never holds one. A sister hotel booked by the
same guest soon after counts as the recommendation taken. Nothing crosses businesses.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.availability.offers import RoomOffer
from engine.availability.requests import StayRequest
from engine.availability.service import search_availability
from engine.bookings.models import Booking
from engine.exceptions import BooklineError
from engine.recommendations.enums import Outcome, RecommendationKind
from engine.recommendations.models import Recommendation
from engine.recommendations.service import accepted
from engine.tenants.enums import VenueKind
from engine.tenants.models import Venue

#: A booking at the sister hotel this soon after the suggestion counts as taking it.
TAKEN_WITHIN = timedelta(days=3)


@dataclass(frozen=True)
class SisterStay:
    """A sister hotel and its cheapest room free for exactly the stay asked."""

    venue: Venue
    offer: RoomOffer


def sister_hotels(session: Session, *, venue: Venue) -> list[Venue]:
    """The business's other hotels a guest can write to (they have a number), oldest first."""
    query = select(Venue).where(
        Venue.business_id == venue.business_id,
        Venue.kind == VenueKind.HOTEL,
        Venue.id != venue.id,
        Venue.sms_number.is_not(None),
    )
    return list(session.scalars(query.order_by(Venue.id)))


def sister_stay(
    session: Session, *, venue: Venue, request: StayRequest, now: datetime
) -> SisterStay | None:
    """The cheapest room free for exactly ``request`` at another hotel of ``venue``'s business
    (the oldest hotel wins a tie), or None."""
    found: list[SisterStay] = []
    for sister in sister_hotels(session, venue=venue):
        try:
            offers = search_availability(session, venue=sister, request=request, now=now)
        except BooklineError:
            continue  # e.g. the party fits no room there
        rooms = [o for o in offers if isinstance(o, RoomOffer) and o.check_in == request.check_in]
        if rooms:
            cheapest = min(rooms, key=lambda offer: offer.total_amount)
            found.append(SisterStay(sister, cheapest))
    return min(found, key=lambda stay: stay.offer.total_amount) if found else None


def candidate(stay: SisterStay, label: str) -> dict[str, object]:
    """The suggestion as recorded: its label, and the sister hotel and total it named."""
    features = {"venue_id": float(stay.venue.id), "total": float(stay.offer.total_amount)}
    return {"label": f"{stay.venue.slug} {label}", "features": features}


def note_sister_booked(session: Session, *, booking: Booking, now: datetime) -> None:
    """``booking`` (at a hotel) was held: a sister-hotel suggestion naming that hotel, made to
    the same guest within TAKEN_WITHIN, was taken, and the booking is its revenue."""
    query = (
        select(Recommendation)
        .where(
            Recommendation.guest_id == booking.guest_id,
            Recommendation.kind == RecommendationKind.SISTER_VENUE,
            Recommendation.outcome == Outcome.OFFERED,
            Recommendation.offered_at > now - TAKEN_WITHIN,
        )
        .order_by(Recommendation.offered_at.desc(), Recommendation.id.desc())
    )
    for recommendation in session.scalars(query):
        named = (
            recommendation.candidates[0]["features"].get("venue_id")
            if recommendation.candidates
            else None
        )
        if named == float(booking.venue_id):
            accepted(
                session, recommendation_id=recommendation.id, chosen=0, booking=booking, now=now
            )
            return
