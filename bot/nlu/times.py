"""The time of a table booking: "8pm", "at 7:30", "kal raat 8 baje", "a las 9", "dinner".

dateparser is not used for times: it reads "at 8" as the 8th of the month and drops the hour
from "mañana a las 9" and "कल रात 8 बजे". Times are few and regular, so a pattern reads them.

A number is a time only with evidence: minutes ("8:30"), am/pm or o'clock ("8pm", "8 baje"),
a cue before it ("at 8", "a las 9", "raat 8"), a part of the day after it ("8 at night"), a day
word before it at a restaurant ("tomorrow 8"), or when it is the whole message at a restaurant
("8", "8:30 instead"). Hours 1-11 without am/pm are read through the nearest hint: "subah" /
"morning" keep them in the morning, "raat" / "shaam" / "noche" / "dinner" and, at a
restaurant, the default move them to the afternoon or evening ("8" -> 20:00, "12" -> 12:00).
An hour in words is first written as digits when a cue of its language marks it as a time
("at eight", "saat baje", "a las ocho", "half past seven"); alone, "two" is more often people.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import time

from bot.nlu.lexicon import (
    GREETINGS,
    MEALS,
    MIDNIGHT,
    MONTHS,
    NOON,
    NUMBERS_EN,
    NUMBERS_ES,
    NUMBERS_HI,
    PARTS_OF_DAY,
    RELATIVE_DAYS,
    WEEKDAYS,
)
from bot.nlu.numbers import to_int
from bot.nlu.scan import END, Scan, alternation, keyed, word

_AM = {"am", "a.m", "a.m."}
_PM = {"pm", "p.m", "p.m."}
_PART = alternation(PARTS_OF_DAY)
_DAY = alternation([*RELATIVE_DAYS, *WEEKDAYS]) + r"|\d{1,2}(?:st|nd|rd|th)"
_PART_CUE = rf"{_PART}(?:\s+(?:ko|ke|mein|me|at|around|a\s+las?))?"
_CUE = (
    r"(?:at|@|around|arnd|by|about|approx|a\s+las?|para\s+las?|sobre\s+las?|hacia\s+las?|las"
    r"|a\s+eso\s+de\s+las)"
)
_SUFFIX = r"(?:a\.m\.?|p\.m\.?|am|pm|baje|bje|baaje|बजे|o'?clock|oclock|hrs|hr|hs|h)"
_TIME = re.compile(
    rf"(?:(?P<day>{word(_DAY)})\s+|(?P<partcue>{word(_PART_CUE)})\s*|(?P<cue>{word(_CUE)})\s*)?"
    r"(?<![\d/.:])(?P<h>\d{1,2})(?:(?P<sep>[:.])(?P<m>[0-5]\d))?(?!\d|[./]\d)"
    rf"(?!(?:st|nd|rd|th)|\s*(?:de\s+)?{word(alternation(MONTHS))}|\s*[-/]\s*\d)"
    rf"(?:\s*(?P<suffix>{_SUFFIX})(?![\w\u0900-\u097F]))?"
    rf"(?P<part>\s+(?:in\s+the\s+|at\s+|de\s+la\s+|por\s+la\s+|ko\s+|ke\s+)?{word(_PART)})?"
)
_BARE = re.compile(
    r"^\W*(?:(?:ok|okay|actually|then|how about|what about|say|lets say|let's say|maybe|no)\W+)*"
    r"(?P<h>\d{1,2})(?:(?P<sep>[:.])(?P<m>[0-5]\d))?"
    r"\s*(?:instead|then|please|pls|plz|ok|baje|बजे)?\W*$"
)
_SAADE = alternation(["saade", "sade", "saadhe", "sadhe", "साढ़े"])
_SAWA = alternation(["sawa", "sava", "savva", "सवा"])
_PAUNE = alternation(["paune", "pone", "पौने"])
_FRACTIONS: tuple[tuple[str, int, int], ...] = (
    (r"(?P<h>\d{1,2})\s+y\s+media", 0, 30),
    (r"(?P<h>\d{1,2})\s+y\s+cuarto", 0, 15),
    (r"(?P<h>\d{1,2})\s+menos\s+cuarto", -1, 45),
    (r"half\s+past\s+(?P<h>\d{1,2})", 0, 30),
    (r"quarter\s+past\s+(?P<h>\d{1,2})", 0, 15),
    (r"quarter\s+to\s+(?P<h>\d{1,2})", -1, 45),
    (word(_SAADE) + r"\s*(?P<h>\d{1,2})", 0, 30),
    (word(_SAWA) + r"\s*(?P<h>\d{1,2})", 0, 15),
    (word(_PAUNE) + r"\s*(?P<h>\d{1,2})", -1, 45),
)
_HALVES = keyed(
    {"dedh": "1:30", "derh": "1:30", "डेढ़": "1:30", "dhai": "2:30", "dhaai": "2:30", "ढाई": "2:30"}
)
_HOUR_EN = alternation(NUMBERS_EN)
_HOUR_HI = alternation({**NUMBERS_HI, **NUMBERS_EN})
_HOUR_ES = alternation(NUMBERS_ES)
#: Hour words that a neighbour marks as a time, per language, as (words, cue before, cue after).
#: A word counts only next to a cue of its own language ("at once" is no 11 o'clock), and a
#: Hindi word only before "baje" or after "saade": "shaam do table" is two tables, not 2 pm.
_HOUR_WORDS: tuple[tuple[str, str, str], ...] = (
    (
        _HOUR_EN,
        r"at|@|around|by|(?:half|quarter)\s+past|quarter\s+to",
        rf"{_SUFFIX}|(?:in\s+the|at)\s+(?:evening|night|morning|afternoon)",
    ),
    (_HOUR_HI, f"{_SAADE}|{_SAWA}|{_PAUNE}", r"baje|bje|baaje|बजे"),
    (
        _HOUR_ES,
        r"a\s+las?|para\s+las?|sobre\s+las?|hacia\s+las?|a\s+eso\s+de\s+las",
        r"y\s+(?:media|cuarto)|menos\s+cuarto|(?:de|por)\s+la\s+(?:noche|tarde|manana)",
    ),
)
#: "at one of the window tables" names a table, not 1 pm.
_NOT_AN_HOUR = rf"\s+of{END}"
_SPOKEN_HOURS = tuple(
    re.compile(
        rf"(?P<before>{word(f'(?:{before})')}\s+)(?P<n>{word(words)})(?!{_NOT_AN_HOUR})"
        rf"|(?P<w>{word(words)})(?=\s*(?:{after}){END})"
    )
    for words, before, after in _HOUR_WORDS
)
_HALF_WORDS = re.compile(word(alternation(_HALVES)))
_GREETING = re.compile(word(alternation(GREETINGS)))
_PART_WORD = re.compile(word(_PART))
_MEAL = re.compile(word(alternation(MEALS)))
_NOON = re.compile(word(alternation(NOON)))
_MIDNIGHT = re.compile(word(alternation(MIDNIGHT)))
_MEAL_BY_WORD = keyed(MEALS)
_PART_BY_WORD = keyed(PARTS_OF_DAY)


def take_time(scan: Scan, *, restaurant: bool) -> time | None:
    """The time asked for, blanked out of ``scan``; None when the message names no time."""
    while scan.take(_GREETING):
        pass
    _spell_out_hours(scan)
    _spell_out_fractions(scan)
    hint = _first(_PART_WORD, scan.text, _PART_BY_WORD)
    meal = _MEAL.search(scan.text)
    meal_hour, meal_name = _MEAL_BY_WORD[meal.group(0)] if meal else (None, None)
    found = _take_clock(scan, restaurant=restaurant)
    if found is not None:
        hour, minute, suffix = found
        return _resolve(hour, minute, suffix, hint or meal_name, restaurant=restaurant)
    if scan.take(_NOON):
        return time(12, 0)
    if scan.take(_MIDNIGHT):
        return time(0, 0)
    return time(meal_hour, 0) if meal_hour is not None else None


def _take_clock(scan: Scan, *, restaurant: bool) -> tuple[int, int, str] | None:
    """(hour, minute, am/pm/o'clock suffix) of the first time-like number, blanked out."""
    for match in scan.find(_TIME):
        said = match["suffix"] or match["cue"] or match["partcue"] or match["part"]
        if int(match["h"]) > 23 or not (said or match["m"] or (match["day"] and restaurant)):
            continue
        if match["sep"] == "." and not said and int(match["m"]) % 15:
            continue  # "5.12" is the 5th of December; "8.30" is half past eight
        # Day words and part-of-day cues stay readable: "tonight at 7" still says which day.
        keep_prefix = match["day"] or match["partcue"]
        scan.blank(match.start("h") if keep_prefix else match.start(), match.end())
        return int(match["h"]), int(match["m"] or 0), match["suffix"] or ""
    bare = _BARE.match(scan.text) if restaurant else None
    if bare is None or (bare["sep"] == "." and int(bare["m"]) % 15):
        return None
    scan.blank(0, len(scan.text))
    return int(bare["h"]), int(bare["m"] or 0), ""


def _resolve(
    hour: int, minute: int, suffix: str, hint: str | None, *, restaurant: bool
) -> time | None:
    """The wall-clock time meant by ``hour``, given am/pm, a part-of-day or meal hint."""
    if hour > 23 or minute > 59:
        return None
    if suffix in _AM or suffix in _PM:
        if not 1 <= hour <= 12:
            return None
        return time(hour % 12 + (12 if suffix in _PM else 0), minute)
    if hour == 0 or hour >= 13:
        return time(hour, minute)
    return time(_twelve_hour(hour, hint, restaurant=restaurant), minute)


def _twelve_hour(hour: int, hint: str | None, *, restaurant: bool) -> int:
    """The 24-hour value of a 1-12 hour said without am/pm."""
    if hint in {"morning", "breakfast"}:
        return hour
    if hint == "night":
        return 0 if hour == 12 else hour if hour <= 4 else hour + 12
    if hint == "lunch":
        return hour if hour >= 11 else hour + 12
    if hint in {"evening", "afternoon", "dinner"} or restaurant:
        return hour if hour == 12 else hour + 12
    return hour


def _spell_out_hours(scan: Scan) -> None:
    """Rewrite hours said in words next to a time cue as digits: "at eight" -> "at 8",
    "saat baje" -> "7 baje", "a las ocho" -> "a las 8"; the clock pattern then reads them.
    """
    for pattern in _SPOKEN_HOURS:
        scan.text = pattern.sub(_hour_digits, scan.text)


def _hour_digits(match: re.Match[str]) -> str:
    """The matched hour word as digits, keeping the cue said before it."""
    spoken = match["n"] or match["w"]
    return (match["before"] or "") + str(to_int(spoken))


def _spell_out_fractions(scan: Scan) -> None:
    """Rewrite "8 y media", "half past 8", "saade 8", "dedh" as clock times ("8:30")."""
    text = _HALF_WORDS.sub(lambda match: _HALVES[match.group(0)], scan.text)
    for pattern, hour_shift, minute in _FRACTIONS:
        text = re.sub(pattern, _shifted(hour_shift, minute), text)
    scan.text = text


def _shifted(hour_shift: int, minute: int) -> Callable[[re.Match[str]], str]:
    """A substitution writing the matched hour, moved by ``hour_shift``, as "H:MM"."""

    def replace(match: re.Match[str]) -> str:
        return f"{int(match['h']) + hour_shift or 12}:{minute:02d}"

    return replace


def _first(pattern: re.Pattern[str], text: str, table: dict[str, str]) -> str | None:
    """The table value of the first word ``pattern`` finds in ``text``."""
    match = pattern.search(text)
    return table.get(match.group(0)) if match else None
