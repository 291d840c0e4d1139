"""A table's hold in one statement on PostgreSQL (``bookline_hold_table``).

The statement must do what the Python path does: the same seating, deposit, status, claims
and audit row for a hold, and the same error (type and message) for a refusal, on schedules
with live and lapsed holds, a closed day, parties no table seats, starts off the grid or past
closing, a guest whose no-shows make the deposit due, and a venue whose windows run past
midnight across both clock changes. SQLite has no stored functions: these tests are
PostgreSQL's.
"""

from __future__ import annotations

import contextlib
import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

import engine.bookings.service as service
from engine.availability.offers import TableOffer
from engine.bookings.enums import BookingStatus, Channel
from engine.bookings.models import Booking, BookingEvent, Claim
from engine.bookings.service import confirm, mark_no_show, place_hold
from engine.bookings.transitions import STORED_ENTRIES
from engine.exceptions import BooklineError
from engine.guests.models import Guest
from engine.guests.service import get_or_create_guest
from engine.inventory.models import Closure, OpeningHours
from engine.risk.exceptions import HoldRateLimitedError
from engine.risk.service import MAX_HOLDS_PER_HOUR
from engine.tenants.service import update_venue
from tests.conftest import NOW
from tests.engine.conftest import Demo
from tests.engine.factories import (
    hold_table,
    table_by_label,
    table_labels,
    table_offer,
    table_offer_at,
)
from tests.engine.test_hold_path import statements

FRIDAY = date(2026, 12, 11)
MONDAY = date(2026, 12, 14)  # dinner only
SATURDAY = date(2026, 12, 12)  # closed in the schedules
TUESDAY = date(2026, 12, 15)  # no holds: every party's first choice is free
#: Holds of the schedules are placed up to 20 minutes before NOW and last 15: some lapse.
LATER = NOW + timedelta(minutes=2)
PARTIES = [1, 2, 3, 4, 5, 7, 8, 9, 11, 21]
TIMES = [time(11, 45), time(12, 0), time(12, 7), time(13, 30), time(13, 45), time(19, 0)]
TIMES += [time(20, 0), time(21, 0), time(21, 30), time(21, 45), time(22, 0)]

Outcome = tuple[Any, ...]


@pytest.fixture(autouse=True)
def postgresql_only(is_postgres: bool) -> None:
    if not is_postgres:
        pytest.skip("the one-statement hold is PostgreSQL's (SQLite keeps the Python path)")


