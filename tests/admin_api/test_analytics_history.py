"""Analytics against 90 days of generated demo history, with answers worked out from the plan.

``expected`` below is written from the definitions of the figures, in plain Python over the
plan's records: it never calls ``engine.analytics``. The engine report and the API answer must
both equal it, for the whole history, a week and single days.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from statistics import median
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from admin_api.auth.tokens import TokenService
from engine.accounts.models import User
from engine.analytics.service import venue_report
from engine.history.plan import HistoryPlan, PlannedBooking
from engine.history.service import seed_history
from engine.recommendations.enums import RecommendationKind
from engine.recommendations.models import Recommendation
from engine.seed import HOTEL_ROOMS, OWNER_EMAIL, seed_demo
from engine.tenants.enums import VenueKind
from engine.tenants.models import Venue
from infra.runtime import Runtime
from tests.admin_api.conftest import SECRET, mint
from tests.conftest import NOW

DAYS = 90
CHAT = {"sms", "whatsapp"}
KEPT = {"confirmed", "completed"}
LEAD_BUCKETS = (
    (31, "31+ days"),
    (8, "8-30 days"),
    (3, "3-7 days"),
    (1, "1-2 days"),
    (0, "same day"),
)


@dataclass
class History:
    plan: HistoryPlan
    venues: dict[str, Venue]
    headers: dict[str, str]


@pytest.fixture
def history(client: TestClient, sessions: sessionmaker[Session], runtime: Runtime) -> History:
    with sessions() as session:
        business = seed_demo(session)
        plan = seed_history(session, business=business, days=DAYS, now=NOW)
        session.commit()
        assert plan is not None
        owner = session.scalar(select(User).where(User.email == OWNER_EMAIL))
        assert owner is not None
        token = mint(session, TokenService(runtime.redis, SECRET), owner)
        session.commit()
        venues = {venue.slug: venue for venue in business.venues}
    return History(plan, venues, {"Authorization": f"Bearer {token}"})


# The worked answers -----------------------------------------------------------------------------


def _local_due(b: PlannedBooking, venue: Venue) -> date:
    if b.request.check_in is not None:
        return b.request.check_in
    assert b.request.starts_at is not None
    return b.request.starts_at.astimezone(venue.tz).date()


def _in(day: date, start: date, end: date) -> bool:
    return start <= day <= end


def expected(plan: HistoryPlan, venue: Venue, start: date, end: date) -> dict[str, Any]:
    """The report for ``venue`` and ``start``..``end`` as of NOW, from the plan alone, as JSON
    (less the ``as_of`` it echoes, checked on its own)."""
    mine = [b for b in plan.bookings if b.request.venue_id == venue.id]
    due = [b for b in mine if _in(_local_due(b, venue), start, end)]
    kept = [b for b in due if b.status.value in KEPT]
    confirmed = [b for b in due if b.ever_confirmed]
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    hotel = venue.kind == VenueKind.HOTEL
    paid = sum(b.life.amount_paid for b in due)
    refunded = sum(b.life.refund for b in due)
    return {
        "venue_id": venue.id,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "occupancy": _occupancy(mine, days) if hotel else [],
        "covers": [] if hotel else _covers(kept, venue, days),
        "covers_by_slot": {} if hotel else _by_slot(kept, venue),
        "revenue": {"paid": paid, "refunded": refunded, "net": paid - refunded, "currency": "INR"},
        "revenue_by_day": [
            {
                "day": day.isoformat(),
                "paid": sum(b.life.amount_paid for b in due if _local_due(b, venue) == day),
                "refunded": sum(b.life.refund for b in due if _local_due(b, venue) == day),
            }
            for day in days
        ],
        "by_channel": dict(Counter(b.life.channel.value for b in due)),
        "by_status": dict(Counter(b.status.value for b in due)),
        "funnel": _funnel(plan, mine, venue, start, end),
        "by_weekday": _count(_start(b, venue).weekday() for b in confirmed),
        "by_hour": {} if hotel else _count(_start(b, venue).hour for b in confirmed),
        "lead_time": _lead_time(confirmed, venue),
        "cancellation_rate": _share(confirmed, "cancelled"),
        "no_show_rate": _share(
            [b for b in confirmed if b.request.due_at <= NOW and b.status.value != "cancelled"],
            "no_show",
        ),
        # The generated history asks no guest how the visit went.
        "feedback": {
            "asked": 0,
            "rated": 0,
            "average_score": None,
            "by_score": {str(score): 0 for score in range(1, 6)},
        },
    }


def _occupancy(mine: list[PlannedBooking], days: list[date]) -> list[dict[str, Any]]:
    """Rooms taken each night by stays that kept them, whenever the stay arrived."""
    rooms = sum(len(numbers) for _, _, numbers in HOTEL_ROOMS.values())
    stays = [b for b in mine if b.status.value in KEPT]
    return [
        {
            "night": night.isoformat(),
            "rooms_sold": sum(
                1
                for b in stays
                if b.request.check_in and b.request.check_out
                if b.request.check_in <= night < b.request.check_out
            ),
            "rooms_total": rooms,
        }
        for night in days
    ]


def _covers(kept: list[PlannedBooking], venue: Venue, days: list[date]) -> list[dict[str, Any]]:
    return [
        {
            "day": day.isoformat(),
            "covers": sum(b.request.party_size for b in kept if _local_due(b, venue) == day),
            "bookings": sum(1 for b in kept if _local_due(b, venue) == day),
        }
        for day in days
    ]


def _start(b: PlannedBooking, venue: Venue) -> Any:
    return b.request.due_at.astimezone(venue.tz)


def _by_slot(kept: list[PlannedBooking], venue: Venue) -> dict[str, int]:
    slots: Counter[str] = Counter()
    for b in kept:
        slots[_start(b, venue).strftime("%H:%M")] += b.request.party_size
    return dict(sorted(slots.items()))


def _count(values: Any) -> dict[str, int]:
    return {str(key): n for key, n in Counter(values).items()}


def _funnel(
    plan: HistoryPlan, mine: list[PlannedBooking], venue: Venue, start: date, end: date
) -> dict[str, int]:
    """Guest-days of chat in the range; chat bookings made in it and how far they got."""
    talked = {
        (chat.channel.value, chat.guest_phone, line.at.astimezone(venue.tz).date())
        for chat in plan.conversations
        if chat.venue_id == venue.id
        for line in chat.lines
        if line.direction == "in" and _in(line.at.astimezone(venue.tz).date(), start, end)
    }
    made = [
        b
        for b in mine
        if b.life.channel.value in CHAT
        and _in(b.life.created_at.astimezone(venue.tz).date(), start, end)
    ]
    return {
        "conversations": len(talked),
        "holds": len(made),
        "paid": sum(b.ever_confirmed for b in made),
        "completed": sum(b.status.value == "completed" for b in made),
    }


def _lead_time(confirmed: list[PlannedBooking], venue: Venue) -> dict[str, Any]:
    leads = [
        (_local_due(b, venue) - b.life.created_at.astimezone(venue.tz).date()).days
        for b in confirmed
    ]
    buckets = {label: 0 for _, label in reversed(LEAD_BUCKETS)}
    for lead in leads:
        buckets[next(label for low, label in LEAD_BUCKETS if lead >= low)] += 1
    if not leads:
        return {"average_days": None, "median_days": None, "buckets": buckets}
    return {
        "average_days": round(sum(leads) / len(leads), 2),
        "median_days": float(median(leads)),
        "buckets": buckets,
    }


def _share(confirmed: list[PlannedBooking], status: str) -> float | None:
    if not confirmed:
        return None
    return round(sum(b.status.value == status for b in confirmed) / len(confirmed), 4)


# The checks -------------------------------------------------------------------------------------


def _ranges(venue: Venue) -> dict[str, tuple[date, date]]:
    today = NOW.astimezone(venue.tz).date()
    return {
        "whole history": (today - timedelta(days=DAYS), today + timedelta(days=14)),
        "one past week": (today - timedelta(days=30), today - timedelta(days=24)),
        "a past Saturday": (date(2026, 11, 21), date(2026, 11, 21)),
        "today": (today, today),
        "a coming day": (today + timedelta(days=2), today + timedelta(days=2)),
    }


def worked_recommendations(
    session: Session, venue: Venue, start: date, end: date
) -> list[dict[str, Any]]:
    """Each kind's offers, acceptances and revenue over the simulated guests' recommendations
    made on local dates ``start``..``end``, counted row by row."""
    rows = [
        r
        for r in session.scalars(select(Recommendation).where(Recommendation.venue_id == venue.id))
        if _in(r.offered_at.astimezone(venue.tz).date(), start, end)
    ]
    figures = []
    for kind in RecommendationKind:
        mine = [r for r in rows if r.kind == kind]
        taken = [r for r in mine if r.outcome == "accepted"]
        figures.append(
            {
                "kind": kind.value,
                "enabled": True,
                "offered": len(mine),
                "accepted": len(taken),
                "acceptance_rate": round(len(taken) / len(mine), 3) if mine else None,
                "revenue": sum(r.revenue for r in taken),
                "currency": "INR",
            }
        )
    return figures


def _engine_json(session: Session, venue: Venue, start: date, end: date) -> dict[str, Any]:
    report = venue_report(session, venue=venue, start=start, end=end, as_of=NOW)
    assert report.as_of == NOW
    figures = {name: value for name, value in asdict(report).items() if name != "as_of"}
    return json.loads(json.dumps(figures, default=str))  # type: ignore[no-any-return]


@pytest.mark.parametrize("slug", ["seaside-hotel", "spice-garden", "coast-kitchen"])
def test_engine_and_api_match_the_worked_answers(
    client: TestClient, history: History, sessions: sessionmaker[Session], slug: str
) -> None:
    venue = history.venues[slug]
    for name, (start, end) in _ranges(venue).items():
        want = expected(history.plan, venue, start, end)
        with sessions() as session:
            want["recommendations"] = worked_recommendations(session, venue, start, end)
            assert _engine_json(session, venue, start, end) == want, name
        answer = client.get(
            f"/api/v1/venues/{venue.id}/analytics",
            params={"start": start.isoformat(), "end": end.isoformat(), "as_of": NOW.isoformat()},
            headers=history.headers,
        )
        assert answer.status_code == 200, name
        report = answer.json()
        assert datetime.fromisoformat(report.pop("as_of")) == NOW
        assert report == want, name


def test_the_whole_history_exercises_every_figure(history: History) -> None:
    """Guards the check above against passing on empty figures."""
    for venue in history.venues.values():
        start, end = _ranges(venue)["whole history"]
        want = expected(history.plan, venue, start, end)
        assert want["revenue"]["paid"] > want["revenue"]["refunded"] > 0
        assert want["cancellation_rate"] > 0 and want["no_show_rate"] > 0
        assert want["funnel"]["conversations"] > want["funnel"]["holds"] > want["funnel"]["paid"]
        assert want["funnel"]["paid"] > want["funnel"]["completed"] > 0
        assert len(want["by_channel"]) == 4 and len(want["by_status"]) == 5
        assert sum(want["lead_time"]["buckets"].values()) > 100
    hotel = history.venues["seaside-hotel"]
    week = expected(history.plan, hotel, *_ranges(hotel)["one past week"])
    assert all(night["rooms_sold"] > 0 for night in week["occupancy"])
