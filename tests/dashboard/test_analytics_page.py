"""The analytics page draws the API's own per-day money, not sums made in the browser."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from playwright.sync_api import Page, expect
from sqlalchemy.orm import Session, sessionmaker

from engine.bookings.enums import CancelledBy
from engine.bookings.service import cancel
from tests.dashboard.bookings import confirmed_stay, demo_hotel
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
    bars = page.locator("figure[data-chart='revenue'] svg .bar")
    expect(bars.and_(page.locator("[data-value='11000']"))).to_have_count(1)
    expect(bars.and_(page.locator("[data-value='7000']"))).to_have_count(1)
    expect(page.locator("figure[data-chart='revenue'] figcaption")).to_have_text(
        "Paid less refunds, by arrival date (INR)"
    )
