"""Managing venues and inventory: clear 422s, tenant isolation, safe deletes; conversations."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

import bot.staff
from bot.choices import conversation_key
from bot.conversation import ConversationStore, State, conversation_lock, holding
from engine.messaging.enums import MessageChannel
from engine.messaging.models import OutboxMessage
from infra.runtime import Runtime
from tests.admin_api.conftest import GUEST_PHONE, World

API = "/api/v1"


def test_venue_validation_names_the_problem(client: TestClient, world: World) -> None:
    owner = world.headers["owner"]
    bad = {
        "timezone": ("Mars/Olympus", "not a known time zone"),
        "sms_number": ("+15005550007", "already used by another venue"),
        "slot_minutes": (7, "slot_minutes"),
        "currency": ("rupees", "currency"),
    }
    url = f"{API}/venues/{world.ids['venue_id']}"
    for field, (value, message) in bad.items():
        answer = client.patch(url, json={field: value}, headers=owner)
        assert answer.status_code == 422 and message in answer.text, (field, answer.text)
    tiers = [{"hours_before": 72, "refund_percent": 80}]
    ok = client.patch(
        url, json={"cancellation_tiers": tiers, "check_in_time": "15:00"}, headers=owner
    )
    assert ok.json()["cancellation_tiers"] == tiers and ok.json()["check_in_time"] == "15:00"


def test_new_venue_gets_a_unique_slug_and_inventory_rules_follow_its_kind(
    client: TestClient, world: World
) -> None:
    owner = world.headers["owner"]
    made = client.post(
        f"{API}/venues", json={"kind": "restaurant", "name": "Spice Garden"}, headers=owner
    ).json()
    assert made["slug"] == "spice-garden-2"
    room_type = {"name": "Loft", "capacity": 2, "nightly_rate": 1}
    wrong = client.post(f"{API}/venues/{made['id']}/room-types", json=room_type, headers=owner)
    assert wrong.status_code == 422 and "only a hotel" in wrong.json()["detail"]
    table = client.post(
        f"{API}/venues/{made['id']}/tables", json={"label": "A1", "seats": 4}, headers=owner
    )
    assert table.status_code == 201
    twin = client.post(
        f"{API}/venues/{made['id']}/tables", json={"label": "A1", "seats": 2}, headers=owner
    )
    assert twin.status_code == 422 and "already has a table" in twin.json()["detail"]


def test_rooms_numbers_are_unique_per_hotel_and_booked_rooms_are_deactivated_not_deleted(
    client: TestClient, world: World
) -> None:
    owner = world.headers["owner"]
    detail = client.get(f"{API}/bookings/{world.ids['reference']}", headers=owner).json()
    booked = int(detail["resources"][0].split(":")[1])
    clash = client.post(
        f"{API}/room-types/{world.ids['room_type_id']}/rooms", json={"number": "301"}, headers=owner
    )
    assert clash.status_code == 422 and "already has a room 301" in clash.json()["detail"]
    refused = client.delete(f"{API}/rooms/{booked}", headers=owner)
    assert refused.status_code == 422 and "deactivate" in refused.json()["detail"]
    assert client.patch(f"{API}/rooms/{booked}", json={"active": False}, headers=owner).is_success


def test_rates_set_list_and_clear_over_a_range(client: TestClient, world: World) -> None:
    owner, url = world.headers["owner"], f"{API}/room-types/{world.ids['room_type_id']}/rates"
    span = {"start": "2027-01-01", "end": "2027-01-04"}
    assert len(client.put(url, json={**span, "nightly_rate": 500_000}, headers=owner).json()) == 3
    assert [r["nightly_rate"] for r in client.get(url, params=span, headers=owner).json()] == [
        500_000
    ] * 3
    assert client.delete(url, params=span, headers=owner).status_code == 204
    assert client.get(url, params=span, headers=owner).json() == []
    backwards = client.put(
        url, json={"start": "2027-01-04", "end": "2027-01-01", "nightly_rate": 1}, headers=owner
    )
    assert backwards.status_code == 422


def test_opening_hours_must_open_and_close_at_different_times(
    client: TestClient, world: World
) -> None:
    url = f"{API}/venues/{world.ids['restaurant_id']}/opening-hours"
    same = {"weekday": 1, "opens": "12:00", "closes": "12:00"}
    assert client.post(url, json=same, headers=world.headers["owner"]).status_code == 422
    late = {"weekday": 1, "opens": "22:00", "closes": "01:00"}
    assert client.post(url, json=late, headers=world.headers["owner"]).status_code == 201


def test_another_tenant_sees_none_of_the_business(client: TestClient, world: World) -> None:
    other = world.headers["other"]
    for path in ("/venues", "/bookings", "/guests", "/conversations", "/users"):
        assert client.get(API + path, headers=other).json() == [] or path == "/users"
    users = client.get(f"{API}/users", headers=other).json()
    assert [u["email"] for u in users] == ["owner@other.test"]
    search = client.get(f"{API}/bookings", params={"q": world.ids["reference"]}, headers=other)
    assert search.json() == []


def test_staff_reply_goes_through_the_outbox_and_pauses_the_bot_until_hand_back(
    client: TestClient, world: World, sessions: sessionmaker[Session]
) -> None:
    staff = world.headers["staff"]
    thread = f"{API}/conversations/{world.ids['venue_id']}/sms/{GUEST_PHONE}"
    body = {"text": "Hi Asha, this is the front desk.", "request_key": "reply-0001"}
    first = client.post(f"{thread}/reply", json=body, headers=staff)
    again = client.post(f"{thread}/reply", json=body, headers=staff)
    assert first.status_code == 202 and first.json()["outbox_id"] == again.json()["outbox_id"]
    with sessions() as session:
        rows = session.query(OutboxMessage).all()
        assert [(r.to_address, r.channel.value, r.payload["body"]) for r in rows] == [
            (GUEST_PHONE, "sms", body["text"])
        ]
    inbox = client.get(f"{API}/conversations", headers=staff).json()
    assert inbox[0]["handed_off"] and inbox[0]["last_text"] == body["text"]
    lines = client.get(thread, headers=staff).json()["lines"]
    assert [line["direction"] for line in lines] == ["in", "out"]
    assert client.post(f"{thread}/hand-back", headers=staff).status_code == 204
    assert not client.get(thread, headers=staff).json()["handed_off"]


def test_staff_takeover_waits_for_a_bot_turn_in_flight_and_the_turn_cannot_undo_it(
    client: TestClient, world: World, runtime: Runtime
) -> None:
    staff = world.headers["staff"]
    thread = f"{API}/conversations/{world.ids['venue_id']}/sms/{GUEST_PHONE}"
    key = conversation_key(world.ids["venue_id"], MessageChannel.SMS, GUEST_PHONE)
    store = ConversationStore(runtime.redis)
    body = {"text": "Let me help you with that.", "request_key": "reply-0002"}
    with ThreadPoolExecutor(1) as pool:
        with holding(conversation_lock(runtime.redis, key)):  # the bot is answering the guest
            conversation = store.load(key)
            reply = pool.submit(client.post, f"{thread}/reply", json=body, headers=staff)
            time.sleep(0.3)
            assert not reply.done(), "staff took over in the middle of a bot turn"
            conversation.state = State.COLLECTING
            store.save(key, conversation)
        assert reply.result(timeout=30).status_code == 202
    assert store.load(key).state == State.HANDOFF
    assert client.get(thread, headers=staff).json()["handed_off"]


def test_staff_reply_to_a_conversation_stuck_in_a_turn_is_a_409_and_sends_nothing(
    client: TestClient,
    world: World,
    runtime: Runtime,
    sessions: sessionmaker[Session],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(bot.staff, "STAFF_WAIT_SECONDS", 0.3)  # not the 5 s a person would wait
    staff = world.headers["staff"]
    thread = f"{API}/conversations/{world.ids['venue_id']}/sms/{GUEST_PHONE}"
    key = conversation_key(world.ids["venue_id"], MessageChannel.SMS, GUEST_PHONE)
    with holding(conversation_lock(runtime.redis, key)):  # a turn that does not finish
        body = {"text": "Hello?", "request_key": "reply-0003"}
        busy = client.post(f"{thread}/reply", json=body, headers=staff)
        back = client.post(f"{thread}/hand-back", headers=staff)
    assert busy.status_code == back.status_code == 409
    assert busy.headers["retry-after"] == "2" and "try again" in busy.json()["detail"]
    with sessions() as session:
        assert session.query(OutboxMessage).count() == 0
