"""Claim units: ISO nights for rooms, UTC quarter-hours for tables, whatever the venue's zone."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from engine.availability.units import night_unit, slot_unit, slot_units

LONDON = ZoneInfo("Europe/London")
KOLKATA = ZoneInfo("Asia/Kolkata")


def test_night_unit_is_the_iso_date() -> None:
    assert night_unit(date(2026, 12, 24)) == "2026-12-24"


def test_slot_unit_is_the_utc_minute() -> None:
    assert slot_unit(datetime(2026, 12, 11, 19, 0, tzinfo=KOLKATA)) == "2026-12-11T13:30Z"
    assert slot_unit(datetime(2026, 12, 11, 13, 30, tzinfo=UTC)) == "2026-12-11T13:30Z"


def test_a_turn_covers_every_slot_rounded_up() -> None:
    start = datetime(2026, 12, 11, 13, 30, tzinfo=UTC)
    assert slot_units(start, minutes=90, slot_minutes=15)[-1] == "2026-12-11T14:45Z"
    assert len(slot_units(start, minutes=100, slot_minutes=15)) == 7


@pytest.mark.parametrize(
    ("start", "first", "last"),
    [
        # 00:45 GMT, clocks jump to BST at 01:00 UTC: 90 real minutes end at 02:15 UTC.
        (datetime(2027, 3, 28, 0, 45, tzinfo=LONDON), "2027-03-28T00:45Z", "2027-03-28T02:00Z"),
        # 01:30 BST (first pass), clocks fall back at 01:00 UTC: slots stay in real time.
        (datetime(2027, 10, 31, 1, 30, tzinfo=LONDON), "2027-10-31T00:30Z", "2027-10-31T01:45Z"),
    ],
    ids=["spring-forward", "fall-back"],
)
def test_slots_of_a_local_start_across_a_clock_change_are_real_quarter_hours(
    start: datetime, first: str, last: str
) -> None:
    units = slot_units(start, minutes=90, slot_minutes=15)
    expected = slot_units(start.astimezone(UTC), minutes=90, slot_minutes=15)
    assert units == expected
    assert (units[0], units[-1], len(set(units))) == (first, last, 6)
