"""Modifying a booking: new claims first, old ones released after, never lose both."""

from __future__ import annotations

from datetime import date, time

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from engine.bookings.enums import BookingStatus, CancelledBy
from engine.bookings.models import Booking, Claim
from engine.bookings.service import cancel, confirm, modify
from engine.exceptions import (
    HoldExpiredError,
    NotAvailableError,
    OutsideOpeningHoursError,
    ValidationError,
)
from tests.conftest import NOW
from tests.engine.conftest import Demo
from tests.engine.factories import (
    claim_pairs,
    claim_units,
    confirmed_room,
    counts,
    hold_room,
    hold_table,
    local,
    minutes,
    room_numbers,
    table_labels,
)

D24, D25, D26, D27, D28 = (date(2026, 12, day) for day in (24, 25, 26, 27, 28))
FRIDAY = date(2026, 12, 11)


def claim_ids(session: Session, booking: Booking) -> dict[str, int]:
    rows = session.execute(select(Claim.unit, Claim.id).where(Claim.booking_id == booking.id))
    return {unit: claim_id for unit, claim_id in rows}


def test_extending_a_stay_by_a_night_keeps_the_room(session: Session, demo: Demo) -> None:
    other = hold_room(session, demo, "Standard", D24, D26)  # 101
    booking = hold_room(session, demo, "Standard", D24, D26)  # 102
    cancel(session, booking=other, by=CancelledBy.GUEST, actor="guest", now=NOW)
    kept = claim_ids(session, booking)
    modify(session, booking=booking, actor="guest", now=NOW, check_out=D27)
    assert room_numbers(session, booking) == ["102"]  # not 101, though 101 is free again
    assert claim_units(session, booking) == ["2026-12-24", "2026-12-25", "2026-12-26"]
    assert {u: i for u, i in claim_ids(session, booking).items() if u in kept} == kept
    assert (booking.check_out, booking.amount) == (D27, 3 * 350_000)


def test_extending_when_the_own_room_is_taken_that_night_moves_the_whole_stay(
    session: Session, demo: Demo
) -> None:
    booking = hold_room(session, demo, "Standard", D24, D26)  # 101
    blocker = hold_room(session, demo, "Standard", D26, D27)  # 101 is free that night
    assert room_numbers(session, blocker) == ["101"]
    modify(session, booking=booking, actor="guest", now=NOW, check_out=D27)
    assert room_numbers(session, booking) == ["102"]
    assert claim_pairs(session, booking) == {
        (booking.resources[0], night) for night in ("2026-12-24", "2026-12-25", "2026-12-26")
    }
    assert claim_units(session, blocker) == ["2026-12-26"]


def test_modify_to_unavailable_dates_leaves_the_booking_and_its_claims_intact(
    sessions: sessionmaker[Session], session: Session, demo: Demo
) -> None:
    booking = confirmed_room(session, demo, "Suite", D24, D26)
    hold_room(session, demo, "Suite", D27, D28)
    session.commit()
    before = (counts(session), claim_pairs(session, booking), len(booking.events))
    with pytest.raises(NotAvailableError, match="No Suite room is free"):
        modify(session, booking=booking, actor="guest", now=NOW, check_in=D26, check_out=D28)
    session.commit()
    with sessions() as reader:
        stored = reader.get(Booking, booking.id)
        assert stored is not None
        assert (stored.status, stored.check_in, stored.check_out) == (
            BookingStatus.CONFIRMED,
            D24,
            D26,
        )
        assert (stored.amount, stored.resources) == (2 * 900_000, booking.resources)
        assert (counts(reader), claim_pairs(reader, stored), len(stored.events)) == before


def test_modify_is_undone_when_the_callers_transaction_rolls_back(
    session: Session, demo: Demo
) -> None:
    booking = hold_room(session, demo, "Suite", D24, D26)
    session.commit()
    before = claim_pairs(session, booking)
    modify(session, booking=booking, actor="guest", now=NOW, check_in=D25, check_out=D28)
    assert claim_units(session, booking) == ["2026-12-25", "2026-12-26", "2026-12-27"]
    session.rollback()
    assert claim_pairs(session, booking) == before
    assert counts(session).claims == 2


def test_shortening_a_stay_gives_back_the_dropped_nights(session: Session, demo: Demo) -> None:
    booking = hold_room(session, demo, "Suite", D24, D27)
    modify(session, booking=booking, actor="guest", now=NOW, check_out=D25)
    assert claim_units(session, booking) == ["2026-12-24"]
    assert booking.amount == 900_000
    assert room_numbers(session, hold_room(session, demo, "Suite", D25, D27)) == ["301"]


def test_modification_is_audited_with_what_it_was_before(session: Session, demo: Demo) -> None:
    booking = hold_room(session, demo, "Suite", D24, D26)
    resources = list(booking.resources)
    modify(session, booking=booking, actor="owner:1", now=NOW + minutes(1), check_out=D27)
    event = booking.events[-1]
    assert (event.from_status, event.to_status, event.actor, event.reason) == (
        "held",
        "held",
        "owner:1",
        "modified",
    )
    assert event.details == {"before": {"resources": resources, "amount": 2 * 900_000}}


