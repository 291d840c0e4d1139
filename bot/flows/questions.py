"""Questions about the venue, answered at any point of a conversation, then back to it.

"What time do you open?", "do you have parking?", "check-in time?": a structured fact named
by its words (``bot.nlu.topics``) is answered from the venue (``bot.facts``); any other
question is looked up in the owner's questions and answers (``bot.nlu.retrieval``) and
answered when one is near enough. The answer is the owner's text in the guest's language
where the owner translated it, else as written: nothing is made up. A question nothing
answers goes to a person: the guest is told so, and it waits in the staff inbox
(``bot.open_questions``) without silencing the bot.

Then the conversation carries on where it was: the step the guest was at (the offer to
confirm, the name asked for, the reminder's options) is put on screen again under the
answer, so a "yes" that follows answers what the guest can see.
"""

from __future__ import annotations

from dataclasses import replace

from bot.choices import conversation_key
from bot.events import publish
from bot.facts import fact_text
from bot.flows.general import Asker
from bot.messages import Reply, above
from bot.nlu.corpus import vocabulary
from bot.nlu.intents import Intent
from bot.nlu.normalize import normalize
from bot.nlu.retrieval import ANSWER_THRESHOLD, Document, answer_index
from bot.nlu.topics import fact_topic
from bot.open_questions import leave_question
from bot.turn import Turn
from bot.understanding import Understanding
from engine.answers.service import venue_questions
from engine.answers.topics import FactTopic
from engine.bookings.enums import BookingStatus
from engine.bookings.service import guest_bookings

#: Intents a message naming a fact may have been read as: "do you have parking?" reads like
#: "do you have my booking?", "what time do you open?" like a request for help.
FACT_INTENTS = frozenset(
    {Intent.QUESTION, Intent.UNKNOWN, Intent.HELP, Intent.CHECK, Intent.BOOK, Intent.PAY}
)
#: Longer messages are no question for a person (a pasted text, a story).
MAX_QUESTION_WORDS = 40
#: Intents whose message is looked up in the owner's questions and answers.
LOOKUP_INTENTS = frozenset({Intent.QUESTION, Intent.UNKNOWN, Intent.HELP})


def answer(turn: Turn, resume: Asker | None) -> list[Reply] | None:
    """The answer to a question about the venue, followed by ``resume`` (the pending step put
    again); None when the message is not such a question."""
    understood = turn.understood
    if understood.choice is not None:
        return None
    text = _answer_text(turn)
    if text is None:
        if understood.intent == Intent.QUESTION:  # neither answered nor worth a person
            turn.understood = replace(understood, intent=Intent.UNKNOWN)
        return None
    turn.conversation.misunderstandings = 0
    pending = resume(turn) if resume is not None else []
    return above(text, pending) if pending else [Reply(text, language=turn.language)]


def _answer_text(turn: Turn) -> str | None:
    """What to say: a fact, the owner's answer, or that a person will answer."""
    understood = turn.understood
    topic = fact_topic(understood.text) if understood.intent in FACT_INTENTS else None
    if topic is not None and _about_venue(turn, topic):
        fact = fact_text(turn.session, turn.venue, topic, turn.language)
        if fact is not None and understood.intent == Intent.PAY:
            return f"{turn.text('no_payment_due')}\n{fact}"  # "how do I pay?", nothing held
        return fact or _to_person(turn)
    if understood.intent in LOOKUP_INTENTS:
        found = _owner_answer(turn)
        if found is not None:
            return found
    if understood.intent == Intent.QUESTION and _plausible_question(understood):
        return _to_person(turn)
    return None


def _about_venue(turn: Turn, topic: FactTopic) -> bool:
    """Whether a message naming a fact asks about it, rather than booking with it ("table for
    2 tomorrow at 8, vegetarian") or paying a hold ("how do I pay?" with a link out)."""
    understood = turn.understood
    if understood.has_booking_details and understood.intent != Intent.QUESTION:
        return False
    return topic != FactTopic.PAYMENT or not _payment_due(turn)


def _plausible_question(understood: Understanding) -> bool:
    """Whether a message read as a question is worth a person's time: no booking details (those
    are a request), a question's length, and mostly words the bot knows (not "lorem ipsum")."""
    words = normalize(understood.text).split()
    if understood.has_booking_details or not words or len(words) > MAX_QUESTION_WORDS:
        return False
    known = sum(word in vocabulary() for word in words)
    return known >= len(words) / 2


def _payment_due(turn: Turn) -> bool:
    bookings = guest_bookings(turn.session, venue_id=turn.venue.id, guest_id=turn.guest.id)
    return any(b.status == BookingStatus.PENDING_PAYMENT for b in bookings)


def _owner_answer(turn: Turn) -> str | None:
    """The owner's answer to the nearest of their questions, if near enough."""
    entries = venue_questions(turn.session, venue_id=turn.venue.id)
    documents = tuple(
        Document(number, text) for number, entry in enumerate(entries) for text in entry.texts()
    )
    match = answer_index(documents).nearest(turn.understood.text)
    if match is None or match.score < ANSWER_THRESHOLD:
        return None
    return entries[match.entry].answer_in(turn.language)


def _to_person(turn: Turn) -> str:
    """Put the question in the staff inbox and tell the dashboards; say a person will answer."""
    key = conversation_key(turn.venue.id, turn.channel, turn.guest.phone)
    leave_question(turn.redis, key, turn.understood.text)
    who = turn.guest.name or turn.guest.phone
    publish(
        turn.redis,
        "conversation.question",
        {
            "venue_id": turn.venue.id,
            "channel": turn.channel.value,
            "guest_phone": turn.guest.phone,
            "guest_name": turn.guest.name,
            "summary": f"{who} asked: {turn.understood.text} ({turn.channel.value})",
        },
    )
    return turn.text("question_to_staff")
