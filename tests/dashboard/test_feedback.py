"""Guest feedback in the browser: the score and comment on the booking page, the average on
the analytics page, and the owner's settings for asking."""

from __future__ import annotations

from datetime import UTC, datetime

from playwright.sync_api import Page, expect
from sqlalchemy.orm import Session, sessionmaker

from engine.feedback.service import add_comment, mark_asked, rate
from tests.dashboard.bookings import confirmed_stay, demo_hotel
from tests.dashboard.owner import log_in, open_view
from tests.stack import Stack


def test_the_booking_shows_the_guests_score_and_words_and_analytics_the_average(
    demo: Stack, sessions: sessionmaker[Session], page: Page
) -> None:
    with sessions.begin() as session:
        now = datetime.now(UTC)
        stay = confirmed_stay(session, now.astimezone(demo_hotel(session).tz).date())
        mark_asked(session, booking=stay, now=now)
        rate(session, booking=stay, score=2, actor="guest", now=now)
        add_comment(session, booking=stay, comment="Noisy room", actor="guest", now=now)
        reference = stay.reference
    log_in(page, demo.url)
    open_view(page, f"bookings/{reference}")
    expect(page.locator("#guest-feedback")).to_contain_text("2/5 · “Noisy room”")
    expect(page.locator(".trail")).to_contain_text("guest rated the visit")

    open_view(page, "analytics")
    card = page.locator("#feedback")
    expect(card).to_contain_text("2.0 / 5")
    expect(card).to_contain_text("1 of 1 asked")


def test_the_owner_turns_the_question_off_and_moves_it(
    demo: Stack, sessions: sessionmaker[Session], page: Page
) -> None:
    log_in(page, demo.url)
    open_view(page, "settings")
    asking = page.get_by_label("Ask guests how the visit went")
    expect(asking).to_be_checked()
    asking.uncheck()
    page.get_by_label("Ask after the visit ends (minutes)").fill("90")
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator(".toast").filter(has_text="Settings saved.")).to_be_visible()
    with sessions() as session:
        hotel = demo_hotel(session)
        assert (hotel.feedback_enabled, hotel.feedback_delay_minutes) == (False, 90)
    page.reload()
    open_view(page, "settings")
    expect(page.get_by_label("Ask guests how the visit went")).not_to_be_checked()
    expect(page.get_by_label("Ask after the visit ends (minutes)")).to_have_value("90")
