"""What a guest message asks about the venue: a fact, one of the owner's answers, a person.

The one decision behind ``bot.flows.questions`` (which then reads the database and replies)
and ``bookline nlu eval`` (which scores it on the demo's questions): a structured fact named
by its words (``bot.nlu.topics``) when the message was read as a question, or as what such
questions get mistaken for ("do you have parking?" reads like "do you have my booking?",
"what time do you open?" like a request for help); else the owner's nearest question when
it is near enough (``bot.nlu.retrieval``); else, for a message read as a question, a person.
A message with booking details is a request, not a question, unless read as a question.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from bot.nlu.corpus import vocabulary
from bot.nlu.intents import Intent
from bot.nlu.normalize import normalize
from bot.nlu.retrieval import ANSWER_THRESHOLD, AnswerIndex, Match
from bot.nlu.topics import fact_topic
from bot.understanding import Understanding
from engine.answers.topics import FactTopic

#: Intents a message naming a fact may have been read as.
FACT_INTENTS = frozenset(
    {
        Intent.QUESTION,
        Intent.UNKNOWN,
        Intent.HELP,
        Intent.CHECK,
        Intent.BOOK,
        Intent.PAY,
        Intent.CANCEL,  # "what if we cancel?": the cancellation policy's words are its own
    }
)
#: Intents whose message is looked up in the owner's questions and answers.
LOOKUP_INTENTS = frozenset({Intent.QUESTION, Intent.UNKNOWN, Intent.HELP})
#: Longer messages are no question for a person (a pasted text, a story).
MAX_QUESTION_WORDS = 40


class AskedKind(StrEnum):
    """How a question about the venue is answered."""

    FACT = "fact"
    ANSWER = "answer"
    PERSON = "person"


@dataclass(frozen=True)
class Asked:
    """A question about the venue: the fact's topic, or the owner's entry it matched."""

    kind: AskedKind
    topic: FactTopic | None = None
    match: Match | None = None


def what_is_asked(
    understood: Understanding,
    index: Callable[[], AnswerIndex],
    *,
    threshold: float = ANSWER_THRESHOLD,
) -> Asked | None:
    """The question ``understood`` asks about the venue; None when it asks none. ``index``
    gives the owner's questions (only called when they are looked up)."""
    if understood.choice is not None:
        return None
    intent = understood.intent
    topic = fact_topic(understood.text) if intent in FACT_INTENTS else None
    if topic is not None and (intent == Intent.QUESTION or not understood.has_booking_details):
        return Asked(AskedKind.FACT, topic=topic)
    if intent in LOOKUP_INTENTS:
        match = index().nearest(understood.text)
        if match is not None and match.score >= threshold:
            return Asked(AskedKind.ANSWER, match=match)
    if intent == Intent.QUESTION and plausible_question(understood):
        return Asked(AskedKind.PERSON)
    return None


def plausible_question(understood: Understanding) -> bool:
    """Whether a message read as a question is worth a person's time: no booking details (those
    are a request), a question's length, and words the bot knows, a third of them or, with a
    question mark, one ("¿tienen sala privada?" is a question, "lorem ipsum" is not)."""
    words = normalize(understood.text).split()
    if understood.has_booking_details or not words or len(words) > MAX_QUESTION_WORDS:
        return False
    known = sum(word in vocabulary() for word in words)
    return 3 * known >= len(words) or ("?" in understood.text and known > 0)
