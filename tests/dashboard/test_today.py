"""The Today page in the browser: a guest checked in or seated with one tap (and a mistaken
tap taken back), and a guest not arrived in time listed apart, still one tap from checked in."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from playwright.sync_api import Locator, Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from engine.bookings.models import Booking
from engine.tenants.models import Venue
from tests.admin_api.conftest import book_table
from tests.dashboard.bookings import confirmed_stay, demo_hotel
from tests.dashboard.owner import log_in
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


def test_a_restaurant_seats_any_of_todays_tables_in_one_tap(
    demo: Stack, sessions: sessionmaker[Session], page: Page
) -> None:
    with sessions.begin() as session:
        restaurant = session.scalars(select(Venue).where(Venue.slug == "spice-garden")).one()
        today = datetime.now(UTC).astimezone(restaurant.tz).date()
        lunch = book_table(session, restaurant, today, time(13), 2, "+919811111114").reference
    log_in(page, demo.url)
    page.locator("#venue-select").select_option(label="Spice Garden")

    tables = card(page, "Today's covers")
    expect(tables.locator(".figure")).to_have_text("2")
    tables.get_by_role("button", name=f"Seat {lunch}").click()
    expect(tables.locator(f"li[data-reference='{lunch}'] .badge-arrived")).to_have_text("arrived")
    assert arrived_at(sessions, lunch) is not None
