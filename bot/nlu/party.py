"""How many people: "table for 4", "four of us", "2 adults and a kid", "hum 5 log", "somos cuatro".

A number counts as people only next to a cue: a noun after it ("people", "log", "personas",
"लोग"), or a phrase before it ("for", "party of", "we are", "hum", "somos", "para"). Runs after
times and nights are taken, and refuses numbers that read as times, dates, nights, rooms or
money ("for 8pm", "for 24th", "for 2 nights", "room 204"). Adults and children add up; a total
with children but no adults ("for 4 with 2 kids") is taken to include them.
"""

from __future__ import annotations

import re

from bot.nlu.lexicon import (
    ADULT_NOUNS,
    ALONE,
    CHILD_NOUNS,
    COMPANIONS,
    MONTHS,
    NOT_PEOPLE,
    PEOPLE_NOUNS,
)
from bot.nlu.numbers import COUNT_ANY, COUNT_EN, COUNT_ES, COUNT_HI, COUNT_OR_ONE, to_int
from bot.nlu.scan import Scan, alternation, word

MAX_PARTY = 50

#: What may not follow a count for it to be people: a time, date, duration, room or price.
_NOT_PEOPLE_AFTER = (
    r"(?!\s*[-/.:,]\s*\d|\s*(?:am|pm|a\.m|p\.m|baje|bje|बजे|o'?clock|hrs?|h|st|nd|rd|th"
    r"|nights?|noches?|raat|रात|days?|dias?|din|weeks?|semanas?|rooms?|habitacion\w*|kamr\w*"
    r"|minutes?|mins?|hours?|horas?|rs|inr|rupees?|euros?|%|₹|\$"
    rf"|(?:de\s+)?{alternation(MONTHS)})(?![\w\u0900-\u097F]))"
)
#: "room 204" is a room number, but in "room 24-27 Dec" the number starts a date range.
_NOT_A_DATE = (
    r"(?!\d|\s*[-/]\s*\d|(?:st|nd|rd|th)\b|\s+(?:to|till|until)\s+\d"
    rf"|\s+(?:of\s+|de\s+)?{alternation(MONTHS)})"
)
_ROOMS = re.compile(
    word(rf"{alternation(NOT_PEOPLE)}\s*(?:no\.?|number|#)?\s*\d+{_NOT_A_DATE}")
    + "|"
    + word(rf"\d+\s*{alternation(NOT_PEOPLE)}")
)
_TOTAL = (
    re.compile(COUNT_ANY + r"\s*" + word(alternation(PEOPLE_NOUNS))),
    re.compile(
        word(r"(?:table\s+for|for|party\s+of|table\s+of|group\s+of|all)")
        + r"\s+"
        + COUNT_EN
        + _NOT_PEOPLE_AFTER
    ),
    re.compile(
        word(r"(?:we\s+are|we're|we\s+will\s+be|we'll\s+be|there\s+are|there\s+will\s+be|we\s+r)")
        + r"\s+"
        + COUNT_EN
        + _NOT_PEOPLE_AFTER
    ),
    re.compile(
        word(r"(?:para|mesa\s+de|grupo\s+de|somos|seremos|vamos\s+a\s+ser)")
        + r"\s+"
        + COUNT_ES
        + _NOT_PEOPLE_AFTER
    ),
    re.compile(
        word(r"(?:hum|ham|हम)")
        + r"\s+"
        + COUNT_HI
        + r"(?=\s*(?:log|jan|hai|hain|he|h|bande|लोग|जन|हैं|है)?(?:[\s.,!?]|$))"
    ),
)
_ADULTS = re.compile(COUNT_ANY + r"\s*" + word(alternation(ADULT_NOUNS)))
_CHILDREN = re.compile(COUNT_OR_ONE + r"\s*" + word(alternation(CHILD_NOUNS)))
_ALONE = re.compile(word(alternation(ALONE)))
_COUPLE = re.compile(
    word(rf"(?:me\s+and\s+my|me\s+&\s+my|me\s+n\s+my)\s+{alternation(COMPANIONS)}")
    + "|"
    + word(rf"my\s+{alternation(COMPANIONS)}\s+and\s+(?:i|me)")
    + "|"
    + word(r"(?:a|for\s+a|we\s+are\s+a|we're\s+a)\s+couple(?!\s+of)")
)


def take_party_size(scan: Scan) -> int | None:
    """The number of guests, blanked out of ``scan``; None when the message does not say."""
    scan.take_all(_ROOMS)
    adults = _count(scan.take(_ADULTS))
    children = sum(_count(match) or 0 for match in scan.take_all(_CHILDREN))
    total = _first_total(scan)
    if adults is not None:
        size: int | None = adults + children
    elif total is not None:
        size = total
    elif scan.take(_ALONE):
        size = 1
    elif scan.take(_COUPLE):
        size = 2
    else:
        size = None
    return size if size is not None and 1 <= size <= MAX_PARTY else None


def _first_total(scan: Scan) -> int | None:
    """The earliest total head count in the message, all such phrases blanked."""
    matches = [match for pattern in _TOTAL for match in scan.take_all(pattern)]
    matches.sort(key=lambda match: match.start())
    return next((count for match in matches if (count := _count(match)) is not None), None)


def _count(match: re.Match[str] | None) -> int | None:
    """The count a party pattern matched."""
    return to_int(match["n"]) if match else None
