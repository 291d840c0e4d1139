"""Property: no sequence of guest messages ends in a booking, a change or a cancellation the
guest did not confirm with its final date, time, party (and room) in front of them.

Seeded random conversations (deterministic for a given day, bounded in length) mix requests,
bare numbers, yes and no, names, corrections, weekdays (today's too), passed dates, and
cancel/change phrases, bare numbers after a question for two numbers and the words that
answer "4 people or 16:00?", details said as if a change, closed services, parties too large
and check-outs before check-ins. After every message the guest's bookings are compared with
before; each booking that appeared, moved or was cancelled must have been put to the guest in
a bot message showing the result (date, time, party; room type and both dates for a stay,
every room type for a stay of several rooms), answered with a yes (a "yes", a tap, "1" on a
yes option, or the name the bot asked for to book it) or picked from a list whose sentence and
picked option together showed all of it.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.catalog import LANGUAGES, t
from bot.format import format_day
from engine.bookings.enums import BookingStatus
from engine.bookings.models import Booking, BookingRoom
from engine.inventory.models import RoomType
from tests.dialogue.harness import ChatGuest, Reply, literal_part
from tests.dialogue.helpers import VENUE_TZ, in_days, today

Make = Callable[..., ChatGuest]
SEQUENCES = 6
MESSAGES = 10
YES_WORDS = {"yes", "ok", "haan", "si", "yes please"}
NAMES = ("Ravi Kumar", "Late Canceller", "Nora")
NAME_KEYS = ("confirm_offer_name", "ask_name")
YES_BUTTONS = ("button_yes", "button_yes_cancel", "button_yes_change")
TAP = "<tap {}>"
#: Messages that put concrete details to the guest: an offer, a list of them, a change.
OFFER_KEYS = (
    "confirm_offer",
    "confirm_offer_name",
    "choose_room",
    "alternatives",
    "closed_alternatives",
    "confirm_change",
)
#: Lists of offers: a pick from one is a yes to what the sentence and that option showed.
LIST_KEYS = ("choose_room", "room_type_taken", "alternatives", "closed_alternatives")
_NUMBERED = re.compile(r"^(\d+)\) ", re.MULTILINE)
#: The messages that put one offer or change to the guest, for a yes (or a name).
PROPOSAL_KEYS = ("confirm_offer", "confirm_offer_name", "confirm_change", "ask_name")
_CLOCK = re.compile(r"\b\d{2}:\d{2}\b")
_DAY = re.compile(r"\b\d{1,2} [A-Z][a-z]{2}\b")


def _vocabulary(venue: str) -> dict[str, list[str]]:
    """What guests say, by kind, with dates from today (today's weekday, passed dates too)."""
    now, past, far = today(), today() - timedelta(days=3), today() + timedelta(days=200)
    weekday, soon, soon_day = f"{now:%A}", f"{in_days(2):%A}", in_days(2)
    words = {
        "number": ["1", "2", "3", "4", "8", *(TAP.format(n) for n in (1, 2, 3))],
        "answer": ["yes", "ok", "haan", "no", "nahi", *NAMES],
        "manage": [
            "cancel my booking",
            "cancel it",
            "change my booking",
            f"move it to {weekday}",
            f"can I change to {soon}?",
            "make it 3 people",
            "show my bookings",
        ],
        "day": [weekday, f"next {soon}", f"{past.day} {past:%b}", "yesterday", "tomorrow"],
        "correction": ["nahi nahi, hum 3 log honge", "actually 3 people", "make it 4 guests"],
        "reading": ["people", "o'clock", "nights", "guests", "4 people", "8pm", "3 nights"],
    }
    if venue == "restaurant":
        words["request"] = [
            "table for 2 tomorrow 8pm",
            f"table for 4 on {soon} at 7pm",
            "book a table",
            "kal raat 8 baje 3 log",
            f"table for 2 on {weekday} at 9pm",
            f"table for 3 on {past.day} {past:%b} at 8pm",
            f"table for 2 on {far.day} {far:%b} at 8pm",
            "table for 2 yesterday 8pm",
            "dinner for 6 tomorrow",
        ]
        monday = now + timedelta(days=(7 - now.weekday()) % 7 or 7)
        words["request"] += [
            f"table for 2 on {monday.day} {monday:%b} at 1pm",
            "table for 12 tomorrow at 8pm",
            "table for 2 tomorrow at 4pm",
        ]
        words["correction"] += [
            "make it 9pm",
            "no, tomorrow at 1pm please",
            "8:30 instead",
            f"4 people, {soon_day.day} {soon_day:%B}, 1pm",
        ]
        return words
    start, end = in_days(20), in_days(23)
    words["request"] = [
        f"room {start.day} {start:%b} to {end.day} {end:%b} for 2",
        "suite for 2 tomorrow for 2 nights",
        f"room for 2 on {weekday} for 1 night",
        f"deluxe room from {past.day} {past:%b} for 2 nights for 2",
        f"room for 2 from {far.day} {far:%b} for 1 night",
        "room for 2 please",
        f"2 rooms for 4 people {start.day} {start:%b} to {end.day} {end:%b}",
        "a double and a twin tomorrow for 2 nights",
    ]
    words["request"] += [f"room {end.day} {end:%b} to {start.day} {start:%b} for 2", "room for 9"]
    words["correction"] += ["sorry, make that 3 nights", f"make it {soon}"]
    words["manage"] += ["cancel one room"]
    return words


#: How often each kind of message comes: answers most, so conversations get somewhere.
WEIGHTS = {
    "request": 3,
    "answer": 5,
    "number": 3,
    "manage": 3,
    "day": 1,
    "correction": 2,
    "reading": 1,
}


def _messages(rng: random.Random, words: dict[str, list[str]]) -> list[str]:
    """One conversation: a request first, then a weighted mix of everything."""
    kinds = rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()), k=MESSAGES - 1)
    return [rng.choice(words["request"])] + [rng.choice(words[kind]) for kind in kinds]


