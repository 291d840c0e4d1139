"""Recommendations in the browser: the owner's switches per kind, and the analytics table."""

from __future__ import annotations

from playwright.sync_api import Page, expect
from sqlalchemy.orm import Session, sessionmaker

from tests.dashboard.bookings import demo_hotel
from tests.dashboard.owner import log_in, open_view
from tests.stack import Stack


def test_the_owner_turns_a_kind_off_and_analytics_list_every_kind(
    demo: Stack, sessions: sessionmaker[Session], page: Page
) -> None:
    log_in(page, demo.url)
    open_view(page, "settings")
    usual = page.get_by_label("The guest's usual (filled in for returning guests)")
    expect(usual).to_be_checked()
    usual.uncheck()
    sister = page.get_by_label("The sister hotel free for dates this one is full")
    expect(sister).to_be_checked()  # a kind the API lists gets its switch
    sister.uncheck()
    page.get_by_role("button", name="Save recommendations").click()
    expect(page.locator(".toast").filter(has_text="Recommendations saved.")).to_be_visible()
    with sessions() as session:
        assert demo_hotel(session).recommendations["usual"] is False
        assert demo_hotel(session).recommendations["alternatives"] is True
        assert demo_hotel(session).recommendations["sister_venue"] is False

    open_view(page, "analytics")
    card = page.locator("#recommendations")
    expect(card.locator("tr[data-kind='usual']")).to_contain_text("usual (off)")
    expect(card.locator("tr[data-kind='alternatives'] td").nth(1)).to_have_text("0")
