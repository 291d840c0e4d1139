"""When reminders are due: hours before the start in real time, never inside quiet hours, on
the venue's clock across the nights its clocks change."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from engine.exceptions import ValidationError
from engine.reminders.schedule import (
    QuietHours,
    ReminderKind,
    Rule,
    due_at,
    latest_start,
    quiet_hours_for,
    rules_for,
    stored_rules,
)
from engine.tenants.enums import VenueKind

KOLKATA = ZoneInfo("Asia/Kolkata")
LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
NIGHT = QuietHours(time(22, 0), time(8, 0))
DAY_BEFORE = Rule(ReminderKind.DAY_BEFORE, 24)
SAME_DAY = Rule(ReminderKind.SAME_DAY, 2)


def at(zone: ZoneInfo, *parts: int) -> datetime:
    """A wall-clock time in ``zone`` as a UTC instant."""
    return datetime(*parts, tzinfo=zone).astimezone(UTC)  # type: ignore[misc]


def test_restaurants_remind_a_day_and_two_hours_before_hotels_the_day_before() -> None:
    assert rules_for(VenueKind.RESTAURANT, {}) == {
        ReminderKind.DAY_BEFORE: Rule(ReminderKind.DAY_BEFORE, 24),
        ReminderKind.SAME_DAY: Rule(ReminderKind.SAME_DAY, 2),
    }
    assert rules_for(VenueKind.HOTEL, {}) == {
        ReminderKind.DAY_BEFORE: Rule(ReminderKind.DAY_BEFORE, 24)
    }
    assert quiet_hours_for({}) == NIGHT


def test_an_owner_turns_a_reminder_off_or_moves_it_and_the_other_stays() -> None:
    stored = stored_rules(
        VenueKind.RESTAURANT, {}, {"same_day": {"enabled": False, "hours_before": 3}}
    )
    rules = rules_for(VenueKind.RESTAURANT, {"reminders": stored})
    assert rules[ReminderKind.SAME_DAY] == Rule(ReminderKind.SAME_DAY, 3, enabled=False)
    assert rules[ReminderKind.DAY_BEFORE] == Rule(ReminderKind.DAY_BEFORE, 24)


@pytest.mark.parametrize(
    ("kind", "given", "message"),
    [
        (VenueKind.HOTEL, {"same_day": {"enabled": True, "hours_before": 2}}, "no 'same_day'"),
        (VenueKind.RESTAURANT, {"day_before": {"enabled": True, "hours_before": 0}}, "1 to 168"),
        (VenueKind.RESTAURANT, {"day_before": {"enabled": True, "hours_before": 169}}, "1 to 168"),
    ],
)
def test_a_reminder_the_venue_cannot_send_is_refused(
    kind: VenueKind, given: dict[str, dict[str, object]], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        stored_rules(kind, {}, given)


def test_a_reminder_outside_quiet_hours_is_due_its_hours_before_the_start() -> None:
    start = at(KOLKATA, 2026, 12, 9, 20, 0)
    assert due_at(start, DAY_BEFORE, NIGHT, KOLKATA) == at(KOLKATA, 2026, 12, 8, 20, 0)
    assert due_at(start, SAME_DAY, NIGHT, KOLKATA) == at(KOLKATA, 2026, 12, 9, 18, 0)


def test_a_reminder_inside_quiet_hours_goes_the_evening_before_they_begin() -> None:
    breakfast = at(KOLKATA, 2026, 12, 9, 9, 0)  # two hours before is 07:00, still night
    assert due_at(breakfast, SAME_DAY, NIGHT, KOLKATA) == at(KOLKATA, 2026, 12, 8, 21, 30)
    late = at(KOLKATA, 2026, 12, 9, 23, 30)  # a day before is 23:30, already night
    assert due_at(late, DAY_BEFORE, NIGHT, KOLKATA) == at(KOLKATA, 2026, 12, 8, 21, 30)


def test_quiet_hours_within_one_day_and_none_at_all() -> None:
    siesta = QuietHours(time(13, 0), time(16, 0))
    start = at(KOLKATA, 2026, 12, 9, 16, 0)
    assert due_at(start, SAME_DAY, siesta, KOLKATA) == at(KOLKATA, 2026, 12, 9, 12, 30)
    never = QuietHours(time(0, 0), time(0, 0))
    early = at(KOLKATA, 2026, 12, 9, 5, 0)
    assert due_at(early, SAME_DAY, never, KOLKATA) == at(KOLKATA, 2026, 12, 9, 3, 0)


@pytest.mark.parametrize(
    ("local", "ends"),
    [
        ((2026, 12, 9, 23, 30), (2026, 12, 10, 8, 0)),  # before midnight: the next morning
        ((2026, 12, 10, 2, 0), (2026, 12, 10, 8, 0)),  # after midnight: this morning
        ((2026, 12, 10, 8, 0), None),  # the night is over
        ((2026, 12, 10, 21, 59), None),  # not yet begun
    ],
)
def test_a_quiet_spell_ends_the_morning_after_it_began(
    local: tuple[int, ...], ends: tuple[int, ...] | None
) -> None:
    now = datetime(*local, tzinfo=KOLKATA)  # type: ignore[misc]
    assert NIGHT.ends(now) == (None if ends is None else at(KOLKATA, *ends))
    siesta = QuietHours(time(13, 0), time(16, 0))
    assert siesta.ends(datetime(2026, 12, 9, 14, 0, tzinfo=KOLKATA)) == at(KOLKATA, 2026, 12, 9, 16)


@pytest.mark.parametrize(
    ("zone", "start", "due"),
    [
        # London springs forward at 01:00 on Sun 28 Mar 2027: Saturday evening is still GMT.
        (LONDON, at(LONDON, 2027, 3, 28, 9, 0), datetime(2027, 3, 27, 21, 30, tzinfo=UTC)),
        # and falls back at 02:00 on Sun 31 Oct 2027: Saturday evening is still BST.
        (LONDON, at(LONDON, 2027, 10, 31, 9, 0), datetime(2027, 10, 30, 20, 30, tzinfo=UTC)),
        # New York springs forward at 02:00 on Sun 14 Mar 2027 (EST the evening before).
        (NEW_YORK, at(NEW_YORK, 2027, 3, 14, 9, 0), datetime(2027, 3, 14, 2, 30, tzinfo=UTC)),
        # and falls back at 02:00 on Sun 7 Nov 2027 (EDT the evening before).
        (NEW_YORK, at(NEW_YORK, 2027, 11, 7, 9, 0), datetime(2027, 11, 7, 1, 30, tzinfo=UTC)),
    ],
)
def test_the_evening_a_quiet_reminder_moves_to_is_on_the_venue_clock_across_dst(
    zone: ZoneInfo, start: datetime, due: datetime
) -> None:
    assert due_at(start, SAME_DAY, NIGHT, zone) == due
    assert due.astimezone(zone).time() == time(21, 30)


def test_hours_before_are_real_hours_across_a_clock_change() -> None:
    check_in = at(LONDON, 2027, 3, 28, 14, 0)  # 24 real hours before is 13:00 on Saturday
    assert due_at(check_in, DAY_BEFORE, NIGHT, LONDON) == at(LONDON, 2027, 3, 27, 13, 0)
    assert check_in - due_at(check_in, DAY_BEFORE, NIGHT, LONDON) == timedelta(hours=24)


def _every_quarter(zone: ZoneInfo, day: date) -> list[datetime]:
    """Every quarter hour of the two days from ``day`` on the venue's clock, as instants."""
    first = datetime.combine(day, time(0, 0), tzinfo=zone).astimezone(UTC)
    return [first + timedelta(minutes=15 * n) for n in range(2 * 24 * 4)]


