"""The analytics page draws the API's own per-day money, not sums made in the browser; counts
on whole-number ticks; each chart sets the period against the one before, values on hover."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from playwright.sync_api import Page, expect
from sqlalchemy.orm import Session, sessionmaker

from engine.bookings.enums import CancelledBy
from engine.bookings.service import cancel
from tests.dashboard.bookings import confirmed_stay, demo_hotel
from tests.dashboard.charts import chart, hover
from tests.dashboard.owner import log_in, open_view
from tests.stack import Stack


def test_the_revenue_chart_shows_each_days_payments_less_refunds(
    demo: Stack, sessions: sessionmaker[Session], page: Page
) -> None:
    """₹11,000 paid for a stay arriving in 3 days; ₹11,000 paid and ₹4,000 refunded on one
    arriving in 5 days: bars of 11000 and 7000."""
    with sessions.begin() as session:
        today = datetime.now(UTC).astimezone(demo_hotel(session).tz).date()
        confirmed_stay(session, today + timedelta(days=3))
        gone = confirmed_stay(session, today + timedelta(days=5), phone="+919811111112")
        cancel(session, booking=gone, by=CancelledBy.OWNER, actor="t", refund_amount=400_000)
    log_in(page, demo.url)
    open_view(page, "analytics")
    (this_period, _before) = chart(page, "revenue")["series"]
    assert sorted(v for v in this_period["values"] if v) == [7000, 11000]
    expect(page.locator("figure[data-chart='revenue'] figcaption")).to_have_text(
        "Paid less refunds, by arrival date (INR)"
    )


def test_counts_have_whole_ticks_and_hovering_compares_with_the_previous_period(
    demo: Stack, sessions: sessionmaker[Session], page: Page, artifacts: Path
) -> None:
    """One stay arriving in 3 days, one 40 days ago (in the 61 days before the default
    range, today - 30 .. today + 30)."""
    with sessions.begin() as session:
        today = datetime.now(UTC).astimezone(demo_hotel(session).tz).date()
        confirmed_stay(session, today + timedelta(days=3))
        confirmed_stay(session, today - timedelta(days=40), phone="+919811111112")
    log_in(page, demo.url)
    open_view(page, "analytics")

    for name in ("trend", "occupancy", "weekdays", "channels"):
        drawn = chart(page, name)
        assert drawn["ticks"] and all(float(t).is_integer() for t in drawn["ticks"]), drawn
        assert [s["label"] for s in drawn["series"]] == ["This period", "Previous period"]
    trend = chart(page, "trend")
    now, before = (s["values"] for s in trend["series"])
    assert (sum(now), sum(before)) == (1, 1)
    arriving = now.index(1)  # the 34th day of the range: today + 3
    assert arriving == 33
    lines = hover(page, "trend", arriving)
    assert lines[0].startswith("This period, ") and lines[0].endswith(": 1")
    assert lines[1].startswith("Previous period, ") and lines[1].endswith(": 0")
    page.screenshot(path=artifacts / "analytics-hover.png", full_page=True)
