"""Demo history: deterministic, seeded once, and consistent with the engine's invariants."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.availability.offers import TableOffer
from engine.bookings.enums import BookingStatus, Channel
from engine.bookings.models import Booking, BookingEvent, Claim
from engine.bookings.service import place_hold
from engine.exceptions import ValidationError
from engine.history.plan import HistoryPlan, PlannedBooking
from engine.history.planner import FOREVER, plan_history
from engine.history.service import seed_history
from engine.messaging.models import OutboxMessage
from engine.payments.enums import PaymentOutcome, RefundStatus
from engine.payments.models import Payment, PaymentLink, Refund
from engine.seed import seed_demo
from engine.tenants.models import Business
from tests.conftest import NOW
from tests.engine.conftest import Demo
from tests.engine.test_seed import row_counts

#: Shorter than the demo's 90 days (the analytics and CLI tests run those): same code paths.
DAYS = 30


@pytest.fixture
def business(session: Session) -> Business:
    business = seed_demo(session)
    session.commit()
    return business


@pytest.fixture
def plan(session: Session, business: Business) -> HistoryPlan:
    seeded = seed_history(session, business=business, days=DAYS, now=NOW)
    session.commit()
    assert seeded is not None
    return seeded


def _by_reference(session: Session) -> dict[str, Booking]:
    return {b.reference: b for b in session.scalars(select(Booking))}


def test_the_plan_is_the_same_every_time(session: Session, business: Business) -> None:
    first = plan_history(session, business=business, days=DAYS, now=NOW)
    second = plan_history(session, business=business, days=DAYS, now=NOW)
    assert first == second and len(first.bookings) > 500


def test_seeding_the_history_twice_changes_nothing(session: Session, business: Business) -> None:
    assert seed_history(session, business=business, days=DAYS, now=NOW) is not None
    session.commit()
    once = row_counts(session)
    assert seed_history(session, business=business, days=DAYS, now=NOW) is None
    assert seed_history(session, business=business, days=30, now=NOW + timedelta(days=2)) is None
    session.commit()
    assert row_counts(session) == once


def test_zero_days_is_todays_demo_and_a_year_is_the_limit(
    session: Session, business: Business
) -> None:
    assert seed_history(session, business=business, days=0, now=NOW) is None
    with pytest.raises(ValidationError):
        seed_history(session, business=business, days=367, now=NOW)
    assert session.scalar(select(func.count(Booking.id))) == 0


def test_every_final_status_and_channel_is_there(plan: HistoryPlan) -> None:
    for venue_id in {b.request.venue_id for b in plan.bookings}:
        mine = [b for b in plan.bookings if b.request.venue_id == venue_id]
        assert {b.status for b in mine} == {
            BookingStatus.COMPLETED,
            BookingStatus.CANCELLED,
            BookingStatus.NO_SHOW,
            BookingStatus.EXPIRED,
            BookingStatus.CONFIRMED,
        }
        assert {b.life.channel for b in mine} == {
            Channel.SMS,
            Channel.WHATSAPP,
            Channel.PHONE,
            Channel.WALK_IN,
        }
        assert any(b.life.refund for b in mine) and any(b.life.link for b in mine)


def test_the_database_holds_exactly_the_plan(session: Session, plan: HistoryPlan) -> None:
    stored = _by_reference(session)
    assert set(stored) == {b.reference for b in plan.bookings}
    for planned in plan.bookings:
        booking = stored[planned.reference]
        assert (booking.status, booking.channel) == (planned.status, planned.life.channel)
        assert (booking.amount_paid, booking.party_size) == (
            planned.life.amount_paid,
            planned.request.party_size,
        )
        assert booking.created_at == planned.life.created_at


def test_only_bookings_that_keep_inventory_hold_claims(session: Session, plan: HistoryPlan) -> None:
    stored = _by_reference(session)
    claims: dict[int, set[tuple[str, str]]] = defaultdict(set)
    for claim in session.scalars(select(Claim)):
        claims[claim.booking_id].add((claim.resource, claim.unit))
    for planned in plan.bookings:
        held = claims.get(stored[planned.reference].id, set())
        kept = planned.status in (BookingStatus.CONFIRMED, BookingStatus.COMPLETED)
        assert held == (set(planned.taken.pairs) if kept else set())


def _holding(planned: PlannedBooking) -> tuple[datetime, datetime]:
    return planned.life.created_at, planned.life.released_at or FOREVER


def test_no_unit_is_ever_held_by_two_bookings_at_once(plan: HistoryPlan) -> None:
    """Stronger than the unique constraint on what is left: also through time, released or not."""
    holders: dict[tuple[str, str], list[tuple[datetime, datetime]]] = defaultdict(list)
    for planned in plan.bookings:
        for pair in planned.taken.pairs:
            holders[pair].append(_holding(planned))
    shared = 0
    for spans in holders.values():
        spans.sort()
        shared += len(spans) > 1
        for (_, ends), (begins, _) in zip(spans, spans[1:], strict=False):
            assert ends <= begins
    assert shared > 0  # inventory given back was booked again


def test_the_audit_trail_is_in_the_past_and_in_order(session: Session, plan: HistoryPlan) -> None:
    trail: dict[int, list[BookingEvent]] = defaultdict(list)
    for event in session.scalars(select(BookingEvent).order_by(BookingEvent.id)):
        trail[event.booking_id].append(event)
    for booking in session.scalars(select(Booking)):
        events = trail[booking.id]
        assert events[0].from_status is None and events[-1].to_status == booking.status.value
        assert [e.at for e in events] == sorted(e.at for e in events)
        assert events[-1].at <= NOW
    assert session.scalar(select(func.count(OutboxMessage.id))) == 0


def test_money_follows_the_payment_flow(session: Session, plan: HistoryPlan) -> None:
    linked = [b for b in plan.bookings if b.life.link]
    paid = [b for b in linked if b.ever_confirmed]
    payments = list(session.scalars(select(Payment)))
    assert session.scalar(select(func.count(PaymentLink.id))) == len(linked)
    assert all(p.outcome == PaymentOutcome.CONFIRMED for p in payments)
    assert sum(p.amount for p in payments) == sum(b.life.amount_paid for b in paid)
    refunds = list(session.scalars(select(Refund)))
    assert all(r.status == RefundStatus.PROCESSED for r in refunds)
    assert sum(r.amount for r in refunds) == sum(b.life.refund for b in paid)
    assert all(0 <= b.life.refund <= b.life.amount_paid for b in plan.bookings)


def test_the_history_works_around_bookings_already_there(session: Session, demo: Demo) -> None:
    starts = datetime(2026, 12, 4, 14, 30, tzinfo=UTC)  # 20:00 in Kolkata, a busy slot
    local = starts.astimezone(demo.restaurant.tz)
    offer = TableOffer(demo.restaurant.id, starts, local, 2, 0, "INR", True)
    live = [
        place_hold(session, offer=offer, guest=demo.guest, channel=Channel.SMS, actor="t", now=NOW)
        for _ in range(4)
    ]
    session.commit()
    assert seed_history(session, business=demo.hotel.business, days=DAYS, now=NOW) is not None
    session.commit()
    for booking in live:
        session.refresh(booking)
        assert booking.claims
