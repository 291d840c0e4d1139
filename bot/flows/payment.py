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
from engine.bookings.enums import BookingStatus
from engine.bookings.models import Booking
from engine.bookings.service import guest_bookings
from engine.payments.enums import LinkStatus
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
    turn.conversation.move_to(State.AWAITING_PAYMENT)
    turn.conversation.booking_ref = booking.reference
    link = link_for_booking(turn.session, booking_id=booking.id)
    return link_ready(turn, booking, link) if link is not None else []


def link_ready(turn: Turn, booking: Booking, link: PaymentLink) -> list[Reply]:
    """What is held, what is due, the link to pay it and until when the hold lasts."""
    return [
        turn.say(
            "held_payment",
            summary=turn.describe(booking),
            amount=turn.money(link.amount),
            url=link.short_url,
            until=_hold_end(turn, booking),
        )
    ]


def _hold_end(turn: Turn, booking: Booking) -> str:
    """When the hold lapses, on the venue's clock (a hold awaiting payment always ends)."""
    assert booking.hold_expires_at is not None
    return format_time(booking.hold_expires_at.astimezone(turn.venue.tz))


def payment_question(turn: Turn) -> list[Reply]:
    """ "How do I pay?": each hold awaiting payment with its link and end, or that none is due.

    The engine is asked, not the conversation: the guest may have moved on to another question
    (or the state expired) while the hold still waits for the money.
    """
    bookings = guest_bookings(turn.session, venue_id=turn.venue.id, guest_id=turn.guest.id)
    waiting = [b for b in bookings if b.status == BookingStatus.PENDING_PAYMENT]
    if not waiting:
        return [turn.say("no_payment_due")]
    return [reply for booking in waiting for reply in _how_to_pay(turn, booking)]


def _how_to_pay(turn: Turn, booking: Booking) -> list[Reply]:
    """The link again while it can be paid; until it exists, that it is on its way."""
    link = link_for_booking(turn.session, booking_id=booking.id)
    if link is not None and link.status in (LinkStatus.CREATED, LinkStatus.PARTIALLY_PAID):
        return link_ready(turn, booking, link)
    until = _hold_end(turn, booking)
    return [turn.say("payment_link_coming", reference=booking.reference, until=until)]