def test_changing_room_type_moves_and_reprices(session: Session, demo: Demo) -> None:
    booking = confirmed_room(session, demo, "Standard", D24, D26)
    deluxe = demo.room_type(session, "Deluxe")
    modify(session, booking=booking, actor="guest", now=NOW, room_type_id=deluxe.id)
    assert (booking.room_type_id, booking.amount) == (deluxe.id, 2 * 550_000)
    assert room_numbers(session, booking) == ["201"]
    assert booking.status == BookingStatus.CONFIRMED
    assert len(claim_pairs(session, booking)) == 2


def test_moving_a_seating_later_keeps_the_table_and_swaps_the_slots(
    session: Session, demo: Demo
) -> None:
    booking = hold_table(session, demo, FRIDAY, time(20, 0), 2)
    later = local(demo.restaurant, FRIDAY, time(20, 30))
    modify(session, booking=booking, actor="guest", now=NOW, starts_at=later)
    assert table_labels(session, booking) == ["T1"]
    assert (booking.starts_at, booking.ends_at) == (later, later + minutes(90))
    assert claim_units(session, booking)[0] == "2026-12-11T15:00Z"
    assert len(claim_units(session, booking)) == 6


def test_growing_a_party_moves_to_a_bigger_table_and_sets_the_deposit(
    session: Session, demo: Demo
) -> None:
    booking = hold_table(session, demo, FRIDAY, time(20, 0), 2)
    modify(session, booking=booking, actor="guest", now=NOW, party_size=6)
    assert table_labels(session, booking) in (["T9"], ["T10"])
    assert (booking.party_size, booking.amount) == (6, 6 * 20_000)
    assert len(claim_pairs(session, booking)) == 6
    assert table_labels(session, hold_table(session, demo, FRIDAY, time(20, 0), 2)) == ["T1"]


def test_moving_a_seating_outside_opening_hours_changes_nothing(
    session: Session, demo: Demo
) -> None:
    booking = hold_table(session, demo, FRIDAY, time(20, 0), 2)
    before = (claim_pairs(session, booking), booking.starts_at, counts(session))
    with pytest.raises(OutsideOpeningHoursError):
        modify(
            session,
            booking=booking,
            actor="guest",
            now=NOW,
            starts_at=local(demo.restaurant, date(2026, 12, 14), time(13, 0)),  # Monday lunch
        )
    assert (claim_pairs(session, booking), booking.starts_at, counts(session)) == before


@pytest.mark.parametrize(
    "change",
    [
        {"party_size": 0},
        {"party_size": -2},
        {"party_size": 13},
        {"check_in": D27},  # after the check-out
        {"check_in": date(2026, 11, 30)},  # in the past
        {"check_out": date(2028, 1, 1)},  # far more than 30 nights
        {"room_type_id": 999_999},
    ],
)
def test_modify_with_bad_input_is_rejected_and_writes_nothing(
    session: Session, demo: Demo, change: dict[str, object]
) -> None:
    booking = hold_room(session, demo, "Standard", D24, D26)
    before = (claim_pairs(session, booking), counts(session), len(booking.events))
    with pytest.raises(ValidationError):
        modify(session, booking=booking, actor="guest", now=NOW, **change)  # type: ignore[arg-type]
    assert (claim_pairs(session, booking), counts(session), len(booking.events)) == before
    assert (booking.check_in, booking.check_out, booking.party_size) == (D24, D26, 2)


def test_modify_a_cancelled_booking_is_rejected(session: Session, demo: Demo) -> None:
    booking = hold_room(session, demo, "Suite", D24, D26)
    cancel(session, booking=booking, by=CancelledBy.GUEST, actor="guest", now=NOW)
    with pytest.raises(ValidationError, match="cancelled cannot be changed"):
        modify(session, booking=booking, actor="guest", now=NOW, check_out=D27)
    assert claim_pairs(session, booking) == set()


def test_modify_a_lapsed_hold_raises_hold_expired(session: Session, demo: Demo) -> None:
    booking = hold_room(session, demo, "Suite", D24, D26)
    with pytest.raises(HoldExpiredError):
        modify(session, booking=booking, actor="guest", now=NOW + minutes(15), check_out=D27)
    assert claim_units(session, booking) == ["2026-12-24", "2026-12-25"]


def test_modify_keeps_a_confirmed_booking_confirmed_and_unexpiring(
    session: Session, demo: Demo
) -> None:
    booking = hold_room(session, demo, "Suite", D24, D26)
    confirm(session, booking=booking, actor="razorpay", now=NOW, amount_paid=1_800_000)
    modify(session, booking=booking, actor="guest", now=NOW + minutes(60), check_out=D27)
    assert booking.status == BookingStatus.CONFIRMED
    assert booking.hold_expires_at is None
    assert claim_units(session, booking) == ["2026-12-24", "2026-12-25", "2026-12-26"]
