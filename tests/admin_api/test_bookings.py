"""Booking actions end to end through the engine: list and search, desk bookings, cancel with
refunds (and the staff limit), no-show, complete, move, and the CSV export.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, time, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from engine.bookings.models import Claim
from engine.inventory.models import Room, RoomType
from engine.tenants.models import Venue
from tests.admin_api.conftest import World, book_room, today

API = "/api/v1"


def _hotel(session: Session, world: World) -> tuple[Venue, RoomType]:
    venue = session.get(Venue, world.ids["venue_id"])
    room_type = session.get(RoomType, world.ids["room_type_id"])
    assert venue is not None and room_type is not None
    return venue, room_type


def test_list_filters_and_search_find_the_booking(client: TestClient, world: World) -> None:
    owner, ref = world.headers["owner"], world.ids["reference"]
    listed = client.get(f"{API}/bookings", headers=owner).json()
    assert [b["reference"] for b in listed] == [ref]
    for query in (
        {"q": ref.lower().replace("-", "")},
        {"q": "98000000"},
        {"guest_phone": "09800000001"},
        {"status": "confirmed", "channel": "whatsapp", "venue_id": world.ids["venue_id"]},
    ):
        assert [
            b["reference"]
            for b in client.get(f"{API}/bookings", params=query, headers=owner).json()
        ] == [ref]
    for query in ({"status": "cancelled"}, {"channel": "sms"}, {"q": "BK-ZZZZZZ"}):
        assert client.get(f"{API}/bookings", params=query, headers=owner).json() == []


def test_date_range_filter_uses_the_arrival_date(client: TestClient, world: World) -> None:
    owner = world.headers["owner"]
    detail = client.get(f"{API}/bookings/{world.ids['reference']}", headers=owner).json()
    arrival = detail["check_in"]
    inside = client.get(f"{API}/bookings", params={"start": arrival, "end": arrival}, headers=owner)
    before = client.get(f"{API}/bookings", params={"end": "2000-01-01"}, headers=owner)
    assert len(inside.json()) == 1 and before.json() == []


def test_detail_shows_the_audit_trail(client: TestClient, world: World) -> None:
    detail = client.get(f"{API}/bookings/{world.ids['reference']}", headers=world.headers["staff"])
    trail = [(e["from_status"], e["to_status"]) for e in detail.json()["events"]]
    assert trail == [(None, "held"), ("held", "confirmed")]


def test_owner_cancels_with_the_policy_refund_and_frees_the_room(
    client: TestClient, world: World, sessions: sessionmaker[Session]
) -> None:
    ref = world.ids["reference"]
    answer = client.post(
        f"{API}/bookings/{ref}/cancel",
        json={"refund": "policy", "reason": "guest called"},
        headers=world.headers["owner"],
    ).json()
    booking = answer["booking"]
    assert booking["status"] == "cancelled"
    assert answer["refund_amount"] == booking["amount_paid"] and answer["refund_percent"] == 100
    assert booking["events"][-1]["details"]["refund_amount"] == answer["refund_amount"]
    assert booking["events"][-1]["actor"].startswith("owner:")
    with sessions() as session:
        assert session.scalars(select(Claim)).all() == []


def test_staff_may_not_refund_beyond_policy_and_limit_but_owner_may(
    client: TestClient, world: World, sessions: sessionmaker[Session]
) -> None:
    with sessions() as session:
        venue, room_type = _hotel(session, world)
        # Arriving in 10 hours: the demo hotel's policy refunds 50%.
        late = book_room(session, venue, room_type, today(venue) + timedelta(days=1))
        late.check_in = today(venue)
        session.commit()
        ref, paid = late.reference, late.amount_paid
    full = {"refund": "full"}
    staff = client.post(f"{API}/bookings/{ref}/cancel", json=full, headers=world.headers["staff"])
    assert staff.status_code == 422 and "at most" in staff.json()["detail"]
    owner = client.post(f"{API}/bookings/{ref}/cancel", json=full, headers=world.headers["owner"])
    assert owner.json()["refund_amount"] == paid


def test_staff_may_refund_a_chosen_amount_within_the_venue_limit(
    client: TestClient, world: World
) -> None:
    venue = f"{API}/venues/{world.ids['venue_id']}"
    client.patch(venue, json={"staff_refund_limit": 50_000_000}, headers=world.headers["owner"])
    ref = world.ids["reference"]
    answer = client.post(
        f"{API}/bookings/{ref}/cancel",
        json={"refund": "amount", "refund_amount": 12345},
        headers=world.headers["staff"],
    )
    assert answer.status_code == 200 and answer.json()["refund_amount"] == 12345
    again = client.post(f"{API}/bookings/{ref}/cancel", json={}, headers=world.headers["owner"])
    assert again.status_code == 409


def test_refund_above_what_was_paid_is_a_422(client: TestClient, world: World) -> None:
    body = {"refund": "amount", "refund_amount": 10**11}
    answer = client.post(
        f"{API}/bookings/{world.ids['reference']}/cancel", json=body, headers=world.headers["owner"]
    )
    assert answer.status_code == 422


def test_refund_quote_is_the_engines_policy_amount_with_its_reasons(
    client: TestClient, world: World, sessions: sessionmaker[Session]
) -> None:
    with sessions() as session:
        venue, room_type = _hotel(session, world)
        # Arriving tomorrow at 14:00 Kolkata: between 15 and 38 hours away, so 50% back.
        late = book_room(session, venue, room_type, today(venue) + timedelta(days=1), 1)
        session.commit()
        ref, arrival = late.reference, late.check_in
    assert arrival is not None
    quote = client.get(f"{API}/bookings/{ref}/refund-quote", headers=world.headers["staff"])
    assert quote.status_code == 200
    body = quote.json()
    # One Standard night is ₹3,500 = 350000 paise; half of it comes back.
    assert (body["amount_paid"], body["refund_amount"], body["refund_percent"]) == (
        350_000,
        175_000,
        50,
    )
    assert body["currency"] == "INR" and body["staff_refund_cap"] == 175_000
    assert datetime.fromisoformat(body["starts_at"]) == datetime.combine(
        arrival, time(8, 30), tzinfo=UTC
    )  # 14:00 in Kolkata (UTC+5:30)
    assert 0 < body["hours_before_start"] < 48
    assert body["tiers"] == [
        {"hours_before": 48, "refund_percent": 100},
        {"hours_before": 0, "refund_percent": 50},
    ]
    cancelled = client.post(
        f"{API}/bookings/{ref}/cancel", json={"refund": "policy"}, headers=world.headers["owner"]
    )
    assert cancelled.json()["refund_amount"] == body["refund_amount"]


def test_refund_quote_ten_days_ahead_is_everything_paid(client: TestClient, world: World) -> None:
    ref = world.ids["reference"]
    body = client.get(f"{API}/bookings/{ref}/refund-quote", headers=world.headers["owner"]).json()
    assert (body["refund_amount"], body["refund_percent"]) == (700_000, 100)
    assert 9 * 24 <= body["hours_before_start"] <= 10 * 24 + 14


def test_refund_quote_for_another_business_is_a_404(client: TestClient, world: World) -> None:
    answer = client.get(
        f"{API}/bookings/{world.ids['reference']}/refund-quote", headers=world.headers["other"]
    )
    assert answer.status_code == 404


def test_no_show_and_complete_only_after_arrival(
    client: TestClient, world: World, sessions: sessionmaker[Session]
) -> None:
    staff = world.headers["staff"]
    early = client.post(f"{API}/bookings/{world.ids['reference']}/no-show", headers=staff)
    assert early.status_code == 422
    with sessions() as session:
        venue, room_type = _hotel(session, world)
        past = [
            book_room(
                session,
                venue,
                room_type,
                today(venue) - timedelta(days=n),
                1,
                phone=f"+91980000009{n}",
            )
            for n in (3, 5)
        ]
        session.commit()
        refs = [b.reference for b in past]
    assert (
        client.post(f"{API}/bookings/{refs[0]}/no-show", headers=staff).json()["status"]
        == "no_show"
    )
    assert (
        client.post(f"{API}/bookings/{refs[1]}/complete", headers=staff).json()["status"]
        == "completed"
    )
    assert client.post(f"{API}/bookings/{refs[1]}/no-show", headers=staff).status_code == 409


def test_move_to_a_chosen_room_and_to_other_dates(
    client: TestClient, world: World, sessions: sessionmaker[Session]
) -> None:
    ref, owner = world.ids["reference"], world.headers["owner"]
    with sessions() as session:
        room = session.scalar(select(Room).where(Room.number == "104"))
        suite = session.scalar(select(Room).where(Room.number == "301"))
        assert room is not None and suite is not None
        room_id, suite_id, suite_type = room.id, suite.id, suite.room_type_id
    moved = client.post(f"{API}/bookings/{ref}/move", json={"room_id": room_id}, headers=owner)
    assert moved.json()["resources"] == [f"room:{room_id}"]
    upgraded = client.post(
        f"{API}/bookings/{ref}/move", json={"room_id": suite_id}, headers=owner
    ).json()
    assert (upgraded["resources"], upgraded["room_type_id"]) == ([f"room:{suite_id}"], suite_type)
    later = (today_of(upgraded) + timedelta(days=30)).isoformat()
    end = (today_of(upgraded) + timedelta(days=31)).isoformat()
    dated = client.post(
        f"{API}/bookings/{ref}/move", json={"check_in": later, "check_out": end}, headers=owner
    ).json()
    assert (dated["check_in"], dated["resources"]) == (later, [f"room:{suite_id}"])
    assert dated["events"][-1]["reason"] == "modified"


def today_of(booking: dict[str, str]) -> date:
    return date.fromisoformat(booking["check_in"])


def test_moving_into_an_occupied_room_is_a_409(
    client: TestClient, world: World, sessions: sessionmaker[Session]
) -> None:
    with sessions() as session:
        venue, room_type = _hotel(session, world)
        detail = client.get(
            f"{API}/bookings/{world.ids['reference']}", headers=world.headers["owner"]
        ).json()
        other = book_room(session, venue, room_type, today_of(detail), phone="+919800000077")
        session.commit()
        taken = int(other.resources[0].split(":")[1])
    answer = client.post(
        f"{API}/bookings/{world.ids['reference']}/move",
        json={"room_id": taken},
        headers=world.headers["owner"],
    )
    assert answer.status_code == 409


def test_walk_in_and_phone_bookings_go_through_the_engine(
    client: TestClient, world: World, sessions: sessionmaker[Session]
) -> None:
    with sessions() as session:
        venue, _ = _hotel(session, world)
        day = today(venue) + timedelta(days=5)
    body = {
        "venue_id": world.ids["venue_id"],
        "channel": "phone",
        "guest_phone": "+919811111111",
        "guest_name": "Ravi",
        "party_size": 2,
        "check_in": day.isoformat(),
        "check_out": (day + timedelta(days=2)).isoformat(),
        "room_type_id": world.ids["room_type_id"],
        "amount_paid": 1000,
    }
    made = client.post(f"{API}/bookings", json=body, headers=world.headers["staff"])
    assert made.status_code == 201
    booking = made.json()
    assert (booking["status"], booking["channel"], booking["amount_paid"]) == (
        "confirmed",
        "phone",
        1000,
    )
    assert booking["amount"] == 2 * 350_000 and booking["guest"]["name"] == "Ravi"
    too_much = client.post(
        f"{API}/bookings", json={**body, "amount_paid": 10**9}, headers=world.headers["staff"]
    )
    assert too_much.status_code == 422


def test_walk_in_at_a_closed_restaurant_time_is_refused(client: TestClient, world: World) -> None:
    morning = datetime.combine(date.today() + timedelta(days=30), time(4), tzinfo=UTC)
    body = {
        "venue_id": world.ids["restaurant_id"],
        "channel": "walk_in",
        "guest_phone": "+919811111112",
        "party_size": 2,
        "starts_at": morning.isoformat(),  # 09:30 in Kolkata: before lunch opens
    }
    answer = client.post(f"{API}/bookings", json=body, headers=world.headers["staff"])
    assert answer.status_code == 409 and "does not seat" in answer.json()["detail"]


def test_desk_bookings_and_moves_at_a_local_time_use_the_venues_clock(
    client: TestClient, world: World
) -> None:
    day = date.today() + timedelta(days=30)
    body = {
        "venue_id": world.ids["restaurant_id"],
        "channel": "phone",
        "guest_phone": "+919811111113",
        "party_size": 2,
        "local_start": f"{day.isoformat()}T20:00",
    }
    made = client.post(f"{API}/bookings", json=body, headers=world.headers["staff"])
    assert made.status_code == 201
    # 20:00 in Kolkata (UTC+5:30) is 14:30 UTC.
    starts = datetime.fromisoformat(made.json()["starts_at"])
    assert starts == datetime.combine(day, time(14, 30), tzinfo=UTC)
    both = {**body, "starts_at": starts.isoformat(), "guest_phone": "+919811111114"}
    answer = client.post(f"{API}/bookings", json=both, headers=world.headers["staff"])
    assert answer.status_code == 422 and "not both" in str(answer.json()["detail"])
    ref = made.json()["reference"]
    moved = client.post(
        f"{API}/bookings/{ref}/move",
        json={"local_start": f"{day.isoformat()}T21:15"},
        headers=world.headers["staff"],
    )
    assert datetime.fromisoformat(moved.json()["starts_at"]) == datetime.combine(
        day, time(15, 45), tzinfo=UTC
    )


def test_csv_export_has_a_row_per_booking_in_local_time_and_major_units(
    client: TestClient, world: World
) -> None:
    answer = client.get(f"{API}/bookings/export.csv", headers=world.headers["owner"])
    assert answer.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert len(rows) == 1
    row = rows[0]
    assert (row["reference"], row["venue"], row["currency"]) == (
        world.ids["reference"],
        "Seaside Hotel",
        "INR",
    )
    assert row["amount"] == "7000.00" and row["guest_phone"] == "+919800000001"
