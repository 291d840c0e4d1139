"""Questions about the venue, answered at any point of a conversation, then back to it.

"What time do you open?", "do you have parking?", "check-in time?": ``bot.asking`` tells a
question about the venue from the rest. A fact is answered from the venue (``bot.facts``),
another question with the owner's answer to the nearest of their questions; either in the
guest's language where the owner translated it, else as written: nothing is made up. A
question nothing answers goes to a person: the guest is told so, and it waits in the staff
inbox (``bot.open_questions``) without silencing the bot.

Then the conversation carries on where it was: the step the guest was at (the offer to
confirm, the details still missing, the reminder's options) is put on screen again, in a
message of its own after the answer, so a "yes" that follows answers what the guest can see.
(Written under the answer, it could be cut short to fit an SMS: a long answer in Hindi
leaves an offer no room.)
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace

from bot.asking import Asked, AskedKind, what_is_asked
from bot.choices import conversation_key
from bot.events import publish
from bot.facts import fact_text
from bot.flows.general import Asker
from bot.messages import Reply
from bot.nlu.exceptions import TrainingError
from bot.nlu.intents import Intent
from bot.nlu.retrieval import AnswerIndex, Document, answer_index, documents
from bot.open_questions import leave_question
from bot.turn import Turn
from engine.answers.models import VenueQuestion
from engine.answers.service import venue_questions
from engine.answers.topics import FactTopic
from engine.bookings.enums import BookingStatus
from engine.bookings.service import guest_bookings

logger = logging.getLogger(__name__)


def answer(turn: Turn, resume: Asker | None) -> list[Reply] | None:
    """The answer to a question about the venue, followed by ``resume`` (the pending step put
    again); None when the message is not such a question. A message read as a question that
    nothing answers is then read as not understood, and one about paying while a hold waits
    for its money as asking for the hold's link."""
    entries: list[VenueQuestion] = []

    def index() -> AnswerIndex:
        entries.extend(venue_questions(turn.session, venue_id=turn.venue.id))
        try:
            return answer_index(venue_documents(entries))
        except TrainingError:  # no index: the question goes to a person, the turn goes on
            logger.exception("answer retrieval for venue %s failed", turn.venue.id)
            return answer_index(())

    asked = what_is_asked(turn.understood, index)
    if asked is not None and asked.topic == FactTopic.PAYMENT and _payment_due(turn):
        # "do you take cards?" with a hold waiting for its money: the hold's link answers
        turn.understood = replace(turn.understood, intent=Intent.PAY)
        return None
    text = _answer_text(turn, asked, entries) if asked is not None else None
    if text is None:
        if turn.understood.intent == Intent.QUESTION:  # neither answered nor worth a person
            turn.understood = replace(turn.understood, intent=Intent.UNKNOWN)
        return None
    turn.conversation.misunderstandings = 0
    pending = resume(turn) if resume is not None else []
    return [Reply(text, language=turn.language), *pending]


def venue_documents(entries: Sequence[VenueQuestion]) -> tuple[Document, ...]:
    """What a venue's answer index is fitted on: every wording of each of its questions."""
    return documents([entry.texts() for entry in entries])


def _answer_text(turn: Turn, asked: Asked, entries: list[VenueQuestion]) -> str:
    """What to say: the fact, the owner's answer, or that a person will answer."""
    if asked.kind == AskedKind.ANSWER:
        assert asked.match is not None
        return entries[asked.match.entry].answer_in(turn.language)
    if asked.kind == AskedKind.PERSON:
        return _to_person(turn)
    assert asked.topic is not None
    fact = fact_text(turn.session, turn.venue, asked.topic, turn.language)
    if fact is not None and turn.understood.intent == Intent.PAY:
        return f"{turn.text('no_payment_due')}\n{fact}"
    return fact or _to_person(turn)


def _payment_due(turn: Turn) -> bool:
    bookings = guest_bookings(turn.session, venue_id=turn.venue.id, guest_id=turn.guest.id)
    return any(b.status == BookingStatus.PENDING_PAYMENT for b in bookings)


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
