"""From the dates a message names to a restaurant day or a hotel stay.

At a hotel, a date after a check-out cue ("check out", "till", "hasta", "... tak") is the
check-out; otherwise the first date is the check-in and a second one the check-out, moved past
the check-in the way it was said ("friday to monday", "30th to 2nd"). Nights stated fill the
missing end; when both ends are known, ``nights`` is their difference, so the three always agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from bot.nlu.dates import Mention
from bot.nlu.days import Roll, rolled

#: How many times a check-out may move (week, month or year) to fall after the check-in.
_MAX_ROLLS = 24
#: A check-out a year's move puts this far past the check-in was said before it.
_REVERSED_DAYS = 183


@dataclass(frozen=True)
class Stay:
    """The dates of a hotel request; ``day`` is set when exactly one check-in date was given."""

    day: date | None = None
    check_in: date | None = None
    check_out: date | None = None
    nights: int | None = None


def restaurant_day(mentions: list[Mention]) -> date | None:
    """The first single day named; a weekend names no one day."""
    return next((mention.value for mention in mentions if not mention.weekend), None)


def hotel_stay(mentions: list[Mention], *, nights: int | None) -> Stay:
    """Check-in, check-out and nights from the dates named and the nights stated."""
    outs = [mention for mention in mentions if mention.role == "out"]
    ins = [mention for mention in mentions if mention.role != "out"]
    arrive = ins[0] if ins else None
    leave = outs[0] if outs else ins[1] if len(ins) > 1 else None
    check_in = arrive.value if arrive else None
    check_out = _after(leave, check_in) if leave else None
    if check_in and check_out:
        nights = (check_out - check_in).days
    elif check_in and nights:
        check_out = check_in + timedelta(days=nights)
    elif check_out and nights:
        check_in = check_out - timedelta(days=nights)
    day = check_in if len(mentions) == 1 and arrive else None
    return Stay(day=day, check_in=check_in, check_out=check_out, nights=nights)


def _after(leave: Mention, check_in: date | None) -> date | None:
    """The check-out date moved past ``check_in`` the way it was said, or None if it cannot be.

    A date that only a year's move puts half a year or more past the check-in was said
    before it ("26 Dec to 24 Dec"): it stays there, and the dialogue says check-out comes first.
    """
    value: date | None = leave.value
    earlier = value
    for _ in range(_MAX_ROLLS):
        if value is None or check_in is None or value > check_in:
            if leave.roll is Roll.YEAR and value and check_in and earlier != value:
                return earlier if (value - check_in).days >= _REVERSED_DAYS else value
            return value
        earlier, value = value, rolled(value, leave.roll)
    return None
