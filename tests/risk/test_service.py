"""Risk: a burst of unpaid holds from one number is stopped, a normal guest is not, and the
owner can see why. The venue's own history trains the model once it has enough of it.
"""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.bookings.enums import BookingStatus, Channel
from engine.bookings.models import Booking
from engine.bookings.service import expire_holds, mark_no_show, place_hold
from engine.guests.models import Guest
from engine.guests.service import get_or_create_guest
from engine.messaging.models import OutboxMessage
from engine.risk.enums import RiskDecision
from engine.risk.exceptions import HoldRateLimitedError, NotUnderReviewError
from engine.risk.features import FEATURE_NAMES, PastHold, features_of
from engine.risk.service import MAX_HOLDS_PER_HOUR, approve_review, assess_hold
from tests.conftest import NOW
from tests.engine.conftest import Demo
from tests.engine.factories import confirmed_room, hold_room, room_offer

FIRST_NIGHT = date(2026, 12, 10)
REFERENCES = itertools.count()


def night(n: int) -> tuple[date, date]:
    """A one-night stay ``n`` days after FIRST_NIGHT (distinct stays never collide)."""
    day = FIRST_NIGHT + timedelta(days=n)
    return day, day + timedelta(days=1)


def holds(session: Session, demo: Demo, count: int, *, start: datetime) -> list[Booking]:
    """``count`` Standard-room holds by the demo guest, five minutes apart."""
    return [
        hold_room(session, demo, "Standard", *night(n), now=start + timedelta(minutes=5 * n))
        for n in range(count)
    ]


def test_a_normal_guests_first_hold_is_allowed(session: Session, demo: Demo) -> None:
    (booking,) = holds(session, demo, 1, start=NOW)
    assessment = assess_hold(session, booking=booking, now=NOW)
    assert assessment.decision == RiskDecision.ALLOW and assessment.method == "rules"
    assert set(assessment.contributions) == set(FEATURE_NAMES)
    assert booking.status == BookingStatus.HELD


def test_a_burst_of_holds_let_lapse_unpaid_is_stopped_and_the_owner_sees_why(
    session: Session, demo: Demo
) -> None:
    lapsed = holds(session, demo, 3, start=NOW)
    assert len(expire_holds(session, now=NOW + timedelta(minutes=30))) == 3
    (booking,) = holds(session, demo, 1, start=NOW + timedelta(minutes=35))
    assessment = assess_hold(session, booking=booking, now=NOW + timedelta(minutes=35))
    assert assessment.decision != RiskDecision.ALLOW
    assert assessment.features["holds_last_hour"] == len(lapsed)
    assert assessment.contributions["unpaid_ratio"] > 0
    assert assessment.contributions["holds_last_hour"] > 0
    assert assessment.score == pytest.approx(sum(assessment.contributions.values()))


def test_a_burst_past_the_decline_mark_releases_the_hold(session: Session, demo: Demo) -> None:
    assert len(holds(session, demo, 4, start=NOW)) == len(
        expire_holds(session, now=NOW + timedelta(minutes=35))
    )
    (booking,) = holds(session, demo, 1, start=NOW + timedelta(minutes=40))
    assessment = assess_hold(session, booking=booking, now=NOW + timedelta(minutes=40))
    assert assessment.decision == RiskDecision.DECLINE
    assert booking.status == BookingStatus.CANCELLED and booking.claims == []


def test_holds_under_review_go_ahead_once_staff_approve(session: Session, demo: Demo) -> None:
    demo.guest.created_at = NOW  # a number never seen before, holding five rooms at once
    *_, booking = holds(session, demo, 5, start=NOW)
    assessment = assess_hold(session, booking=booking, now=NOW + timedelta(minutes=20))
    assert assessment.decision == RiskDecision.REVIEW and booking.status == BookingStatus.HELD
    approve_review(session, booking=booking, actor="owner@demo.test", now=NOW)
    assert booking.status == BookingStatus.PENDING_PAYMENT
    assert assessment.reviewed_by == "owner@demo.test"
    key = f"paylink:{booking.id}"
    assert session.scalar(select(OutboxMessage).where(OutboxMessage.key == key)) is not None
    with pytest.raises(NotUnderReviewError):
        approve_review(session, booking=booking, actor="owner@demo.test", now=NOW)


