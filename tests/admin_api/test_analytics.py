"""Analytics against a small generated dataset whose answers are worked out by hand below."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from engine.availability.offers import TableOffer
from engine.bookings.enums import CancelledBy, Channel
from engine.bookings.service import cancel, confirm, place_hold
from engine.guests.service import get_or_create_guest
from engine.inventory.models import RoomType
from engine.messaging.enums import MessageChannel
from engine.messaging.service import add_transcript
from engine.tenants.models import Venue
from tests.admin_api.conftest import World, book_room, today


def _seat(session: Session, venue: Venue, day: date, at: time, party: int, phone: str) -> None:
    starts = datetime.combine(day, at, tzinfo=venue.tz).astimezone(UTC)
    now = starts - timedelta(days=1)
    guest = get_or_create_guest(session, business_id=venue.business_id, phone=phone)
    offer = TableOffer(venue.id, starts, starts.astimezone(venue.tz), party, 0, "INR", True)
    held = place_hold(session, offer=offer, guest=guest, channel=Channel.SMS, actor="t", now=now)
    confirm(session, booking=held, actor="t", now=now)


def _dataset(session: Session, world: World) -> date:
    """Three stays (one cancelled with a full refund), two seatings, two conversations.

    Returns D0, the first arrival; every booking was made 3 days (stays) / 1 day (seatings)
    before it starts.
    """
    hotel = session.get(Venue, world.ids["venue_id"])
    restaurant = session.get(Venue, world.ids["restaurant_id"])
    standard = session.get(RoomType, world.ids["room_type_id"])  # Standard, 3500.00 a night
    assert hotel and restaurant and standard
    d0 = today(hotel) + timedelta(days=20)
    book_room(session, hotel, standard, d0, 2, phone="+919800000101")
    gone = book_room(
        session,
        hotel,
        standard,
        d0 + timedelta(days=1),
        1,
        phone="+919800000102",
        channel=Channel.SMS,
    )
    cancel(session, booking=gone, by=CancelledBy.OWNER, actor="t", now=gone.created_at)
    book_room(
        session,
        hotel,
        standard,
        d0 + timedelta(days=3),
        3,
        phone="+919800000103",
        channel=Channel.PHONE,
    )
    _seat(session, restaurant, d0, time(19, 30), 4, "+919800000104")
    _seat(session, restaurant, d0, time(20, 0), 2, "+919800000105")
    talk = datetime.combine(d0 - timedelta(days=4), time(6), tzinfo=UTC)
    for phone in ("+919800000101", "+919800000102"):
        for text in ("hi", "a room please"):
            add_transcript(
                session,
                venue_id=hotel.id,
                channel=MessageChannel.WHATSAPP,
                guest_phone=phone,
                direction="in",
                text=text,
                now=talk,
            )
    session.commit()
    return d0


def test_hotel_figures_match_the_worked_answers(
    client: TestClient, world: World, sessions: sessionmaker[Session]
) -> None:
    with sessions() as session:
        d0 = _dataset(session, world)
    start, end = d0 - timedelta(days=5), d0 + timedelta(days=6)
    report = client.get(
        f"/api/v1/venues/{world.ids['venue_id']}/analytics",
        params={"start": start.isoformat(), "end": end.isoformat()},
        headers=world.headers["owner"],
    ).json()
    sold = {row["night"]: row["rooms_sold"] for row in report["occupancy"]}
    assert {n for n, v in sold.items() if v} == {
        (d0 + timedelta(days=n)).isoformat() for n in (0, 1, 3, 4, 5)
    }
    assert set(sold.values()) == {0, 1} and report["occupancy"][0]["rooms_total"] == 9
    assert report["revenue"] == {
        "paid": 700_000 + 350_000 + 1_050_000,
        "refunded": 350_000,
        "net": 1_750_000,
        "currency": "INR",
    }
    assert report["by_channel"] == {"whatsapp": 1, "sms": 1, "phone": 1}
    assert report["by_status"] == {"confirmed": 2, "cancelled": 1}
    assert report["funnel"] == {"conversations": 2, "holds": 3, "paid": 3, "completed": 0}
    assert report["lead_time"]["average_days"] == 3.0
    assert report["lead_time"]["buckets"]["3-7 days"] == 3
    assert report["cancellation_rate"] == 0.3333 and report["no_show_rate"] == 0.0
    assert report["covers"] == [] and report["by_hour"] == {}


def test_restaurant_covers_per_day_and_slot(
    client: TestClient, world: World, sessions: sessionmaker[Session]
) -> None:
    with sessions() as session:
        d0 = _dataset(session, world)
    report = client.get(
        f"/api/v1/venues/{world.ids['restaurant_id']}/analytics",
        params={"start": d0.isoformat(), "end": (d0 + timedelta(days=1)).isoformat()},
        headers=world.headers["owner"],
    ).json()
    assert report["covers"] == [
        {"day": d0.isoformat(), "covers": 6, "bookings": 2},
        {"day": (d0 + timedelta(days=1)).isoformat(), "covers": 0, "bookings": 0},
    ]
    assert report["covers_by_slot"] == {"19:30": 4, "20:00": 2}
    assert report["by_hour"] == {"19": 1, "20": 1}
    assert report["lead_time"]["buckets"]["1-2 days"] == 2
    assert report["occupancy"] == []


def test_a_reversed_or_huge_range_is_a_clear_422(client: TestClient, world: World) -> None:
    url = f"/api/v1/venues/{world.ids['venue_id']}/analytics"
    for start, end in (("2026-05-02", "2026-05-01"), ("2020-01-01", "2026-01-01")):
        answer = client.get(
            url, params={"start": start, "end": end}, headers=world.headers["owner"]
        )
        assert answer.status_code == 422 and "at most" in answer.json()["detail"]
