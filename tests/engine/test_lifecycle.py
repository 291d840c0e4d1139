"""Status changes through the booking services: pay, confirm, complete, no-show.

Hotel bookings start at check-in time (14:00 in Kolkata = 08:30 UTC); seatings at their start.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy.orm import Session, sessionmaker

from engine.bookings.enums import BookingStatus, CancelledBy
from engine.bookings.models import Booking
from engine.bookings.service import (
    cancel,
    complete,
    confirm,
    expire_holds,
    mark_no_show,
    mark_pending_payment,
)
from engine.exceptions import HoldExpiredError, InvalidTransitionError, ValidationError
from tests.conftest import NOW
from tests.engine.conftest import Demo
from tests.engine.factories import (
    claim_pairs,
    claim_units,
    confirmed_room,
    counts,
    hold_room,
    hold_table,
    minutes,
    room_numbers,
    table_labels,
)

XMAS = date(2026, 12, 24)
BOXING = date(2026, 12, 26)
XMAS_CHECK_IN = datetime(2026, 12, 24, 8, 30, tzinfo=UTC)
FRIDAY = date(2026, 12, 11)


def test_status_read_back_from_the_database_is_the_enum(
    sessions: sessionmaker[Session], demo: Demo
) -> None:
    with sessions() as first:
        booking = hold_room(first, demo, "Suite", XMAS, BOXING)
        first.commit()
    with sessions() as second:
        stored = second.get(Booking, booking.id)
        assert stored is not None
        assert stored.status is BookingStatus.HELD
        assert stored.channel.value == "whatsapp"
        assert stored.venue.kind.value == "hotel"


def test_confirm_a_hold_clears_the_expiry_and_records_the_payment(
    session: Session, demo: Demo
) -> None:
    booking = hold_room(session, demo, "Suite", XMAS, BOXING)
    confirm(session, booking=booking, actor="razorpay", now=NOW + minutes(5), amount_paid=1_800_000)
    assert booking.status == BookingStatus.CONFIRMED
    assert (booking.hold_expires_at, booking.amount_paid) == (None, 1_800_000)
    assert [e.to_status for e in booking.events] == ["held", "confirmed"]
    assert booking.events[-1].actor == "razorpay"
    assert len(claim_pairs(session, booking)) == 2
    # A confirmed booking never lapses: the expiry job leaves it alone.
    assert expire_holds(session, now=NOW + timedelta(days=2)) == []


def test_payment_link_then_payment_confirms(session: Session, demo: Demo) -> None:
    booking = hold_room(session, demo, "Suite", XMAS, BOXING)
    mark_pending_payment(session, booking=booking, actor="system", now=NOW + minutes(1))
    assert booking.status == BookingStatus.PENDING_PAYMENT
    confirm(session, booking=booking, actor="razorpay", now=NOW + minutes(10))
    assert [e.to_status for e in booking.events] == ["held", "pending_payment", "confirmed"]


def test_payment_link_after_the_hold_lapsed_raises_hold_expired(
    session: Session, demo: Demo
) -> None:
    booking = hold_room(session, demo, "Suite", XMAS, BOXING)
    with pytest.raises(HoldExpiredError):
        mark_pending_payment(session, booking=booking, actor="system", now=NOW + minutes(15))
    assert booking.status == BookingStatus.HELD


def test_payment_link_twice_is_an_invalid_transition(session: Session, demo: Demo) -> None:
    booking = hold_room(session, demo, "Suite", XMAS, BOXING)
    mark_pending_payment(session, booking=booking, actor="system", now=NOW)
    with pytest.raises(InvalidTransitionError):
        mark_pending_payment(session, booking=booking, actor="system", now=NOW)


def test_confirm_a_cancelled_booking_raises(session: Session, demo: Demo) -> None:
    booking = hold_room(session, demo, "Suite", XMAS, BOXING)
    cancel(session, booking=booking, by=CancelledBy.GUEST, actor="guest", now=NOW)
    with pytest.raises(InvalidTransitionError, match="cancelled cannot become confirmed"):
        confirm(session, booking=booking, actor="razorpay", now=NOW)
    assert booking.status == BookingStatus.CANCELLED
    assert claim_pairs(session, booking) == set()


def test_confirm_twice_raises(session: Session, demo: Demo) -> None:
    booking = confirmed_room(session, demo, "Suite", XMAS, BOXING)
    with pytest.raises(InvalidTransitionError):
        confirm(session, booking=booking, actor="razorpay", now=NOW)


def test_confirm_a_lapsed_hold_nobody_took_keeps_its_claims(session: Session, demo: Demo) -> None:
    booking = hold_room(session, demo, "Suite", XMAS, BOXING)
    before = claim_pairs(session, booking)
    confirm(session, booking=booking, actor="razorpay", now=NOW + minutes(30))
    assert booking.status == BookingStatus.CONFIRMED
    assert claim_pairs(session, booking) == before


def test_confirm_expired_booking_whose_units_are_free_reclaims_and_confirms(
    session: Session, demo: Demo
) -> None:
    booking = hold_room(session, demo, "Suite", XMAS, BOXING)
    expire_holds(session, now=NOW + minutes(15))
    assert claim_pairs(session, booking) == set()
    confirm(session, booking=booking, actor="razorpay", now=NOW + minutes(40), amount_paid=1)
    assert booking.status == BookingStatus.CONFIRMED
    assert room_numbers(session, booking) == ["301"]
    assert claim_units(session, booking) == ["2026-12-24", "2026-12-25"]
    assert [e.to_status for e in booking.events] == ["held", "expired", "confirmed"]


def test_confirm_expired_table_booking_reclaims_the_same_tables(
    session: Session, demo: Demo
) -> None:
    booking = hold_table(session, demo, FRIDAY, time(20, 0), 8)
    units = claim_pairs(session, booking)
    expire_holds(session, now=NOW + minutes(15))
    confirm(session, booking=booking, actor="razorpay", now=NOW + minutes(20))
    assert booking.status == BookingStatus.CONFIRMED
    assert table_labels(session, booking) == ["T7", "T8"]
    assert claim_pairs(session, booking) == units


def test_confirm_expired_booking_whose_room_was_taken_raises_hold_expired(
    session: Session, demo: Demo
) -> None:
    booking = hold_room(session, demo, "Suite", XMAS, BOXING)
    taker = hold_room(session, demo, "Suite", XMAS, date(2026, 12, 25), now=NOW + minutes(16))
    assert booking.status == BookingStatus.EXPIRED
    before = counts(session)
    with pytest.raises(HoldExpiredError, match="since been taken"):
        confirm(session, booking=booking, actor="razorpay", now=NOW + minutes(20))
    assert booking.status == BookingStatus.EXPIRED
    assert counts(session) == before
    assert claim_units(session, taker) == ["2026-12-24"]


def test_confirm_expired_booking_moves_to_another_room_of_the_same_type(
    session: Session, demo: Demo
) -> None:
    booking = hold_room(session, demo, "Deluxe", XMAS, BOXING)
    assert room_numbers(session, booking) == ["201"]
    expire_holds(session, now=NOW + minutes(15))
    hold_room(session, demo, "Deluxe", XMAS, BOXING, now=NOW + minutes(16))  # takes 201
    confirm(session, booking=booking, actor="razorpay", now=NOW + minutes(20))
    assert room_numbers(session, booking) == ["202"]
    assert claim_units(session, booking) == ["2026-12-24", "2026-12-25"]


def test_confirm_expired_booking_after_its_start_raises_hold_expired(
    session: Session, demo: Demo
) -> None:
    booking = hold_table(session, demo, FRIDAY, time(20, 0), 2)
    expire_holds(session, now=NOW + minutes(15))
    with pytest.raises(HoldExpiredError, match="cannot be restored"):
        confirm(session, booking=booking, actor="razorpay", now=datetime(2026, 12, 12, tzinfo=UTC))


@pytest.mark.parametrize("service", [complete, mark_no_show])
def test_closing_a_stay_before_check_in_time_raises_validation(
    session: Session, demo: Demo, service: Callable[..., Booking]
) -> None:
    booking = confirmed_room(session, demo, "Suite", XMAS, BOXING)
    with pytest.raises(ValidationError, match="before it starts"):
        service(session, booking=booking, actor="owner", now=XMAS_CHECK_IN - timedelta(seconds=1))
    assert booking.status == BookingStatus.CONFIRMED
    assert len(claim_pairs(session, booking)) == 2


def test_complete_at_check_in_time_keeps_the_claims_as_the_record(
    session: Session, demo: Demo
) -> None:
    booking = confirmed_room(session, demo, "Suite", XMAS, BOXING)
    complete(session, booking=booking, actor="owner", now=XMAS_CHECK_IN)
    assert booking.status == BookingStatus.COMPLETED
    assert len(claim_pairs(session, booking)) == 2
    with pytest.raises(InvalidTransitionError):
        cancel(session, booking=booking, by=CancelledBy.OWNER, actor="owner", now=XMAS_CHECK_IN)


def test_no_show_frees_the_rest_of_the_stay(session: Session, demo: Demo) -> None:
    booking = confirmed_room(session, demo, "Suite", XMAS, BOXING)
    mark_no_show(session, booking=booking, actor="owner", now=XMAS_CHECK_IN + timedelta(hours=6))
    assert booking.status == BookingStatus.NO_SHOW
    assert claim_pairs(session, booking) == set()
    at = XMAS_CHECK_IN + timedelta(hours=7)
    walk_in = hold_room(session, demo, "Suite", XMAS, BOXING, now=at)
    assert room_numbers(session, walk_in) == ["301"]


def test_no_show_for_a_seating_after_it_started(session: Session, demo: Demo) -> None:
    booking = hold_table(session, demo, FRIDAY, time(20, 0), 2)
    confirm(session, booking=booking, actor="owner", now=NOW)
    assert booking.starts_at is not None
    with pytest.raises(ValidationError):
        mark_no_show(session, booking=booking, actor="owner", now=booking.starts_at - minutes(1))
    mark_no_show(session, booking=booking, actor="owner", now=booking.starts_at + minutes(20))
    assert booking.status == BookingStatus.NO_SHOW


@pytest.mark.parametrize("service", [complete, mark_no_show])
def test_closing_a_booking_never_confirmed_is_an_invalid_transition(
    session: Session, demo: Demo, service: Callable[..., Booking]
) -> None:
    booking = hold_room(session, demo, "Suite", XMAS, BOXING)
    with pytest.raises(InvalidTransitionError):
        service(session, booking=booking, actor="owner", now=XMAS_CHECK_IN)
    assert booking.status == BookingStatus.HELD


def test_expired_booking_cannot_be_cancelled(session: Session, demo: Demo) -> None:
    booking = hold_room(session, demo, "Suite", XMAS, BOXING)
    expire_holds(session, now=NOW + minutes(15))
    with pytest.raises(InvalidTransitionError):
        cancel(session, booking=booking, by=CancelledBy.GUEST, actor="guest", now=NOW)