def test_hold_rate_is_limited_per_guest_whatever_the_score(session: Session, demo: Demo) -> None:
    holds(session, demo, MAX_HOLDS_PER_HOUR, start=NOW)
    later = NOW + timedelta(minutes=30)
    other = get_or_create_guest(session, business_id=demo.hotel.business_id, phone="+919800000077")

    def rated_hold(guest: Guest, n: int, now: datetime) -> Booking:
        return place_hold(
            session,
            offer=room_offer(session, demo, "Standard", *night(n)),
            guest=guest,
            channel=Channel.WHATSAPP,
            actor="guest",
            now=now,
            holds_per_hour=MAX_HOLDS_PER_HOUR,
        )

    written = session.scalar(select(func.count(Booking.id)))
    with pytest.raises(HoldRateLimitedError):
        rated_hold(demo.guest, MAX_HOLDS_PER_HOUR, later)
    assert session.scalar(select(func.count(Booking.id))) == written  # refused before writing
    assert rated_hold(other, MAX_HOLDS_PER_HOUR, later).status == BookingStatus.HELD
    assert rated_hold(demo.guest, MAX_HOLDS_PER_HOUR + 1, NOW + timedelta(hours=2)).guest_id == (
        demo.guest.id
    )


def _history(session: Session, demo: Demo) -> None:
    """A year of the hotel: regulars who pay, and numbers that hold in bursts and vanish."""
    start = NOW - timedelta(days=200)
    for n in range(40):
        at = start + timedelta(days=n * 4)
        guest = _guest(session, demo, f"+91980010{n:04d}", since=at - timedelta(days=30))
        _booking(session, demo, guest, at, paid=True, party=2)
    for n in range(8):
        at = start + timedelta(days=n * 20 + 1)
        guest = _guest(session, demo, f"+91980020{n:04d}", since=at)
        for k in range(4):
            _booking(session, demo, guest, at + timedelta(minutes=10 * k), paid=False, party=3)


def _guest(session: Session, demo: Demo, phone: str, *, since: datetime) -> Guest:
    guest = get_or_create_guest(session, business_id=demo.hotel.business_id, phone=phone)
    guest.created_at = since
    return guest


def _booking(
    session: Session, demo: Demo, guest: Guest, at: datetime, *, paid: bool, party: int
) -> None:
    session.flush()
    amount = 350_000
    session.add(
        Booking(
            reference=f"BK-H{next(REFERENCES):05d}",
            venue_id=demo.hotel.id,
            guest_id=guest.id,
            status=BookingStatus.COMPLETED if paid else BookingStatus.EXPIRED,
            channel=Channel.WHATSAPP,
            party_size=party,
            amount=amount,
            amount_paid=amount if paid else 0,
            currency="INR",
            created_at=at,
        )
    )


def test_with_enough_history_the_venues_model_decides_and_explains(
    session: Session, demo: Demo
) -> None:
    _history(session, demo)
    regular = _guest(session, demo, "+919800309999", since=NOW - timedelta(days=90))
    offer = room_offer(session, demo, "Deluxe", *night(20))
    normal = place_hold(
        session, offer=offer, guest=regular, channel=Channel.SMS, actor="g", now=NOW
    )
    allowed = assess_hold(session, booking=normal, now=NOW)
    assert (allowed.method, allowed.decision) == ("model", RiskDecision.ALLOW)

    demo.guest.created_at = NOW
    *_, burst = holds(session, demo, 4, start=NOW + timedelta(minutes=1))
    stopped = assess_hold(session, booking=burst, now=NOW + timedelta(minutes=20))
    assert stopped.method == "model" and stopped.decision != RiskDecision.ALLOW
    assert stopped.score > allowed.score
    assert stopped.contributions["holds_last_hour"] > allowed.contributions["holds_last_hour"]


def test_a_guests_no_shows_at_the_venue_count_against_their_next_hold(
    session: Session, demo: Demo
) -> None:
    for n in range(2):
        stay = confirmed_room(session, demo, "Standard", *night(n))
        mark_no_show(session, booking=stay, actor="staff", now=NOW + timedelta(days=20))
    at = NOW + timedelta(days=21)
    booking = hold_room(session, demo, "Standard", *night(30), now=at)
    assessment = assess_hold(session, booking=booking, now=at)
    assert assessment.features["no_shows"] == 2
    assert assessment.contributions["no_shows"] > 0


def test_a_no_show_due_after_a_hold_was_placed_is_not_held_against_it() -> None:
    hold = PastHold(1, 7, NOW, 2, BookingStatus.COMPLETED, 100, NOW - timedelta(days=90))
    before, after = NOW - timedelta(days=3), NOW + timedelta(days=3)
    assert features_of(hold, [], 2.0, [before, after]).no_shows == 1
