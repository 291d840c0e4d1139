"""Slot extraction: the booking details a guest's message gives, in any of our languages.

``extract_slots`` reads one message on its own; the dialogue merges the result into what it
already knows, so a change of mind parses standalone ("actually 6 people", "make it Saturday",
"8:30 instead"). Extractors run in a fixed order and blank out what they read (see ``scan``),
so one number is never read twice: reference, name, nights, party size, time, then dates.

Dates are relative to the message's arrival in the venue's time zone: at 23:30 UTC it is already
tomorrow in India. See ``dates`` for what dateparser is trusted with and what it is not.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from zoneinfo import ZoneInfo

from bot.nlu.dates import take_dates, take_nights
from bot.nlu.lexicon import ROOM_WORDS_HI
from bot.nlu.names import take_name
from bot.nlu.party import take_party_size
from bot.nlu.rooms import take_rooms
from bot.nlu.scan import Scan, keyed
from bot.nlu.stay import hotel_stay, restaurant_day
from bot.nlu.times import take_time

VENUE_KINDS = ("hotel", "restaurant")
DEFAULT_LANGUAGES = ("en", "hi", "es")
#: Booking references: "BK-" and six characters without look-alikes (no 0/O, 1/I/L).
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
#: How close a word must be to a room type's name to mean it ("delux" ~ "deluxe").
ROOM_MATCH_CUTOFF = 0.8

_REFERENCE = re.compile(
    r"(?<![a-z0-9])bk[\s\-_:#.]*(?P<code>[a-z0-9]{6})(?![a-z0-9])"
    r"|(?<![a-z0-9])(?:ref(?:erence)?|booking\s+(?:id|code|ref(?:erence)?|number|no)|referencia"
    r"|codigo(?:\s+de\s+reserva)?)\s*(?:no\.?|number|is|es|:|#|-|\s)*\s*(?P<bare>[a-z0-9]{6})"
    r"(?![a-z0-9])"
)
_ROOM_WORDS_HI = keyed(ROOM_WORDS_HI)
_WORD = re.compile(r"(?:[^\W\d_]|[\u0900-\u0963\u0970-\u097F])+")
#: Words in room type names that say nothing about which type is meant.
_GENERIC_ROOM_WORDS = frozenset({"room", "rooms", "bed", "beds", "with", "and", "the", "view"})


@dataclass(frozen=True)
class Slots:
    """Booking details found in one message; None where the message says nothing."""

    day: dt.date | None = None  # a single date (restaurant day, or hotel check-in date)
    check_in: dt.date | None = None  # hotel range start
    check_out: dt.date | None = None  # hotel range end, exclusive ("24-27 Dec" -> 27)
    nights: int | None = None  # stated, or check_out - check_in when both are known
    time: dt.time | None = None  # wall clock in the venue's time zone
    party_size: int | None = None
    room_type: str | None = None  # one of the room_types passed in, as spelled there
    #: Two rooms or more, one wish each: a room type, a bed word, or "room" (see ``rooms``).
    rooms: tuple[str, ...] | None = None
    reference: str | None = None  # normalised "BK-7F3K2Q"
    name: str | None = None
    #: A date named that has already passed ("1 Dec" on 5 Dec, "yesterday"): never a booking
    #: day, so ``day`` / ``check_in`` say nothing; the dialogue says it has passed and asks.
    past_day: dt.date | None = None
    #: ``day`` is a weekday named on that very day ("saturday" on a Saturday): it may mean
    #: today or a week later, which the dialogue asks about.
    today_or_next_week: bool = False


def extract_slots(
    text: str,
    *,
    now: dt.datetime,
    timezone: str,
    venue_kind: str,
    room_types: Sequence[str] = (),
    languages: Sequence[str] = DEFAULT_LANGUAGES,
) -> Slots:
    """The slots ``text`` fills, with relative dates taken from ``now`` in ``timezone``."""
    if now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    if venue_kind not in VENUE_KINDS:
        raise ValueError(f"venue_kind must be one of {VENUE_KINDS}, not {venue_kind!r}")
    hotel = venue_kind == "hotel"
    local_now = now.astimezone(ZoneInfo(timezone)).replace(tzinfo=None)
    scan = Scan(text)
    reference = _take_reference(scan)
    name = take_name(text)
    if name:
        scan.blank_phrase(name)
    rooms = take_rooms(scan, room_types) if hotel else None
    nights = take_nights(scan)
    party_size = take_party_size(scan)
    clock = take_time(scan, restaurant=not hotel)
    mentions = take_dates(scan, now=local_now, languages=_languages(languages), hotel=hotel)
    past = [mention.value for mention in mentions if mention.value < local_now.date()]
    if past:
        mentions = []  # a stay or day with a passed date in it is no request to read on
    common = Slots(
        time=clock,
        party_size=party_size,
        room_type=match_room_type(scan.text, room_types),
        rooms=rooms,
        reference=reference,
        name=name,
        past_day=min(past, default=None),
        today_or_next_week=len(mentions) == 1 and mentions[0].ambiguous,
    )
    if not hotel:
        return replace(common, day=restaurant_day(mentions))
    stay = hotel_stay(mentions, nights=nights)
    return replace(
        common, day=stay.day, check_in=stay.check_in, check_out=stay.check_out, nights=stay.nights
    )


def match_room_type(text: str, room_types: Sequence[str]) -> str | None:
    """The room type ``text`` names, forgiving typos ("delux", "suit"); None if unsure."""
    words = [_ROOM_WORDS_HI.get(token, token) for token in _WORD.findall(text.lower())]
    best_score, best = ROOM_MATCH_CUTOFF, None
    for room_type in room_types:
        score = max(_room_scores(words, room_type, room_types), default=0.0)
        if score > best_score or (best is None and score == best_score):
            best_score, best = score, room_type
    return best


def warm_up() -> None:
    """Parse one date per language now, so the first guest does not wait for dateparser."""
    now = dt.datetime.now(dt.UTC)
    for sample, language in (("24 December", "en"), ("24 de diciembre", "es"), ("24 दिसंबर", "hi")):
        extract_slots(
            sample, now=now, timezone="UTC", venue_kind="restaurant", languages=(language,)
        )
    extract_slots("table for 4 tomorrow 8pm", now=now, timezone="UTC", venue_kind="restaurant")


def _take_reference(scan: Scan) -> str | None:
    """The booking reference, normalised to "BK-XXXXXX", blanked out of ``scan``."""
    for match in scan.find(_REFERENCE):
        code = (match["code"] or match["bare"]).upper()
        if match["bare"] and not any(char.isdigit() for char in code):
            continue  # "reference please" is no reference
        if all(char in REFERENCE_ALPHABET for char in code):
            scan.blank(match.start(), match.end())
            return f"BK-{code}"
    return None


def _room_scores(words: list[str], room_type: str, room_types: Sequence[str]) -> list[float]:
    """Similarity of every run of words to ``room_type``, and of single words to its own words."""
    name = room_type.lower().split()
    others = {part for other in room_types if other != room_type for part in other.lower().split()}
    scores = [
        SequenceMatcher(None, " ".join(words[i : i + len(name)]), " ".join(name)).ratio()
        for i in range(len(words) - len(name) + 1)
    ]
    if len(name) > 1:
        own = [part for part in name if part not in others and part not in _GENERIC_ROOM_WORDS]
        scores += [
            SequenceMatcher(None, token, part).ratio()
            for part in own
            for token in words
            if len(token) >= 4
        ]
    return scores


def _languages(languages: Sequence[str]) -> list[str]:
    """dateparser language codes ("hi-Latn" -> "hi"), always including English."""
    codes = [code.replace("_", "-").split("-")[0].lower() for code in languages]
    return list(dict.fromkeys([*codes, "en"]))
