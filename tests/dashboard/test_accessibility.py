"""axe-core, run in the browser on every page of the dashboard (both venues' calendars, a
booking, a conversation, the login form) at desktop and phone width, finds no serious or
critical violation.

axe-core is vendored under ``tests/dashboard/vendor`` (MPL-2.0, its licence beside it) and only
ever loaded by the tests: it is evaluated through the browser's devtools channel, which the
page's script policy does not govern, so the dashboard's own policy stays as strict as served.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from redis import Redis
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.choices import conversation_key
from bot.open_questions import leave_question
from engine.messaging.enums import MessageChannel
from engine.messaging.service import add_transcript
from engine.tenants.models import Venue
from tests.admin_api.conftest import book_table
from tests.dashboard.bookings import confirmed_stay, demo_hotel, group_request
from tests.dashboard.owner import log_in, open_view
from tests.stack import Stack

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
RUN_AXE = """async () => {
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) }));
}"""
VIEWS = ["today", "calendar", "bookings", "new", "reviews", "payments", "inbox", "analytics",
         "settings", "try"]  # fmt: skip


def serious_violations(page: Page) -> list[dict[str, Any]]:
    """axe's serious and critical findings on the page as it is now."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(AXE)
    found: list[dict[str, Any]] = page.evaluate(RUN_AXE)
    return found


def seed_pages(sessions: sessionmaker[Session], redis: Redis) -> dict[str, str]:
    """A stay, a seating, a group awaiting approval and a chat with a question left for a
    person, so every page has content to check."""
    with sessions.begin() as session:
        hotel = demo_hotel(session)
        restaurant = session.scalars(select(Venue).where(Venue.slug == "spice-garden")).one()
        today = datetime.now(UTC).astimezone(hotel.tz).date()
        stay = confirmed_stay(session, today + timedelta(days=1))
        book_table(session, restaurant, today + timedelta(days=1), time(19, 30), 2, "+919811111140")
        group_request(session, today + timedelta(days=10))
        add_transcript(
            session,
            venue_id=hotel.id,
            channel=MessageChannel.WHATSAPP,
            guest_phone=stay.guest.phone,
            direction="in",
            text="Can we check in early?",
        )
        key = conversation_key(hotel.id, MessageChannel.WHATSAPP, stay.guest.phone)
        leave_question(redis, key, "Can we check in early?")
        thread = f"inbox/{hotel.id}/whatsapp/{stay.guest.phone.replace('+', '%2B')}"
        return {"booking": f"bookings/{stay.reference}", "thread": thread}


@pytest.mark.parametrize("tab_fixture", ["page", "phone_page"])
def test_axe_finds_no_serious_or_critical_violation_on_any_page(
    demo: Stack,
    sessions: sessionmaker[Session],
    tab_fixture: str,
    request: pytest.FixtureRequest,
    artifacts: Path,
) -> None:
    tab: Page = request.getfixturevalue(tab_fixture)
    width = "desktop" if tab_fixture == "page" else "phone"
    extra = seed_pages(sessions, demo.runtime.redis)
    tab.goto(f"{demo.url}/dashboard")
    expect(tab.get_by_role("button", name="Log in")).to_be_visible()
    found = {"login": serious_violations(tab)}
    log_in(tab, demo.url)
    for venue in ("Seaside Hotel", "Spice Garden"):
        tab.locator("#venue-select").select_option(label=venue)
        for view in [*VIEWS, *extra.values()]:
            open_view(tab, view)
            found[f"{venue} · {view}"] = serious_violations(tab)
    failing = {where: problems for where, problems in found.items() if problems}
    if failing:
        tab.screenshot(path=artifacts / f"axe-{width}-last.png", full_page=True)
    assert failing == {}
    # The check can fail: a button with no name is found at once.
    tab.evaluate("document.getElementById('view').append(document.createElement('button'))")
    assert "button-name" in {v["id"] for v in serious_violations(tab)}
