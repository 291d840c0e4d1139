"""The dialogue state machine: a table of states × intents → handler, and the Dialogue that
runs one turn (load state, understand, dispatch, save state).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from redis import Redis
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.choices import conversation_key
from bot.conversation import Conversation, ConversationStore, State
from bot.flows import booking, general, manage, waitlist
from bot.flows.offers import load_offer
from bot.messages import InboundMessage, Reply
from bot.nlu.classifier import load_classifier
from bot.nlu.intents import Intent
from bot.nlu.slots import warm_up as warm_up_slots
from bot.turn import Turn
from bot.understanding import understand
from engine.bookings.service import guest_bookings
from engine.guests.models import Guest
from engine.inventory.models import RoomType
from engine.tenants.models import Venue

Handler = Callable[[Turn], list[Reply]]


def _start_cancel(turn: Turn) -> list[Reply]:
    return manage.start(turn, "cancel")


def _start_change(turn: Turn) -> list[Reply]:
    return manage.start(turn, "change")


def _declined(turn: Turn) -> list[Reply]:
    turn.conversation.state = State.COLLECTING
    return [turn.say("declined")]


def _idle_unknown(turn: Turn) -> list[Reply]:
    """Not understood with no flow running; after lost state, say so and show what exists."""
    if turn.conversation.new_conversation and turn.understood.intent != Intent.UNKNOWN:
        bookings = guest_bookings(turn.session, venue_id=turn.venue.id, guest_id=turn.guest.id)
        lines = "\n".join(turn.describe(b) for b in bookings)
        key = "restart_with_bookings" if bookings else "restart"
        return [turn.say(key, general.menu_options(turn), bookings=lines)]
    return general.not_understood(turn, "prompt_idle")


def _confirming_other(turn: Turn) -> list[Reply]:
    if not turn.guest.name and booking.looks_like_name(turn.understood.text):
        return booking.take_name(turn)
    return general.not_understood(turn, "prompt_yes_no")


def _choosing_yes(turn: Turn) -> list[Reply]:
    if len(turn.conversation.offers) == 1:
        return booking.propose(turn, 0)
    return general.not_understood(turn, "prompt_pick")


def _payment_reminder(turn: Turn) -> list[Reply]:
    return [turn.say("payment_pending", reference=turn.conversation.booking_ref or "")]


def _cancel_pending(turn: Turn) -> list[Reply]:
    turn.understood = turn.understood.__class__(
        **{
            **turn.understood.__dict__,
            "slots": turn.understood.slots.__class__(reference=turn.conversation.booking_ref),
        }
    )
    return manage.start(turn, "cancel")


TABLE: dict[State, dict[Intent, Handler]] = {
    State.IDLE: {
        Intent.BOOK: booking.book,
        Intent.CHECK: manage.check,
        Intent.CANCEL: _start_cancel,
        Intent.CHANGE: _start_change,
        Intent.GREET: general.greet,
        Intent.THANKS: general.thanks,
    },
    State.COLLECTING: {
        Intent.BOOK: booking.book,
        Intent.CHECK: manage.check,
        Intent.CANCEL: general.abandon,
        Intent.NO: general.abandon,
        Intent.THANKS: general.thanks,
    },
    State.CHOOSING_OFFER: {
        Intent.CHOOSE: booking.choose,
        Intent.BOOK: booking.book,
        Intent.YES: _choosing_yes,
        Intent.NO: general.abandon,
        Intent.CANCEL: general.abandon,
    },
    State.CONFIRMING: {
        Intent.YES: booking.accept,
        Intent.NO: _declined,
        Intent.CHOOSE: booking.choose,
        Intent.BOOK: booking.book,
        Intent.CANCEL: general.abandon,
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
        Intent.CANCEL: general.abandon,
    },
    State.CONFIRMING_CANCEL: {
        Intent.YES: manage.confirm_cancel,
        Intent.CANCEL: manage.confirm_cancel,
        Intent.NO: manage.keep,
    },
    State.WAITLIST_OFFERED: {
        Intent.YES: waitlist.accept,
        Intent.NO: waitlist.decline,
        Intent.CANCEL: waitlist.decline,
    },
    State.CHANGING: {
        Intent.NO: general.abandon,
        Intent.CANCEL: general.abandon,
    },
}

#: What a message that fits no row does, per state (details in the message go to ``book``).
FALLBACK: dict[State, Handler] = {
    State.IDLE: _idle_unknown,
    State.COLLECTING: lambda turn: general.not_understood(turn, "prompt_details"),
    State.CHOOSING_OFFER: lambda turn: general.not_understood(turn, "prompt_pick"),
    State.CONFIRMING: _confirming_other,
    State.ASKING_NAME: booking.take_name,
    State.AWAITING_PAYMENT: _payment_reminder,
    State.CHOOSING_BOOKING: lambda turn: general.not_understood(turn, "prompt_pick"),
    State.CONFIRMING_CANCEL: lambda turn: general.not_understood(turn, "prompt_yes_no"),
    State.CHANGING: manage.change_details,
    State.WAITLIST_OFFERED: lambda turn: general.not_understood(turn, "prompt_yes_no"),
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
}
#: In these states the message's booking details update the request (changes of mind).
DETAIL_STATES = (State.IDLE, State.COLLECTING, State.CHOOSING_OFFER, State.CONFIRMING)


def dispatch(turn: Turn) -> list[Reply]:
    """Pick and run the handler for this state and message."""
    state, understood = turn.conversation.state, turn.understood
    if state == State.HANDOFF:
        if understood.hand_back or general.handoff_over(turn):
            return general.hand_back(turn)
        return []
    if understood.choice in MENU:
        return MENU[understood.choice](turn)
    if understood.intent in ANYWHERE:
        return ANYWHERE[understood.intent](turn)
    if understood.hand_back:
        return general.greet(turn)
    handler = TABLE.get(state, {}).get(understood.intent)
    if handler is None and state in DETAIL_STATES and understood.has_booking_details:
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
        room_types = list(
            session.scalars(select(RoomType.name).where(RoomType.venue_id == venue.id))
        )
        understood = understand(
            message,
            conversation,
            timezone=venue.timezone,
            venue_kind=venue.kind,
            room_types=room_types,
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


def _options_on_screen(
    conversation: Conversation, venue: Venue, now: datetime
) -> list[tuple[str, str]]:
    """(id, title) of the offers the guest is looking at, for "the deluxe one"."""
    if conversation.state not in (State.CHOOSING_OFFER, State.CONFIRMING):
        return []
    titles = []
    for index, data in enumerate(conversation.offers):
        offer = load_offer(data)
        title = getattr(offer, "room_type_name", None) or (
            f"{offer.local_start:%H:%M}" if hasattr(offer, "local_start") else ""
        )
        titles.append((f"offer:{index}", str(title)))
    return titles


def warm_up() -> None:
    """Load the intent model and prime dateparser so the first guest does not wait."""
    load_classifier()
    warm_up_slots()
