"""Settings in the browser: the venue's calendar feed address (and replacing it), and adding
or taking out of service the rooms and tables the bot sells."""

from __future__ import annotations

import re

import httpx
from playwright.sync_api import Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from engine.inventory.models import Room, Table
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
