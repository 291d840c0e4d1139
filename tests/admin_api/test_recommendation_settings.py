"""Recommendations in the owner API: each kind on or off per venue, and what each brought."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from admin_api.api import PREFIX
from engine.bookings.models import Booking
from engine.db import utcnow
from engine.recommendations.enums import Outcome, RecommendationKind
from engine.recommendations.models import Recommendation
from engine.tenants.models import Venue
from tests.admin_api.conftest import World, today

KINDS = {"usual", "alternatives", "cross_sell", "upgrade", "sister_venue"}


def test_every_kind_is_on_until_the_owner_turns_one_off(client: TestClient, world: World) -> None:
    url = f"{PREFIX}/venues/{world.ids['restaurant_id']}"
    shown = client.get(url, headers=world.headers["staff"]).json()["recommendations"]
    assert shown == dict.fromkeys(KINDS, True)
    changed = client.patch(
        url, json={"recommendations": {"usual": False}}, headers=world.headers["owner"]
    )
    assert changed.status_code == 200
    assert changed.json()["recommendations"] == {**dict.fromkeys(KINDS, True), "usual": False}
    again = client.patch(
        url, json={"recommendations": {"upgrade": False}}, headers=world.headers["owner"]
    )
    assert again.json()["recommendations"]["usual"] is False  # left out: stays as it was
    refused = client.patch(
        url, json={"recommendations": {"dessert": True}}, headers=world.headers["owner"]
    )
    assert refused.status_code == 422
    staff = client.patch(
        url, json={"recommendations": {"usual": True}}, headers=world.headers["staff"]
    )
    assert staff.status_code == 403


def _recommend(
    session: Session, venue: Venue, booking: Booking, kind: RecommendationKind, taken: bool
) -> None:
    session.add(
        Recommendation(
            business_id=venue.business_id,
            venue_id=venue.id,
            guest_id=booking.guest_id,
            kind=kind,
            method="model",
            offered_at=utcnow() - timedelta(hours=1),
            candidates=[{"label": "20:30", "features": {}}, {"label": "21:00", "features": {}}],
            contributions={"later": 1.5, "hours_away": -0.4, "rule_rank": 0.1, "weekend": 0.0},
            outcome=Outcome.ACCEPTED if taken else Outcome.OFFERED,
            chosen=1 if taken else None,
            booking_id=booking.id if taken else None,
            revenue=booking.amount if taken else 0,
            currency=venue.currency,
        )
    )


def test_analytics_count_offered_accepted_and_revenue_per_kind_and_explain_each(
    client: TestClient, world: World, sessions: sessionmaker[Session]
) -> None:
    with sessions.begin() as session:
        venue = session.get(Venue, world.ids["venue_id"])
        booking = session.query(Booking).filter_by(reference=world.ids["reference"]).one()
        assert venue is not None
        _recommend(session, venue, booking, RecommendationKind.ALTERNATIVES, taken=True)
        _recommend(session, venue, booking, RecommendationKind.ALTERNATIVES, taken=False)
        _recommend(session, venue, booking, RecommendationKind.USUAL, taken=False)
        amount, day = booking.amount, today(venue)
    report = client.get(
        f"{PREFIX}/venues/{world.ids['venue_id']}/analytics",
        params={"start": str(day - timedelta(days=1)), "end": str(day)},
        headers=world.headers["owner"],
    ).json()
    by_kind = {row["kind"]: row for row in report["recommendations"]}
    assert set(by_kind) == KINDS
    alternatives = by_kind["alternatives"]
    assert (alternatives["offered"], alternatives["accepted"]) == (2, 1)
    assert alternatives["acceptance_rate"] == 0.5 and alternatives["revenue"] == amount > 0
    assert (by_kind["usual"]["offered"], by_kind["usual"]["revenue"]) == (1, 0)
    assert by_kind["upgrade"]["acceptance_rate"] is None
    listed = client.get(
        f"{PREFIX}/venues/{world.ids['venue_id']}/recommendations",
        headers=world.headers["owner"],
    ).json()
    taken = next(r for r in listed if r["outcome"] == "accepted")
    assert taken["taken"] == "21:00" and taken["offers"] == ["20:30", "21:00"]
    assert list(taken["why"]) == ["later", "hours_away", "rule_rank"]
    other = client.get(
        f"{PREFIX}/venues/{world.ids['venue_id']}/recommendations",
        headers=world.headers["other"],
    )
    assert other.status_code == 404
