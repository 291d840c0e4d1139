"""The bookings list in the browser: a venue with more bookings than one page shows them all,
a page at a time."""

from __future__ import annotations

from playwright.sync_api import Page, expect
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from engine.bookings.models import Booking
from engine.history.service import seed_history
from engine.seed import seed_demo
from tests.dashboard.bookings import demo_hotel
from tests.dashboard.owner import log_in, open_view
from tests.stack import Stack


def test_more_bookings_than_a_page_are_reached_with_show_more(
    demo: Stack, sessions: sessionmaker[Session], page: Page
) -> None:
    with sessions.begin() as session:
        seed_history(session, business=seed_demo(session), days=50)
        total = session.scalar(
            select(func.count(Booking.id)).where(Booking.venue_id == demo_hotel(session).id)
        )
    assert total is not None and 100 < total <= 200  # more than one page, less than two
    log_in(page, demo.url)
    open_view(page, "bookings")
    items = page.locator(".results .items > li")
    expect(items).to_have_count(100)
    expect(page.get_by_text("100+ bookings")).to_be_visible()

    page.get_by_role("button", name="Show more bookings").click()
    expect(items).to_have_count(total)
    expect(page.get_by_text(f"{total} bookings")).to_be_visible()
    expect(page.get_by_role("button", name="Show more bookings")).to_have_count(0)
