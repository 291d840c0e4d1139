"""How many rooms, and which: "2 rooms for 4 people", "2 doubles and a single", "a double and a
twin", "a suite and 2 deluxe rooms", "do kamre", "dos habitaciones".

Each room asked for becomes one wish: a room type's name as the venue spells it, a bed word
("single", "double", "twin": how many the room must sleep), or "room" (any room). Only a
request for two rooms or more is read here; one room is the usual request, read by the room
type matcher as before. Runs before the party and dates, and blanks what it reads, so the
"2" of "2 rooms" is never a party size or a day of the month.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from bot.nlu.lexicon import NUMBERS, ONE_WORDS
from bot.nlu.numbers import to_int
from bot.nlu.scan import END, START, Scan, alternation, normalise

#: Bed words and how many guests a room of that kind sleeps.
BED_WORDS = {"single": 1, "double": 2, "twin": 2, "doble": 2, "sencilla": 1, "individual": 1}
ANY_ROOM = "room"
_ROOM_NOUNS = ("room", "rooms", "kamra", "kamre", "habitacion", "habitaciones", "कमरे", "कमरा")
_BEDS = {"singles": "single", "doubles": "double", "twins": "twin", "dobles": "doble"}
_JOIN = r"\s*(?:,|&|\+|\band\b|\by\b|\baur\b|\bplus\b)?\s*"


_ONE_ROOM = re.compile(
    rf"{START}(?:one|a|1|ek|una|un)\s+(?:{alternation(_ROOM_NOUNS)}|{alternation(_BEDS.values())})"
    rf"{END}"
)


def says_one_room(text: str) -> bool:
    """Whether the message speaks of one room ("cancel one room", "ek kamra cancel karo")."""
    return _ONE_ROOM.search(normalise(text)) is not None


def take_rooms(scan: Scan, room_types: Sequence[str]) -> tuple[str, ...] | None:
    """The rooms the message asks for when it asks for two or more; blanked out of ``scan``."""
    run = _first_run(*_reader(tuple(room_types)), scan.text)
    if run is None:
        return None
    start, end, wishes = run
    if len(wishes) < 2:
        return None
    scan.blank(start, end)
    return tuple(wishes)


def _first_run(
    pattern: re.Pattern[str], names: dict[str, str], text: str
) -> tuple[int, int, list[str]] | None:
    """The first run of counted rooms joined by "and" / "," (start, end, one wish per room)."""
    matches = list(pattern.finditer(text))
    if not matches:
        return None
    run = [matches[0]]
    for match in matches[1:]:
        between = text[run[-1].end() : match.start()]
        if not re.fullmatch(_JOIN, between):
            break
        run.append(match)
    wishes: list[str] = []
    for match in run:
        wishes += [_wish(match["kind"], names)] * (to_int(match["n"]) or 0)
    return run[0].start(), run[-1].end(), wishes


def _wish(kind: str, names: dict[str, str]) -> str:
    """What one counted phrase asks of each of its rooms."""
    if kind in names:
        return names[kind]
    bed = _BEDS.get(kind, kind)
    return bed if bed in BED_WORDS else ANY_ROOM


@lru_cache(maxsize=64)
def _reader(room_types: tuple[str, ...]) -> tuple[re.Pattern[str], dict[str, str]]:
    """The pattern of counted rooms ("2 rooms", "a double", "2 deluxe rooms", "one suite") at
    a venue with these room types, and its type names by their normalised spelling."""
    names = {normalise(name): name for name in room_types}
    kinds = [*_ROOM_NOUNS, *BED_WORDS, *_BEDS, *names]
    count = alternation([*NUMBERS, *ONE_WORDS])
    pattern = re.compile(
        rf"(?P<n>(?<![\d.,:/])\d{{1,2}}(?!\d)|{START}{count}{END})\s+"
        rf"{START}(?P<kind>{alternation(kinds)})(?:e?s)?(?:\s+{alternation(_ROOM_NOUNS)})?{END}"
    )
    return pattern, names
