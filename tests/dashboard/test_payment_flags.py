"""Payment flags in the browser: the owner sees a payment that did not match, refunds part of
it (once, through Razorpay) and closes the flag."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from playwright.sync_api import Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from engine.bookings.models import BookingEvent
from engine.payments.enums import RefundStatus
from engine.payments.models import Refund
from engine.payments.service import FLAG_RESOLVED
from fakeproviders import razorpay_payloads as rp
from tests.admin_api.conftest import flagged_payment
from tests.dashboard.bookings import held_stay
from tests.dashboard.owner import log_in, open_view
from tests.stack import Stack, wait_for

PAID = 500_000


def _flagged(stack: Stack, sessions: sessionmaker[Session]) -> int:
    """A live hold with a payment of ₹5,000 that did not match it (Razorpay has it too)."""
    with sessions.begin() as session:
        now = datetime.now(UTC)
        hold = held_stay(session, now.date() + timedelta(days=12), now=now)
        flag = flagged_payment(session, hold, PAID)
        session.flush()
        provider_id = flag.details["payment"]
        flag_id = flag.id
    made = rp.payment({"order_id": None}, amount=PAID, currency="INR", method="upi")
    stack.fake.save_resource("payments", {**made, "id": provider_id})
    return flag_id


def _refunds(sessions: sessionmaker[Session]) -> list[Refund]:
    with sessions() as session:
        return list(session.scalars(select(Refund)))


def test_owner_refunds_part_of_a_flagged_payment_and_closes_the_flag(
    demo: Stack, sessions: sessionmaker[Session], page: Page, artifacts: Path
) -> None:
    flag_id = _flagged(demo, sessions)
    log_in(page, demo.url)
    open_view(page, "payments")
    item = page.locator(f"li[data-flag='{flag_id}']")
    expect(item).to_contain_text("amount mismatch")
    expect(item).to_contain_text("₹5,000.00")
    page.screenshot(path=artifacts / "payment-flags.png", full_page=True)

    item.get_by_label("Refund (INR)").fill("1200")
    item.get_by_role("button", name="Refund").click()
    expect(item).to_contain_text("₹3,800.00")  # what is left to refund
    (refund,) = wait_for(lambda: demo.fake.resources("refunds"))
    assert refund["amount"] == 120_000
    wait_for(lambda: [r.status for r in _refunds(sessions)] == [RefundStatus.PROCESSED])

    item.get_by_role("button", name=f"Close flag {flag_id}").click()
    expect(page.locator("#flags-empty")).to_be_visible()
    with sessions() as session:
        event = session.scalars(
            select(BookingEvent).where(BookingEvent.reason == FLAG_RESOLVED)
        ).one()
    assert event.actor.startswith("owner:")
    assert len(demo.fake.resources("refunds")) == 1
