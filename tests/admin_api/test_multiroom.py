"""The owner API shows the rooms of a stay of several rooms and cancels one of them."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from engine.availability.requests import StayRequest
from engine.availability.rooms import RoomWish, search_room_set
from engine.bookings.approvals import request_approval
from engine.bookings.enums import Channel
from engine.bookings.service import confirm, place_hold
from engine.guests.service import get_or_create_guest
from engine.tenants.models import Venue
from tests.admin_api.conftest import World, today

API = "/api/v1"


def _two_rooms(sessions: sessionmaker[Session], world: World) -> str:
    """A confirmed stay of two rooms for four (unpaid online), ten days ahead; its reference."""
    with sessions.begin() as session:
        venue = session.get(Venue, world.ids["venue_id"])
        assert venue is not None
        check_in = today(venue) + timedelta(days=20)
        now = datetime.combine(check_in - timedelta(days=10), time(9), tzinfo=UTC)
        stay = StayRequest(check_in, check_in + timedelta(days=2), 4)
        offer = search_room_set(session, venue, stay, [RoomWish(), RoomWish()], now=now)
        assert offer is not None
        guest = get_or_create_guest(session, business_id=venue.business_id, phone="+919800000077")
        held = place_hold(
            session, offer=offer, guest=guest, channel=Channel.SMS, actor="g", now=now
        )
        return confirm(session, booking=held, actor="desk", now=now).reference


def test_list_and_detail_show_every_room_of_the_booking(
    client: TestClient, world: World, sessions: sessionmaker[Session]
) -> None:
    reference = _two_rooms(sessions, world)
    owner = world.headers["owner"]
    listed = client.get(f"{API}/bookings", params={"q": reference}, headers=owner).json()
    detail = client.get(f"{API}/bookings/{reference}", headers=owner).json()
    for booking in (listed[0], detail):
        assert [(room["guests"], room["cancelled_at"]) for room in booking["rooms"]] == [
            (2, None),
            (2, None),
        ]
        assert booking["party_size"] == 4 and booking["room_type_id"] is None
    single = client.get(f"{API}/bookings/{world.ids['reference']}", headers=owner).json()
    assert single["rooms"] == []


def test_staff_cancel_one_room_and_the_last_room_is_refused(
    client: TestClient, world: World, sessions: sessionmaker[Session]
) -> None:
    reference = _two_rooms(sessions, world)
    staff = world.headers["staff"]
    rooms = client.get(f"{API}/bookings/{reference}", headers=staff).json()["rooms"]
    before = client.get(f"{API}/bookings/{reference}", headers=staff).json()["amount"]
    response = client.post(
        f"{API}/bookings/{reference}/rooms/{rooms[1]['id']}/cancel", headers=staff
    )
    assert response.status_code == 200, response.text
    booking = response.json()["booking"]
    assert booking["status"] == "confirmed" and booking["party_size"] == 2
    assert booking["amount"] == before - rooms[1]["amount"]
    assert booking["rooms"][1]["cancelled_at"] is not None
    assert booking["resources"] == [rooms[0]["resource"]]
    last = client.post(f"{API}/bookings/{reference}/rooms/{rooms[0]['id']}/cancel", headers=staff)
    assert last.status_code == 422 and "last room" in last.json()["detail"]
    other = client.post(
        f"{API}/bookings/{reference}/rooms/{rooms[0]['id']}/cancel", headers=world.headers["other"]
    )
    assert other.status_code == 404


def _group_request(sessions: sessionmaker[Session], world: World) -> str:
    """Four rooms held by chat just now, put to staff; its reference."""
    with sessions.begin() as session:
        venue = session.get(Venue, world.ids["venue_id"])
        assert venue is not None
        now = datetime.now(UTC)
        check_in = today(venue) + timedelta(days=30)
        stay = StayRequest(check_in, check_in + timedelta(days=2), 8)
        offer = search_room_set(session, venue, stay, [RoomWish()] * 4, now=now)
        assert offer is not None
        guest = get_or_create_guest(session, business_id=venue.business_id, phone="+919800000078")
        held = place_hold(
            session, offer=offer, guest=guest, channel=Channel.SMS, actor="g", now=now
        )
        request_approval(session, booking=held, actor="g", now=now)
        return held.reference


def test_pending_requests_are_listed_and_only_an_owner_answers_them(
    client: TestClient, world: World, sessions: sessionmaker[Session]
) -> None:
    reference = _group_request(sessions, world)
    owner, staff = world.headers["owner"], world.headers["staff"]
    pending = client.get(f"{API}/bookings", params={"approval": "pending"}, headers=owner).json()
    assert [(b["reference"], b["approval"], b["status"]) for b in pending] == [
        (reference, "pending", "held")
    ]
    assert client.post(f"{API}/bookings/{reference}/accept", headers=staff).status_code == 403
    accepted = client.post(f"{API}/bookings/{reference}/accept", headers=owner)
    assert accepted.status_code == 200, accepted.text
    assert (accepted.json()["approval"], accepted.json()["status"]) == (
        "accepted",
        "pending_payment",
    )
    again = client.post(f"{API}/bookings/{reference}/decline", headers=owner)
    assert again.status_code == 422 and "does not wait" in again.json()["detail"]
    assert client.get(f"{API}/bookings", params={"approval": "pending"}, headers=owner).json() == []
