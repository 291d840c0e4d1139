"""The inbox page of the owner API: threads found by guest name, phone or booking reference, a
page at a time, guests waiting for a person first (handed off, then with questions the bot
left for one), and each thread's unanswered messages and open questions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from bot.choices import Thread, conversation_key
from bot.open_questions import leave_question
from bot.staff import hand_back, take_over
from engine.guests.service import get_or_create_guest
from engine.messaging.enums import MessageChannel
from engine.messaging.service import add_transcript
from infra.runtime import Runtime
from tests.admin_api.conftest import GUEST_PHONE, World

API = "/api/v1"
SMS = MessageChannel.SMS
GUESTS = 25  # more than a page
PAGE = 10


def chat(session: Session, venue_id: int, phone: str, lines: list[str], at: datetime) -> None:
    """Lines of one thread a minute apart: "> text" from the guest, "< text" to them."""
    for n, line in enumerate(lines):
        direction = "in" if line.startswith(">") else "out"
        add_transcript(
            session,
            venue_id=venue_id,
            channel=SMS,
            guest_phone=phone,
            direction=direction,
            text=line[2:],
            now=at + timedelta(minutes=n),
        )


def many_guests(sessions: sessionmaker[Session], world: World) -> None:
    """25 restaurant guests, the newest last; guest 7 is Farida Khan, and has two unanswered
    messages after the bot's reply."""
    start = datetime.now(UTC) - timedelta(days=1)
    with sessions.begin() as session:
        business = world.ids["business_id"]
        for n in range(GUESTS):
            phone = f"+91981234{n:04d}"
            name = "Farida Khan" if n == 7 else f"Guest {n}"
            get_or_create_guest(session, business_id=business, phone=phone, name=name)
            lines = ["> table for 2", "< Which day?"]
            if n == 7:
                lines += ["> tomorrow", "> at 8?"]
            chat(session, world.ids["restaurant_id"], phone, lines, start + timedelta(hours=n))


def page(client: TestClient, world: World, **params: Any) -> dict[str, Any]:
    response = client.get(
        f"{API}/conversations/inbox", params=params, headers=world.headers["staff"]
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_the_inbox_pages_threads_newest_first_with_the_total(
    client: TestClient, world: World, sessions: sessionmaker[Session]
) -> None:
    many_guests(sessions, world)
    venue = world.ids["restaurant_id"]
    first = page(client, world, venue_id=venue, limit=PAGE)
    last = page(client, world, venue_id=venue, limit=PAGE, offset=20)
    assert (first["total"], first["waiting"]) == (GUESTS, 0)
    assert [t["guest_name"] for t in first["threads"][:2]] == ["Guest 24", "Guest 23"]
    assert len(last["threads"]) == GUESTS - 20
    assert last["threads"][-1]["guest_name"] == "Guest 0"


def test_a_thread_is_found_by_name_phone_or_booking_reference(
    client: TestClient, world: World, sessions: sessionmaker[Session]
) -> None:
    many_guests(sessions, world)
    (by_name,) = page(client, world, q="farida")["threads"]
    assert (by_name["guest_phone"], by_name["unanswered"]) == ("+919812340007", 2)
    assert by_name["last_text"] == "at 8?" and by_name["messages"] == 4
    (by_phone,) = page(client, world, q="98123 40012")["threads"]
    assert by_phone["guest_name"] == "Guest 12" and by_phone["unanswered"] == 0
    (by_reference,) = page(client, world, q=world.ids["reference"].lower())["threads"]
    assert by_reference["guest_phone"] == GUEST_PHONE
    assert page(client, world, q="nobody by this name")["threads"] == []
    assert page(client, world, q="100%")["threads"] == []  # a wildcard is a letter here


def test_guests_waiting_for_a_person_come_first_and_are_counted(
    client: TestClient, world: World, sessions: sessionmaker[Session], runtime: Runtime
) -> None:
    many_guests(sessions, world)
    venue = world.ids["restaurant_id"]
    take_over(runtime.redis, Thread(venue, SMS, "+919812340003"), now=datetime.now(UTC))

    listed = page(client, world, venue_id=venue, limit=PAGE)
    assert listed["waiting"] == 1
    assert [(t["guest_name"], t["handed_off"]) for t in listed["threads"][:2]] == [
        ("Guest 3", True),
        ("Guest 24", False),
    ]
    (only,) = page(client, world, venue_id=venue, waiting=True)["threads"]
    assert only["guest_name"] == "Guest 3"
    other = client.get(f"{API}/conversations/inbox", headers=world.headers["other"]).json()
    assert other["total"] == 0


def test_threads_with_open_questions_follow_the_handed_off_and_count_as_waiting(
    client: TestClient, world: World, sessions: sessionmaker[Session], runtime: Runtime
) -> None:
    many_guests(sessions, world)
    venue = world.ids["restaurant_id"]
    take_over(runtime.redis, Thread(venue, SMS, "+919812340003"), now=datetime.now(UTC))
    for phone, question in [
        ("+919812340005", "is there parking?"),
        ("+919812340009", "do you have a high chair?"),
        ("+919812340009", "and a kids menu?"),
    ]:
        leave_question(runtime.redis, conversation_key(venue, SMS, phone), question)

    listed = page(client, world, venue_id=venue, limit=PAGE)
    assert listed["waiting"] == 3
    assert [(t["guest_name"], t["handed_off"], t["questions"]) for t in listed["threads"][:4]] == [
        ("Guest 3", True, []),
        ("Guest 9", False, ["do you have a high chair?", "and a kids menu?"]),
        ("Guest 5", False, ["is there parking?"]),
        ("Guest 24", False, []),
    ]
    only = page(client, world, venue_id=venue, waiting=True)
    assert [t["guest_name"] for t in only["threads"]] == ["Guest 3", "Guest 9", "Guest 5"]
    assert only["total"] == only["waiting"] == 3

    hand_back(runtime.redis, Thread(venue, SMS, "+919812340009"))
    after = page(client, world, venue_id=venue, waiting=True)
    assert [t["guest_name"] for t in after["threads"]] == ["Guest 3", "Guest 5"]
    other = client.get(
        f"{API}/conversations/inbox", params={"waiting": True}, headers=world.headers["other"]
    ).json()
    assert (other["total"], other["waiting"]) == (0, 0)
