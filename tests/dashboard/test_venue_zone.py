"""Every time the owner sees is on the venue's clock, whatever zone the browser runs in: the
browser here runs in Los Angeles, the demo venues in Asia/Kolkata (12½ or 13½ hours apart)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from playwright.sync_api import Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from engine.tenants.models import Venue
from tests.admin_api.conftest import book_table
from tests.dashboard.bookings import confirmed_stay, demo_hotel
from tests.dashboard.owner import log_in, open_view, wait_loaded
from tests.stack import Stack

ZONE_LINE = "Times in Asia/Kolkata (GMT+5:30)"


def test_times_are_the_venues_while_the_browser_is_in_another_zone(
    demo: Stack, sessions: sessionmaker[Session], faraway_page: Page, artifacts: Path
) -> None:
    page = faraway_page
    with sessions.begin() as session:
        hotel = demo_hotel(session)
        restaurant = session.scalars(select(Venue).where(Venue.slug == "spice-garden")).one()
        zone = hotel.tz
        stay = confirmed_stay(session, datetime.now(UTC).astimezone(zone).date()).reference
        day = datetime.now(UTC).astimezone(zone).date() + timedelta(days=1)
        seating = book_table(session, restaurant, day, time(19, 30), 2, "+919811111130").reference
    assert page.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone") != str(zone)
    log_in(page, demo.url)
    expect(page.locator("body")).to_have_attribute("data-live-state", "connected", timeout=10_000)

    # The zone is named once on the page.
    expect(page.locator("#venue-zone")).to_have_text(ZONE_LINE)
    assert page.locator("body").inner_text().count("Asia/Kolkata") == 1

    # A seating at 19:30 in Kolkata reads 19:30, on its page and on the calendar.
    open_view(page, f"bookings/{seating}")
    expect(page.locator(".facts")).to_contain_text(f"{day.day} {day.strftime('%b')}, 19:30")
    expect(page.locator("#venue-select option:checked")).to_have_text("Spice Garden")
    open_view(page, "calendar")
    page.locator("#calendar-from").fill(day.isoformat())
    page.locator("#calendar-from").dispatch_event("change")
    wait_loaded(page)
    block = page.locator(f".tl-block[data-reference='{seating}']")
    expect(block).to_have_attribute("aria-label", f"{seating}: +919811111130, party of 2, "
                                    "19:30–21:00, confirmed")  # fmt: skip

    # What happens now is stamped with Kolkata's clock in the live list.
    page.locator("#venue-select").select_option(label="Seaside Hotel")
    open_view(page, f"bookings/{stay}")
    before = datetime.now(UTC).astimezone(zone)
    page.get_by_role("button", name="Mark arrived").click()
    expect(page.locator(".toast").filter(has_text="arrived").first).to_be_visible()
    after = datetime.now(UTC).astimezone(zone)
    open_view(page, "today")
    stamp = page.locator(f"#live-list li[data-reference='{stay}'] time").first
    expect(stamp).to_be_visible()
    assert stamp.inner_text()[:5] in {before.strftime("%H:%M"), after.strftime("%H:%M")}
    page.screenshot(path=artifacts / "venue-zone-today.png", full_page=True)
