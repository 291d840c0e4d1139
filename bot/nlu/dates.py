"""The dates a message names, where they are, and whether they are a check-in or check-out.

``stay`` turns them into a restaurant day or a hotel stay; nights stated are read here too.

Calendar dates with a month ("24 Dec", "24 de diciembre", "24 दिसंबर", "5/12") are read by
dateparser, always with explicit languages, ``DATE_ORDER="DMY"`` and the venue's local now as
``RELATIVE_BASE``. Everything dateparser gets wrong is found by pattern first and resolved here:

- bare ordinals: it reads "24th" in late November as the past 24 Nov, and "31st" as nothing;
- ranges: "24-27 Dec" becomes 24 Dec *next* year, "24 to 27 December" nothing (only the 27th
  when searched for);
- Hindi and Spanish relative days: it does not know "kal", "parson" or "pasado mañana", reads
  "परसों" as the day before yesterday, and finds Sunday in the Hinglish "do" (two) and
  Wednesday in "we" when searching free text, so it is only ever given a matched span;
- its year choice: "25 Nov" said on 25 Nov becomes next year, though today is not past;
- "5.12" is 05:12 to it, and "at 8" the 8th: times are read by ``times`` before dates.

Resolved dates prefer the future: today counts ("25th" on the 25th is today, and so is "friday"
said on a Friday, while "next friday" then means a week later); otherwise the next occurrence.
Two exceptions keep a slip from becoming a booking a year away: a day and month that passed in
the last few weeks ("1 Dec" on 5 Dec) is read as that past date, and "yesterday" as yesterday;
``stay``/``slots`` report such a date as passed, for the dialogue to say so and ask. A weekday
named on that very day ("saturday" on a Saturday) is marked ``ambiguous``: today or next week.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

import dateparser

from bot.nlu.corpus import vocabulary
from bot.nlu.days import Roll, as_said, coming_weekday, next_day_of_month, upcoming
from bot.nlu.lexicon import (
    CHECK_IN_CUES,
    CHECK_OUT_AFTER,
    CHECK_OUT_CUES,
    MONTHS,
    NEXT_AFTER,
    NEXT_WORDS,
    NIGHT_NOUNS,
    NOT_AFTER,
    NOT_BEFORE,
    RANGE_JOINERS,
    RELATIVE_DAYS,
    THIS_WORDS,
    WEEKDAYS,
    WEEKEND,
)
from bot.nlu.numbers import COUNT_ANY, COUNT_OR_ONE, to_int
from bot.nlu.scan import Scan, alternation, keyed, word

#: The longest stay read from a message; longer counts are taken as misreadings.
MAX_NIGHTS = 60
#: Date spans remembered with their reading (a span and a day: a few hundred bytes each).
PARSED_SPANS = 4096


@dataclass(frozen=True)
class Mention:
    """One date named in the message, with its position and any check-in/out role."""

    start: int
    end: int
    value: date
    roll: Roll
    role: str | None = None  # "in" | "out"
    weekend: bool = False
    #: A weekday named on that day without "this" or "next": today, or a week later?
    ambiguous: bool = False


_D = r"(?<![\d/.:])(?P<{}>\d{{1,2}})(?:st|nd|rd|th)?(?![\d:])"
_MONTH = word(alternation(MONTHS))
_YEAR = r"(?:\s*,?\s*(?P<y>\d{4})(?!\d))?"
_JOIN = r"(?:\s*[-]\s*|\s+" + alternation(j for j in RANGE_JOINERS if j != "-") + r"\s+)"
_SHARED_MONTH = (
    re.compile(
        rf"{_D.format('d1')}{_JOIN}{_D.format('d2')}\s*(?:of\s+|de\s+)?(?P<mon>{_MONTH}){_YEAR}"
    ),
    re.compile(rf"(?P<mon>{_MONTH})\s+{_D.format('d1')}{_JOIN}{_D.format('d2')}{_YEAR}"),
)
_CALENDAR = (
    re.compile(rf"{_D.format('d')}\s*(?:of\s+|de\s+)?(?P<mon>{_MONTH}){_YEAR}"),
    re.compile(rf"(?P<mon>{_MONTH})\s+{_D.format('d')}{_YEAR}"),
    re.compile(r"(?<![\d/.:-])(?P<y>\d{4})-(?P<mo>\d{1,2})-(?P<d>\d{1,2})(?![\d/])"),
    re.compile(
        r"(?<![\d/.:-])(?P<d>\d{1,2})([/.-])(?P<mo>\d{1,2})(?:\2(?P<y>\d{4}|\d{2}))?(?![\d/:]|\.\d)"
    ),
)
_BARE_RANGE = re.compile(rf"{_D.format('d1')}{_JOIN}{_D.format('d2')}(?![\w/.:-])")
_ORDINAL = re.compile(
    r"(?:(?:on\s+)?the\s+|el\s+(?:dia\s+)?|dia\s+|on\s+)?"
    r"(?<![\d/.:])(?P<d>\d{1,2})(?:st|nd|rd|th|\s*(?:tarikh|tareekh|tarik|तारीख))"
    r"(?![\w\u0900-\u097F])(?!\s*(?:floor|time|room|booking|person|guest|night|week))"
    r"|(?:on\s+(?:the\s+)?|el\s+(?:dia\s+)?|dia\s+)(?P<d2>\d{1,2})(?![\d:/.]|\s*(?:am|pm))"
)
_MORNING = re.compile(word(r"(?:de|por|en)\s+la\s+manana"))
_RELATIVE_DAYS = keyed(RELATIVE_DAYS)
_RELATIVE = re.compile(word(alternation(RELATIVE_DAYS)))
_IN_DAYS = (
    re.compile(word(rf"(?:in|en|dentro\s+de)\s+{COUNT_ANY}\s+(?:days?|dias?)")),
    re.compile(word(rf"{COUNT_ANY}\s+(?:din|दिन)\s+(?:baad|bad|mein|me|बाद)")),
)
_WEEKDAYS = keyed(WEEKDAYS)
#: Weekday names long enough to recognise misspelt ("saturdy", "wensday", "thrusday").
_WEEKDAY_NAMES = [name for name in _WEEKDAYS if len(name) >= 6 and name.isascii()]
_LONG_WORD = re.compile(r"(?<![\w\u0900-\u097F])[a-z]{5,}(?![\w\u0900-\u097F])")
WEEKDAY_TYPO_CUTOFF = 0.8
#: Words before a weekday that pin it to this week ("on" and "el" do not: "on saturday").
_THIS_WEEK = re.compile(alternation(("this", "this coming", "coming", "is", "iss", "इस", "este")))
_WEEKDAY = re.compile(
    rf"(?:(?P<next>{word(alternation(NEXT_WORDS))})\s+"
    rf"|(?P<this>{word(alternation(THIS_WORDS))})\s+)?"
    r"(?<!we )(?<!i )(?<!they )(?<!you )(?<!he )(?<!she )"  # "we sat outside"
    rf"(?P<wd>{word(alternation(WEEKDAYS))})(?:\s+(?P<after>{alternation(NEXT_AFTER)}))?"
)
_WEEKEND = re.compile(
    rf"(?:(?P<next>{word(alternation(NEXT_WORDS))})\s+|{word(alternation(THIS_WORDS))}\s+)?"
    rf"{word(alternation(WEEKEND))}(?:\s+(?P<after>{alternation(NEXT_AFTER)}))?"
)
_ADJACENT = re.compile(r"[\s,]*(?:(?:the|el|on)\s+)?")
#: A negation then only an article before the date ("no, Friday" is an answer, not this).
_NOT_BEFORE = re.compile(word(alternation(NOT_BEFORE)) + r"\s+(?:(?:on|the|el)\s+)?$")
#: A negation and at most a joining word between the date and the next one (or the end).
_NOT_AFTER = re.compile(
    r"\s*" + word(alternation(NOT_AFTER)) + r"[\s,.;!]*(?:(?:but|pero|balki|the|el)\s+)*$"
)
_CHECK_IN = re.compile(word(alternation(CHECK_IN_CUES)))
_CHECK_OUT = re.compile(word(alternation(CHECK_OUT_CUES)))
_CHECK_OUT_AFTER = re.compile(r"\s*" + word(alternation(CHECK_OUT_AFTER)))
_NIGHTS = re.compile(
    r"(?:(?:for|por)\s+)?(?<! at )(?<!^at )(?<!@ )(?<!by )(?<!las )"  # not "that 3 nights"
    + COUNT_OR_ONE
    + r"\s*"
    + word(alternation(NIGHT_NOUNS))
)
_WEEKS = re.compile(word(r"(?:for|por)\s+" + COUNT_OR_ONE + r"\s+(?:weeks?|semanas?)"))


def take_nights(scan: Scan) -> int | None:
    """The number of nights stated ("for 3 nights", "do raat", "2 noches", "for a week")."""
    found = scan.take(_NIGHTS)
    count = to_int(found["n"]) if found else None
    if count is None and (weeks := scan.take(_WEEKS)):
        count = 7 * (to_int(weeks["n"]) or 0) or None
    return count if count is not None and 1 <= count <= MAX_NIGHTS else None


def take_dates(scan: Scan, *, now: datetime, languages: list[str], hotel: bool) -> list[Mention]:
    """Every date named in ``scan`` (blanked out), in message order, relative to local ``now``."""
    today = now.date()
    _correct_weekdays(scan)
    scan.take_all(_MORNING)  # "por la mañana" is the morning, not tomorrow

    def calendar(match: re.Match[str]) -> list[Mention]:
        return _calendar(match, today=today, now=now, languages=languages)

    def shared_month(match: re.Match[str]) -> list[Mention]:
        return _shared_month(match, today=today, now=now, languages=languages)

    readers: list[tuple[re.Pattern[str], Callable[[re.Match[str]], list[Mention]]]] = [
        *((pattern, shared_month) for pattern in _SHARED_MONTH),
        *((pattern, calendar) for pattern in _CALENDAR),
        *([(_BARE_RANGE, lambda match: _bare_range(match, today=today))] if hotel else []),
        (_ORDINAL, lambda match: _ordinal(match, today=today)),
        (_RELATIVE, lambda match: _relative(match, today=today)),
        *((pattern, lambda match: _in_days(match, today=today)) for pattern in _IN_DAYS),
        (_WEEKEND, lambda match: _weekend(match, today=today)),
        (_WEEKDAY, lambda match: _named_weekday(match, today=today)),
    ]
    found: list[Mention] = []
    for pattern, read in readers:
        for match in scan.find(pattern):
            mentions = read(match)
            if mentions:
                scan.blank(match.start(), match.end())
                found += mentions
    said = _not_taken_back(sorted(found, key=lambda mention: mention.start), scan.text)
    return _with_roles(_merge_adjacent(said, scan.text), scan.text)


def _correct_weekdays(scan: Scan) -> None:
    """Spell misspelt weekday names right, so "saturdy" is Saturday rather than no day at all.

    Only words no guest message in the corpus uses are candidates ("today" and "monthly" stay).
    This runs before any date is read, so changing the text's length moves no found offsets.
    """
    known = vocabulary()

    def fix(match: re.Match[str]) -> str:
        token = match.group(0)
        if token in _WEEKDAYS or token in known:
            return token
        close = difflib.get_close_matches(token, _WEEKDAY_NAMES, n=1, cutoff=WEEKDAY_TYPO_CUTOFF)
        return close[0] if close else token

    scan.text = _LONG_WORD.sub(fix, scan.text)


def _shared_month(
    match: re.Match[str], *, today: date, now: datetime, languages: list[str]
) -> list[Mention]:
    """ "24-27 Dec" / "Dec 24 to 27": both days in the named month ("30-2 Jan": 30 Dec)."""
    first, last = int(match["d1"]), int(match["d2"])
    parsed = _parse(f"{last} {match['mon']} {match['y'] or ''}", now=now, languages=languages)
    if parsed is None:
        return []
    month = parsed.month if first <= last else (parsed.month - 2) % 12 + 1
    if match["y"]:
        year = parsed.year - (1 if month > parsed.month else 0)
        arrive = upcoming(month, first, date(year, month, 1))
        roll = Roll.NONE
    else:
        arrive = as_said(month, first, today)
        roll = Roll.YEAR
    leave = upcoming(parsed.month, last, arrive + timedelta(days=1)) if arrive else None
    if arrive is None or leave is None:
        return []
    return [
        Mention(match.start(), match.start("d2"), arrive, roll, role="in"),
        Mention(match.start("d2"), match.end(), leave, roll, role="out"),
    ]


def _calendar(
    match: re.Match[str], *, today: date, now: datetime, languages: list[str]
) -> list[Mention]:
    """A date with a month: dateparser reads it; the year is ours unless the guest gave one."""
    numeric = "mo" in match.groupdict()
    if numeric and int(match["mo"]) > 12:
        return []  # "24-27": a range of days, not a month 27
    # dateparser reads "5.12" as 05:12, so numeric dates reach it as "5/12".
    span = "/".join(filter(None, (match["d"], match["mo"], match["y"]))) if numeric else match[0]
    parsed = _parse(span, now=now, languages=languages)
    if parsed is None:
        return []
    value = parsed if match["y"] else as_said(parsed.month, parsed.day, today)
    roll = Roll.NONE if match["y"] else Roll.YEAR
    return [Mention(match.start(), match.end(), value, roll)] if value else []


def _bare_range(match: re.Match[str], *, today: date) -> list[Mention]:
    """ "24-27" / "24 to 27" at a hotel: days of the coming month."""
    first, last = int(match["d1"]), int(match["d2"])
    arrive = next_day_of_month(first, today) if first < last <= 31 else None
    leave = next_day_of_month(last, arrive) if arrive else None
    if arrive is None or leave is None:
        return []
    return [
        Mention(match.start(), match.start("d2"), arrive, Roll.MONTH, role="in"),
        Mention(match.start("d2"), match.end(), leave, Roll.MONTH, role="out"),
    ]


def _ordinal(match: re.Match[str], *, today: date) -> list[Mention]:
    """ "24th", "the 24th", "24 tarikh", "el 24": the next such day of a month."""
    value = next_day_of_month(int(match["d"] or match["d2"]), today)
    return [Mention(match.start(), match.end(), value, Roll.MONTH)] if value else []


def _relative(match: re.Match[str], *, today: date) -> list[Mention]:
    """ "tomorrow", "kal", "parson", "pasado mañana", "आज"."""
    value = today + timedelta(days=_RELATIVE_DAYS[match.group(0)])
    return [Mention(match.start(), match.end(), value, Roll.NONE)]


def _in_days(match: re.Match[str], *, today: date) -> list[Mention]:
    """ "in 3 days", "3 din baad", "dentro de 3 días"."""
    days = to_int(match["n"])
    value = today + timedelta(days=days) if days else None
    return [Mention(match.start(), match.end(), value, Roll.NONE)] if value else []


def _named_weekday(match: re.Match[str], *, today: date) -> list[Mention]:
    """ "friday", "next friday", "el viernes que viene", "agle shukravar"."""
    after_this_week = bool(match["next"] or match["after"])
    value = coming_weekday(_WEEKDAYS[match["wd"]], today, after_this_week=after_this_week)
    this_week = bool(match["this"] and _THIS_WEEK.fullmatch(match["this"]))
    ambiguous = value == today and not (after_this_week or this_week)
    return [Mention(match.start(), match.end(), value, Roll.WEEK, ambiguous=ambiguous)]


def _weekend(match: re.Match[str], *, today: date) -> list[Mention]:
    """Friday to Sunday of the coming weekend; on a Saturday "this weekend" is the rest of it."""
    friday = coming_weekday(4, today, after_this_week=False)
    if today.weekday() == 5 and not (match["next"] or match["after"]):
        friday = today
    sunday = friday + timedelta(days=6 - friday.weekday())
    return [
        Mention(match.start(), match.end(), friday, Roll.WEEK, role="in", weekend=True),
        Mention(match.start(), match.end(), sunday, Roll.WEEK, role="out", weekend=True),
    ]


def _not_taken_back(mentions: list[Mention], text: str) -> list[Mention]:
    """The dates the guest did not take back: "not tomorrow, Wednesday" is Wednesday alone
    (else the two would read as one day said twice, and tomorrow would win). A negation
    between two dates takes back the one it comes before ("tomorrow, not Friday"), unless a
    pause or a language that negates afterwards says otherwise ("kal nahi parso")."""
    ends = [0, *(mention.end for mention in mentions)]
    starts = [*(mention.start for mention in mentions), len(text)]
    gaps = [text[end:start] for end, start in zip(ends, starts, strict=True)]
    before = [bool(_NOT_BEFORE.search(gap)) for gap in gaps]
    return [
        mention
        for index, mention in enumerate(mentions)
        if not before[index] and not (_NOT_AFTER.match(gaps[index + 1]) and not before[index + 1])
    ]


def _merge_adjacent(mentions: list[Mention], text: str) -> list[Mention]:
    """One date said two ways ("Sat 28th Nov", "tomorrow, 26th"): keep the more exact one."""
    kept: list[Mention] = []
    for mention in mentions:
        previous = kept[-1] if kept else None
        if (
            previous is None
            or previous.role is not None
            or mention.role is not None
            or not _ADJACENT.fullmatch(text[previous.end : mention.start])
        ):
            kept.append(mention)
        elif previous.roll is Roll.WEEK and mention.roll is not Roll.WEEK:
            kept[-1] = mention
    return kept


def _with_roles(mentions: list[Mention], text: str) -> list[Mention]:
    """Mark dates preceded by a check-in / check-out cue, or followed by "tak" (until)."""
    marked: list[Mention] = []
    previous_end = 0
    for mention in mentions:
        role = mention.role or _role(text[previous_end : mention.start], text[mention.end :])
        marked.append(replace(mention, role=role))
        previous_end = max(previous_end, mention.end)
    return marked


def _role(before: str, after: str) -> str | None:
    """ "out" or "in" from the closest cue before a date, "out" for "tak" after it."""
    if _CHECK_OUT_AFTER.match(after):
        return "out"
    cues = [(m.end(), "in") for m in _CHECK_IN.finditer(before)]
    cues += [(m.end(), "out") for m in _CHECK_OUT.finditer(before)]
    return max(cues)[1] if cues else None


def _parse(text: str, *, now: datetime, languages: list[str]) -> date | None:
    """dateparser's reading of a matched date span, or None.

    A span is a day and month (and perhaps a year), never a time or a relative word, so its
    date depends on the day ``now`` falls on, not the time of day: it is read relative to
    that day's midnight and remembered: dateparser takes over half a millisecond a span
    (more on a busy machine), and guests ask for the same dates all day.
    """
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return _parse_on_day(text.strip(), midnight, tuple(languages))


@lru_cache(maxsize=PARSED_SPANS)
def _parse_on_day(text: str, midnight: datetime, languages: tuple[str, ...]) -> date | None:
    settings: dict[str, Any] = {
        "PREFER_DATES_FROM": "future",
        "RELATIVE_BASE": midnight,
        "DATE_ORDER": "DMY",
        "REQUIRE_PARTS": ["day", "month"],
    }
    parsed = dateparser.parse(text, languages=list(languages), settings=settings)
    return parsed.date() if isinstance(parsed, datetime) else None
