"""The dialogue state machine: a table of states × intents → handler, and the Dialogue that
runs one turn (load state, understand, dispatch, save state).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta

from redis import Redis
from sqlalchemy.orm import Session

from bot.choices import conversation_key
from bot.conversation import IDLE_TTL_SECONDS, Conversation, ConversationStore, State
from bot.flows import (
    booking,
    crosssell,
    feedback,
    general,
    manage,
    payment,
    questions,
    readings,
    reminders,
    waitlist,
)
from bot.messages import InboundMessage, Reply
from bot.nlu.classifier import load_classifier
from bot.nlu.intents import Intent
from bot.nlu.slots import Slots
from bot.nlu.slots import warm_up as warm_up_slots
from bot.turn import Turn
from bot.understanding import Understanding, understand
from engine.availability.offers import Offer, RoomOffer, RoomsOffer
from engine.bookings.service import guest_bookings
from engine.guests.models import Guest
from engine.inventory.service import room_type_names
from engine.messaging.service import last_text_before
from engine.tenants.enums import VenueKind
from engine.tenants.models import Venue

Handler = Callable[[Turn], list[Reply]]


def _start_cancel(turn: Turn) -> list[Reply]:
    return manage.start(turn, "cancel")


def _start_change(turn: Turn) -> list[Reply]:
    return manage.start(turn, "change")


def _declined(turn: Turn) -> list[Reply]:
    if turn.conversation.usual:
        return booking.decline_usual(turn)
    turn.conversation.move_to(State.COLLECTING)
    return [turn.say("declined")]


def _restart(turn: Turn) -> list[Reply]:
    """Say the thread was lost and show what the engine still holds for the guest."""
    turn.conversation.reset()
    bookings = guest_bookings(turn.session, venue_id=turn.venue.id, guest_id=turn.guest.id)
    lines = "\n".join(turn.describe(b) for b in bookings)
    key = "restart_with_bookings" if bookings else "restart"
    return [turn.say(key, general.menu_options(turn), bookings=lines)]


def _idle_unknown(turn: Turn) -> list[Reply]:
    """Not understood with no flow running; after lost state, say so and show what exists."""
    if turn.conversation.new_conversation and turn.understood.intent != Intent.UNKNOWN:
        return _restart(turn)
    return general.not_understood(turn, f"prompt_idle_{turn.venue.kind.value}")


def _idle_yes(turn: Turn) -> list[Reply]:
    """ "ok" with nothing running (after "anything else?"): offer the menu."""
    if turn.conversation.new_conversation:
        return _restart(turn)
    return [turn.say("what_next", general.menu_options(turn))]


def _idle_no(turn: Turn) -> list[Reply]:
    """ "no thanks" with nothing running: the guest is done, say goodbye."""
    if turn.conversation.new_conversation:
        return _restart(turn)
    return [turn.say("goodbye", venue=turn.venue.name)]


def _idle_opt_out(turn: Turn) -> list[Reply]:
    """ "stop sending me messages" in words: say how to opt out, do not guess it."""
    return [turn.say("how_to_stop")]


def _collecting_other(turn: Turn) -> list[Reply]:
    """Not a detail we asked for: ask again, for what this kind of venue needs."""
    return general.not_understood(turn, f"prompt_details_{turn.venue.kind.value}")


def _confirming_other(turn: Turn) -> list[Reply]:
    """Neither yes nor no to the offer: ask again (for the name, when that is awaited)."""
    prompt = "prompt_yes_no" if turn.guest.name else None
    return general.not_understood(turn, prompt, booking.repeat_proposal)


def _name_or_again(turn: Turn) -> list[Reply]:
    """A name books; anything else asks for the name again with the offer it books, so the
    name that follows answers an offer the guest can see."""
    if turn.understood.slots.name or booking.is_name(turn):
        return booking.take_name(turn)
    return general.not_understood(turn, None, booking.ask_name_again)


def _choosing_yes(turn: Turn) -> list[Reply]:
    if len(turn.conversation.offers) == 1:
        return booking.propose(turn, 0)
    return general.not_understood(turn, "prompt_pick")


def _choosing_booking_cancel(turn: Turn) -> list[Reply]:
    """ "cancel BK-7F3K2Q" picks that booking; a bare "cancel" re-asks which one, or, while
    choosing what to change, stops without touching any booking.
    """
    if turn.understood.slots.reference or turn.conversation.action == "cancel":
        return manage.choose_booking(turn)
    return manage.keep(turn)


def _cancel_said(turn: Turn) -> list[Reply]:
    """ "Cancel it" answers "Cancel BK-…?" with a yes; a message the bot only half knows
    ("Late Canceller") is no answer, and the question is put again."""
    if booking.known_words(turn.understood.text):
        return manage.confirm_cancel(turn)
    return general.not_understood(turn, "prompt_yes_no", manage.repeat_cancel)


def _payment_reminder(turn: Turn) -> list[Reply]:
    return [turn.say("payment_pending", reference=turn.conversation.booking_ref or "")]


def _afresh(turn: Turn) -> list[Reply]:
    """Forget the question the guest did not answer and serve the message as if it had never
    been asked ("How was your meal?" — "Table for 2 tomorrow at 8")."""
    turn.conversation.reset()
    return dispatch(turn)


def _no_rating(turn: Turn) -> list[Reply]:
    """Not a score: a message that says nothing else gets the question once more; any other
    is served as usual."""
    if turn.understood.intent == Intent.UNKNOWN and not turn.conversation.misunderstandings:
        return general.not_understood(turn, None, feedback.ask_again)
    return _afresh(turn)


def _cancel_pending(turn: Turn) -> list[Reply]:
    """ "Cancel" while a hold awaits payment means that hold, whatever else was said."""
    slots = Slots(reference=turn.conversation.booking_ref)
    turn.understood = replace(turn.understood, slots=slots)
    return manage.start(turn, "cancel")


TABLE: dict[State, dict[Intent, Handler]] = {
    State.IDLE: {
        Intent.BOOK: booking.book,
        Intent.CHECK: manage.check,
        Intent.CANCEL: _start_cancel,
        Intent.CHANGE: _start_change,
        Intent.GREET: general.greet,
        Intent.THANKS: general.thanks,
        Intent.YES: _idle_yes,
        Intent.NO: _idle_no,
        Intent.OPT_OUT: _idle_opt_out,
    },
    State.COLLECTING: {
        Intent.BOOK: booking.book,
        Intent.CHECK: manage.check,
        Intent.CANCEL: general.abandon,
        Intent.NO: general.abandon,
        Intent.OPT_OUT: general.abandon,
        Intent.THANKS: general.thanks,
    },
    State.CHOOSING_OFFER: {
        Intent.CHOOSE: booking.choose,
        Intent.BOOK: booking.book,
        Intent.YES: _choosing_yes,
        Intent.NO: general.abandon,
        Intent.CANCEL: general.abandon,
        Intent.OPT_OUT: general.abandon,
    },
    State.CONFIRMING: {
        Intent.YES: booking.accept,
        Intent.NO: _declined,
        Intent.CHOOSE: booking.choose,
        Intent.BOOK: booking.book,
        Intent.CANCEL: general.abandon,
        Intent.OPT_OUT: general.abandon,
    },
    State.ASKING_NAME: {
        Intent.NO: general.abandon,
        Intent.CANCEL: general.abandon,
        Intent.OPT_OUT: general.abandon,
    },
    State.AWAITING_PAYMENT: {
        Intent.CHECK: manage.check,
        Intent.CANCEL: _cancel_pending,
        Intent.BOOK: booking.book,
        Intent.CHANGE: _start_change,
    },
    State.CHOOSING_BOOKING: {
        Intent.CHOOSE: manage.choose_booking,
        Intent.NO: manage.keep,
        Intent.CANCEL: _choosing_booking_cancel,
        Intent.OPT_OUT: manage.keep,
    },
    State.CONFIRMING_CANCEL: {
        Intent.YES: manage.confirm_cancel,
        Intent.CANCEL: _cancel_said,
        Intent.NO: manage.keep,
        Intent.OPT_OUT: manage.keep,
    },
    State.WAITLIST_OFFERED: {
        Intent.YES: waitlist.accept,
        Intent.NO: waitlist.decline,
        Intent.CANCEL: waitlist.decline,
    },
    State.CHANGING: {
        Intent.NO: manage.keep,
        Intent.CANCEL: manage.keep,
        Intent.OPT_OUT: manage.keep,
    },
    State.CONFIRMING_CHANGE: {
        Intent.YES: manage.confirm_change,
        Intent.NO: manage.keep,
        Intent.CANCEL: manage.keep,
        Intent.OPT_OUT: manage.keep,
    },
    State.CROSS_SELL_OFFERED: {
        Intent.YES: crosssell.accept,
        Intent.NO: crosssell.decline,
    },
    State.REMINDED: {
        Intent.YES: reminders.confirm,
        Intent.CHANGE: reminders.change,
        Intent.CANCEL: reminders.cancel,
        Intent.BOOK: booking.book,
        Intent.THANKS: general.thanks,
    },
}

#: What a message that fits no row does, per state (details in the message go to ``book``).
FALLBACK: dict[State, Handler] = {
    State.IDLE: _idle_unknown,
    State.COLLECTING: _collecting_other,
    State.CHOOSING_OFFER: lambda turn: general.not_understood(turn, "prompt_pick"),
    State.CONFIRMING: _confirming_other,
    State.ASKING_NAME: _name_or_again,
    State.AWAITING_PAYMENT: _payment_reminder,
    State.CHOOSING_BOOKING: lambda turn: general.not_understood(turn, "prompt_pick"),
    State.CONFIRMING_CANCEL: lambda turn: general.not_understood(
        turn, "prompt_yes_no", manage.repeat_cancel
    ),
    State.CHANGING: manage.change_details,
    State.CONFIRMING_CHANGE: manage.revise_change,
    State.WAITLIST_OFFERED: lambda turn: general.not_understood(turn, "prompt_yes_no"),
    State.REMINDED: reminders.ask_again,
    State.RATING: _no_rating,
    State.COMMENTING: _afresh,
    State.CROSS_SELL_OFFERED: _afresh,
}
#: Menu buttons work in any state.
MENU: dict[str, Handler] = {
    "menu:book": lambda turn: [turn.say(f"ask_start_booking_{turn.venue.kind.value}")],
    "menu:check": manage.check,
    "menu:agent": general.hand_off,
    booking.JOIN_WAITLIST: waitlist.join,
}
#: Intents that mean the same in every state.
ANYWHERE: dict[Intent, Handler] = {
    Intent.HELP: general.help_menu,
    Intent.AGENT: general.hand_off,
    Intent.CHECK: manage.check,
    Intent.PAY: payment.payment_question,
}
#: Where a bare number that picked no option on screen answers nothing asked: the question
#: is put again (see ``general.number_unclear``).
ASK_AGAIN: dict[State, Handler] = {
    State.CHOOSING_OFFER: booking.repeat_offers,
    State.CONFIRMING: booking.repeat_proposal,
    State.ASKING_NAME: booking.ask_name_again,
    State.CHANGING: manage.ask_change,
    State.CONFIRMING_CHANGE: manage.repeat_change,
    State.REMINDED: reminders.repeat,
}


def _ask_missing(turn: Turn) -> list[Reply]:
    """What the request being built still needs, asked again."""
    needed = booking.missing_details(turn)
    return [turn.say("ask_" + "_".join(needed))] if needed else []


#: After answering a question about the venue, the step the guest was at, put again
#: (``bot.flows.questions``); states not named here need nothing put again.
RESUME: dict[State, Handler] = {
    **ASK_AGAIN,
    State.COLLECTING: _ask_missing,
    State.AWAITING_PAYMENT: _payment_reminder,
    State.CONFIRMING_CANCEL: manage.repeat_cancel,
    State.RATING: feedback.ask_again,
}
#: A typed yes that also names a time to a reminder confirms it when that is the booked time,
#: and is a change shown before and after when it is not (requests in progress: ``CORRECT``).
REVISE: dict[State, Handler] = {
    State.REMINDED: reminders.confirm_as_said,
}
#: "Which day: today or next week?" answered, per state.
DAY_TAKEN: dict[State, Callable[[Turn, date], list[Reply]]] = {
    State.COLLECTING: booking.take_day,
    State.CHANGING: manage.take_day,
}
#: In these states the message's booking details update the request (changes of mind).
DETAIL_STATES = (
    State.IDLE,
    State.COLLECTING,
    State.CHOOSING_OFFER,
    State.CONFIRMING,
    State.ASKING_NAME,
)
#: Where a request is in progress, a message that carries details corrects it, whatever else
#: the classifier reads in it ("4 people, 6 December, 1pm" is no request to list bookings).
#: A typed yes with details ("yes, but at 9pm") too revises what is on screen, never confirms
#: it: what is booked or changed is only ever what the guest saw and then said yes to.
CORRECT: dict[State, Handler] = {
    State.COLLECTING: booking.book,
    State.CHOOSING_OFFER: booking.book,
    State.CONFIRMING: booking.book,
    State.ASKING_NAME: booking.book,
    State.CHANGING: manage.change_details,
    State.CONFIRMING_CHANGE: manage.revise_change,
}
#: Intents that still win over the details a message carries: stopping, or a person.
NOT_CORRECTIONS = (Intent.CANCEL, Intent.OPT_OUT, Intent.AGENT)


def _awaits_name(turn: Turn) -> bool:
    """True when the bot's last question was (also) the guest's name."""
    state = turn.conversation.state
    return state == State.ASKING_NAME or (state == State.CONFIRMING and not turn.guest.name)


def _stands_alone(turn: Turn) -> bool:
    """Whether a message makes sense without the conversation the bot forgot.

    A new question does ("cancel my booking", "I'd like to book a table") and so does a
    complete booking request; an answer to a question the guest can no longer see ("yes",
    "2", "the suite", "8pm", a name) does not, and neither does a change of a booking
    ("make it Saturday" may have been about the request being built, not the booking held).
    """
    understood = turn.understood
    if understood.intent == Intent.CANCEL:  # help, a person and "my bookings" work anywhere
        return True
    if understood.intent not in (Intent.BOOK, Intent.CHANGE) or understood.text.isdigit():
        return False
    if not understood.has_booking_details:
        return True
    if understood.intent == Intent.CHANGE:
        return False
    booking.merge_details(turn)
    return not booking.missing_details(turn)


def _bare_number(understood: Understanding) -> bool:
    """A message that is only a number ("1", "4.") and picked no option on screen."""
    return understood.choice is None and understood.text.strip().rstrip(".)").isdigit()


def _yes_with_details(understood: Understanding) -> bool:
    """A typed yes that also says a date, time, party or room (a tapped option carries none)."""
    return (
        understood.intent == Intent.YES
        and understood.choice is None
        and understood.has_booking_details
    )


def _corrects(turn: Turn) -> bool:
    """Whether the message corrects the request in progress: it carries details, picks no
    option (a tap carries none), and neither stops the flow nor asks for a person."""
    understood = turn.understood
    return (
        turn.conversation.state in CORRECT
        and understood.has_booking_details
        and understood.choice is None
        and understood.intent not in NOT_CORRECTIONS
    )


def _new_request(turn: Turn) -> bool:
    """A "change" with details from a guest with nothing to change is a request to book."""
    understood = turn.understood
    return (
        turn.conversation.state == State.IDLE
        and not turn.state_lost
        and understood.intent == Intent.CHANGE
        and understood.has_booking_details
        and understood.slots.reference is None
        and not guest_bookings(turn.session, venue_id=turn.venue.id, guest_id=turn.guest.id)
    )


def dispatch(turn: Turn) -> list[Reply]:
    """Pick and run the handler for this state and message."""
    state, understood = turn.conversation.state, turn.understood
    if state == State.HANDOFF:
        if understood.hand_back or general.handoff_over(turn):
            return general.hand_back(turn)
        return feedback.keep_comment(turn)
    if understood.choice in MENU:
        return MENU[understood.choice](turn)
    if reminders.is_answer(understood.choice):
        return reminders.answer(turn)
    if state == State.RATING and (rating := feedback.rating_said(turn)) is not None:
        return feedback.rated(turn, rating)  # first: the model reads "excelente" as "a person"
    if state == State.COMMENTING and not feedback.wants_something_else(turn):
        return feedback.commented(turn)
    if _awaits_name(turn) and booking.is_name(turn):
        return booking.take_name(turn)
    if state in ASK_AGAIN and _bare_number(understood):
        return general.number_unclear(turn, ASK_AGAIN[state])
    if (answered := questions.answer(turn, RESUME.get(state))) is not None:
        return answered
    understood = turn.understood  # as the question flow left it (see ``questions.answer``)
    day = booking.chosen_day(turn)
    if day is not None and state in DAY_TAKEN:
        return DAY_TAKEN[state](turn, day)
    if state == State.COLLECTING and (reading := readings.answered(turn)) is not None:
        return booking.take_reading(turn, reading)
    if _corrects(turn) or _new_request(turn):
        turn.conversation.misunderstandings = 0
        return (CORRECT.get(state) or booking.book)(turn)
    if understood.intent in ANYWHERE:
        return ANYWHERE[understood.intent](turn)
    if turn.state_lost and not _stands_alone(turn):
        return _restart(turn)
    if understood.hand_back:
        return general.greet(turn)
    handler = TABLE.get(state, {}).get(understood.intent)
    if state in REVISE and _yes_with_details(understood):
        handler = REVISE[state]
    elif state in DETAIL_STATES and understood.has_booking_details and handler is None:
        handler = booking.book
    result = (handler or FALLBACK[state])(turn)
    if handler is not None:
        turn.conversation.misunderstandings = 0
    return result


class ConversationDialogue:
    """The Redis-backed dialogue: implements ``bot.dialogue.Dialogue``."""

    def respond(
        self, session: Session, message: InboundMessage, *, venue: Venue, guest: Guest, redis: Redis
    ) -> list[Reply]:
        """Answer one message and remember where the conversation is."""
        key = conversation_key(venue.id, message.channel, guest.phone)
        store = ConversationStore(redis)
        conversation = store.load(key)
        turn = self._turn(session, message, venue, guest, redis, conversation)
        turn.state_lost = conversation.new_conversation and _recently_active(session, message)
        # Only the message right after a list answers it: any other reply clears the mark.
        turn.listed_whole, conversation.listed_whole = conversation.listed_whole, False
        switched = self._follow_language(turn)
        replies = [turn.say("language_set")] if switched else dispatch(turn)
        store.save(key, conversation)
        return replies

    def _turn(
        self,
        session: Session,
        message: InboundMessage,
        venue: Venue,
        guest: Guest,
        redis: Redis,
        conversation: Conversation,
    ) -> Turn:
        now = message.received_at
        understood = understand(
            message,
            conversation,
            timezone=venue.timezone,
            venue_kind=venue.kind,
            room_types=_room_type_names(session, venue),
            options=_options_on_screen(conversation, venue, now),
            now=now,
        )
        turn = Turn(session, redis, venue, guest, conversation, understood, message.channel, now)
        return turn

    def _follow_language(self, turn: Turn) -> bool:
        """Reply in the guest's language; True when the message only asked to switch it.

        A detected language sticks to the guest; short messages ("ok", "4") say too little to
        change it, so only messages of three words or more do.
        """
        understood = turn.understood
        chosen = understood.requested_language
        if (
            chosen is None
            and understood.language
            and (turn.guest.language is None or len(understood.text.split()) >= 3)
        ):
            turn.guest.language = understood.language
        if chosen is None:
            turn.conversation.language = turn.guest.language
            return False
        turn.guest.language = turn.conversation.language = chosen
        return True


def _room_type_names(session: Session, venue: Venue) -> list[str]:
    """The names "the deluxe one" may match; a restaurant has none, so it is not asked."""
    if venue.kind != VenueKind.HOTEL:
        return []
    return room_type_names(session, venue_id=venue.id)


def _recently_active(session: Session, message: InboundMessage) -> bool:
    """True when the guest wrote here within the state's lifetime: a missing state was lost.

    The state lives in Redis for ``IDLE_TTL_SECONDS`` after each message, so a conversation
    that is new although the guest wrote a text message more recently than that was forgotten
    (Redis flushed or failed over), not ended. Media and delivery receipts never create state.
    """
    previous = last_text_before(
        session,
        venue_id=message.venue_id,
        channel=message.channel,
        guest_phone=message.guest_phone,
        event_id=message.event_id,
    )
    window = timedelta(seconds=IDLE_TTL_SECONDS)
    return previous is not None and message.received_at - previous < window


def _options_on_screen(
    conversation: Conversation, venue: Venue, now: datetime
) -> list[tuple[str, str]]:
    """(id, title) of the offers the guest is looking at, for "the deluxe one"."""
    if conversation.state not in (State.CHOOSING_OFFER, State.CONFIRMING):
        return []
    return [
        (f"offer:{index}", _offer_title(offer)) for index, offer in enumerate(conversation.offers)
    ]


def _offer_title(offer: Offer) -> str:
    """What names an offer in words: its room type(s), or its time ("the 8pm one")."""
    if isinstance(offer, RoomsOffer):
        return ", ".join(room.room_type_name for room in offer.rooms)
    if isinstance(offer, RoomOffer):
        return offer.room_type_name
    return f"{offer.local_start:%H:%M}"


def warm_up() -> None:
    """Load the intent model and prime dateparser so the first guest does not wait."""
    load_classifier()
    warm_up_slots()
