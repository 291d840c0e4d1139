"""Many guests racing for the last inventory: the database lets exactly the right number win.

Each thread has its own Session and commits, as separate API processes would. Run on both
backends: on PostgreSQL the claims' constraint decides the race (a stay's or a table's hold
is one statement there); SQLite serialises writers, so there the race checks that the Python
path's losers fail cleanly with NotAvailableError and nothing is claimed twice.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, time, timedelta
from itertools import combinations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from engine.availability.offers import Offer, RoomShare, RoomsOffer
from engine.bookings.enums import BookingStatus, Channel
from engine.bookings.models import Booking, Claim
from engine.bookings.service import place_hold
from engine.exceptions import NotAvailableError
from engine.guests.models import Guest
from tests.conftest import NOW
from tests.engine.conftest import Demo
from tests.engine.factories import (
    Counts,
    claim_pairs,
    counts,
    hold_room,
    room_numbers,
    room_offer,
    table_labels,
    table_offer,
)

THREADS = 200
D = date(2026, 12, 20)
#: Stays of different lengths and dates that all include the night of 26 Dec.
STAYS = [
    (date(2026, 12, 24), date(2026, 12, 27)),
    (date(2026, 12, 25), date(2026, 12, 28)),
    (date(2026, 12, 26), date(2026, 12, 27)),
    (date(2026, 12, 23), date(2026, 12, 29)),
]


def race(
    sessions: sessionmaker[Session], guest_id: int, offers: list[Offer]
) -> tuple[list[int], list[BaseException]]:
    """Start one hold per offer at the same instant; ids of the winners, errors of the rest."""
    barrier = threading.Barrier(len(offers))

    def attempt(offer: Offer) -> int | BaseException:
        barrier.wait(timeout=30)
        with sessions() as session:
            guest = session.get(Guest, guest_id)
            assert guest is not None
            try:
                booking = place_hold(
                    session, offer=offer, guest=guest, channel=Channel.SMS, actor="guest", now=NOW
                )
                session.commit()
            except NotAvailableError as exc:
                session.rollback()
                return exc
            return booking.id

    with ThreadPoolExecutor(max_workers=len(offers)) as pool:
        results = list(pool.map(attempt, offers))
    won = [r for r in results if isinstance(r, int)]
    lost = [r for r in results if not isinstance(r, int)]
    return won, lost


def stay(session: Session, booking_id: int) -> tuple[Booking, date, date]:
    """A winning booking with its (non-null) stay dates."""
    booking = session.get(Booking, booking_id)
    assert booking is not None and booking.check_in and booking.check_out
    return booking, booking.check_in, booking.check_out


def assert_no_unit_claimed_twice(session: Session) -> None:
    duplicates = session.execute(
        select(Claim.resource, Claim.unit)
        .group_by(Claim.resource, Claim.unit)
        .having(func.count(Claim.id) > 1)
    ).all()
    assert duplicates == []


def test_200_guests_race_for_the_last_3_standard_rooms_and_exactly_3_win(
    sessions: sessionmaker[Session], session: Session, demo: Demo
) -> None:
    taken = [hold_room(session, demo, "Standard", D, D + timedelta(days=12)) for _ in range(2)]
    session.commit()
    assert sorted(n for b in taken for n in room_numbers(session, b)) == ["101", "102"]
    offers: list[Offer] = [
        room_offer(session, demo, "Standard", *STAYS[n % len(STAYS)]) for n in range(THREADS)
    ]
    before = counts(session)

    won, lost = race(sessions, demo.guest.id, offers)

    assert len(won) == 3
    assert len(lost) == THREADS - 3
    assert all(isinstance(e, NotAvailableError) for e in lost)
    winners = [stay(session, booking_id) for booking_id in won]
    assert all(b.status == BookingStatus.HELD for b, _, _ in winners)
    rooms = sorted(n for b, _, _ in winners for n in room_numbers(session, b))
    assert rooms == ["103", "104", "105"]
    for (a, a_in, a_out), (b, b_in, b_out) in combinations(winners, 2):
        assert a_in < b_out and b_in < a_out  # every pair of winning stays overlaps...
        assert a.resources != b.resources  # ...so each needs a room of its own
    assert_no_unit_claimed_twice(session)
    for b, check_in, check_out in winners:
        nights = {
            (check_in + timedelta(days=n)).isoformat() for n in range((check_out - check_in).days)
        }
        assert claim_pairs(session, b) == {(b.resources[0], night) for night in nights}
    nights_won = sum((out - in_).days for _, in_, out in winners)
    assert counts(session) == Counts(before.bookings + 3, before.claims + nights_won)


def test_200_guests_race_for_the_one_table_pair_that_seats_8_and_one_wins(
    sessions: sessionmaker[Session], session: Session, demo: Demo
) -> None:
    friday = date(2026, 12, 11)
    times = [time(19, 45), time(20, 0), time(20, 15), time(20, 30)]  # overlapping 2-hour turns
    offers: list[Offer] = [
        table_offer(demo.restaurant, friday, times[n % len(times)], 8) for n in range(THREADS)
    ]

    won, lost = race(sessions, demo.guest.id, offers)

    assert len(won) == 1
    assert all(isinstance(e, NotAvailableError) for e in lost) and len(lost) == THREADS - 1
    winner = session.get(Booking, won[0])
    assert winner is not None
    assert table_labels(session, winner) == ["T7", "T8"]
    assert len(claim_pairs(session, winner)) == 2 * 8
    assert_no_unit_claimed_twice(session)
    assert counts(session) == Counts(bookings=1, claims=16)


def test_40_families_race_for_the_suite_with_a_deluxe_room_and_one_wins_without_deadlock(
    sessions: sessionmaker[Session], session: Session, demo: Demo
) -> None:
    suite, deluxe = demo.room_type(session, "Suite"), demo.room_type(session, "Deluxe")
    rooms = (RoomShare(suite.id, "Suite", 2, 0), RoomShare(deluxe.id, "Deluxe", 2, 0))
    # Half list the suite first, half the deluxe room: the claims must still go in one order.
    offers: list[Offer] = [
        RoomsOffer(demo.hotel.id, a, b, (b - a).days, rooms[:: 1 if n % 2 else -1], "INR")
        for n, (a, b) in enumerate(STAYS * 10)
    ]
    before = counts(session)

    won, lost = race(sessions, demo.guest.id, offers)

    assert len(won) == 1 and all(isinstance(e, NotAvailableError) for e in lost)
    (winner, check_in, check_out) = stay(session, won[0])
    assert sorted(room_numbers(session, winner)) == ["201", "301"]
    assert_no_unit_claimed_twice(session)
    nights = (check_out - check_in).days
    assert counts(session) == Counts(before.bookings + 1, before.claims + 2 * nights)