@pytest.mark.parametrize(
    ("zone", "day"),
    [
        (LONDON, date(2027, 3, 27)),
        (LONDON, date(2027, 10, 30)),
        (NEW_YORK, date(2027, 3, 13)),
        (NEW_YORK, date(2027, 11, 6)),
    ],
)
@pytest.mark.parametrize("rule", [DAY_BEFORE, SAME_DAY, Rule(ReminderKind.SAME_DAY, 7)])
def test_no_reminder_is_ever_due_at_night_around_a_clock_change(
    zone: ZoneInfo, day: date, rule: Rule
) -> None:
    for start in _every_quarter(zone, day):
        due = due_at(start, rule, NIGHT, zone)
        assert not NIGHT.contains(due.astimezone(zone).time()), start
        assert due <= start - rule.offset


def test_the_search_bound_reaches_into_the_night_only_from_the_margin_before_it() -> None:
    afternoon = at(KOLKATA, 2026, 12, 8, 16, 0)
    assert latest_start(afternoon, SAME_DAY, NIGHT, KOLKATA) == afternoon + timedelta(hours=2)
    evening = at(KOLKATA, 2026, 12, 8, 21, 30)  # from here the night's reminders are due
    assert latest_start(evening, SAME_DAY, NIGHT, KOLKATA) == at(KOLKATA, 2026, 12, 9, 10, 0)


def test_times_given_on_the_venue_clock_still_count_real_hours() -> None:
    lunch = datetime(2027, 3, 28, 12, 0, tzinfo=LONDON)  # BST: 11:00 UTC
    assert due_at(lunch, DAY_BEFORE, NIGHT, LONDON) == datetime(2027, 3, 27, 11, 0, tzinfo=UTC)
    saturday = datetime(2027, 3, 27, 11, 0, tzinfo=LONDON)  # GMT: 11:00 UTC
    bound = latest_start(saturday, DAY_BEFORE, NIGHT, LONDON)
    assert bound == datetime(2027, 3, 28, 11, 0, tzinfo=UTC)
