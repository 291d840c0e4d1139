"""A bare number after a question for two numbers: which of them it is.

"When would you like to come, and how many of you?" — "4" may be four people or four
o'clock; "How many nights, and for how many guests?" — "3" either. Each reading is checked
against the venue (opening hours, the largest party or room, the longest stay): the one that
fits is taken; when both fit, the guest is asked, and a tap, "people" or "4pm" answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time, timedelta

from bot.format import format_time
from bot.messages import Option, Reply
from bot.nlu.readings import detail_named
from bot.turn import Turn
from engine.availability.hours import opening_day
from engine.availability.limits import largest_party
from engine.availability.requests import MAX_NIGHTS

#: Option ids of "4 people or 16:00?" start with this, then "detail:value".
READING = "reading:"
#: Days looked at for a time's reading when the guest has not said the day yet.
WEEK = 7


@dataclass(frozen=True)
class Reading:
    """One way to read a number: as ``detail`` ("party", "guests", "nights", "time")."""

    detail: str
    value: str  # a count, or "HH:MM" for a time

    @property
    def option_id(self) -> str:
        """The id of the option that picks this reading."""
        return f"{READING}{self.detail}:{self.value}"

    @classmethod
    def from_id(cls, option_id: str) -> Reading:
        """The reading an option id names."""
        detail, _, value = option_id.removeprefix(READING).partition(":")
        return cls(detail, value)


def fitting(turn: Turn, number: int, asked: list[str]) -> list[Reading]:
    """The readings of ``number``, among the details asked, that the venue could take (a
    count before a time: "4 people or 16:00?")."""
    found = (_fit(turn, detail, number) for detail in sorted(asked, key=lambda d: d == "time"))
    return [reading for reading in found if reading is not None]


def _fit(turn: Turn, detail: str, number: int) -> Reading | None:
    if detail == "time":
        return _time_reading(turn, number)
    most = MAX_NIGHTS if detail == "nights" else largest_party(turn.session, venue=turn.venue)
    return Reading(detail, str(number)) if 1 <= number <= most else None


def _time_reading(turn: Turn, number: int) -> Reading | None:
    """The hour ``number`` names (afternoon first, as a restaurant means "8") if the venue is
    open then on the day asked for, or on some day this week when no day was said."""
    hours = [number + 12, number] if 1 <= number <= 11 else [number] if number <= 23 else []
    day = turn.conversation.request.day
    days = [day] if day is not None else [turn.today + timedelta(days=n) for n in range(WEEK)]
    openings = [opening_day(turn.session, venue=turn.venue, day=each) for each in days]
    for hour in hours:
        if any(opening.is_open_at(time(hour)) for opening in openings):
            return Reading("time", f"{hour:02d}:00")
    return None


def ask(turn: Turn, readings: list[Reading]) -> Reply:
    """ "Did you mean 4 people or 16:00?", with each reading as an option."""
    turn.conversation.readings = [reading.option_id for reading in readings]
    options = [Option(reading.option_id, _title(turn, reading)) for reading in readings]
    first, second = (option.title for option in options)
    return turn.say("which_reading", options, first=first, second=second)


#: How each counted reading reads ("4 people", "3 nights"), by its plural catalog key.
COUNTED = {"party": "n_people", "guests": "n_guests", "nights": "n_nights"}


def _title(turn: Turn, reading: Reading) -> str:
    if reading.detail == "time":
        return format_time(time.fromisoformat(reading.value))
    return turn.count(COUNTED[reading.detail], int(reading.value))


def answered(turn: Turn) -> Reading | None:
    """The reading the guest picked: a tap or number on its option, or a word naming it
    ("people", "o'clock") in a message that says no detail of its own."""
    pending = turn.conversation.readings
    choice = turn.understood.choice
    if not pending:
        return None
    if choice in pending:
        return Reading.from_id(choice)
    if choice is not None or turn.understood.has_booking_details:
        return None
    readings = [Reading.from_id(option_id) for option_id in pending]
    detail = detail_named(turn.understood.text, [reading.detail for reading in readings])
    return next((reading for reading in readings if reading.detail == detail), None)


def apply(turn: Turn, reading: Reading) -> None:
    """Put the reading into the request being built."""
    request = turn.conversation.request
    turn.conversation.readings = []
    if reading.detail == "time":
        request.time = time.fromisoformat(reading.value)
    elif reading.detail == "nights":
        request.nights = int(reading.value)
        request.check_out = None
    else:
        request.party = int(reading.value)