#: How often a guest looking at a list of offers picks one instead of what was drawn.
PICK_CHANCE = 0.6


def _maybe_pick(rng: random.Random, conversation: Conversation, message: str) -> str:
    """``message``, or, while a list of offers is on screen, often a pick from it (a tap on
    WhatsApp, a number on SMS), as guests mostly do."""
    turns = conversation.turns
    last = turns[-1].replies[-1] if turns and turns[-1].replies else None
    if last is None or not _is(last, LIST_KEYS) or rng.random() >= PICK_CHANCE:
        return message
    return rng.choice([TAP.format(1), TAP.format(2), "1", "2"])


@dataclass
class Turn:
    """One guest message and what the bot answered."""

    said: str
    replies: list[Reply]


@dataclass
class Conversation:
    """A guest's conversation so far, and their bookings after each message."""

    guest: ChatGuest
    turns: list[Turn] = field(default_factory=list)

    def send(self, message: str) -> Turn:
        """Say (or tap) ``message``; a tap with nothing to tap is said as a number instead."""
        last = self.turns[-1].replies[-1] if self.turns and self.turns[-1].replies else None
        number = message.removeprefix("<tap ").removesuffix(">")
        if message != number:
            index = int(number) - 1
            tappable = last is not None and self.guest.channel == "whatsapp"
            if tappable and last is not None and index < len(last.options):
                option_id = last.options[index][0]
                turn = Turn(f"<tap {option_id}>", self.guest.tap(option_id))
                self.turns.append(turn)
                return turn
            message = number
        turn = Turn(message, self.guest.say(message))
        self.turns.append(turn)
        return turn

    def transcript(self) -> str:
        """The conversation as text, for a failure message."""
        lines = [f"{self.guest.venue}/{self.guest.channel} {self.guest.phone}"]
        for turn in self.turns:
            lines.append(f"guest> {turn.said}")
            lines += [f"  bot> {reply.text!r} {reply.options}" for reply in turn.replies]
        return "\n".join(lines)


def _snapshot(guest: ChatGuest) -> dict[str, tuple[object, ...]]:
    """Each booking's reference -> what the guest must have confirmed about it."""
    return {
        b.reference: (b.status, b.starts_at, b.check_in, b.check_out, b.party_size, b.room_type_id)
        for b in guest.bookings()
    }


def _shows(reply_text: str, booking: Booking, rooms: list[str]) -> bool:
    """Whether a bot message showed the booking's date(s), time, party and room(s)."""
    days = [booking.starts_at.astimezone(VENUE_TZ).date()] if booking.starts_at else []
    days += [d for d in (booking.check_in, booking.check_out) if d is not None]
    shown_days = all(
        any(format_day(d, lang, today=today()) in reply_text for lang in LANGUAGES) for d in days
    )
    clock = booking.starts_at.astimezone(VENUE_TZ).strftime("%H:%M") if booking.starts_at else ""
    party = re.search(rf"(?<![\d:]){booking.party_size}(?![\d:])", reply_text)
    shown_rooms = all(room in reply_text for room in rooms)
    return shown_days and clock in reply_text and party is not None and shown_rooms


def _is(reply: Reply, keys: tuple[str, ...]) -> bool:
    return any(literal_part(key, lang) in reply.text for key in keys for lang in LANGUAGES)


def _yes_option_first(reply: Reply) -> bool:
    """Whether option 1 on screen is a yes (a button, or "1) Yes…" on SMS)."""
    if reply.options:
        return reply.options[0][0] == "yes"
    return any(f"1) {t(key, lang)}" in reply.text for key in YES_BUTTONS for lang in LANGUAGES)


def _confirms(said: str, asked: Reply | None) -> bool:
    """Whether the guest's message is a yes to what ``asked`` put to them."""
    if asked is None:
        return False
    if said in YES_WORDS or said == "<tap yes>":
        return True
    if said == "1":
        return _yes_option_first(asked)
    return said in NAMES and _is(asked, NAME_KEYS)


