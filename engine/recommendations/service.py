"""Recommendation services: rank the alternatives for a guest, record what was put to them,
and note what they took (with the revenue it brought)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from engine.availability.offers import Offer
from engine.bookings.models import Booking
from engine.recommendations.enums import Outcome, RecommendationKind
from engine.recommendations.features import (
    FEATURE_NAMES,
    Situation,
    candidate_of,
    feature_rows,
)
from engine.recommendations.models import Recommendation
from engine.recommendations.profile import guest_usual
from engine.recommendations.rankers import ranker_for
from engine.recommendations.ranking import rule_order
from engine.tenants.models import Venue

#: At most this many alternatives are offered: a chat message, not a catalogue.
MAX_ALTERNATIVES = 3


@dataclass(frozen=True)
class Ranked:
    """Offers best first, with the features of each and why the first came first."""

    offers: list[Offer]
    labels: list[str]
    rows: list[list[float]]
    method: str
    why: dict[str, float]


def rank_alternatives(
    session: Session,
    *,
    venue: Venue,
    guest_id: int,
    offers: Sequence[Offer],
    wanted: datetime,
    party: int,
    now: datetime,
) -> Ranked:
    """The MAX_ALTERNATIVES offers this guest is likeliest to take, by the business's ranker,
    or by today's rule (the search's order) until it has one."""
    usual = guest_usual(session, venue=venue, guest_id=guest_id, now=now)
    situation = Situation(wanted.astimezone(venue.tz), party, usual)
    candidates = [candidate_of(venue, offer) for offer in offers]
    rows = feature_rows(situation, candidates)
    ranker = ranker_for(session, business_id=venue.business_id, venue_kind=venue.kind.value)
    order = ranker.order(rows) if ranker else rule_order(rows)
    order = order[:MAX_ALTERNATIVES]
    why = ranker.why(rows[order[0]]) if ranker and rows else {}
    return Ranked(
        [offers[n] for n in order],
        [candidates[n].label for n in order],
        [rows[n] for n in order],
        "model" if ranker else "rule",
        why,
    )


def shown(candidates: Sequence[tuple[str, Sequence[float]]]) -> list[dict[str, Any]]:
    """Candidates as recorded: each label with its named features (none for a usual)."""
    return [
        {"label": label, "features": dict(zip(FEATURE_NAMES, row, strict=True)) if row else {}}
        for label, row in candidates
    ]


def record(
    session: Session,
    *,
    venue: Venue,
    guest_id: int,
    kind: RecommendationKind,
    method: str,
    candidates: list[dict[str, Any]],
    why: dict[str, float],
    now: datetime,
) -> int:
    """Note a recommendation put to the guest, its candidates as shown (``shown``); its id.

    One ``INSERT … RETURNING``: it is written on the turn the guest is waiting for.
    """
    values = {
        "business_id": venue.business_id,
        "venue_id": venue.id,
        "guest_id": guest_id,
        "kind": kind,
        "method": method,
        "offered_at": now,
        "candidates": candidates,
        "contributions": why,
        "outcome": Outcome.OFFERED,
        "revenue": 0,
        "currency": venue.currency,
    }
    statement = insert(Recommendation).values(values).returning(Recommendation.id)
    return int(session.execute(statement).scalar_one())


def accepted(
    session: Session, *, recommendation_id: int, chosen: int, booking: Booking, now: datetime
) -> None:
    """The guest took candidate ``chosen`` and it became ``booking``: note it, and its revenue
    (for an upgrade, only the upgrade counts as taken, and only the difference as revenue)."""
    recommendation = session.get(Recommendation, recommendation_id)
    if recommendation is None or recommendation.outcome != Outcome.OFFERED:
        return
    recommendation.chosen = chosen
    recommendation.decided_at = now
    recommendation.booking_id = booking.id
    if recommendation.kind == RecommendationKind.UPGRADE:
        # Taking the room asked for (the first) declines the upgrade; its revenue is the
        # difference the guest pays over what they asked for.
        asked = int(recommendation.candidates[0]["features"]["total"])
        taken = chosen > 0
        recommendation.outcome = Outcome.ACCEPTED if taken else Outcome.DECLINED
        recommendation.revenue = booking.amount - asked if taken else 0
        return
    recommendation.outcome = Outcome.ACCEPTED
    recommendation.revenue = booking.amount
