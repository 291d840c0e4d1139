"""Attendance in the engine: arrivals, bookings not arrived after the grace, automatic
no-shows where a venue opted in, and undoing a no-show exactly.

The demo restaurant seats Friday 11 Dec 2026 at 20:00 Kolkata (14:30 UTC); the demo hotel's
Christmas stay checks in at 14:00 Kolkata (08:30 UTC) and out at 11:00.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy.orm import Session

from engine.bookings.arrivals import mark_arrived, notice_not_arrived, undo_arrival, undo_no_show
from engine.bookings.attendance import (
    AUTO_NO_SHOW,
    NOT_ARRIVED,
    SWEEP_ACTOR,
    arrival_deadline,
    no_show_count,
    not_arrived,
)
from engine.bookings.enums import BookingStatus
from engine.bookings.models import Booking
from engine.bookings.service import confirm, mark_no_show, modify
from engine.exceptions import NotAvailableError, ValidationError
from engine.tenants.models import Venue
from engine.tenants.service import update_venue
from tests.conftest import NOW
from tests.engine.conftest import Demo
from tests.engine.factories import (
    claim_pairs,
    confirmed_room,
    hold_room,
    hold_table,
    minutes,
    room_numbers,
)

FRIDAY = date(2026, 12, 11)
SEATING = datetime(2026, 12, 11, 14, 30, tzinfo=UTC)
XMAS, BOXING = date(2026, 12, 24), date(2026, 12, 26)
XMAS_CHECK_IN = datetime(2026, 12, 24, 8, 30, tzinfo=UTC)
#: 11:00 Kolkata on the morning after the Christmas check-in.
XMAS_MORNING_AFTER = datetime(2026, 12, 25, 5, 30, tzinfo=UTC)


def seating(session: Session, demo: Demo, at: time = time(20, 0), party: int = 2) -> Booking:
    """A confirmed table at the demo restaurant on FRIDAY."""
    booking = hold_table(session, demo, FRIDAY, at, party)
    return confirm(session, booking=booking, actor="guest", now=NOW)


def opt_in(session: Session, venue: Venue, *, at: datetime = NOW) -> None:
    """The owner turns automatic no-shows on at ``at``."""
    update_venue(session, venue=venue, fields={"auto_no_show": True}, now=at)


def reasons(booking: Booking) -> list[str]:
    return [event.reason for event in booking.events]


# Arrivals -------------------------------------------------------------------------------------


def test_staff_mark_a_guest_arrived_once_with_an_audit_entry(session: Session, demo: Demo) -> None:
    booking = seating(session, demo)
    at = SEATING + minutes(3)
    mark_arrived(session, booking=booking, actor="staff:7", now=at)
    mark_arrived(session, booking=booking, actor="staff:7", now=at + minutes(1))  # a double tap
    assert booking.arrived_at == at and booking.status == BookingStatus.CONFIRMED
    assert reasons(booking).count("arrived") == 1
    assert booking.events[-1].actor == "staff:7"


def test_a_guest_can_be_marked_arrived_early_on_the_day_but_not_the_day_before(
    session: Session, demo: Demo
) -> None:
    booking = seating(session, demo)
    with pytest.raises(ValidationError, match="due on Fri 11 Dec"):
        mark_arrived(session, booking=booking, actor="staff:7", now=SEATING - timedelta(hours=21))
    mark_arrived(session, booking=booking, actor="staff:7", now=SEATING - timedelta(hours=2))
    assert booking.arrived_at == SEATING - timedelta(hours=2)


def test_only_a_confirmed_booking_can_be_marked_arrived(session: Session, demo: Demo) -> None:
    held = hold_table(session, demo, FRIDAY, time(20, 0), 2)
    with pytest.raises(ValidationError, match="this one is held"):
        mark_arrived(session, booking=held, actor="staff:7", now=SEATING)


def test_a_mistaken_arrival_is_taken_back_and_the_booking_waits_again(
    session: Session, demo: Demo
) -> None:
    booking = seating(session, demo)
    mark_arrived(session, booking=booking, actor="staff:7", now=SEATING)
    undo_arrival(session, booking=booking, actor="staff:7", now=SEATING + minutes(1))
    assert booking.arrived_at is None
    assert booking.events[-1].reason == "arrival undone"
    assert booking.events[-1].details == {"arrived_at": SEATING.isoformat()}
    with pytest.raises(ValidationError, match="no arrival to undo"):
        undo_arrival(session, booking=booking, actor="staff:7", now=SEATING + minutes(2))


def test_a_guest_marked_arrived_cannot_be_marked_a_no_show(session: Session, demo: Demo) -> None:
    booking = seating(session, demo)
    mark_arrived(session, booking=booking, actor="staff:7", now=SEATING)
    with pytest.raises(ValidationError, match="undo the arrival first"):
        mark_no_show(session, booking=booking, actor="staff:7", now=SEATING + minutes(30))
    assert booking.status == BookingStatus.CONFIRMED


# Not arrived ----------------------------------------------------------------------------------


def test_a_table_is_not_arrived_once_the_venues_grace_is_over(session: Session, demo: Demo) -> None:
    booking = seating(session, demo)
    assert arrival_deadline(booking, demo.restaurant) == SEATING + minutes(20)
    assert not_arrived(session, now=SEATING + minutes(19)) == []
    assert not_arrived(session, now=SEATING + minutes(20)) == [booking]
    update_venue(session, venue=demo.restaurant, fields={"arrival_grace_minutes": 45})
    assert not_arrived(session, now=SEATING + minutes(44)) == []
    assert not_arrived(session, now=SEATING + minutes(45)) == [booking]


def test_a_stay_is_not_arrived_at_check_out_time_the_next_morning(
    session: Session, demo: Demo
) -> None:
    booking = confirmed_room(session, demo, "Suite", XMAS, BOXING)
    assert arrival_deadline(booking, demo.hotel) == XMAS_MORNING_AFTER
    assert not_arrived(session, now=XMAS_MORNING_AFTER - minutes(1)) == []
    assert not_arrived(session, now=XMAS_MORNING_AFTER, venue_id=demo.hotel.id) == [booking]


def test_arrived_and_long_past_bookings_are_not_listed(session: Session, demo: Demo) -> None:
    arrived = seating(session, demo, time(20, 0))
    waited_for = seating(session, demo, time(20, 15))
    mark_arrived(session, booking=arrived, actor="staff:7", now=SEATING)
    later = SEATING + timedelta(hours=2)
    assert not_arrived(session, now=later) == [waited_for]
    assert not_arrived(session, now=later + timedelta(days=1)) == []


def test_without_opt_in_a_booking_not_arrived_is_noticed_once_and_stays_confirmed(
    session: Session, demo: Demo
) -> None:
    booking = seating(session, demo)
    at = SEATING + minutes(21)
    assert notice_not_arrived(session, booking=booking, now=at)
    assert not notice_not_arrived(session, booking=booking, now=at + minutes(1))
    assert booking.status == BookingStatus.CONFIRMED and booking.not_arrived_at == at
    assert reasons(booking).count(NOT_ARRIVED) == 1
    assert booking.events[-1].actor == SWEEP_ACTOR
    assert not_arrived(session, now=at, unnoticed=True) == []
    assert len(claim_pairs(session, booking)) == 6  # 90 minutes of 15-minute slots, kept


def test_with_opt_in_a_booking_not_arrived_becomes_a_no_show_that_says_why(
    session: Session, demo: Demo
) -> None:
    opt_in(session, demo.restaurant)
    booking = seating(session, demo)
    assert not notice_not_arrived(session, booking=booking, now=SEATING + minutes(19))
    assert notice_not_arrived(session, booking=booking, now=SEATING + minutes(20))
    assert booking.status == BookingStatus.NO_SHOW
    last = booking.events[-1]
    assert (last.actor, last.reason) == (SWEEP_ACTOR, AUTO_NO_SHOW)
    assert claim_pairs(session, booking) == set()


def test_bookings_that_started_before_the_opt_in_are_never_no_showed_by_it(
    session: Session, demo: Demo
) -> None:
    booking = seating(session, demo)
    opt_in(session, demo.restaurant, at=SEATING + minutes(5))
    assert notice_not_arrived(session, booking=booking, now=SEATING + minutes(25))
    assert booking.status == BookingStatus.CONFIRMED
    assert booking.events[-1].reason == NOT_ARRIVED


def test_opting_out_stops_automatic_no_shows(session: Session, demo: Demo) -> None:
    opt_in(session, demo.restaurant)
    update_venue(session, venue=demo.restaurant, fields={"auto_no_show": False})
    booking = seating(session, demo)
    notice_not_arrived(session, booking=booking, now=SEATING + minutes(25))
    assert booking.status == BookingStatus.CONFIRMED


def test_a_booking_moved_after_it_was_noticed_gets_a_new_grace(
    session: Session, demo: Demo
) -> None:
    stay = confirmed_room(session, demo, "Suite", XMAS, BOXING)
    notice_not_arrived(session, booking=stay, now=XMAS_MORNING_AFTER)
    # The guest calls: they are coming for New Year instead.
    modify(
        session,
        booking=stay,
        actor="staff:7",
        now=XMAS_MORNING_AFTER + minutes(5),
        check_in=date(2026, 12, 31),
        check_out=date(2027, 1, 2),
    )
    assert stay.not_arrived_at is None


# Undoing a no-show ----------------------------------------------------------------------------


def test_undoing_a_no_show_restores_the_stay_with_the_very_room_nights(
    session: Session, demo: Demo
) -> None:
    booking = confirmed_room(session, demo, "Suite", XMAS, BOXING)
    before = claim_pairs(session, booking)
    mark_no_show(session, booking=booking, actor="staff:7", now=XMAS_MORNING_AFTER)
    assert claim_pairs(session, booking) == set()
    undo_no_show(session, booking=booking, actor="owner:1", now=XMAS_MORNING_AFTER + minutes(2))
    assert booking.status == BookingStatus.CONFIRMED
    assert claim_pairs(session, booking) == before
    assert room_numbers(session, booking) == ["301"]
    last = booking.events[-1]
    assert (last.from_status, last.to_status, last.reason) == (
        "no_show",
        "confirmed",
        "no-show undone",
    )


def test_undoing_an_automatic_no_show_leaves_it_alone_afterwards(
    session: Session, demo: Demo
) -> None:
    opt_in(session, demo.restaurant)
    booking = seating(session, demo)
    before = claim_pairs(session, booking)
    notice_not_arrived(session, booking=booking, now=SEATING + minutes(20))
    undo_no_show(session, booking=booking, actor="staff:7", now=SEATING + minutes(30))
    assert booking.status == BookingStatus.CONFIRMED
    assert claim_pairs(session, booking) == before
    assert not notice_not_arrived(session, booking=booking, now=SEATING + minutes(31))
    mark_arrived(session, booking=booking, actor="staff:7", now=SEATING + minutes(32))
    assert booking.arrived_at is not None


def test_a_no_show_whose_room_was_taken_meanwhile_cannot_be_undone(
    session: Session, demo: Demo
) -> None:
    booking = confirmed_room(session, demo, "Suite", XMAS, BOXING)
    mark_no_show(session, booking=booking, actor="staff:7", now=XMAS_MORNING_AFTER)
    walk_in = hold_room(session, demo, "Suite", XMAS + timedelta(days=1), BOXING, now=XMAS_CHECK_IN)
    confirm(session, booking=walk_in, actor="staff:7", now=XMAS_CHECK_IN)
    with pytest.raises(NotAvailableError, match=f"given to {walk_in.reference}"):
        undo_no_show(session, booking=booking, actor="staff:7", now=XMAS_MORNING_AFTER)
    assert booking.status == BookingStatus.NO_SHOW
    assert claim_pairs(session, booking) == set()


def test_only_a_no_show_can_be_undone(session: Session, demo: Demo) -> None:
    booking = seating(session, demo)
    with pytest.raises(ValidationError, match="this booking is confirmed"):
        undo_no_show(session, booking=booking, actor="staff:7", now=SEATING)


# The deposit rule -----------------------------------------------------------------------------


def no_show_at(session: Session, demo: Demo, day: date) -> Booking:
    """A table for the demo guest on ``day`` at 20:00 that ended as a no-show."""
    start = datetime.combine(day, time(20), tzinfo=demo.restaurant.tz)
    booking = hold_table(session, demo, day, time(20), 2, now=start - timedelta(days=1))
    confirm(session, booking=booking, actor="guest", now=start - timedelta(days=1))
    return mark_no_show(session, booking=booking, actor="staff:7", now=start + minutes(30))


def test_no_shows_count_from_when_they_were_marked_and_undone_ones_do_not(
    session: Session, demo: Demo
) -> None:
    first, second = (
        no_show_at(session, demo, date(2026, 12, 2)),
        no_show_at(session, demo, date(2026, 12, 3)),
    )
    guest = demo.guest.id
    assert no_show_count(session, guest_id=guest, before=datetime(2026, 12, 2, tzinfo=UTC)) == 0
    assert no_show_count(session, guest_id=guest, before=datetime(2026, 12, 4, tzinfo=UTC)) == 2
    undo_no_show(session, booking=first, actor="staff:7", now=datetime(2026, 12, 4, tzinfo=UTC))
    assert no_show_count(session, guest_id=guest, before=datetime(2026, 12, 5, tzinfo=UTC)) == 1
    assert second.status == BookingStatus.NO_SHOW


def test_the_venues_deposit_is_due_from_the_nth_no_show_and_not_before(
    session: Session, demo: Demo
) -> None:
    update_venue(session, venue=demo.restaurant, fields={"no_show_deposit_after": 2})
    now = datetime(2026, 12, 5, tzinfo=UTC)
    no_show_at(session, demo, date(2026, 12, 2))
    before = hold_table(session, demo, FRIDAY, time(20, 0), 2, now=now)
    assert before.amount == 0
    no_show_at(session, demo, date(2026, 12, 3))
    after = hold_table(session, demo, FRIDAY, time(21, 0), 2, now=now)
    assert after.amount == 2 * demo.restaurant.deposit_per_person


def test_a_booking_keeps_the_deposit_rule_it_was_made_under_when_moved(
    session: Session, demo: Demo
) -> None:
    update_venue(session, venue=demo.restaurant, fields={"no_show_deposit_after": 1})
    made_first = seating(session, demo)
    no_show_at(session, demo, date(2026, 12, 2))
    made_after = hold_table(
        session, demo, FRIDAY, time(21, 0), 2, now=datetime(2026, 12, 4, tzinfo=UTC)
    )
    confirm(session, booking=made_after, actor="razorpay", now=datetime(2026, 12, 4, tzinfo=UTC))
    later = datetime(2026, 12, 4, 1, tzinfo=UTC)
    modify(session, booking=made_first, actor="guest", now=later, starts_at=SEATING + minutes(30))
    modify(session, booking=made_after, actor="guest", now=later, starts_at=SEATING + minutes(60))
    assert made_first.amount == 0
    assert made_after.amount == 2 * demo.restaurant.deposit_per_person


def test_the_deposit_rule_needs_a_deposit_per_person_and_a_restaurant(
    session: Session, demo: Demo
) -> None:
    with pytest.raises(ValidationError, match="deposit per person first"):
        update_venue(
            session,
            venue=demo.restaurant,
            fields={"no_show_deposit_after": 2, "deposit_per_person": 0},
        )
    with pytest.raises(ValidationError, match="for tables"):
        update_venue(session, venue=demo.hotel, fields={"no_show_deposit_after": 2})
