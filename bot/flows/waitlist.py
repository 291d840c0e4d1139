"""Waitlist in chat: join when something is full; when it frees up the guest holds it first
and is asked to confirm.
"""

from __future__ import annotations

from datetime import datetime

from redis import Redis
from sqlalchemy.orm import Session

from bot.catalog import t
from bot.choices import conversation_key, remember_options
from bot.conversation import ConversationStore, State
from bot.flows.booking import stay_request, table_request
from bot.flows.offers import dump_offer
from bot.flows.payment import request_payment
from bot.format import format_time
from bot.messages import Option, Reply
from bot.turn import Turn
from engine.availability.requests import StayRequest, TableRequest
from engine.bookings.enums import CancelledBy
from engine.bookings.service import cancel, confirm, get_booking
from engine.exceptions import BooklineError
from engine.guests.models import Guest
from engine.messaging.enums import MessageChannel
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


def offer_message(
    session: Session, redis: Redis, found: WaitlistOffer, *, venue: Venue, now: datetime
) -> Reply:
    """Tell the guest what is held for them, and expect their yes/no in the conversation."""
    guest = session.get(Guest, found.booking.guest_id)
    assert guest is not None and found.booking.hold_expires_at is not None
    channel = MessageChannel(found.entry.channel)
    key = conversation_key(venue.id, channel, guest.phone)
    store = ConversationStore(redis)
    conversation = store.load(key)
    conversation.reset()
    conversation.state = State.WAITLIST_OFFERED
    conversation.booking_ref = found.booking.reference
    conversation.offers = [dump_offer(found.offer)]
    store.save(key, conversation)
    language = guest.language
    options = [Option("yes", t("button_yes", language)), Option("no", t("button_no", language))]
    remember_options(redis, key, options)
    until = format_time(found.booking.hold_expires_at.astimezone(venue.tz))
    return Reply(
        t("waitlist_offer", language, booking=found.booking.reference, until=until),
        options,
        language=language,
    )


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
