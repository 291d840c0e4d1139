"""What recommendations brought a venue: per kind, how often offered, taken, and the revenue
of the bookings they became; and each recent one with the features that drove it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.recommendations.enums import Outcome, RecommendationKind
from engine.recommendations.models import Recommendation
from engine.tenants.models import Venue

#: Features named in an explanation: the strongest few, by their share of the score.
WHY_FEATURES = 3


@dataclass(frozen=True)
class KindFigures:
    """One kind of recommendation over a range of dates."""

    kind: RecommendationKind
    enabled: bool
    offered: int
    accepted: int
    acceptance_rate: float | None
    revenue: int
    currency: str


@dataclass(frozen=True)
class Explained:
    """One recommendation as the owner reads it: what was offered, what was taken, and why."""

    id: int
    kind: RecommendationKind
    method: str
    offered_at: datetime
    offers: list[str]
    outcome: Outcome
    taken: str | None
    revenue: int
    why: dict[str, float]


def _midnight(venue: Venue, day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=venue.tz)


def figures(session: Session, *, venue: Venue, start: date, end: date) -> list[KindFigures]:
    """Every kind's figures for recommendations made on local dates ``start``..``end``."""
    rows = session.execute(
        select(
            Recommendation.kind,
            Recommendation.outcome,
            func.count(Recommendation.id),
            func.coalesce(func.sum(Recommendation.revenue), 0),
        )
        .where(
            Recommendation.venue_id == venue.id,
            Recommendation.offered_at >= _midnight(venue, start),
            Recommendation.offered_at < _midnight(venue, end + timedelta(days=1)),
        )
        .group_by(Recommendation.kind, Recommendation.outcome)
    )
    offered: dict[str, int] = {}
    taken: dict[str, int] = {}
    revenue: dict[str, int] = {}
    for kind, outcome, count, money in rows:
        key = RecommendationKind(kind).value
        offered[key] = offered.get(key, 0) + count
        if Outcome(outcome) == Outcome.ACCEPTED:
            taken[key] = count
            revenue[key] = int(money)
    return [
        KindFigures(
            kind=kind,
            enabled=on,
            offered=offered.get(kind.value, 0),
            accepted=taken.get(kind.value, 0),
            acceptance_rate=round(taken.get(kind.value, 0) / offered[kind.value], 3)
            if offered.get(kind.value)
            else None,
            revenue=revenue.get(kind.value, 0),
            currency=venue.currency,
        )
        for kind, on in venue.recommendations.items()
    ]


def recent(session: Session, *, venue: Venue, limit: int = 50) -> list[Explained]:
    """The venue's latest recommendations, newest first, each with its strongest reasons."""
    found = session.scalars(
        select(Recommendation)
        .where(Recommendation.venue_id == venue.id)
        .order_by(Recommendation.offered_at.desc(), Recommendation.id.desc())
        .limit(limit)
    )
    return [_explained(r) for r in found]


def _explained(recommendation: Recommendation) -> Explained:
    labels = [str(c.get("label", "")) for c in recommendation.candidates]
    chosen = recommendation.chosen
    strongest = sorted(recommendation.contributions.items(), key=lambda kv: -abs(kv[1]))
    return Explained(
        id=recommendation.id,
        kind=recommendation.kind,
        method=recommendation.method,
        offered_at=recommendation.offered_at,
        offers=labels,
        outcome=recommendation.outcome,
        taken=labels[chosen] if chosen is not None and chosen < len(labels) else None,
        revenue=recommendation.revenue,
        why=dict(strongest[:WHY_FEATURES]),
    )
