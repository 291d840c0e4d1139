"""Analytics against a small generated dataset whose answers are worked out by hand below."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from engine.bookings.enums import CancelledBy, Channel
from engine.bookings.service import cancel
from engine.inventory.models import RoomType
from engine.messaging.enums import MessageChannel
from engine.messaging.service import add_transcript
from engine.tenants.models import Venue
from tests.admin_api.conftest import World, book_room, book_table, today


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
    book_table(session, restaurant, d0, time(19, 30), 4, "+919800000104")
    book_table(session, restaurant, d0, time(20, 0), 2, "+919800000105")
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
    # The phone booking never was a conversation: the funnel follows chat bookings only.
    assert report["funnel"] == {"conversations": 2, "holds": 2, "paid": 2, "completed": 0}
    assert report["lead_time"]["average_days"] == 3.0
    assert report["lead_time"]["buckets"]["3-7 days"] == 3
    assert report["cancellation_rate"] == 0.3333
    # Every stay is still to come: none can have been a no-show yet, so there is no rate.
    assert report["no_show_rate"] is None
    assert report["covers"] == [] and report["by_hour"] == {}
    after = datetime.combine(end, time(), tzinfo=UTC).isoformat()
    later = client.get(
        f"/api/v1/venues/{world.ids['venue_id']}/analytics",
        params={"start": start.isoformat(), "end": end.isoformat(), "as_of": after},
        headers=world.headers["owner"],
    ).json()
    assert later["no_show_rate"] == 0.0 and later["as_of"] == after.replace("+00:00", "Z")


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


def _report(client: TestClient, world: World, venue_key: str, start: date, end: date) -> Any:
    return client.get(
        f"/api/v1/venues/{world.ids[venue_key]}/analytics",
        params={"start": start.isoformat(), "end": end.isoformat()},
        headers=world.headers["owner"],
    ).json()


def test_a_stay_that_arrived_before_the_range_still_fills_its_nights(
    client: TestClient, world: World, sessions: sessionmaker[Session]
) -> None:
    with sessions() as session:
        hotel = session.get(Venue, world.ids["venue_id"])
        standard = session.get(RoomType, world.ids["room_type_id"])
        assert hotel and standard
        d0 = today(hotel) + timedelta(days=20)
        book_room(session, hotel, standard, d0, 3)  # nights d0, d0+1, d0+2
        session.commit()
    middle = d0 + timedelta(days=1)
    report = _report(client, world, "venue_id", middle, middle)
    assert report["occupancy"] == [{"night": middle.isoformat(), "rooms_sold": 1, "rooms_total": 9}]
    assert report["revenue"]["paid"] == 0  # money counts on the arrival date, outside the range
    checkout = _report(client, world, "venue_id", d0 + timedelta(days=3), d0 + timedelta(days=3))
    assert checkout["occupancy"][0]["rooms_sold"] == 0


def _chat(session: Session, venue: Venue, phone: str, at: datetime) -> None:
    add_transcript(
        session,
        venue_id=venue.id,
        channel=MessageChannel.WHATSAPP,
        guest_phone=phone,
        direction="in",
        text="a room please",
        now=at,
    )


def test_the_funnel_counts_chats_per_guest_day_in_the_venues_zone(
    client: TestClient, world: World, sessions: sessionmaker[Session]
) -> None:
    """Guest A chats and books on days X and X+1; B writes at 23:30 on X and 00:30 on X+2
    (Kolkata); a phone booking made on X had no chat. Range X..X+1: three conversations (A on
    X, A on X+1, B on X), two holds, both paid."""
    with sessions() as session:
        hotel = session.get(Venue, world.ids["venue_id"])
        standard = session.get(RoomType, world.ids["room_type_id"])
        assert hotel and standard
        x = today(hotel) + timedelta(days=20)
        for day in (x, x + timedelta(days=1)):
            _chat(session, hotel, "+919800000201", datetime.combine(day, time(5), tzinfo=UTC))
            book_room(session, hotel, standard, day + timedelta(days=3), 1, phone="+919800000201")
        book_room(session, hotel, standard, x + timedelta(days=3), 1, channel=Channel.PHONE)
        _chat(session, hotel, "+919800000202", datetime.combine(x, time(18), tzinfo=UTC))
        _chat(
            session,
            hotel,
            "+919800000202",
            datetime.combine(x, time(19), tzinfo=UTC) + timedelta(days=1),
        )
        session.commit()
    report = _report(client, world, "venue_id", x, x + timedelta(days=1))
    assert report["funnel"] == {"conversations": 3, "holds": 2, "paid": 2, "completed": 0}


def test_a_reversed_or_huge_range_is_a_clear_422(client: TestClient, world: World) -> None:
    url = f"/api/v1/venues/{world.ids['venue_id']}/analytics"
    for start, end in (("2026-05-02", "2026-05-01"), ("2020-01-01", "2026-01-01")):
        answer = client.get(
            url, params={"start": start, "end": end}, headers=world.headers["owner"]
        )
        assert answer.status_code == 422 and "at most" in answer.json()["detail"]


def test_hotel_revenue_per_day_counts_each_stay_on_its_arrival_date(
    client: TestClient, world: World, sessions: sessionmaker[Session]
) -> None:
    """D0: a 2-night stay paid 700000; D0+1: a night paid 350000 and refunded in full on
    cancelling; D0+3: a 3-night phone stay paid 1050000. Every other day is zero."""
    with sessions() as session:
        d0 = _dataset(session, world)
    report = _report(client, world, "venue_id", d0 - timedelta(days=1), d0 + timedelta(days=4))
    by_day = [(row["day"], row["paid"], row["refunded"]) for row in report["revenue_by_day"]]
    assert by_day == [
        ((d0 - timedelta(days=1)).isoformat(), 0, 0),
        (d0.isoformat(), 700_000, 0),
        ((d0 + timedelta(days=1)).isoformat(), 350_000, 350_000),
        ((d0 + timedelta(days=2)).isoformat(), 0, 0),
        ((d0 + timedelta(days=3)).isoformat(), 1_050_000, 0),
        ((d0 + timedelta(days=4)).isoformat(), 0, 0),
    ]
    assert sum(row[1] for row in by_day) == report["revenue"]["paid"] == 2_100_000
    assert sum(row[2] for row in by_day) == report["revenue"]["refunded"] == 350_000


def test_restaurant_revenue_per_day_uses_the_venues_local_date(
    client: TestClient, world: World, sessions: sessionmaker[Session]
) -> None:
    """A deposit of 80000 for 19:30 on D0, and one of 40000 for a seating at 00:30 on D0+1 in
    Kolkata, which is 19:00 UTC on D0: it belongs to D0+1, the venue's date."""
    with sessions() as session:
        restaurant = session.get(Venue, world.ids["restaurant_id"])
        assert restaurant
        d0 = today(restaurant) + timedelta(days=20)
        evening = book_table(session, restaurant, d0, time(19, 30), 4, "+919800000301")
        late = book_table(session, restaurant, d0, time(21, 0), 2, "+919800000302")
        evening.amount_paid, late.amount_paid = 80_000, 40_000
        late.starts_at = datetime.combine(d0, time(19), tzinfo=UTC)
        session.commit()
    report = _report(client, world, "restaurant_id", d0, d0 + timedelta(days=1))
    assert report["revenue_by_day"] == [
        {"day": d0.isoformat(), "paid": 80_000, "refunded": 0},
        {"day": (d0 + timedelta(days=1)).isoformat(), "paid": 40_000, "refunded": 0},
    ]
