"""The payment step of a hold: screen it for abuse, then ask the guest to pay.

The link is created by an outbox action (``paylink:{booking}``) once this turn commits, and
that action sends the guest one message with everything: what is held, what is due, the link
and until when (``link_ready``). A message sent before the link exists could only say "a link
will follow", and costs the guest an extra SMS segment.
"""

from __future__ import annotations

from bot.conversation import State
from bot.format import format_time
from bot.messages import Reply
from bot.turn import Turn
from engine.bookings.models import Booking
from engine.payments.models import PaymentLink
from engine.payments.service import link_for_booking, request_link
from engine.risk.enums import RiskDecision
from engine.risk.service import assess_hold


def request_payment(turn: Turn, booking: Booking) -> list[Reply]:
    """Score the hold; if it passes, it waits for payment and the link goes out after the turn."""
    assessment = assess_hold(turn.session, booking=booking, now=turn.now)
    turn.conversation.reset()
    if assessment.decision == RiskDecision.DECLINE:
        return [turn.say("risk_declined", venue=turn.venue.name)]
    if assessment.decision == RiskDecision.REVIEW:
        return [turn.say("risk_review", reference=booking.reference)]
    request_link(turn.session, booking=booking, actor=turn.actor, now=turn.now)
    turn.conversation.state = State.AWAITING_PAYMENT
    turn.conversation.booking_ref = booking.reference
    link = link_for_booking(turn.session, booking_id=booking.id)
    return link_ready(turn, booking, link) if link is not None else []


def link_ready(turn: Turn, booking: Booking, link: PaymentLink) -> list[Reply]:
    """What is held, what is due, the link to pay it and until when the hold lasts."""
    assert booking.hold_expires_at is not None
    return [
        turn.say(
            "held_payment",
            summary=turn.describe(booking),
            amount=turn.money(link.amount),
            url=link.short_url,
            until=format_time(booking.hold_expires_at.astimezone(turn.venue.tz)),
        )
    ]
