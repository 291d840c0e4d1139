"""The booking page and list show every room of a stay of several rooms, and staff cancel one
room on its own."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from playwright.sync_api import Page, expect
from sqlalchemy.orm import Session, sessionmaker

from tests.dashboard.bookings import confirmed_rooms, demo_hotel, group_request
from tests.dashboard.owner import log_in, open_view
from tests.stack import Stack


def test_the_rooms_of_a_booking_are_listed_and_one_is_cancelled(
    demo: Stack, sessions: sessionmaker[Session], page: Page
) -> None:
    with sessions.begin() as session:
        hotel = demo_hotel(session)
        arrival = datetime.now(UTC).astimezone(hotel.tz).date() + timedelta(days=10)
        reference = confirmed_rooms(session, arrival).reference
    log_in(page, demo.url)
    open_view(page, "bookings")
    row = page.locator(f".booking-item[data-reference='{reference}']")
    expect(row).to_contain_text("party of 4 in 2 rooms")

    open_view(page, f"bookings/{reference}")
    rooms = page.locator("#booking-rooms")
    expect(rooms.locator("h2")).to_have_text("Rooms (2 of 2 booked)")
    expect(rooms.locator("tbody tr")).to_have_count(2)
    expect(rooms.locator("tbody tr").first).to_contain_text("Standard")
    expect(rooms.locator("tbody tr").first).to_contain_text("101")
    rooms.get_by_role("button", name="Cancel this room").last.click()
    expect(rooms.locator("h2")).to_have_text("Rooms (1 of 2 booked)")
    expect(rooms.locator("tbody tr").last).to_contain_text("cancelled")
    expect(rooms.get_by_role("button", name="Cancel this room")).to_have_count(0)
    expect(page.locator(".trail")).to_contain_text("room cancelled")


def test_the_owner_declines_a_groups_request_from_its_page(
    demo: Stack, sessions: sessionmaker[Session], page: Page
) -> None:
    with sessions.begin() as session:
        hotel = demo_hotel(session)
        arrival = datetime.now(UTC).astimezone(hotel.tz).date() + timedelta(days=10)
        reference = group_request(session, arrival).reference
    log_in(page, demo.url)
    open_view(page, f"bookings/{reference}")
    expect(page.locator(".facts")).to_contain_text("pending")
    expect(page.get_by_role("button", name="Accept request")).to_be_visible()
    page.get_by_role("button", name="Decline request").click()
    expect(page.locator(".facts")).to_contain_text("declined")
    expect(page.locator(".trail")).to_contain_text("request declined")
    expect(page.get_by_role("button", name="Accept request")).to_have_count(0)
