"""Holds: claiming inventory, one claim per unit, and expiry (lazy and by the job)."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from engine.bookings.enums import BookingStatus, Channel
from engine.bookings.models import Booking
from engine.bookings.service import (
    expire_holds,
    get_booking,
    guest_bookings,
    mark_pending_payment,
    place_hold,
)
from engine.exceptions import NotAvailableError, NotFoundError, ValidationError
from engine.guests.service import get_or_create_guest
from engine.tenants.models import Business
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
    room_offer,
    table_labels,
)

XMAS = date(2026, 12, 24)
BOXING = date(2026, 12, 26)
FRIDAY = date(2026, 12, 11)


def test_hold_claims_one_room_for_each_night_until_the_hold_time_runs_out(
    session: Session, demo: Demo
) -> None:
    booking = hold_room(session, demo, "Deluxe", XMAS, BOXING, guests=3)
    assert booking.status == BookingStatus.HELD
    assert booking.hold_expires_at == NOW + minutes(15)
    assert (booking.amount, booking.amount_paid, booking.currency) == (2 * 550_000, 0, "INR")
    assert (booking.check_in, booking.check_out, booking.party_size) == (XMAS, BOXING, 3)
    assert room_numbers(session, booking) == ["201"]
    assert claim_units(session, booking) == ["2026-12-24", "2026-12-25"]
    assert booking.reference.startswith("BK-") and len(booking.reference) == 9


def test_second_hold_on_same_room_night_is_rejected(session: Session, demo: Demo) -> None:
    hold_room(session, demo, "Suite", XMAS, BOXING)
    before = counts(session)
    with pytest.raises(NotAvailableError, match="No Suite room is free"):
        hold_room(session, demo, "Suite", date(2026, 12, 25), date(2026, 12, 27))
    assert counts(session) == before


def test_next_hold_of_a_type_takes_the_next_free_room(session: Session, demo: Demo) -> None:
    first = hold_room(session, demo, "Standard", XMAS, BOXING)
    second = hold_room(session, demo, "Standard", XMAS, BOXING)
    assert room_numbers(session, first) == ["101"]
    assert room_numbers(session, second) == ["102"]


def test_hold_is_undone_when_the_callers_transaction_rolls_back(
    session: Session, demo: Demo
) -> None:
    before = counts(session)
    hold_room(session, demo, "Suite", XMAS, BOXING)
    session.rollback()
    assert counts(session) == before
    assert hold_room(session, demo, "Suite", XMAS, BOXING).status == BookingStatus.HELD


def test_hold_for_a_guest_of_another_business_is_rejected(session: Session, demo: Demo) -> None:
    other = Business(name="Other", slug="other")
    session.add(other)
    session.flush()
    stranger = get_or_create_guest(session, business_id=other.id, phone="+919800000002")
    before = counts(session)
    with pytest.raises(ValidationError, match="another business"):
        place_hold(
            session,
            offer=room_offer(session, demo, "Suite", XMAS, BOXING),
            guest=stranger,
            channel=Channel.SMS,
            actor="guest",
            now=NOW,
        )
    assert counts(session) == before


def test_restaurant_hold_is_for_the_turn_and_records_the_deposit(
    session: Session, demo: Demo
) -> None:
    booking = hold_table(session, demo, FRIDAY, time(20, 0), 5)
    assert table_labels(session, booking) in (["T9"], ["T10"])
    assert booking.amount == 5 * 20_000
    assert booking.ends_at is not None and booking.starts_at is not None
    assert booking.ends_at - booking.starts_at == minutes(90)
    assert booking.check_in is None and booking.room_type_id is None


# Lazy expiry: a new claim colliding with a lapsed hold releases it and proceeds.


def test_new_hold_colliding_with_a_lapsed_hold_releases_it_and_proceeds(
    session: Session, demo: Demo
) -> None:
    old = hold_room(session, demo, "Suite", XMAS, BOXING)
    session.commit()
    later = NOW + minutes(15)  # the hold lapses at exactly hold_expires_at
    new = hold_room(session, demo, "Suite", date(2026, 12, 25), date(2026, 12, 27), now=later)
    session.commit()
    session.refresh(old)
    assert new.status == BookingStatus.HELD
    assert claim_units(session, new) == ["2026-12-25", "2026-12-26"]
    assert old.status == BookingStatus.EXPIRED
    assert claim_pairs(session, old) == set()
    assert (old.events[-1].actor, old.events[-1].to_status) == ("system:lazy-expiry", "expired")
    assert room_numbers(session, old) == ["301"]  # resources stay as the record of what was held


def test_hold_that_has_not_lapsed_still_blocks(session: Session, demo: Demo) -> None:
    hold_room(session, demo, "Suite", XMAS, BOXING)
    with pytest.raises(NotAvailableError):
        hold_room(
            session, demo, "Suite", XMAS, BOXING, now=NOW + minutes(15) - timedelta(seconds=1)
        )


def test_lapsed_pending_payment_hold_is_released_lazily_too(session: Session, demo: Demo) -> None:
    old = hold_table(session, demo, FRIDAY, time(20, 0), 8)
    mark_pending_payment(session, booking=old, actor="system", now=NOW + minutes(1))
    new = hold_table(session, demo, FRIDAY, time(20, 30), 8, now=NOW + minutes(20))
    assert table_labels(session, new) == ["T7", "T8"]
    assert old.status == BookingStatus.EXPIRED
    assert claim_pairs(session, old) == set()


def test_lazy_expiry_leaves_live_bookings_on_other_units_alone(
    session: Session, demo: Demo
) -> None:
    lapsed = hold_room(session, demo, "Suite", XMAS, BOXING)
    live = hold_room(session, demo, "Deluxe", XMAS, BOXING, now=NOW + minutes(10))
    hold_room(session, demo, "Suite", XMAS, BOXING, now=NOW + minutes(16))
    assert lapsed.status == BookingStatus.EXPIRED
    assert live.status == BookingStatus.HELD
    assert len(claim_pairs(session, live)) == 2


# Expiry by job.


def test_expire_holds_expires_only_lapsed_holds_and_frees_their_rooms(
    session: Session, demo: Demo
) -> None:
    lapsed = hold_room(session, demo, "Suite", XMAS, BOXING)
    pending = hold_room(session, demo, "Deluxe", XMAS, BOXING)
    mark_pending_payment(session, booking=pending, actor="system", now=NOW + minutes(2))
    fresh = hold_room(session, demo, "Standard", XMAS, BOXING, now=NOW + minutes(10))
    paid = confirmed_room(session, demo, "Standard", XMAS, BOXING)
    session.commit()

    expired = expire_holds(session, now=NOW + minutes(15))
    session.commit()

    assert {b.id for b in expired} == {lapsed.id, pending.id}
    assert [b.status for b in (lapsed, pending, fresh, paid)] == [
        BookingStatus.EXPIRED,
        BookingStatus.EXPIRED,
        BookingStatus.HELD,
        BookingStatus.CONFIRMED,
    ]
    assert claim_pairs(session, lapsed) == claim_pairs(session, pending) == set()
    assert len(claim_pairs(session, fresh)) == len(claim_pairs(session, paid)) == 2
    assert lapsed.events[-1].actor == "system:expiry-job"
    assert pending.events[-1].from_status == "pending_payment"
    again = hold_room(session, demo, "Suite", XMAS, BOXING, now=NOW + minutes(16))
    assert room_numbers(session, again) == ["301"]


def test_expire_holds_before_any_hold_lapses_does_nothing(session: Session, demo: Demo) -> None:
    booking = hold_room(session, demo, "Suite", XMAS, BOXING)
    assert expire_holds(session, now=NOW + minutes(14)) == []
    assert booking.status == BookingStatus.HELD


def test_expire_holds_twice_expires_each_hold_once(session: Session, demo: Demo) -> None:
    booking = hold_room(session, demo, "Suite", XMAS, BOXING)
    assert expire_holds(session, now=NOW + minutes(20)) == [booking]
    assert expire_holds(session, now=NOW + minutes(21)) == []
    assert [e.to_status for e in booking.events] == ["held", "expired"]


def test_expire_holds_takes_at_most_limit_oldest_first(session: Session, demo: Demo) -> None:
    bookings = [hold_room(session, demo, "Standard", XMAS, BOXING) for _ in range(3)]
    expired = expire_holds(session, now=NOW + minutes(20), limit=2)
    assert expired == bookings[:2]
    assert bookings[2].status == BookingStatus.HELD


def test_job_and_a_separate_session_agree_on_what_expired(
    sessions: sessionmaker[Session], demo: Demo
) -> None:
    with sessions() as first:
        booking = hold_room(first, demo, "Suite", XMAS, BOXING)
        first.commit()
    with sessions() as job:
        assert [b.id for b in expire_holds(job, now=NOW + minutes(15))] == [booking.id]
        job.commit()
    with sessions() as reader:
        stored = reader.get(Booking, booking.id)
        assert stored is not None and stored.status == BookingStatus.EXPIRED
        assert claim_pairs(reader, stored) == set()


# Finding bookings.


def test_booking_is_found_by_a_reference_typed_loosely(session: Session, demo: Demo) -> None:
    booking = hold_room(session, demo, "Suite", XMAS, BOXING)
    typed = booking.reference.lower().replace("-", " ")
    assert get_booking(session, reference=typed) is booking
    assert get_booking(session, reference=typed, business_id=demo.hotel.business_id) is booking


def test_booking_of_another_business_is_not_found(session: Session, demo: Demo) -> None:
    booking = hold_room(session, demo, "Suite", XMAS, BOXING)
    with pytest.raises(NotFoundError, match=booking.reference):
        get_booking(session, reference=booking.reference, business_id=demo.hotel.business_id + 1)
    with pytest.raises(NotFoundError, match="BK-ZZZZZZ"):
        get_booking(session, reference="bk-zzzzzz")


def test_guest_bookings_lists_live_bookings_soonest_first(session: Session, demo: Demo) -> None:
    later = confirmed_room(session, demo, "Deluxe", date(2026, 12, 28), date(2026, 12, 30))
    sooner = hold_room(session, demo, "Suite", XMAS, BOXING, now=NOW + minutes(10))
    gone = hold_room(session, demo, "Standard", XMAS, BOXING)
    expire_holds(session, now=NOW + minutes(15))
    assert gone.status == BookingStatus.EXPIRED
    listed = guest_bookings(session, venue_id=demo.hotel.id, guest_id=demo.guest.id)
    assert listed == [sooner, later]
    assert guest_bookings(session, venue_id=demo.restaurant.id, guest_id=demo.guest.id) == []


def test_all_bookings_stored_have_unique_references(session: Session, demo: Demo) -> None:
    for _ in range(5):
        hold_room(session, demo, "Standard", XMAS, BOXING)
    references = session.scalars(select(Booking.reference)).all()
    assert len(set(references)) == 5
