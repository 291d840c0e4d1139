"""The Today page in the browser: a guest checked in or seated with one tap (and a mistaken
tap taken back), a guest not arrived in time listed apart, still one tap from checked in, a
restaurant's lunch and dinner each in time order, and groups awaiting the owner's approval."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from playwright.sync_api import Locator, Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from engine.bookings.models import Booking
from engine.inventory.models import OpeningHours
from engine.tenants.models import Venue
from tests.admin_api.conftest import book_table
from tests.dashboard.bookings import confirmed_stay, demo_hotel, group_request
from tests.dashboard.owner import log_in, open_view
from tests.stack import Stack


def card(page: Page, title: str) -> Locator:
    return page.locator("#view section.card").filter(has=page.locator("h2", has_text=title))


def arrived_at(sessions: sessionmaker[Session], reference: str) -> datetime | None:
    with sessions() as session:
        return session.scalars(
            select(Booking.arrived_at).where(Booking.reference == reference)
        ).one()


def test_a_guest_is_checked_in_in_one_tap_and_a_late_one_is_listed_as_not_arrived(
    demo: Stack, sessions: sessionmaker[Session], page: Page, artifacts: Path
) -> None:
    with sessions.begin() as session:
        hotel = demo_hotel(session)
        # Midnight check-out: yesterday's guest is overdue whenever the test runs.
        hotel.check_out_time = time(0, 0)
        today = datetime.now(UTC).astimezone(hotel.tz).date()
        due = confirmed_stay(session, today).reference
        late = confirmed_stay(session, today - timedelta(days=1), phone="+919811111113").reference
    log_in(page, demo.url)

    arrivals = card(page, "Arrivals")
    arrivals.get_by_role("button", name=f"Check in {due}").click()
    line = arrivals.locator(f"li[data-reference='{due}']")
    expect(line.locator(".badge-arrived")).to_have_text("arrived")
    assert arrived_at(sessions, due) is not None
    line.get_by_role("button", name=f"Undo {due}").click()
    expect(line.get_by_role("button", name=f"Check in {due}")).to_be_visible()
    assert arrived_at(sessions, due) is None

    not_arrived = card(page, "Not arrived")
    expect(not_arrived.locator(".figure")).to_have_text("1")
    expect(not_arrived.locator(f"li[data-reference='{late}']")).to_be_visible()
    page.screenshot(path=artifacts / "dashboard-today-attendance.png", full_page=True)
    not_arrived.get_by_role("button", name=f"Check in {late}").click()
    expect(not_arrived.locator(".figure")).to_have_text("0")
    expect(not_arrived).to_contain_text("Everyone due has arrived.")


def with_lunch_today(session: Session, restaurant: Venue, today: date) -> None:
    """The demo has no lunch on Mondays: open one today if today is one."""
    hours = session.scalars(
        select(OpeningHours).where(
            OpeningHours.venue_id == restaurant.id, OpeningHours.weekday == today.weekday()
        )
    ).all()
    if not any(window.opens < time(16) for window in hours):
        session.add(
            OpeningHours(
                venue_id=restaurant.id, weekday=today.weekday(), opens=time(12), closes=time(15)
            )
        )


def test_a_restaurant_lists_lunch_then_dinner_in_time_order_and_seats_in_one_tap(
    demo: Stack, sessions: sessionmaker[Session], page: Page, artifacts: Path
) -> None:
    with sessions.begin() as session:
        restaurant = session.scalars(select(Venue).where(Venue.slug == "spice-garden")).one()
        today = datetime.now(UTC).astimezone(restaurant.tz).date()
        with_lunch_today(session, restaurant, today)
        booked = {
            at: book_table(session, restaurant, today, at, 2, f"+91981111120{n}").reference
            for n, at in enumerate([time(20), time(13), time(19, 30), time(12, 15)])
        }
    log_in(page, demo.url)
    page.locator("#venue-select").select_option(label="Spice Garden")

    services = page.locator("#today-services section[data-service]")
    expect(services).to_have_count(2)
    assert [s.get_attribute("data-service") for s in services.all()] == ["Lunch", "Dinner"]
    lunch, dinner = card(page, "Lunch"), card(page, "Dinner")
    expect(lunch.locator(".arrival-time")).to_have_text(["12:15", "13:00"])
    expect(dinner.locator(".arrival-time")).to_have_text(["19:30", "20:00"])
    expect(lunch.locator(".figure")).to_have_text("4")  # covers

    seated = booked[time(13)]
    lunch.get_by_role("button", name=f"Seat {seated}").click()
    expect(lunch.locator(f"li[data-reference='{seated}'] .badge-arrived")).to_have_text("arrived")
    assert arrived_at(sessions, seated) is not None
    page.screenshot(path=artifacts / "today-restaurant.png", full_page=True)


def test_group_requests_awaiting_approval_are_listed_with_the_time_left_until_they_lapse(
    demo: Stack, sessions: sessionmaker[Session], page: Page, artifacts: Path
) -> None:
    with sessions.begin() as session:
        hotel = demo_hotel(session)
        arrival = datetime.now(UTC).astimezone(hotel.tz).date() + timedelta(days=10)
        waiting = group_request(session, arrival)
        waiting.hold_expires_at = datetime.now(UTC) + timedelta(hours=5, minutes=30)
        lapsed = group_request(session, arrival + timedelta(days=5))
        lapsed.hold_expires_at = datetime.now(UTC) - timedelta(minutes=1)
        reference, guest = waiting.reference, waiting.guest.name
    log_in(page, demo.url)

    requests = card(page, "Requests awaiting approval")
    expect(requests.locator(".figure")).to_have_text("1")
    expect(requests.locator("li.request")).to_have_count(1)
    line = requests.locator("li.request")
    expect(line).to_have_attribute("data-reference", reference)
    expect(line).to_contain_text(f"{guest}")
    expect(line).to_contain_text("4 rooms · 8 guests")
    expect(line.locator("time")).to_have_text(re.compile(r"lapses in 5 h (29|30) min"))
    page.screenshot(path=artifacts / "today-requests.png", full_page=True)
    line.get_by_role("link", name=reference).click()
    page.get_by_role("button", name="Decline request").click()
    expect(page.locator(".facts")).to_contain_text("declined")

    open_view(page, "today")
    expect(card(page, "Requests awaiting approval")).to_contain_text(
        "No group waits for an answer."
    )
