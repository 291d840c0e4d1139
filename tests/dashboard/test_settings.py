"""Settings in the browser: the venue's calendar feed address (and replacing it), adding or
taking out of service the rooms and tables the bot sells, the reminders before a visit, and the
answers the bot gives guests who ask."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta

import httpx
from playwright.sync_api import Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from engine.answers.service import owner_facts, venue_questions
from engine.answers.topics import FactTopic
from engine.db import utcnow
from engine.inventory.models import Room, Table
from engine.reminders.schedule import QuietHours, ReminderKind, Rule
from engine.reminders.service import confirm_attendance
from engine.tenants.models import Venue
from tests.dashboard.bookings import confirmed_stay
from tests.dashboard.owner import log_in, open_view
from tests.stack import Stack


def test_the_owner_sees_the_calendar_address_and_replaces_it(demo: Stack, page: Page) -> None:
    log_in(page, demo.url)
    open_view(page, "settings")
    address = page.get_by_label("Calendar address (iCal)")
    expect(address).to_have_value(re.compile(rf"^{re.escape(demo.url)}/api/v1/calendar/.+\.ics$"))
    old = address.input_value()
    expect(page.locator("#view")).not_to_contain_text("null")  # no empty section printed
    assert httpx.get(old).headers["content-type"].startswith("text/calendar")

    page.get_by_role("button", name="Replace the address").click()
    expect(address).not_to_have_value(old)
    assert httpx.get(address.input_value()).status_code == 200
    assert httpx.get(old).status_code == 404


def test_the_owner_adds_and_deactivates_rooms_and_tables(
    demo: Stack, sessions: sessionmaker[Session], page: Page
) -> None:
    log_in(page, demo.url)
    open_view(page, "settings")
    page.get_by_label("Room number").fill("106")
    page.get_by_label("Room type", exact=True).select_option(label="Standard")
    page.get_by_role("button", name="Add a room").click()
    expect(page.locator("tr[data-room='106']")).to_contain_text("Standard")
    page.get_by_role("button", name="Deactivate room 101").click()
    expect(page.get_by_role("button", name="Reactivate room 101")).to_be_visible()

    page.locator("#venue-select").select_option(label="Spice Garden")
    open_view(page, "settings")
    page.get_by_label("Table label").fill("T11")
    page.get_by_label("Seats", exact=True).fill("4")
    page.get_by_role("button", name="Add a table").click()
    expect(page.locator("tr[data-table='T11']")).to_contain_text("4")
    page.get_by_role("button", name="Deactivate table T1", exact=True).click()
    expect(page.get_by_role("button", name="Reactivate table T1", exact=True)).to_be_visible()

    with sessions() as session:
        rooms = {r.number: r.active for r in session.scalars(select(Room))}
        tables = {t.label: (t.seats, t.active) for t in session.scalars(select(Table))}
    assert rooms["106"] and not rooms["101"]
    assert tables["T11"] == (4, True) and not tables["T1"][1]


def test_the_owner_changes_the_reminders_and_quiet_hours_and_staff_see_a_guest_confirmed(
    demo: Stack, sessions: sessionmaker[Session], page: Page
) -> None:
    log_in(page, demo.url)
    page.locator("#venue-select").select_option(label="Spice Garden")
    open_view(page, "settings")
    page.get_by_label("Same-day reminder").uncheck()
    page.locator("#reminder-day_before-hours").fill("20")
    page.get_by_label("Quiet hours from").fill("21:30")
    page.get_by_label("Address (in reminders)").fill("14 MG Road, Bengaluru")
    page.get_by_label("Latitude (map link)").fill("12.9756")
    page.get_by_label("Longitude (map link)").fill("77.605")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Settings saved.")).to_be_visible()

    with sessions.begin() as session:
        venue = session.scalars(select(Venue).where(Venue.slug == "spice-garden")).one()
        assert venue.reminders[ReminderKind.DAY_BEFORE] == Rule(ReminderKind.DAY_BEFORE, 20)
        assert not venue.reminders[ReminderKind.SAME_DAY].enabled
        assert venue.quiet_hours == QuietHours(time(21, 30), time(8, 0))
        assert (venue.address, venue.latitude, venue.longitude) == (
            "14 MG Road, Bengaluru",
            12.9756,
            77.605,
        )
        hotel = session.scalars(select(Venue).where(Venue.slug == "seaside-hotel")).one()
        arrival = datetime.now(UTC).astimezone(hotel.tz).date() + timedelta(days=10)
        booking = confirmed_stay(session, arrival)
        confirm_attendance(session, booking=booking, actor="guest:+919811111111:sms", now=utcnow())
    page.locator("#venue-select").select_option(label="Seaside Hotel")
    open_view(page, f"bookings/{booking.reference}")
    expect(page.locator("dl.facts")).to_contain_text("Guest confirmedYes,")
    expect(page.locator(".trail")).to_contain_text("guest confirmed")


def test_the_owner_writes_an_answer_and_a_question_for_guests(
    demo: Stack, sessions: sessionmaker[Session], page: Page
) -> None:
    log_in(page, demo.url)
    open_view(page, "settings")
    expect(page.locator("#fact-parking")).to_have_value(re.compile("^Yes: free parking"))
    page.locator("#fact-pets").fill("Small dogs are welcome in the garden rooms.")
    page.locator("#fact-pets-es").fill("Se admiten perros pequeños en las habitaciones del jardín.")
    page.get_by_role("button", name="Add a question").click()
    new = page.locator("fieldset.qa").last
    new.get_by_label("Question", exact=True).fill("Is there a lift?")
    new.get_by_label("Answer", exact=True).fill("Yes, to every floor.")
    new.get_by_label("Other ways guests ask it (one a line)").fill("elevator?\nany lift")
    page.get_by_role("button", name="Save answers").click()
    expect(page.get_by_text("Answers saved.")).to_be_visible()

    with sessions() as session:
        hotel = session.scalars(select(Venue).where(Venue.slug == "seaside-hotel")).one()
        pets = owner_facts(hotel)[FactTopic.PETS]
        last = venue_questions(session, venue_id=hotel.id)[-1]
    assert pets.text == "Small dogs are welcome in the garden rooms."
    assert pets.in_language("es").startswith("Se admiten perros pequeños")
    assert (last.question, last.answer, last.phrasings) == (
        "Is there a lift?",
        "Yes, to every floor.",
        ["elevator?", "any lift"],
    )