def _picked(said: str, asked: Reply | None) -> str | None:
    """What the guest saw of the offer they picked from a list: the list's sentence with the
    picked option only (its button or row title, or its numbered SMS line); None when the
    message picked no offer from a list."""
    if asked is None or not _is(asked, LIST_KEYS):
        return None
    sentence = _NUMBERED.split(asked.text)[0]
    if said.startswith("<tap offer:"):
        option_id = said.removeprefix("<tap ").removesuffix(">")
        titles = [title for each, title in asked.options if each == option_id]
        return f"{sentence} {titles[0]}" if titles else None
    if not said.isdigit():
        return None
    if asked.options:
        index = int(said) - 1
        return f"{sentence} {asked.options[index][1]}" if index < len(asked.options) else None
    line = re.search(rf"^{said}\) (.*)$", asked.text, re.MULTILINE)
    return f"{sentence} {line.group(1)}" if line else None


def _confirmed(conversation: Conversation, at: int, booking: Booking, rooms: list[str]) -> bool:
    """Whether message ``at`` (and any name asked for after a yes) confirmed ``booking`` as
    a bot message right before showed it."""
    turns = conversation.turns
    while at > 0:
        previous = turns[at - 1].replies
        asked = previous[-1] if previous else None
        picked = _picked(turns[at].said, asked)
        if picked is not None:
            return _shows(picked, booking, rooms)
        if not _confirms(turns[at].said, asked):
            return False
        if asked is not None and _shows(asked.text, booking, rooms):
            return True
        if asked is None or not _is(asked, ("ask_name",)):
            return False
        at -= 1
    return False


def _rooms(guest: ChatGuest, booking: Booking) -> list[str]:
    """The room type of a stay, or of each room of a stay of several rooms (none for a table)."""
    with guest.sessions() as session:
        query = select(RoomType.name).where(RoomType.id == booking.room_type_id)
        if booking.room_type_id is None:
            query = (
                select(RoomType.name)
                .join(BookingRoom, BookingRoom.room_type_id == RoomType.id)
                .where(BookingRoom.booking_id == booking.id, BookingRoom.cancelled_at.is_(None))
            )
        return list(session.scalars(query))


def _check(conversation: Conversation, before: dict[str, tuple[object, ...]]) -> None:
    """Every booking that appeared, changed or was cancelled in the last turn was confirmed."""
    at = len(conversation.turns) - 1
    for booking in conversation.guest.bookings():
        was = before.get(booking.reference)
        now = _snapshot_of(booking)
        moved = was is not None and was[1:] != now[1:]
        cancelled = was is not None and was[0] != now[0] and now[0] == BookingStatus.CANCELLED
        if was is None or moved or cancelled:
            rooms = _rooms(conversation.guest, booking)
            assert _confirmed(conversation, at, booking, rooms), (
                f"{booking.reference} {'made' if was is None else 'changed'} without a confirmed"
                f" offer showing it:\n{conversation.transcript()}"
            )


def _check_nothing_invented(conversation: Conversation) -> None:
    """A bare number (or tap) said while one offer, change or the name is asked puts to the guest
    only what was on that screen: it picks an option or is asked about, never makes up a new
    time or date ("1" after an offer is not 13:00)."""
    *earlier, last = conversation.turns
    if not earlier or not earlier[-1].replies or not _is_number(last.said):
        return
    on_screen = earlier[-1].replies[-1]
    if not _is(on_screen, PROPOSAL_KEYS):
        return  # a pick from a list is checked by the confirmation it leads to
    for reply in last.replies:
        if _is(reply, OFFER_KEYS):
            shown = set(_CLOCK.findall(reply.text)) | set(_DAY.findall(reply.text))
            screen = " ".join([on_screen.text, *(title for _, title in on_screen.options)])
            seen = set(_CLOCK.findall(screen)) | set(_DAY.findall(screen))
            assert shown <= seen, (
                f"{last.said!r} put {sorted(shown - seen)} to the guest, which was not on "
                f"screen:\n{conversation.transcript()}"
            )


def _is_number(said: str) -> bool:
    return said.isdigit() or said.startswith("<tap offer:")


def _snapshot_of(b: Booking) -> tuple[object, ...]:
    return (b.status, b.starts_at, b.check_in, b.check_out, b.party_size, b.room_type_id)


@pytest.mark.parametrize("channel", ["sms", "whatsapp"])
@pytest.mark.parametrize("venue", ["restaurant", "hotel"])
def test_no_conversation_books_or_changes_what_the_guest_did_not_confirm(
    guest_factory: Make, venue: str, channel: str
) -> None:
    words = _vocabulary(venue)
    for sequence in range(SEQUENCES):
        rng = random.Random(f"{venue}:{channel}:{sequence}")
        # Every other guest has a WhatsApp profile name, so a pick from a list books at once.
        conversation = Conversation(guest_factory(venue, channel, name=NAMES[0] * (sequence % 2)))
        for message in _messages(rng, words):
            before = _snapshot(conversation.guest)
            conversation.send(_maybe_pick(rng, conversation, message))
            _check(conversation, before)
            _check_nothing_invented(conversation)
