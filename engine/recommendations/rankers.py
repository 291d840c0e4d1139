"""Fitting, storing and loading each business's rankers.

A fitted ranker is a row of plain numbers (``RankingModel``), so the CLI's ``recommend train``
and a worker's refit in the maintenance sweep store it once and every process scores with it.
It is read (one indexed row) only by a turn that ranks alternatives, so no process can score
with a ranker the database no longer holds. Only the business's own recommendations are
read: nothing learnt crosses businesses.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from engine.recommendations.enums import Outcome, RecommendationKind
from engine.recommendations.features import FEATURE_NAMES
from engine.recommendations.models import RankingModel, Recommendation
from engine.recommendations.ranking import Episode, Ranker
from engine.tenants.enums import VenueKind
from engine.tenants.models import Venue

#: Refit once this many more recommendations were made since the last fit.
REFIT_EVERY = 50
#: A recommendation nobody answered within this long was passed over (declined).
UNANSWERED_AFTER = timedelta(minutes=30)
HISTORY_LIMIT = 5000


def episodes(
    session: Session, *, business_id: int, venue_kind: str, now: datetime
) -> list[Episode]:
    """The business's ranked recommendations at venues of ``venue_kind``, oldest first."""
    venues = select(Venue.id).where(Venue.business_id == business_id, Venue.kind == venue_kind)
    rows = session.execute(
        select(
            Recommendation.offered_at,
            Recommendation.candidates,
            Recommendation.chosen,
            Recommendation.outcome,
        )
        .where(
            Recommendation.business_id == business_id,
            Recommendation.venue_id.in_(venues),
            Recommendation.kind == RecommendationKind.ALTERNATIVES,
            Recommendation.offered_at < now - UNANSWERED_AFTER,
        )
        .order_by(Recommendation.offered_at.desc())
        .limit(HISTORY_LIMIT)
    )
    found = []
    for offered_at, candidates, chosen, outcome in rows:
        matrix = [[float(c["features"][name]) for name in FEATURE_NAMES] for c in candidates]
        taken = chosen if outcome == Outcome.ACCEPTED else None
        found.append(Episode(offered_at, matrix, taken))
    return found[::-1]


def train(
    session: Session, *, business_id: int, venue_kind: str, now: datetime
) -> RankingModel | None:
    """Fit the ranker on the business's history and store it; None (and nothing stored) while
    there is too little to learn from."""
    history = episodes(session, business_id=business_id, venue_kind=venue_kind, now=now)
    ranker = Ranker.fit(history)
    if ranker is None:
        return None
    stored = session.scalar(
        select(RankingModel).where(
            RankingModel.business_id == business_id, RankingModel.venue_kind == venue_kind
        )
    )
    if stored is None:
        stored = RankingModel(business_id=business_id, venue_kind=venue_kind)
        session.add(stored)
    stored.mean, stored.scale = list(ranker.mean), list(ranker.scale)
    stored.weights, stored.intercept = list(ranker.weights), ranker.intercept
    stored.cases = len(history)
    stored.accepted = sum(e.chosen is not None for e in history)
    stored.trained_at = now
    return stored


def due_for_refit(session: Session, *, business_id: int, venue_kind: str) -> bool:
    """True once REFIT_EVERY recommendations were made since the stored fit (or, with none
    stored, once there are that many at all)."""
    stored = session.scalar(
        select(RankingModel.trained_at).where(
            RankingModel.business_id == business_id, RankingModel.venue_kind == venue_kind
        )
    )
    query = select(func.count(Recommendation.id)).where(
        Recommendation.business_id == business_id,
        Recommendation.kind == RecommendationKind.ALTERNATIVES,
    )
    if stored is not None:
        query = query.where(Recommendation.offered_at > stored)
    return (session.scalar(query) or 0) >= REFIT_EVERY


#: A business's ranker for a kind of venue, as plain columns (built once: read on turns).
_RANKER = select(
    RankingModel.mean, RankingModel.scale, RankingModel.weights, RankingModel.intercept
).where(
    RankingModel.business_id == bindparam("business_id"),
    RankingModel.venue_kind == bindparam("venue_kind"),
)


def ranker_for(session: Session, *, business_id: int, venue_kind: str) -> Ranker | None:
    """The business's stored ranker for venues of ``venue_kind`` (None: the rule ranks)."""
    params = {"business_id": business_id, "venue_kind": venue_kind}
    row = session.execute(_RANKER, params).first()
    if row is None:
        return None
    mean, scale, weights, intercept = row
    return Ranker(tuple(mean), tuple(scale), tuple(weights), intercept)


def refit_due(session: Session, *, now: datetime) -> int:
    """Refit every business's ranker whose history grew by REFIT_EVERY since its last fit
    (the maintenance sweep calls this, as history grows); how many were refitted."""
    pairs = session.execute(
        select(Recommendation.business_id, Venue.kind)
        .join(Venue, Venue.id == Recommendation.venue_id)
        .where(Recommendation.kind == RecommendationKind.ALTERNATIVES)
        .distinct()
    )
    due = [
        (business_id, VenueKind(kind).value)
        for business_id, kind in list(pairs)
        if due_for_refit(session, business_id=business_id, venue_kind=VenueKind(kind).value)
    ]
    fitted = [train(session, business_id=b, venue_kind=k, now=now) for b, k in due]
    return sum(model is not None for model in fitted)
