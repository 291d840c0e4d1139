"""Attendance through the owner API and the sweep: one-tap arrivals, the not-arrived list,
automatic no-shows only where the venue opted in, undoing a no-show, the no-show rate as of
a moment, and the venue settings behind them.

The sweep is driven by passing ``now`` to ``mark_no_shows`` (the worker passes the clock); on
the real stack it runs against PostgreSQL and Redis like the workers' own sweep.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, time, timedelta
from typing import Any

from fastapi.testclient import TestClient
from redis.client import PubSub
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from application.attendance import mark_no_shows
from bot.events import events_channel
from engine.bookings.enums import CancelledBy
from engine.bookings.models import Booking, Claim
from engine.bookings.service import cancel, mark_no_show
from engine.inventory.models import RoomType
from engine.tenants.models import Venue
from infra.runtime import Runtime
from tests.admin_api.conftest import World, book_room, book_table, today

API = "/api/v1"
GRACE = timedelta(minutes=20)


@contextmanager
def listening(runtime: Runtime) -> Iterator[PubSub]:
    """The live event bus, subscribed before anything is published."""
    pubsub = runtime.redis.pubsub()
    pubsub.subscribe(events_channel(runtime.redis))
    pubsub.get_message(timeout=1)  # the subscription's confirmation
    try:
        yield pubsub
    finally:
        pubsub.close()


def heard(pubsub: PubSub, reference: str) -> list[dict[str, Any]]:
    """The events about booking ``reference`` published since the last look (Redis pub/sub
    spans databases: other runs on the same server publish on the bus too)."""
    found = []
    while (message := pubsub.get_message(timeout=0.3)) is not None:
        if message["type"] == "message":
            event = json.loads(message["data"])
            if event.get("reference") == reference:
                found.append(event)
    return found


def dinner(sessions: sessionmaker[Session], world: World, phone: str) -> tuple[str, datetime]:
    """A confirmed table for 2 at 20:00 at the demo restaurant three days from now: its
    reference and start (UTC)."""
    with sessions() as session:
        restaurant = session.get_one(Venue, world.ids["restaurant_id"])
        booking = book_table(
            session, restaurant, today(restaurant) + timedelta(days=3), time(20), 2, phone
        )
        session.commit()
        assert booking.starts_at is not None
        return booking.reference, booking.starts_at


def claims(sessions: sessionmaker[Session], reference: str) -> set[tuple[str, str]]:
    with sessions() as session:
        rows = session.execute(
            select(Claim.resource, Claim.unit)
            .join(Booking, Booking.id == Claim.booking_id)
            .where(Booking.reference == reference)
        )
        return {(resource, unit) for resource, unit in rows}


def opt_in(client: TestClient, world: World, **changes: Any) -> dict[str, Any]:
    answer = client.patch(
        f"{API}/venues/{world.ids['restaurant_id']}",
        json={"auto_no_show": True, **changes},
        headers=world.headers["owner"],
    )
    assert answer.status_code == 200, answer.text
    return answer.json()  # type: ignore[no-any-return]


def read(client: TestClient, world: World, reference: str) -> dict[str, Any]:
    answer = client.get(f"{API}/bookings/{reference}", headers=world.headers["staff"])
    assert answer.status_code == 200, answer.text
    return answer.json()  # type: ignore[no-any-return]


# Arrivals -------------------------------------------------------------------------------------


def test_staff_mark_an_arrival_in_one_tap_and_can_take_it_back(
    client: TestClient, world: World, sessions: sessionmaker[Session], runtime: Runtime
) -> None:
    with sessions() as session:
        hotel = session.get_one(Venue, world.ids["venue_id"])
        room_type = session.get_one(RoomType, world.ids["room_type_id"])
        reference = book_room(session, hotel, room_type, today(hotel), 2).reference
        session.commit()
    staff = world.headers["staff"]
    with listening(runtime) as bus:
        tapped = client.post(f"{API}/bookings/{reference}/arrived", headers=staff)
        assert tapped.status_code == 200, tapped.text
        events = heard(bus, reference)
    body = tapped.json()
    assert body["status"] == "confirmed" and body["arrived_at"] is not None
    assert body["events"][-1]["reason"] == "arrived"
    assert body["events"][-1]["actor"] == f"staff:{world.ids['user_id']}"
    assert [(e["type"], e["summary"]) for e in events] == [
        ("booking.arrived", f"{reference}: the guest has arrived")
    ]
    listed = client.get(f"{API}/bookings", params={"q": reference}, headers=staff).json()
    assert listed[0]["arrived_at"] == body["arrived_at"]
    undone = client.post(f"{API}/bookings/{reference}/undo-arrival", headers=staff)
    assert undone.status_code == 200 and undone.json()["arrived_at"] is None
    again = client.post(f"{API}/bookings/{reference}/undo-arrival", headers=staff)
    assert again.status_code == 422 and "no arrival to undo" in again.json()["detail"]


def test_a_guest_due_another_day_cannot_be_marked_arrived(client: TestClient, world: World) -> None:
    early = client.post(
        f"{API}/bookings/{world.ids['reference']}/arrived", headers=world.headers["staff"]
    )
    assert early.status_code == 422 and "mark them arrived then" in early.json()["detail"]


# Not arrived and automatic no-shows ------------------------------------------------------------


def test_the_not_arrived_list_answers_for_the_moment_asked(
    client: TestClient, world: World, sessions: sessionmaker[Session]
) -> None:
    reference, starts_at = dinner(sessions, world, "+919800000301")
    url = f"{API}/venues/{world.ids['restaurant_id']}/not-arrived"
    staff = world.headers["staff"]
    before = client.get(url, params={"as_of": (starts_at + GRACE / 2).isoformat()}, headers=staff)
    assert before.status_code == 200 and before.json() == []
    after = client.get(url, params={"as_of": (starts_at + GRACE).isoformat()}, headers=staff)
    (late,) = after.json()
    assert late["booking"]["reference"] == reference
    assert datetime.fromisoformat(late["grace_ended_at"]) == starts_at + GRACE


def test_without_opt_in_the_sweep_tells_staff_and_marks_no_one_a_no_show(
    client: TestClient, world: World, sessions: sessionmaker[Session], runtime: Runtime
) -> None:
    reference, starts_at = dinner(sessions, world, "+919800000302")
    with listening(runtime) as bus:
        assert mark_no_shows(runtime, starts_at + GRACE - timedelta(minutes=1)) == 0
        assert mark_no_shows(runtime, starts_at + GRACE) == 1
        assert mark_no_shows(runtime, starts_at + GRACE + timedelta(minutes=5)) == 0
        events = heard(bus, reference)
    booking = read(client, world, reference)
    assert booking["status"] == "confirmed" and booking["not_arrived_at"] is not None
    assert booking["events"][-1]["reason"] == "not arrived after grace"
    assert [(e["type"], e["reference"], e["summary"]) for e in events] == [
        ("booking.not_arrived", reference, f"{reference}: the guest has not arrived")
    ]
    assert len(claims(sessions, reference)) == 6  # the table stays theirs


def test_with_opt_in_the_sweep_marks_a_no_show_after_grace_and_undo_restores_the_booking(
    client: TestClient, world: World, sessions: sessionmaker[Session], runtime: Runtime
) -> None:
    settings = opt_in(client, world)
    assert settings["auto_no_show"] and settings["arrival_grace_minutes"] == 20
    reference, starts_at = dinner(sessions, world, "+919800000303")
    before = read(client, world, reference)
    held = claims(sessions, reference)
    assert mark_no_shows(runtime, starts_at + GRACE - timedelta(minutes=1)) == 0
    with listening(runtime) as bus:
        assert mark_no_shows(runtime, starts_at + GRACE) == 1
        events = heard(bus, reference)
    gone = read(client, world, reference)
    assert gone["status"] == "no_show" and claims(sessions, reference) == set()
    last = gone["events"][-1]
    assert (last["actor"], last["reason"]) == ("system:attendance", "no-show after grace")
    assert [(e["type"], e["status"]) for e in events] == [("booking.changed", "no_show")]

    undone = client.post(f"{API}/bookings/{reference}/undo-no-show", headers=world.headers["staff"])
    assert undone.status_code == 200, undone.text
    restored = undone.json()
    assert claims(sessions, reference) == held
    unchanged = (
        "status",
        "resources",
        "starts_at",
        "ends_at",
        "amount",
        "amount_paid",
        "arrived_at",
    )
    assert {k: restored[k] for k in unchanged} == {k: before[k] for k in unchanged}
    assert restored["events"][-1]["reason"] == "no-show undone"
    assert mark_no_shows(runtime, starts_at + GRACE + timedelta(minutes=10)) == 0
    assert read(client, world, reference)["status"] == "confirmed"


def test_an_undo_is_refused_with_the_reason_when_the_room_was_given_away(
    client: TestClient, world: World, sessions: sessionmaker[Session]
) -> None:
    with sessions() as session:
        hotel = session.get_one(Venue, world.ids["venue_id"])
        suite = session.scalar(
            select(RoomType).where(RoomType.venue_id == hotel.id, RoomType.name == "Suite")
        )
        assert suite is not None
        yesterday = today(hotel) - timedelta(days=1)
        stay = book_room(session, hotel, suite, yesterday, 2, phone="+919800000304")
        mark_no_show(session, booking=stay, actor="staff", now=datetime.now(UTC))
        session.commit()
    staff = world.headers["staff"]
    walk_in = {
        "venue_id": world.ids["venue_id"],
        "channel": "walk_in",
        "guest_phone": "+919800000305",
        "party_size": 2,
        "check_in": today(hotel).isoformat(),
        "check_out": (today(hotel) + timedelta(days=1)).isoformat(),
        "room_type_id": suite.id,
    }
    taken = client.post(f"{API}/bookings", json=walk_in, headers=staff)
    assert taken.status_code == 201, taken.text
    refused = client.post(f"{API}/bookings/{stay.reference}/undo-no-show", headers=staff)
    assert refused.status_code == 409
    assert taken.json()["reference"] in refused.json()["detail"]
    assert read(client, world, stay.reference)["status"] == "no_show"


def test_only_a_no_show_can_be_undone(client: TestClient, world: World) -> None:
    answer = client.post(
        f"{API}/bookings/{world.ids['reference']}/undo-no-show", headers=world.headers["staff"]
    )
    assert answer.status_code == 422 and "this booking is confirmed" in answer.json()["detail"]


# Settings -------------------------------------------------------------------------------------


def test_owners_set_the_grace_the_opt_in_and_the_deposit_rule(
    client: TestClient, world: World
) -> None:
    owner = world.headers["owner"]
    url = f"{API}/venues/{world.ids['restaurant_id']}"
    fresh = client.get(url, headers=owner).json()
    assert (fresh["arrival_grace_minutes"], fresh["auto_no_show"]) == (20, False)
    assert (fresh["auto_no_show_since"], fresh["no_show_deposit_after"]) == (None, 0)
    first = opt_in(client, world, arrival_grace_minutes=30, no_show_deposit_after=2)
    again = opt_in(client, world)
    assert first["arrival_grace_minutes"] == 30 and first["no_show_deposit_after"] == 2
    assert first["auto_no_show_since"] == again["auto_no_show_since"] is not None
    off = client.patch(url, json={"auto_no_show": False}, headers=owner).json()
    assert (off["auto_no_show"], off["auto_no_show_since"]) == (False, None)
    hotel = client.patch(
        f"{API}/venues/{world.ids['venue_id']}", json={"no_show_deposit_after": 1}, headers=owner
    )
    assert hotel.status_code == 422 and "for tables" in hotel.json()["detail"]
    staff = client.patch(url, json={"auto_no_show": True}, headers=world.headers["staff"])
    assert staff.status_code == 403


# Analytics ------------------------------------------------------------------------------------


def test_the_no_show_rate_counts_only_bookings_due_by_as_of_and_still_expected(
    client: TestClient, world: World, sessions: sessionmaker[Session]
) -> None:
    with sessions() as session:
        restaurant = session.get_one(Venue, world.ids["restaurant_id"])
        day = today(restaurant) + timedelta(days=5)
        lunch = book_table(session, restaurant, day, time(13), 2, "+919800000306")
        book_table(session, restaurant, day, time(20), 2, "+919800000307")
        called_off = book_table(session, restaurant, day, time(13), 4, "+919800000308")
        assert lunch.starts_at is not None
        mark_no_show(session, booking=lunch, actor="staff", now=lunch.starts_at + GRACE)
        cancel(session, booking=called_off, by=CancelledBy.GUEST, actor="guest")
        session.commit()

    def rate(at: time) -> float | None:
        as_of = datetime.combine(day, at, tzinfo=restaurant.tz).isoformat()
        params = {"start": day.isoformat(), "end": day.isoformat(), "as_of": as_of}
        answer = client.get(
            f"{API}/venues/{restaurant.id}/analytics", params=params, headers=world.headers["owner"]
        )
        assert answer.status_code == 200, answer.text
        return answer.json()["no_show_rate"]  # type: ignore[no-any-return]

    assert rate(time(12)) is None
    # Dinner is still to come, and the guest who cancelled lunch was not expected: neither
    # is any part of the rate yet.
    assert rate(time(15)) == 1.0
    assert rate(time(21)) == 0.5
