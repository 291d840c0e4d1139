"""The table search's one-statement read and its table-bit test against the claims read plainly.

Random schedules at the demo restaurant: holds of random parties at random times over the
four days a search covers, placed at different instants so that some have lapsed by the
search's "now" (a lapsed hold blocks nothing), and a closure on a day that has claims. The
search (``free_starts_by_day``) and the hold path (``free_seatings``, one claims query of its
own) must both say exactly what a plain reading of every live claim says.
"""

from __future__ import annotations

import contextlib
import random
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.availability.restaurant import (
    Seating,
    free_seatings,
    free_starts_by_day,
    seating_pairs,
    seatings_for,
    starts_by_day,
)
from engine.availability.units import Pair
from engine.bookings.enums import HOLDING_STATUSES
from engine.bookings.models import Booking, Claim
from engine.exceptions import BooklineError
from engine.inventory.models import Closure
from engine.tenants.models import Venue
from tests.conftest import NOW
from tests.engine.conftest import Demo
from tests.engine.factories import hold_table

FRIDAY = date(2026, 12, 11)
DAYS = [FRIDAY + timedelta(days=n) for n in range(4)]
#: Holds are placed up to 20 minutes before NOW and last 15: by LATER some have lapsed.
LATER = NOW + timedelta(minutes=2)


def live_pairs(session: Session, now: datetime) -> set[Pair]:
    """Every claim of a booking that is not a lapsed hold, read row by row."""
    rows = session.execute(select(Claim.resource, Claim.unit, Booking).join(Booking))
    return {
        (resource, unit)
        for resource, unit, booking in rows
        if not (
            booking.status in HOLDING_STATUSES
            and booking.hold_expires_at is not None
            and booking.hold_expires_at <= now
        )
    }


def free_by_reading(
    session: Session, venue: Venue, party: int, now: datetime
) -> dict[datetime, list[Seating]]:
    """Per future grid start of ``DAYS``, the seatings with no live claim on any of their pairs."""
    live = live_pairs(session, now)
    seatings = seatings_for(session, venue, party)
    starts = starts_by_day(session, venue, DAYS, party)
    return {
        start: [s for s in seatings if live.isdisjoint(seating_pairs(venue, s, start, party))]
        for day in DAYS
        for start in starts[day]
        if start > now
    }


def fill(session: Session, demo: Demo, rng: random.Random) -> None:
    """Random holds over ``DAYS`` (some lapsed by ``LATER``), then a closure on one of them."""
    for _ in range(60):
        at = time(rng.choice([12, 13, 14, 19, 20, 21, 22]), rng.choice([0, 15, 30, 45]))
        placed = NOW - timedelta(minutes=rng.choice([0, 0, 5, 20]))
        with contextlib.suppress(BooklineError):  # taken, or outside the hours: skip it
            hold_table(session, demo, rng.choice(DAYS), at, rng.randint(1, 10), now=placed)
    session.add(Closure(venue_id=demo.restaurant.id, day=rng.choice(DAYS)))
    session.flush()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_search_and_hold_path_agree_with_the_claims_read_plainly(
    session: Session, demo: Demo, seed: int
) -> None:
    rng = random.Random(seed)
    fill(session, demo, rng)
    venue = demo.restaurant
    for party in range(1, 11):
        expected = free_by_reading(session, venue, party, LATER)
        by_day = free_starts_by_day(session, venue, DAYS, party, now=LATER)
        assert [s for each in by_day.values() for s in each] == [
            start for start, seatings in expected.items() if seatings
        ]
        free = free_seatings(session, venue, list(expected), party, now=LATER)
        assert {start: free.get(start, []) for start in expected} == expected  # {} seats none


def test_the_schedules_block_some_starts_and_lapsed_holds_block_none(
    session: Session, demo: Demo
) -> None:
    """The random schedules are not trivially empty or full, and lapsing matters in them."""
    fill(session, demo, random.Random(1))
    venue = demo.restaurant
    free_now = free_by_reading(session, venue, 2, NOW + timedelta(minutes=1))
    free_later = free_by_reading(session, venue, 2, NOW + timedelta(minutes=30))
    assert any(len(a) < len(b) for a, b in zip(free_now.values(), free_later.values(), strict=True))
    assert any(seatings for seatings in free_now.values())
    eights = free_by_reading(session, venue, 8, NOW + timedelta(minutes=1))  # only T7 + T8
    assert any(not seatings for seatings in eights.values())
