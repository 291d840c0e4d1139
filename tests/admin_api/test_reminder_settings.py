"""Reminders in the owner API: each venue's schedule, quiet hours, template, address and map
coordinates; and a guest's confirmation on the booking, in its audit trail and the live feed."""

from __future__ import annotations

from fastapi.testclient import TestClient

from admin_api.api import PREFIX
from application.unit_of_work import unit_of_work
from engine.bookings.service import get_booking
from engine.db import utcnow
from engine.reminders.service import confirm_attendance
from infra.runtime import Runtime
from tests.admin_api.conftest import World
from tests.stack import live_feed


def test_a_venue_shows_its_reminder_schedule_with_the_defaults_of_its_kind(
    client: TestClient, world: World
) -> None:
    restaurant = client.get(
        f"{PREFIX}/venues/{world.ids['restaurant_id']}", headers=world.headers["staff"]
    ).json()
    hotel = client.get(f"{PREFIX}/venues/{world.ids['venue_id']}", headers=world.headers["staff"])
    assert restaurant["reminders"] == {
        "day_before": {"enabled": True, "hours_before": 24},
        "same_day": {"enabled": True, "hours_before": 2},
    }
    assert hotel.json()["reminders"] == {"day_before": {"enabled": True, "hours_before": 24}}
    assert restaurant["quiet_hours"] == {"start": "22:00", "end": "08:00"}
    assert restaurant["reminder_template"] == "bookline_reminder"
    assert hotel.json()["address"] == "Lighthouse Road, Kovalam, Kerala"
    assert (hotel.json()["latitude"], restaurant["latitude"]) == (8.3833, None)


def test_an_owner_turns_a_reminder_off_moves_another_and_sets_quiet_hours_and_a_map(
    client: TestClient, world: World
) -> None:
    changes = {
        "reminders": {"same_day": {"enabled": False, "hours_before": 3}},
        "quiet_hours": {"start": "23:00", "end": "07:30"},
        "reminder_template": "spice_garden_reminder",
        "address": "14 MG Road, Bengaluru",
        "latitude": 12.9756,
        "longitude": 77.605,
    }
    url = f"{PREFIX}/venues/{world.ids['restaurant_id']}"
    changed = client.patch(url, json=changes, headers=world.headers["owner"])
    assert changed.status_code == 200, changed.text
    again = client.get(url, headers=world.headers["owner"]).json()
    assert again["reminders"] == {
        "day_before": {"enabled": True, "hours_before": 24},
        "same_day": {"enabled": False, "hours_before": 3},
    }
    assert {name: again[name] for name in changes if name != "reminders"} == {
        name: value for name, value in changes.items() if name != "reminders"
    }


def test_a_reminder_a_venue_cannot_send_or_an_impossible_offset_is_refused(
    client: TestClient, world: World
) -> None:
    hotel = f"{PREFIX}/venues/{world.ids['venue_id']}"
    same_day = {"reminders": {"same_day": {"enabled": True, "hours_before": 2}}}
    refused = client.patch(hotel, json=same_day, headers=world.headers["owner"])
    assert refused.status_code == 422
    assert "no 'same_day' reminder" in refused.json()["detail"]
    never = {"reminders": {"day_before": {"enabled": True, "hours_before": 0}}}
    assert client.patch(hotel, json=never, headers=world.headers["owner"]).status_code == 422
    staff = client.patch(hotel, json={"address": "x"}, headers=world.headers["staff"])
    assert staff.status_code == 403


def test_a_guest_confirming_shows_on_the_booking_in_its_trail_and_in_the_live_feed(
    served: str, client: TestClient, world: World, runtime: Runtime
) -> None:
    reference = world.ids["reference"]
    with live_feed(served, world.tokens["owner"]) as feed:
        with unit_of_work(runtime) as uow:
            booking = get_booking(uow.session, reference=reference)
            actor = "guest:+919800000001:sms"
            confirm_attendance(uow.session, booking=booking, actor=actor, now=utcnow())
        kind, event = feed.next_event()
    assert (kind, event["summary"]) == ("booking.changed", f"{reference}: guest confirmed")
    detail = client.get(f"{PREFIX}/bookings/{reference}", headers=world.headers["staff"]).json()
    assert detail["guest_confirmed_at"] is not None
    assert (detail["events"][-1]["reason"], detail["status"]) == ("guest confirmed", "confirmed")
