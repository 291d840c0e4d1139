"""Calendar arithmetic for reading dates the way guests mean them: the next one to come.

"Prefer the future" means today counts ("25th" on the 25th is today) and anything earlier moves
to its next occurrence: the 24th of next month, 24 Nov of next year, next week's Friday.
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import Enum


class Roll(Enum):
    """How a date moves later when it must ("fri to mon", "24th to 2nd"): as it was said."""

    WEEK = "week"  # a weekday: a week later
    MONTH = "month"  # a day of the month: the same day next month
    YEAR = "year"  # a day and month: the same date next year
    NONE = "none"  # "tomorrow", or a date with its year: it cannot move


def upcoming(month: int, day: int, start: date) -> date | None:
    """The first ``day``/``month`` on or after ``start`` (29 Feb may be years away)."""
    for year in range(start.year, start.year + 5):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate >= start:
            return candidate
    return None


#: A day and month said without a year that fell this many days ago or fewer is a date that has
#: passed (a slip, or a late message), not one next year: "1 Dec" said on 5 Dec.
RECENT_PAST_DAYS = 92


def recently_passed(month: int, day: int, today: date) -> date | None:
    """The ``day``/``month`` that passed in the last ``RECENT_PAST_DAYS`` days, if any."""
    for year in (today.year, today.year - 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate < today:
            return candidate if (today - candidate).days <= RECENT_PAST_DAYS else None
    return None


def as_said(month: int, day: int, today: date) -> date | None:
    """``day``/``month`` said without a year: the recently passed one (the dialogue then says
    so and asks), else the next one to come.
    """
    return recently_passed(month, day, today) or upcoming(month, day, today)


def next_day_of_month(day: int, start: date) -> date | None:
    """The first date on or after ``start`` whose day of the month is ``day`` ("31st")."""
    year, month = start.year, start.month
    for _ in range(13):
        try:
            candidate: date | None = date(year, month, day)
        except ValueError:
            candidate = None
        if candidate is not None and candidate >= start:
            return candidate
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return None


def coming_weekday(weekday: int, today: date, *, after_this_week: bool) -> date:
    """The coming ``weekday`` (today counts), or a week later for "next" said on that day."""
    ahead = (weekday - today.weekday()) % 7
    if ahead == 0 and after_this_week:
        ahead = 7
    return today + timedelta(days=ahead)


def rolled(value: date, roll: Roll) -> date | None:
    """``value`` one step later as it was said; None when it cannot move."""
    if roll is Roll.WEEK:
        return value + timedelta(days=7)
    if roll is Roll.MONTH:
        return next_day_of_month(value.day, value + timedelta(days=1))
    if roll is Roll.YEAR:
        return upcoming(value.month, value.day, value + timedelta(days=1))
    return None
