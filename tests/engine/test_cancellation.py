"""Cancellation and refunds: the venue's tiers for guests, full or chosen for owners.

Seaside Hotel refunds 100% until 48 hours before check-in (14:00 local), 50% after that.
A stay from 24 Dec 2026 starts at 14:00 IST = 08:30 UTC, so the 48-hour mark is 22 Dec 08:30 UTC.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.orm import Session

from engine.bookings.enums import BookingStatus, CancelledBy
from engine.bookings.models import Booking
from engine.bookings.policies import refund_percent
from engine.bookings.service import cancel, confirm, quote_cancel
from engine.exceptions import InvalidTransitionError, ValidationError
from tests.conftest import NOW
from tests.engine.conftest import Demo
from tests.engine.factories import (
    claim_pairs,
    confirmed_room,
    counts,
    hold_room,
    hold_table,
    room_numbers,
)

XMAS = date(2026, 12, 24)
BOXING = date(2026, 12, 26)
CHECK_IN = datetime(2026, 12, 24, 8, 30, tzinfo=UTC)
MARK_48H = CHECK_IN - timedelta(hours=48)
ONE_SECOND = timedelta(seconds=1)
PAID = 2 * 900_000  # two Suite nights


def paid_suite(session: Session, demo: Demo) -> Booking:
    booking = confirmed_room(session, demo, "Suite", XMAS, BOXING)
    assert booking.amount_paid == PAID
    return booking


def guest_cancel(session: Session, booking: Booking, now: datetime) -> tuple[int, int]:
    result = cancel(session, booking=booking, by=CancelledBy.GUEST, actor="guest", now=now)
    return result.quote.refund_amount, result.quote.refund_percent


@pytest.mark.parametrize(
    ("now", "refund", "percent"),
    [
        (NOW, PAID, 100),
        (MARK_48H - ONE_SECOND, PAID, 100),
        (MARK_48H, PAID, 100),  # inclusive: exactly 48 hours before still refunds in full
        (MARK_48H + ONE_SECOND, PAID // 2, 50),
        (CHECK_IN - ONE_SECOND, PAID // 2, 50),
        (CHECK_IN, PAID // 2, 50),
        (CHECK_IN + ONE_SECOND, 0, 0),
    ],
    ids=["weeks-before", "48h+1s", "exactly-48h", "48h-1s", "1s-before", "at-check-in", "after"],
)
def test_guest_refund_follows_the_hotel_tiers(
    session: Session, demo: Demo, now: datetime, refund: int, percent: int
) -> None:
    booking = paid_suite(session, demo)
    assert guest_cancel(session, booking, now) == (refund, percent)
    assert booking.status == BookingStatus.CANCELLED


def test_the_48_hour_mark_is_14_00_ist_two_days_before(session: Session, demo: Demo) -> None:
    ist = ZoneInfo("Asia/Kolkata")
    mark = datetime(2026, 12, 22, 14, 0, tzinfo=ist)
    booking = paid_suite(session, demo)
    full = quote_cancel(session, booking=booking, by=CancelledBy.GUEST, now=mark)
    half = quote_cancel(session, booking=booking, by=CancelledBy.GUEST, now=mark + ONE_SECOND)
    assert (full.refund_percent, half.refund_percent) == (100, 50)


def test_quote_matches_the_cancellation_and_writes_nothing(session: Session, demo: Demo) -> None:
    booking = paid_suite(session, demo)
    events = len(booking.events)
    quote = quote_cancel(session, booking=booking, by=CancelledBy.GUEST, now=MARK_48H + ONE_SECOND)
    assert (quote.refund_amount, quote.refund_percent, quote.currency) == (PAID // 2, 50, "INR")
    assert booking.status == BookingStatus.CONFIRMED and len(booking.events) == events
    result = cancel(
        session, booking=booking, by=CancelledBy.GUEST, actor="guest", now=MARK_48H + ONE_SECOND
    )
    assert result.quote == quote


def test_cancel_frees_the_room_and_records_the_refund(session: Session, demo: Demo) -> None:
    booking = paid_suite(session, demo)
    cancel(
        session,
        booking=booking,
        by=CancelledBy.GUEST,
        actor="guest",
        reason="plans changed",
        now=MARK_48H + ONE_SECOND,
    )
    assert claim_pairs(session, booking) == set()
    event = booking.events[-1]
    assert (event.from_status, event.to_status, event.reason) == (
        "confirmed",
        "cancelled",
        "plans changed",
    )
    assert event.details == {"by": "guest", "refund_amount": PAID // 2, "refund_percent": 50}
    again = hold_room(session, demo, "Suite", XMAS, BOXING)
    assert room_numbers(session, again) == ["301"]


def test_cancelling_an_unpaid_hold_refunds_nothing(session: Session, demo: Demo) -> None:
    booking = hold_room(session, demo, "Suite", XMAS, BOXING)
    assert guest_cancel(session, booking, NOW) == (0, 100)
    assert claim_pairs(session, booking) == set()


def test_cancelling_twice_raises(session: Session, demo: Demo) -> None:
    booking = paid_suite(session, demo)
    guest_cancel(session, booking, NOW)
    with pytest.raises(InvalidTransitionError):
        guest_cancel(session, booking, NOW)


def test_owner_cancel_refunds_in_full_even_after_check_in(session: Session, demo: Demo) -> None:
    booking = paid_suite(session, demo)
    result = cancel(
        session,
        booking=booking,
        by=CancelledBy.OWNER,
        actor="owner:1",
        now=CHECK_IN + timedelta(hours=1),
    )
    assert (result.quote.refund_amount, result.quote.refund_percent) == (PAID, 100)
    assert booking.events[-1].details["by"] == "owner"


@pytest.mark.parametrize(("amount", "percent"), [(0, 0), (450_000, 25), (PAID, 100)])
def test_owner_cancel_refunds_the_amount_chosen(
    session: Session, demo: Demo, amount: int, percent: int
) -> None:
    booking = paid_suite(session, demo)
    result = cancel(
        session,
        booking=booking,
        by=CancelledBy.OWNER,
        actor="owner:1",
        now=NOW,
        refund_amount=amount,
    )
    assert (result.quote.refund_amount, result.quote.refund_percent) == (amount, percent)


@pytest.mark.parametrize("amount", [PAID + 1, -1])
def test_owner_refund_outside_what_was_paid_is_rejected_and_nothing_changes(
    session: Session, demo: Demo, amount: int
) -> None:
    booking = paid_suite(session, demo)
    session.commit()
    before = (counts(session), claim_pairs(session, booking), len(booking.events))
    with pytest.raises(ValidationError, match=f"between 0 and the {PAID} paid"):
        cancel(
            session,
            booking=booking,
            by=CancelledBy.OWNER,
            actor="owner:1",
            now=NOW,
            refund_amount=amount,
        )
    session.commit()
    session.refresh(booking)
    assert booking.status == BookingStatus.CONFIRMED
    assert (counts(session), claim_pairs(session, booking), len(booking.events)) == before


def test_restaurant_refunds_deposit_until_24_hours_before_and_nothing_after(
    session: Session, demo: Demo
) -> None:
    early = hold_table(session, demo, date(2026, 12, 11), time(20, 0), 6)
    late = hold_table(session, demo, date(2026, 12, 11), time(20, 0), 6)
    for booking in (early, late):
        confirm(session, booking=booking, actor="razorpay", now=NOW, amount_paid=booking.amount)
    assert early.starts_at is not None
    day_before = early.starts_at - timedelta(hours=24)
    assert guest_cancel(session, early, day_before) == (120_000, 100)
    assert guest_cancel(session, late, day_before + ONE_SECOND) == (0, 0)


@pytest.mark.parametrize(
    ("hours_before", "percent"),
    [(100.0, 100), (48.0, 100), (47.99, 50), (0.0, 50), (-0.01, 0)],
)
def test_refund_tiers_are_inclusive_at_their_threshold(hours_before: float, percent: int) -> None:
    tiers = [{"hours_before": 0, "refund_percent": 50}, {"hours_before": 48, "refund_percent": 100}]
    assert refund_percent(tiers, hours_before=hours_before) == percent


# A DST venue: Europe/London. Check-in Mon 29 Mar 2027 14:00 BST = 13:00 UTC; the clocks went
# forward on Sun 28 Mar, so 48 real hours before is Sat 27 Mar 13:00 GMT (= 13:00 UTC), which is
# 49 hours earlier on the wall clock.

LONDON = ZoneInfo("Europe/London")
SPRING_CHECK_IN = datetime(2027, 3, 29, 13, 0, tzinfo=UTC)
SPRING_MARK = SPRING_CHECK_IN - timedelta(hours=48)


@pytest.mark.parametrize("clock", [UTC, LONDON], ids=["now-in-utc", "now-in-london"])
@pytest.mark.parametrize(
    ("now", "percent"),
    [
        (SPRING_MARK, 100),
        (SPRING_MARK + ONE_SECOND, 50),
        (SPRING_MARK + timedelta(minutes=30), 50),
        (SPRING_CHECK_IN, 50),
        (SPRING_CHECK_IN + ONE_SECOND, 0),
    ],
)
def test_48_hours_are_real_hours_across_the_spring_clock_change(
    session: Session, demo: Demo, clock: ZoneInfo, now: datetime, percent: int
) -> None:
    demo.hotel.timezone = "Europe/London"
    session.flush()
    booking = confirmed_room(session, demo, "Suite", date(2027, 3, 29), date(2027, 3, 31))
    quote = quote_cancel(session, booking=booking, by=CancelledBy.GUEST, now=now.astimezone(clock))
    assert quote.refund_percent == percent


def test_autumn_check_in_after_the_clocks_go_back_counts_real_hours(
    session: Session, demo: Demo
) -> None:
    # Mon 1 Nov 2027 14:00 GMT = 14:00 UTC; 48h before is Sat 30 Oct 14:00 UTC = 15:00 BST.
    demo.hotel.timezone = "Europe/London"
    session.flush()
    booking = confirmed_room(session, demo, "Suite", date(2027, 11, 1), date(2027, 11, 2))
    mark = datetime(2027, 10, 30, 15, 0, tzinfo=LONDON)
    for now, percent in ((mark, 100), (mark + ONE_SECOND, 50)):
        quote = quote_cancel(session, booking=booking, by=CancelledBy.GUEST, now=now)
        assert quote.refund_percent == percent
