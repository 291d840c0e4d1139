"""After the visit: "how was it?", a score 1-5, then a comment the guest may skip.

The question goes out from the feedback sweep (``application.feedback``), which sets the
guest's conversation to expect the score once it has committed, as a waitlist offer does. The
score is read in numbers, stars or words (``bot.nlu.ratings``); a message that is no score
is served as any other message would be. A score of 1 or 2 goes to a person: the guest is
handed off to staff (the conversation waits in the dashboard's inbox), and their next words,
which a person will read anyway, are kept as the comment.
"""

from __future__ import annotations

from dataclasses import dataclass

from redis.client import Pipeline

from bot.catalog import t
from bot.choices import conversation_key, remember_options
from bot.conversation import Conversation, State
from bot.flows import general
from bot.messages import Option, Reply
from bot.nlu.intents import Intent
from bot.nlu.ratings import Rating, read_rating
from bot.turn import Turn
from engine.bookings.models import Booking
from engine.bookings.service import get_booking
from engine.exceptions import BooklineError
from engine.feedback.service import LOW_SCORES, SCORES, add_comment, rate
from engine.guests.models import Guest
from engine.messaging.enums import MessageChannel
from engine.tenants.models import Venue

#: Option ids of the scores ("rate:4").
RATE = "rate:"
#: "No, thanks" to the comment is a no, whichever way it is said.
SKIP = "no"
#: ``Conversation.action`` while a person has a guest who rated low: their next words are kept.
COMMENT = "comment"
#: A "no" this short skips the comment; a longer one ("no complaints at all") is the comment.
SKIP_WORDS = 3


@dataclass(frozen=True)
class FeedbackQuestion:
    """The question "how was it?" about one booking: the message, and the answer to expect.

    The sweep queues ``reply`` in its transaction and applies ``expect_answer`` to the guest's
    conversation only after it commits, under the conversation lock.
    """

    conversation: str
    reply: Reply
    booking_ref: str

    def expect_answer(self, conversation: Conversation, pipeline: Pipeline) -> None:
        """Wait for the score, unless the guest began something else meanwhile (a booking,
        a person answering them): their answer is then read as any message would be."""
        if conversation.state != State.IDLE:
            return
        conversation.reset()
        conversation.move_to(State.RATING)
        conversation.booking_ref = self.booking_ref
        remember_options(pipeline, self.conversation, self.reply.options)


def question(
    booking: Booking, *, venue: Venue, guest: Guest, channel: MessageChannel
) -> FeedbackQuestion:
    """How was the meal or the stay, in the guest's language, with the five scores."""
    return FeedbackQuestion(
        conversation_key(venue.id, channel, guest.phone),
        _how_was_it(venue, guest.language),
        booking.reference,
    )


def ask_again(turn: Turn) -> list[Reply]:
    """The question again, with the scores (after a message that said nothing else)."""
    return [_how_was_it(turn.venue, turn.language)]


def _how_was_it(venue: Venue, language: str | None) -> Reply:
    return Reply(
        t(f"feedback_ask_{venue.kind.value}", language, venue=venue.name),
        [Option(f"{RATE}{score}", t(f"rating_{score}", language)) for score in SCORES],
        list_button=t("rating_button", language),
        language=language,
    )


def rating_said(turn: Turn) -> Rating | None:
    """The score in the guest's message: a tapped or numbered option, or ``read_rating``."""
    choice = turn.understood.choice or ""
    if choice.startswith(RATE):
        return Rating(int(choice.removeprefix(RATE)))
    return read_rating(turn.understood.text)


def rated(turn: Turn, rating: Rating) -> list[Reply]:
    """Keep the score (and a comment written with it); then ask for a comment, thank the
    guest, or, for a low score, pass them to a person."""
    conversation = turn.conversation
    try:
        booking = _booking(turn)
        rate(turn.session, booking=booking, score=rating.score, actor=turn.actor, now=turn.now)
        if rating.comment:
            _comment(turn, booking, rating.comment)
    except BooklineError:  # rated already, or the booking is gone: nothing more to ask
        conversation.reset()
        return [turn.say("feedback_thanks")]
    if rating.score in LOW_SCORES:
        return _to_a_person(turn, booking, rating)
    if rating.comment:
        conversation.reset()
        return [turn.say("feedback_thanks")]
    conversation.move_to(State.COMMENTING)
    return [turn.say("feedback_ask_comment", [Option(SKIP, turn.text("button_no_thanks"))])]


def _to_a_person(turn: Turn, booking: Booking, rating: Rating) -> list[Reply]:
    """Sorry, and a person will be in touch: the guest waits in the staff's inbox."""
    general.pass_to_staff(turn, f"rated {booking.reference} {rating.score}/5")
    if rating.comment:
        return [turn.say("feedback_sorry_heard")]
    turn.conversation.booking_ref = booking.reference
    turn.conversation.action = COMMENT
    return [turn.say("feedback_sorry")]


def wants_something_else(turn: Turn) -> bool:
    """While a comment is awaited: the message asks for help, a person or a booking (with its
    details) rather than being the comment. Anything else is the comment: guests' comments
    read to the intent model as all sorts of things."""
    understood = turn.understood
    if understood.intent in (Intent.HELP, Intent.AGENT):
        return True
    booking_intents = (Intent.BOOK, Intent.CHANGE, Intent.CANCEL)
    return understood.intent in booking_intents and understood.has_booking_details


def commented(turn: Turn) -> list[Reply]:
    """Keep the comment, unless the guest said no thanks; either way, thank them."""
    understood = turn.understood
    skipped = understood.choice == SKIP or (
        understood.intent == Intent.NO and len(understood.text.split()) <= SKIP_WORDS
    )
    if not skipped:
        try:
            _comment(turn, _booking(turn), understood.text)
        except BooklineError:
            pass  # commented already, or an empty message: nothing to keep
    turn.conversation.reset()
    return [turn.say("feedback_thanks")]


def keep_comment(turn: Turn) -> list[Reply]:
    """While a person has a guest who rated low, the bot says nothing; the guest's first
    words after the score are kept as the comment (staff read them in the inbox too)."""
    conversation = turn.conversation
    if conversation.action == COMMENT and turn.understood.text:
        conversation.action = None
        try:
            _comment(turn, _booking(turn), turn.understood.text)
        except BooklineError:
            pass  # commented already
    return []


def _booking(turn: Turn) -> Booking:
    return get_booking(turn.session, reference=turn.conversation.booking_ref or "")


def _comment(turn: Turn, booking: Booking, text: str) -> None:
    add_comment(turn.session, booking=booking, comment=text, actor=turn.actor, now=turn.now)