@contextlib.contextmanager
def python_path(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """``place_hold`` as on SQLite: no function on the server."""
    with monkeypatch.context() as patch:
        patch.setattr(service, "on_postgresql", lambda _session: False)
        yield


def stored(session: Session, booking: Booking) -> Outcome:
    """Everything a hold wrote, read back from the database (ids and reference left out)."""
    session.flush()
    row = session.execute(
        select(
            Booking.resources,
            Booking.amount,
            Booking.status,
            Booking.party_size,
            Booking.starts_at,
            Booking.ends_at,
            Booking.hold_expires_at,
            Booking.currency,
            Booking.channel,
            Booking.notes,
            Booking.created_at,
        ).where(Booking.id == booking.id)
    ).one()
    claims = session.execute(
        select(Claim.venue_id, Claim.resource, Claim.unit)
        .where(Claim.booking_id == booking.id)
        .order_by(Claim.resource, Claim.unit)
    ).all()
    events = session.execute(
        select(
            BookingEvent.at,
            BookingEvent.from_status,
            BookingEvent.to_status,
            BookingEvent.actor,
            BookingEvent.reason,
            BookingEvent.details,
        ).where(BookingEvent.booking_id == booking.id)
    ).all()
    loaded = (booking.resources, booking.amount, booking.status, booking.starts_at)
    return tuple(row), loaded, claims, events


def attempt(session: Session, demo: Demo, offer: TableOffer, now: datetime) -> Outcome:
    """The hold's outcome and how many statements it took, written nothing in the end."""
    savepoint = session.begin_nested()
    session.connection()  # sends the SAVEPOINT now, not inside the hold's count
    try:
        with statements(session) as seen:
            booking = hold(session, demo, offer, now)
        result: Outcome = ("held", stored(session, booking))
    except BooklineError as exc:
        result = (type(exc).__name__, exc.message)
    savepoint.rollback()
    return result, len(seen)


def hold(session: Session, demo: Demo, offer: TableOffer, now: datetime) -> Booking:
    return place_hold(
        session, offer=offer, guest=demo.guest, channel=Channel.SMS, actor="guest", now=now
    )


def compare(
    session: Session,
    demo: Demo,
    offers: list[TableOffer],
    monkeypatch: pytest.MonkeyPatch,
    now: datetime,
) -> int:
    """Assert both paths agree on every offer; how many holds the statement placed alone."""
    alone = 0
    for offer in offers:
        by_statement, count = attempt(session, demo, offer, now)
        with python_path(monkeypatch):
            by_python, _ = attempt(session, demo, offer, now)
        assert by_statement == by_python, offer
        alone += by_statement[0] == "held" and count == 1
    return alone


def fill(session: Session, demo: Demo, rng: random.Random) -> None:
    """Random holds on FRIDAY and MONDAY (some lapsed by LATER), and SATURDAY closed."""
    for _ in range(40):
        at = time(rng.choice([12, 13, 19, 20, 21]), rng.choice([0, 15, 30, 45]))
        placed = NOW - timedelta(minutes=rng.choice([0, 0, 5, 20]))
        day = rng.choice([FRIDAY, MONDAY])
        with contextlib.suppress(BooklineError):  # taken, or outside the hours: skip it
            hold_table(session, demo, day, at, rng.randint(1, 10), now=placed)
    session.add(Closure(venue_id=demo.restaurant.id, day=SATURDAY))
    session.flush()


def a_no_show(session: Session, demo: Demo) -> None:
    """The demo guest did not come to a table a fortnight ago."""
    placed = NOW - timedelta(days=20)
    booking = hold_table(
        session, demo, (NOW - timedelta(days=14)).date(), time(20, 0), 2, now=placed
    )
    confirm(session, booking=booking, actor="guest", now=placed)
    mark_no_show(session, booking=booking, actor="staff", now=NOW - timedelta(days=13))


def regroup(session: Session, demo: Demo) -> None:
    """Many pairs to order: the 2-seaters combine, and group A joins one of them (labelled X1,
    after the 4-seaters' labels) to the 4- and 6-seaters, so that pairs of the same size are
    ordered by their first table's label, not by its size; a lower-case label sorts where
    Python puts it (after every capital), not where a collation might."""
    labels = {"T1": ("X1", "A"), "T2": ("T2", "B"), "T3": ("T3", "B"), "T4": ("T4", "B")}
    labels |= {"T5": ("T5", "A"), "T6": ("t6", "A"), "T9": ("T9", "A"), "T10": ("T10", "A")}
    for label, (new_label, group) in labels.items():
        table = table_by_label(session, demo.restaurant, label)
        table.label, table.combine_group = new_label, group
    session.flush()


@pytest.mark.parametrize(("seed", "regrouped"), [(1, False), (2, True), (3, True)])
def test_the_statement_holds_and_refuses_exactly_as_the_python_path(
    session: Session, demo: Demo, monkeypatch: pytest.MonkeyPatch, seed: int, regrouped: bool
) -> None:
    if regrouped:
        regroup(session, demo)
    fill(session, demo, random.Random(seed))
    offers = [
        table_offer(demo.restaurant, day, at, party)
        for day in (FRIDAY, MONDAY, SATURDAY, TUESDAY)
        for at in TIMES
        for party in PARTIES
    ]
    assert compare(session, demo, offers, monkeypatch, LATER) > 40


def test_a_guests_no_shows_make_the_statements_deposit_due_as_in_python(
    session: Session, demo: Demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    a_no_show(session, demo)
    update_venue(session, venue=demo.restaurant, fields={"no_show_deposit_after": 1})
    session.flush()
    offers = [table_offer(demo.restaurant, FRIDAY, time(20, 0), party) for party in (2, 6)]
    assert compare(session, demo, offers, monkeypatch, NOW) == 2
    booking = hold_table(session, demo, FRIDAY, time(20, 0), 2)
    assert booking.amount == 2 * demo.restaurant.deposit_per_person


def test_windows_past_midnight_over_both_clock_changes_seat_as_in_python(
    session: Session, demo: Demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """London: Saturday evenings run to 01:30 and Sunday's night to 03:00; on the spring
    change 01:00-02:00 does not exist, on the autumn one it happens twice (a start in the
    second reading is on no grid, and 01:30 closes at its first)."""
    venue = demo.restaurant
    venue.timezone = "Europe/London"
    session.execute(delete(OpeningHours).where(OpeningHours.venue_id == venue.id))
    session.add(OpeningHours(venue_id=venue.id, weekday=5, opens=time(18, 0), closes=time(1, 30)))
    session.add(OpeningHours(venue_id=venue.id, weekday=6, opens=time(0, 30), closes=time(3, 0)))
    session.flush()
    offers = []
    for saturday in (date(2027, 3, 27), date(2027, 10, 30), date(2027, 6, 5)):
        first = datetime.combine(saturday, time(21, 0), tzinfo=venue.tz).astimezone(UTC)
        for step in range(28):
            starts_at = first + timedelta(minutes=15 * step)
            for party in (2, 8):
                offers.append(table_offer_at(venue, starts_at, party))
    assert compare(session, demo, offers, monkeypatch, NOW) > 40


def test_on_postgresql_a_tables_hold_is_one_statement_before_its_commit(
    session: Session, demo: Demo
) -> None:
    """Grid, seatings, claims, booking and the audit entry in one round trip."""
    first = hold_table(session, demo, FRIDAY, time(20, 0), 8)  # T7 + T8, the only pair
    session.flush()
    assert table_labels(session, first) == ["T7", "T8"]
    offer = table_offer(demo.restaurant, FRIDAY, time(20, 0), 4)
    with statements(session) as seen:
        booking = hold(session, demo, offer, NOW)
    assert len(seen) == 1 and "bookline_hold_table" in seen[0], seen
    assert (table_labels(session, booking), booking.amount, booking.status) == (
        ["T5"],
        0,
        BookingStatus.HELD,
    )
    with statements(session) as flushed:
        session.flush()
    assert flushed == []
    assert [(e.reason, e.actor) for e in booking.events] == [("hold placed", "guest")]
    assert [e.booking for e in session.info[STORED_ENTRIES]] == [first, booking]


def test_the_tables_statement_refuses_a_guest_over_the_hold_rate_writing_nothing(
    session: Session, demo: Demo
) -> None:
    for n in range(MAX_HOLDS_PER_HOUR):
        hold_table(session, demo, FRIDAY, time(19, 0), 2, now=NOW + timedelta(minutes=n))
    session.flush()
    later = NOW + timedelta(minutes=30)
    other = get_or_create_guest(session, business_id=demo.hotel.business_id, phone="+919800000078")
    written = session.scalar(select(func.count(Booking.id)))
    offer = table_offer(demo.restaurant, FRIDAY, time(21, 0), 2)

    def rated(guest: Guest, now: datetime) -> Booking:
        return place_hold(
            session,
            offer=offer,
            guest=guest,
            channel=Channel.SMS,
            actor="guest",
            now=now,
            holds_per_hour=MAX_HOLDS_PER_HOUR,
        )

    with statements(session) as seen, pytest.raises(HoldRateLimitedError):
        rated(demo.guest, later)
    assert len(seen) == 1 and "bookline_hold_table" in seen[0], seen
    assert session.scalar(select(func.count(Booking.id))) == written  # refused before writing
    assert rated(other, later).guest_id == other.id
    assert rated(demo.guest, NOW + timedelta(hours=2)).guest_id == demo.guest.id
