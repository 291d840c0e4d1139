"""Waitlist in chat: join when something is full; when it frees up the guest holds it first
and is asked to confirm.
"""

from __future__ import annotations

from dataclasses import dataclass

from redis.client import Pipeline

from bot.choices import conversation_key, remember_options
from bot.conversation import Conversation, State
from bot.flows.booking import stay_request, table_request
from bot.flows.offers import offer_line
from bot.flows.payment import request_payment
from bot.format import format_time
from bot.messages import Reply, above
from bot.turn import Turn
from engine.availability.offers import Offer
from engine.availability.requests import StayRequest, TableRequest
from engine.bookings.enums import CancelledBy
from engine.bookings.models import Booking
from engine.bookings.service import cancel, confirm, get_booking
from engine.exceptions import BooklineError
from engine.tenants.enums import VenueKind
from engine.tenants.models import Venue
from engine.waitlist.service import WaitlistOffer, join_waitlist


def join(turn: Turn) -> list[Reply]:
    """Put the request being built on the waitlist."""
    request: StayRequest | TableRequest = (
        stay_request(turn) if turn.venue.kind == VenueKind.HOTEL else table_request(turn)
    )
    join_waitlist(
        turn.session,
        venue=turn.venue,
        guest=turn.guest,
        channel=turn.channel.value,
        request=request,
    )
    turn.conversation.reset()
    return [turn.say("waitlisted")]


@dataclass(frozen=True)
class WaitlistNews:
    """A freed hold offered to a waitlisted guest: the message, and the answer to expect.

    The worker queues ``reply`` in its transaction, and applies ``expect_answer`` to the
    guest's conversation only after it commits, under the conversation lock
    (``ConversationStore.update``): a turn in flight would otherwise overwrite it.
    """

    conversation: str
    reply: Reply
    booking_ref: str
    offer: Offer

    def expect_answer(self, conversation: Conversation, pipeline: Pipeline) -> None:
        """Wait for the guest's yes or no to the offered hold."""
        conversation.reset()
        conversation.move_to(State.WAITLIST_OFFERED)
        conversation.booking_ref = self.booking_ref
        conversation.offers = [self.offer]
        remember_options(pipeline, self.conversation, self.reply.options)


def offer_news(turn: Turn, found: WaitlistOffer) -> WaitlistNews:
    """Tell the guest what is held for them, in their language; yes or no to answer.

    The offer is spelled out (the table's day, time and party; the room, stay, guests and
    price), as every offer the bot asks a yes to is: the guest joined the waitlist hours or
    days ago and may not remember what it was for. A deposit the guest owes only because of
    past no-shows is explained first, as in the booking flow.
    """
    booking = found.booking
    assert booking.hold_expires_at is not None
    until = format_time(booking.hold_expires_at.astimezone(turn.venue.tz))
    reply = turn.say(
        "waitlist_offer",
        turn.yes_no(),
        offer=offer_line(turn, found.offer),
        booking=booking.reference,
        until=until,
    )
    if _owed_for_no_shows(turn.venue, booking):
        (reply,) = above(turn.text("no_show_deposit", amount=turn.money(booking.amount)), [reply])
    return WaitlistNews(
        conversation_key(turn.venue.id, turn.channel, turn.guest.phone),
        reply,
        booking.reference,
        found.offer,
    )


def _owed_for_no_shows(venue: Venue, booking: Booking) -> bool:
    """True when the held table asks for a deposit the party alone would not owe: the
    venue's rule after the guest's no-shows made the hold."""
    is_table = booking.starts_at is not None
    return is_table and booking.amount > 0 and not venue.deposit_for(booking.party_size)


def accept(turn: Turn) -> list[Reply]:
    """Yes to a waitlist hold: confirm it, or ask for payment when something is due."""
    booking = get_booking(turn.session, reference=turn.conversation.booking_ref or "")
    if booking.amount > 0:
        return request_payment(turn, booking)
    try:
        confirm(turn.session, booking=booking, actor=turn.actor, now=turn.now)
    except BooklineError as exc:
        turn.conversation.reset()
        return [turn.say("request_problem", detail=exc.message)]
    turn.conversation.reset()
    return [turn.say("confirmed", offer=turn.describe(booking), reference=booking.reference)]


def decline(turn: Turn) -> list[Reply]:
    """No thanks: release the hold for the next guest."""
    booking = get_booking(turn.session, reference=turn.conversation.booking_ref or "")
    cancel(
        turn.session,
        booking=booking,
        by=CancelledBy.GUEST,
        actor=turn.actor,
        reason="declined the waitlist offer",
        now=turn.now,
    )
    turn.conversation.reset()
    return [turn.say("released")]
