"""The venue next door: a table at the business's restaurant on a hotel guest's arrival evening,
offered to the guests likeliest to take it.

Who is likely is learnt by collaborative filtering over the business's own guests × (venue,
time of day) visits: a guest is scored by how many of the guests who visit the business as they
do also dine at the restaurant in the evening (user-based nearest neighbours, cosine
similarity over every other column). A guest who already dines there scores 1. Until the
business has enough such neighbours, the rule offers the table to every hotel guest. Nothing
crosses businesses: the matrix holds one business's guests and venues only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.availability.offers import TableOffer
from engine.availability.requests import TableRequest
from engine.availability.restaurant import search_tables
from engine.bookings.enums import BookingStatus
from engine.bookings.models import Booking
from engine.exceptions import BooklineError
from engine.recommendations.enums import RecommendationKind
from engine.recommendations.models import Recommendation
from engine.recommendations.profile import VISITED
from engine.tenants.enums import VenueKind
from engine.tenants.models import Venue

#: Neighbours a score is averaged over, and how many it needs before it is trusted.
NEIGHBOURS = 25
MIN_NEIGHBOURS = 10
#: The learnt likelihood from which the table is offered.
OFFER_AT = 0.25
#: Local hour from which a seating counts as dinner.
EVENING_FROM = 17
DINNER_AT = time(20, 0)
#: A guest offered the venue next door is not offered it again within this long.
ONCE_PER = timedelta(days=1)

Column = tuple[int, str]


@dataclass(frozen=True)
class Likelihood:
    """How likely the guest is to take the table, how it was worked out, and why."""

    value: float
    method: str
    why: dict[str, float]

    @property
    def offer(self) -> bool:
        """Whether the table is offered: always by the rule, from OFFER_AT when learnt."""
        return self.method == "rule" or self.value >= OFFER_AT


def _part(venue: Venue, starts_at: datetime | None) -> str:
    if venue.kind == VenueKind.HOTEL or starts_at is None:
        return "stay"
    return "dinner" if starts_at.astimezone(venue.tz).hour >= EVENING_FROM else "lunch"


@dataclass(frozen=True)
class Visits:
    """One business's guests × (venue id, part of day) columns, 1 where the guest came."""

    guests: list[int]
    columns: list[Column]
    matrix: np.ndarray


def visits_matrix(session: Session, *, business_id: int) -> Visits:
    """Who of the business's guests came to which of its venues, at which part of the day."""
    venues = {
        v.id: v for v in session.scalars(select(Venue).where(Venue.business_id == business_id))
    }
    rows = session.execute(
        select(Booking.guest_id, Booking.venue_id, Booking.starts_at)
        .where(Booking.venue_id.in_(list(venues)), Booking.status.in_(VISITED))
        .distinct()
    )
    seen = {(guest, (venue_id, _part(venues[venue_id], start))) for guest, venue_id, start in rows}
    guests = sorted({guest for guest, _ in seen})
    columns = sorted({column for _, column in seen})
    matrix = np.zeros((len(guests), len(columns)))
    guest_at = {g: n for n, g in enumerate(guests)}
    column_at = {c: n for n, c in enumerate(columns)}
    for guest, column in seen:
        matrix[guest_at[guest], column_at[column]] = 1.0
    return Visits(guests, columns, matrix)


def likelihood(visits: Visits, *, guest_id: int, restaurant: Venue, hotel: Venue) -> Likelihood:
    """How likely ``guest_id`` is to dine at ``restaurant`` in the evening of a stay."""
    guests, columns, matrix = visits.guests, visits.columns, visits.matrix
    target: Column = (restaurant.id, "dinner")
    if target not in columns:
        return Likelihood(0.0, "rule", {"guests_who_dined": 0.0})
    t = columns.index(target)
    if guest_id in guests and matrix[guests.index(guest_id), t]:
        return Likelihood(1.0, "cf", {"own_dinners": 1.0})
    row = guests.index(guest_id) if guest_id in guests else None
    mine = matrix[row].copy() if row is not None else np.zeros(len(columns))
    if (hotel.id, "stay") in columns:
        mine[columns.index((hotel.id, "stay"))] = 1.0  # the stay being confirmed counts
    others = matrix if row is None else np.delete(matrix, row, axis=0)
    return _neighbours(mine, others, t)


def _neighbours(mine: np.ndarray, others: np.ndarray, t: int) -> Likelihood:
    """The similarity-weighted share of the nearest guests who dine at column ``t``."""
    keep = np.arange(len(mine)) != t
    x, me = others[:, keep], mine[keep]
    norms = np.linalg.norm(x, axis=1) * (np.linalg.norm(me) or 1.0)
    similarity = np.divide(x @ me, norms, out=np.zeros(len(x)), where=norms > 0)
    nearest = np.argsort(-similarity)[:NEIGHBOURS]
    nearest = nearest[similarity[nearest] > 0]
    if len(nearest) < MIN_NEIGHBOURS:
        return Likelihood(0.0, "rule", {"similar_guests": float(len(nearest))})
    weights = similarity[nearest]
    value = float(weights @ others[nearest, t] / weights.sum())
    why = {"similar_guests": float(len(nearest)), "similar_guests_who_dined": round(value, 3)}
    return Likelihood(value, "cf", why)


def restaurants_of(session: Session, *, business_id: int) -> list[Venue]:
    """The business's restaurants, oldest first."""
    query = select(Venue).where(
        Venue.business_id == business_id, Venue.kind == VenueKind.RESTAURANT
    )
    return list(session.scalars(query.order_by(Venue.id)))


def offered_lately(session: Session, *, guest_id: int, now: datetime) -> bool:
    """True when the guest was offered the venue next door within ONCE_PER."""
    query = select(func.count(Recommendation.id)).where(
        Recommendation.guest_id == guest_id,
        Recommendation.kind == RecommendationKind.CROSS_SELL,
        Recommendation.offered_at > now - ONCE_PER,
    )
    return bool(session.scalar(query))


def dines_that_day(session: Session, *, guest_id: int, restaurant: Venue, day: date) -> bool:
    """True when the guest already has a table at ``restaurant`` on ``day`` (local)."""
    start = datetime.combine(day, time(0), tzinfo=restaurant.tz)
    query = select(func.count(Booking.id)).where(
        Booking.guest_id == guest_id,
        Booking.venue_id == restaurant.id,
        Booking.status.in_((*VISITED, BookingStatus.HELD, BookingStatus.PENDING_PAYMENT)),
        Booking.starts_at >= start,
        Booking.starts_at < start + timedelta(days=1),
    )
    return bool(session.scalar(query))


def arrival_table(
    session: Session, *, restaurant: Venue, day: date, at: time, party: int, now: datetime
) -> TableOffer | None:
    """The free seating nearest ``at`` on ``day`` for the party, or None."""
    try:
        offers = search_tables(session, restaurant, TableRequest(day, at, party), now=now)
    except BooklineError:
        return None
    same_day = [offer for offer in offers if offer.local_start.date() == day]
    return same_day[0] if same_day else None
