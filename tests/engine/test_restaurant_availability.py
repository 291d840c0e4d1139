"""Restaurant availability: seating grid, table fit, alternatives, deposits, time zones.

Spice Garden (seeded): lunch 12:00-15:00 except Mondays, dinner 19:00-23:00, 15-minute grid,
90-minute turns (120 from 7 guests); T1-T4 seat 2, T5-T8 seat 4 (T7+T8 combine), T9-T10 seat 6.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy.orm import Session

from engine.availability.offers import TableOffer
from engine.availability.requests import TableRequest
from engine.availability.restaurant import free_starts, seating_starts
from engine.availability.service import search_availability
from engine.exceptions import NotAvailableError, OutsideOpeningHoursError, ValidationError
from engine.inventory.models import Closure, OpeningHours
from tests.conftest import NOW
from tests.engine.conftest import Demo
from tests.engine.factories import (
    claim_units,
    counts,
    hold_table,
    local,
    table_by_label,
    table_labels,
)

FRIDAY = date(2026, 12, 11)
MONDAY = date(2026, 12, 7)


def search(
    session: Session, demo: Demo, day: date, at: time, party: int, *, limit: int = 5
) -> list[TableOffer]:
    offers = search_availability(
        session,
        venue=demo.restaurant,
        request=TableRequest(day, at, party),
        now=NOW,
        limit=limit,
    )
    return [o for o in offers if isinstance(o, TableOffer)]


def wall(offers: list[TableOffer]) -> list[tuple[date, time]]:
    return [(o.local_start.date(), o.local_start.time()) for o in offers]


def local_starts(session: Session, demo: Demo, day: date, party: int) -> list[time]:
    return [
        s.astimezone(demo.restaurant.tz).time()
        for s in seating_starts(session, demo.restaurant, day, party)
    ]


def test_free_requested_time_is_the_first_offer_and_exact(session: Session, demo: Demo) -> None:
    offers = search(session, demo, FRIDAY, time(20, 0), 2)
    assert offers[0].exact is True
    assert offers[0].starts_at == datetime(2026, 12, 11, 14, 30, tzinfo=UTC)
    assert offers[0].local_start.time() == time(20, 0)
    assert [o.exact for o in offers[1:]] == [False] * (len(offers) - 1)


def test_party_of_8_gets_the_combinable_pair_t7_and_t8(session: Session, demo: Demo) -> None:
    booking = hold_table(session, demo, FRIDAY, time(20, 0), 8)
    assert table_labels(session, booking) == ["T7", "T8"]
    assert len(claim_units(session, booking)) == 2 * 8  # two tables, 120-minute turn


def test_party_of_8_has_no_seating_once_t7_is_taken(session: Session, demo: Demo) -> None:
    hold_table(session, demo, FRIDAY, time(20, 0), 4)  # T5
    hold_table(session, demo, FRIDAY, time(20, 0), 4)  # T6
    assert table_labels(session, hold_table(session, demo, FRIDAY, time(20, 0), 4)) == ["T7"]
    with pytest.raises(NotAvailableError, match="No table for 8"):
        hold_table(session, demo, FRIDAY, time(20, 0), 8)


def test_party_of_6_gets_a_six_seat_table_then_the_other_one(session: Session, demo: Demo) -> None:
    first = table_labels(session, hold_table(session, demo, FRIDAY, time(20, 0), 6))
    second = table_labels(session, hold_table(session, demo, FRIDAY, time(20, 0), 6))
    assert sorted(first + second) == ["T10", "T9"]
    # Next best for six: the combinable pair, never a single four-seat table.
    assert table_labels(session, hold_table(session, demo, FRIDAY, time(20, 0), 6)) == [
        "T7",
        "T8",
    ]


def test_party_of_2_gets_a_two_seat_table_first(session: Session, demo: Demo) -> None:
    assert table_labels(session, hold_table(session, demo, FRIDAY, time(20, 0), 2)) == ["T1"]


def test_party_larger_than_any_seating_is_rejected_with_the_maximum(
    session: Session, demo: Demo
) -> None:
    with pytest.raises(ValidationError, match="at most 8 guests"):
        search(session, demo, FRIDAY, time(20, 0), 9)


def test_full_time_offers_nearest_same_day_times_then_next_days(
    session: Session, demo: Demo
) -> None:
    for _ in range(10):  # every table, 20:00-21:30
        hold_table(session, demo, FRIDAY, time(20, 0), 2)
    with pytest.raises(NotAvailableError):
        hold_table(session, demo, FRIDAY, time(20, 0), 2)
    offers = search(session, demo, FRIDAY, time(20, 0), 2)
    assert wall(offers) == [
        (FRIDAY, time(21, 30)),  # the only dinner start clear of 20:00-21:30
        (FRIDAY, time(13, 30)),
        (FRIDAY, time(13, 15)),
        (date(2026, 12, 12), time(20, 0)),
        (date(2026, 12, 13), time(20, 0)),
    ]
    assert not any(o.exact for o in offers)
    more = search(session, demo, FRIDAY, time(20, 0), 2, limit=7)
    assert wall(more)[5:] == [(date(2026, 12, 14), time(20, 0)), (FRIDAY, time(13, 0))]


def test_monday_lunch_is_not_offered(session: Session, demo: Demo) -> None:
    assert local_starts(session, demo, MONDAY, 2)[0] == time(19, 0)
    offers = search(session, demo, MONDAY, time(13, 0), 2)
    assert wall(offers) == [
        (MONDAY, time(19, 0)),
        (MONDAY, time(19, 15)),
        (MONDAY, time(19, 30)),
        (date(2026, 12, 8), time(13, 0)),
        (date(2026, 12, 9), time(13, 0)),
    ]
    assert not any(o.exact for o in offers)
    before = counts(session)
    with pytest.raises(OutsideOpeningHoursError, match="does not seat a party of 2 at 13:00"):
        hold_table(session, demo, MONDAY, time(13, 0), 2)
    assert counts(session) == before


def test_last_dinner_seating_is_21_30_for_a_90_minute_turn(session: Session, demo: Demo) -> None:
    starts = local_starts(session, demo, FRIDAY, 2)
    lunch, dinner = starts[:7], starts[7:]
    assert (lunch[0], lunch[-1]) == (time(12, 0), time(13, 30))
    assert (dinner[0], dinner[-1], len(dinner)) == (time(19, 0), time(21, 30), 11)
    assert table_labels(session, hold_table(session, demo, FRIDAY, time(21, 30), 2)) == ["T1"]


@pytest.mark.parametrize("at", [time(21, 45), time(22, 30), time(18, 45), time(20, 10)])
def test_start_off_the_grid_or_running_past_closing_is_refused(
    session: Session, demo: Demo, at: time
) -> None:
    assert at not in local_starts(session, demo, FRIDAY, 2)
    with pytest.raises(OutsideOpeningHoursError):
        hold_table(session, demo, FRIDAY, at, 2)


def test_large_party_turn_is_120_minutes_so_last_dinner_seating_is_21_00(
    session: Session, demo: Demo
) -> None:
    assert local_starts(session, demo, FRIDAY, 7)[-1] == time(21, 0)
    assert local_starts(session, demo, FRIDAY, 6)[-1] == time(21, 30)
    with pytest.raises(OutsideOpeningHoursError):
        hold_table(session, demo, FRIDAY, time(21, 15), 7)


@pytest.mark.parametrize(("party", "deposit"), [(1, 0), (4, 0), (5, 100_000), (8, 160_000)])
def test_deposit_is_200_rupees_per_person_from_a_party_of_5(
    session: Session, demo: Demo, party: int, deposit: int
) -> None:
    offers = search(session, demo, FRIDAY, time(20, 0), party)
    assert {o.deposit_amount for o in offers} == {deposit}
    assert deposit == (200 * 100 * party if party >= 5 else 0)
    assert hold_table(session, demo, FRIDAY, time(20, 0), party).amount == deposit


def test_closure_day_offers_nothing_that_day(session: Session, demo: Demo) -> None:
    session.add(Closure(venue_id=demo.restaurant.id, day=FRIDAY, reason="private event"))
    session.flush()
    assert seating_starts(session, demo.restaurant, FRIDAY, 2) == []
    offers = search(session, demo, FRIDAY, time(20, 0), 2)
    assert [day for day, _ in wall(offers)] == [
        date(2026, 12, 12),
        date(2026, 12, 13),
        date(2026, 12, 14),
    ]
    with pytest.raises(OutsideOpeningHoursError):
        hold_table(session, demo, FRIDAY, time(20, 0), 2)


def test_times_already_past_today_are_not_offered(session: Session, demo: Demo) -> None:
    today = NOW.astimezone(demo.restaurant.tz).date()  # Tue 1 Dec, 12:00 local
    offers = search(session, demo, today, time(12, 0), 2)
    assert offers[0].local_start.time() == time(12, 15)
    assert all(o.starts_at > NOW for o in offers)
    with pytest.raises(ValidationError, match="already passed"):
        hold_table(session, demo, today, time(12, 0), 2)


def test_slots_are_utc_quarter_hours_in_a_half_hour_offset_zone(
    session: Session, demo: Demo
) -> None:
    booking = hold_table(session, demo, FRIDAY, time(19, 0), 2)  # 19:00 IST = 13:30 UTC
    assert booking.starts_at == datetime(2026, 12, 11, 13, 30, tzinfo=UTC)
    assert booking.ends_at == datetime(2026, 12, 11, 15, 0, tzinfo=UTC)
    assert claim_units(session, booking) == [
        f"2026-12-11T{hh}Z" for hh in ("13:30", "13:45", "14:00", "14:15", "14:30", "14:45")
    ]


def test_seating_ending_as_another_starts_shares_the_table(session: Session, demo: Demo) -> None:
    for label in ("T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9", "T10"):
        table_by_label(session, demo.restaurant, label).active = False
    session.flush()
    early = hold_table(session, demo, FRIDAY, time(19, 0), 2)
    late = hold_table(session, demo, FRIDAY, time(20, 30), 2)
    assert table_labels(session, early) == table_labels(session, late) == ["T1"]
    with pytest.raises(NotAvailableError):
        hold_table(session, demo, FRIDAY, time(20, 15), 2)


def test_window_past_midnight_seats_guests_on_the_next_date(session: Session, demo: Demo) -> None:
    session.add(
        OpeningHours(venue_id=demo.restaurant.id, weekday=4, opens=time(23, 0), closes=time(2, 0))
    )
    session.flush()
    starts = seating_starts(session, demo.restaurant, FRIDAY, 2)
    saturday = date(2026, 12, 12)
    late = [
        s.astimezone(demo.restaurant.tz)
        for s in starts
        if s >= local(demo.restaurant, saturday, time(0, 0))
    ]
    assert [s.time() for s in late] == [time(0, 0), time(0, 15), time(0, 30)]
    booking = hold_table(session, demo, saturday, time(0, 30), 2)
    assert booking.ends_at == local(demo.restaurant, saturday, time(2, 0))


# A venue in a DST zone. Europe/London: 2027-03-28 01:00 UTC clocks go 01:00 GMT -> 02:00 BST;
# 2027-10-31 01:00 UTC clocks go 02:00 BST -> 01:00 GMT. Dinner keeps its wall-clock time.


@pytest.fixture
def london(session: Session, demo: Demo) -> Demo:
    demo.restaurant.timezone = "Europe/London"
    session.flush()
    return demo


@pytest.mark.parametrize(
    ("day", "utc_start"),
    [
        (date(2027, 3, 27), "2027-03-27T19:00Z"),
        (date(2027, 3, 28), "2027-03-28T18:00Z"),
        (date(2027, 10, 30), "2027-10-30T18:00Z"),
        (date(2027, 10, 31), "2027-10-31T19:00Z"),
    ],
)
def test_dinner_at_19_00_london_follows_the_clock_change(
    session: Session, london: Demo, day: date, utc_start: str
) -> None:
    offers = search(session, london, day, time(19, 0), 2)
    assert offers[0].exact and offers[0].local_start.time() == time(19, 0)
    assert offers[0].starts_at.strftime("%Y-%m-%dT%H:%MZ") == utc_start
    booking = hold_table(session, london, day, time(19, 0), 2)
    units = claim_units(session, booking)
    assert units[0] == utc_start and len(units) == len(set(units)) == 6


def _late_window(session: Session, demo: Demo) -> None:
    """Saturday late service 23:00-03:00, across the night the clocks change."""
    session.add(
        OpeningHours(venue_id=demo.restaurant.id, weekday=5, opens=time(23, 0), closes=time(3, 0))
    )
    session.flush()


@pytest.mark.parametrize(
    ("saturday", "closing_utc", "last_local"),
    [
        (date(2027, 3, 27), datetime(2027, 3, 28, 2, 0, tzinfo=UTC), time(0, 30)),
        (date(2027, 10, 30), datetime(2027, 10, 31, 3, 0, tzinfo=UTC), time(1, 45)),
    ],
    ids=["spring-forward", "fall-back"],
)
def test_late_window_across_a_clock_change_never_seats_past_closing(
    session: Session, london: Demo, saturday: date, closing_utc: datetime, last_local: time
) -> None:
    """Spring: 00:30 GMT ends at 03:00 BST sharp; 00:45 would end 03:15 (01:00-01:59 do not
    exist). Autumn: 01:45 BST ends 02:15 GMT; 02:00 GMT would end 03:30. The repeated hour is
    offered once, in BST, so no wall-clock time appears twice."""
    _late_window(session, london)
    venue = london.restaurant
    starts = [
        s.astimezone(UTC)
        for s in seating_starts(session, venue, saturday, 2)
        if s.astimezone(venue.tz).time() >= time(23, 0) or s.astimezone(venue.tz).date() > saturday
    ]
    turn = timedelta(minutes=90)
    assert all(s + turn <= closing_utc for s in starts)
    assert starts[-1].astimezone(venue.tz).time() == last_local
    assert len({s.astimezone(venue.tz).strftime("%H:%M") for s in starts}) == len(starts)


def test_last_late_seating_before_spring_forward_can_be_held_with_real_slots(
    session: Session, london: Demo
) -> None:
    _late_window(session, london)
    booking = hold_table(session, london, date(2027, 3, 28), time(0, 30), 2)
    assert claim_units(session, booking) == [
        f"2027-03-28T{hh}Z" for hh in ("00:30", "00:45", "01:00", "01:15", "01:30", "01:45")
    ]
    with pytest.raises(OutsideOpeningHoursError):
        hold_table(session, london, date(2027, 3, 28), time(0, 45), 2)


def test_free_seating_in_the_repeated_hour_is_found_next_to_a_later_booking(
    session: Session, london: Demo
) -> None:
    """Saturday service 23:00-04:00 over the autumn change, one table. A seating from 02:00 GMT
    (02:00 UTC) leaves 01:30 BST (00:30-02:00 UTC) free; counting the turn on the wall clock
    would run it into 02:00 GMT and hide it."""
    saturday = date(2027, 10, 30)
    session.add(
        OpeningHours(venue_id=london.restaurant.id, weekday=5, opens=time(23, 0), closes=time(4, 0))
    )
    for label in ("T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9", "T10"):
        table_by_label(session, london.restaurant, label).active = False
    session.flush()
    later = hold_table(session, london, date(2027, 10, 31), time(2, 0), 2)
    assert later.starts_at == datetime(2027, 10, 31, 2, 0, tzinfo=UTC)
    # Compare in UTC: == across zones is always False for a time in the repeated hour.
    free = [
        s.astimezone(UTC) for s in free_starts(session, london.restaurant, saturday, 2, now=NOW)
    ]
    assert datetime(2027, 10, 31, 0, 30, tzinfo=UTC) in free
    assert datetime(2027, 10, 31, 0, 45, tzinfo=UTC) not in free  # would end 02:15 UTC
    earlier = hold_table(session, london, date(2027, 10, 31), time(1, 30), 2)
    assert earlier.starts_at == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)
    assert table_labels(session, earlier) == table_labels(session, later) == ["T1"]
