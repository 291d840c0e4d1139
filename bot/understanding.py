"""Reading one guest message: intent, slots, the option picked and the language.

The classifier gives the intent; rules settle what a classifier should not guess: a tapped
button or a number picks an option, "the deluxe one" picks the option with that name, and an
explicit "in English please" switches language.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import datetime

from bot.conversation import Conversation
from bot.messages import InboundMessage
from bot.nlu.classifier import load_classifier
from bot.nlu.intents import Intent
from bot.nlu.language import detect_language, requested_language
from bot.nlu.slots import Slots, extract_slots

ORDINALS = {
    "first": 0,
    "1st": 0,
    "pehla": 0,
    "pehle": 0,
    "primero": 0,
    "primera": 0,
    "पहला": 0,
    "second": 1,
    "2nd": 1,
    "doosra": 1,
    "dusra": 1,
    "segundo": 1,
    "segunda": 1,
    "दूसरा": 1,
    "third": 2,
    "3rd": 2,
    "teesra": 2,
    "tisra": 2,
    "tercero": 2,
    "tercera": 2,
    "तीसरा": 2,
    "last": -1,
    "aakhri": -1,
    "último": -1,
    "ultimo": -1,
}
HAND_BACK_WORDS = {"bot", "back to bot", "robot", "assistant", "bot please"}


@dataclass(frozen=True)
class Understanding:
    """What the dialogue needs to know about one message."""

    intent: Intent
    confidence: float
    slots: Slots
    choice: str | None
    language: str | None
    requested_language: str | None
    text: str
    hand_back: bool = False

    @property
    def has_booking_details(self) -> bool:
        """True when the message carries any date (passed ones too), time, party, stay or room
        detail."""
        s = self.slots
        values = (
            *(s.day, s.check_in, s.check_out, s.nights, s.time, s.party_size),
            *(s.room_type, s.rooms),
        )
        return s.past_day is not None or any(v is not None for v in values)


def pick_option(text: str, options: list[tuple[str, str]]) -> str | None:
    """The option id that ``text`` names ("the deluxe one", "second", "8:30 pm")."""
    words = text.lower().replace("-", " ").split()
    for word in words:
        if word in ORDINALS and options:
            index = ORDINALS[word]
            if -len(options) <= index < len(options):
                return options[index][0]
    titles = {title.lower(): option_id for option_id, title in options}
    for title, option_id in titles.items():
        if title and title in text.lower():
            return option_id
    for word in words:
        close = difflib.get_close_matches(word, list(titles), n=1, cutoff=0.8)
        if close:
            return titles[close[0]]
    return None


#: A typed answer the classifier reads as yes or no stays one, even where it matches an option.
_YES_NO = (Intent.YES, Intent.NO)


def understand(
    message: InboundMessage,
    conversation: Conversation,
    *,
    timezone: str,
    venue_kind: str,
    room_types: list[str],
    options: list[tuple[str, str]],
    now: datetime,
) -> Understanding:
    """Combine the classifier, the slot extractor and the options on screen."""
    text = message.text.strip()
    slots = extract_slots(
        text, now=now, timezone=timezone, venue_kind=venue_kind, room_types=room_types
    )
    choice = message.choice_id or (pick_option(text, options) if options else None)
    prediction = load_classifier().predict(text) if text else None
    intent = prediction.intent if prediction else Intent.UNKNOWN
    if choice in ("yes", "no"):
        intent = Intent.YES if choice == "yes" else Intent.NO
    elif message.choice_id is not None or (choice is not None and intent not in _YES_NO):
        intent = Intent.CHOOSE  # a tapped row is a pick, whatever its title reads as
    return Understanding(
        intent=intent,
        confidence=prediction.confidence if prediction else 0.0,
        slots=slots,
        choice=choice,
        language=detect_language(text),
        requested_language=requested_language(text),
        text=text,
        hand_back=" ".join(text.lower().split()) in HAND_BACK_WORDS,
    )
