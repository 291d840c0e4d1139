"""The risk review queue in the browser: a hold the abuse check stopped, why it scored, and
approving it sends the guest the payment link."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from playwright.sync_api import Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from engine.bookings.enums import BookingStatus
from engine.bookings.models import Booking
from engine.messaging.enums import OutboxStatus
from engine.messaging.models import OutboxMessage
from engine.risk.enums import RiskDecision
from engine.risk.models import RiskAssessment
from tests.dashboard.bookings import held_stay
from tests.dashboard.owner import log_in, open_view
from tests.stack import Stack, wait_for

FEATURES = {"holds_last_hour": 4.0, "unpaid_ratio": 1.0, "party_ratio": 1.0, "new_number": 1.0}
CONTRIBUTIONS = {"holds_last_hour": 0.31, "unpaid_ratio": 0.22, "party_ratio": -0.04}
SETTLED = {OutboxStatus.SENT, OutboxStatus.DELIVERED, OutboxStatus.READ}


def _held_for_review(sessions: sessionmaker[Session]) -> str:
    """A fresh hold that scored 0.62 by the rules, so it waits for staff."""
    with sessions.begin() as session:
        now = datetime.now(UTC)
        hold = held_stay(session, now.date() + timedelta(days=12), now=now)
        session.add(
            RiskAssessment(
                booking_id=hold.id,
                venue_id=hold.venue_id,
                guest_id=hold.guest_id,
                score=0.62,
                decision=RiskDecision.REVIEW,
                method="rules",
                features=FEATURES,
                contributions=CONTRIBUTIONS,
                created_at=now,
            )
        )
        return hold.reference


def test_a_held_booking_under_review_shows_why_and_approving_sends_its_link(
    demo: Stack, sessions: sessionmaker[Session], page: Page, artifacts: Path
) -> None:
    reference = _held_for_review(sessions)
    log_in(page, demo.url)
    open_view(page, "reviews")
    item = page.locator(f"li.review[data-reference='{reference}']")
    expect(item).to_contain_text("score 0.62")
    expect(item).to_contain_text("+919811111111")
    rows = item.locator("tbody tr")
    expect(rows).to_have_count(3)  # largest share first
    expect(rows.first).to_have_attribute("data-feature", "holds_last_hour")
    expect(rows.first).to_contain_text("+0.31")
    expect(rows.last).to_contain_text("-0.04")
    page.screenshot(path=artifacts / "risk-reviews.png", full_page=True)

    item.get_by_role("button", name=f"Approve {reference}").click()
    expect(page.locator("#reviews-empty")).to_be_visible()
    outbox = wait_for(lambda: _settled_outbox(sessions))
    assert any(key.startswith("paylink:") for key in outbox)
    with sessions() as session:
        review = session.scalars(select(RiskAssessment)).one()
        assert review.reviewed_by is not None and review.reviewed_by.startswith("owner:")
        booking = session.scalars(select(Booking).where(Booking.reference == reference)).one()
        assert booking.status == BookingStatus.PENDING_PAYMENT


def _settled_outbox(sessions: sessionmaker[Session]) -> list[str]:
    """The outbox keys once every row has gone to its provider (empty while any still waits):
    the worker must be done before the test's tables are emptied under it."""
    with sessions() as session:
        rows = session.execute(select(OutboxMessage.key, OutboxMessage.status)).all()
    return [key for key, _ in rows] if rows and all(s in SETTLED for _, s in rows) else []
