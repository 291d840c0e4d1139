"""The payment step of a hold: the booking waits for the guest's payment."""

from __future__ import annotations

from bot.conversation import State
from bot.format import format_time
from bot.messages import Reply
from bot.turn import Turn
from engine.bookings.models import Booking
from engine.bookings.service import mark_pending_payment


def request_payment(turn: Turn, booking: Booking) -> list[Reply]:
    """Move the hold to PENDING_PAYMENT and tell the guest what is due and until when."""
    mark_pending_payment(turn.session, booking=booking, actor=turn.actor, now=turn.now)
    turn.conversation.reset()
    turn.conversation.state = State.AWAITING_PAYMENT
    turn.conversation.booking_ref = booking.reference
    assert booking.hold_expires_at is not None
    until = format_time(booking.hold_expires_at.astimezone(turn.venue.tz))
    return [
        turn.say(
            "held_payment",
            summary=turn.describe(booking),
            amount=turn.money(booking.amount),
            until=until,
        )
    ]
