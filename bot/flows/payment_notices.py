"""What the guest is told when payment news arrives: the link, a confirmation, a refund…

Each function answers one piece of news on a Turn opened by ``application.notices.guest_turn``
and may move the conversation on: a payment that came too late to keep the booking is refunded and
the guest is shown what is free instead, ready to pick as in any search.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.conversation import BookingRequest, State
from bot.flows.booking import search
from bot.flows.crosssell import offer_next_door
from bot.format import format_time
from bot.messages import Reply, above
from bot.turn import Turn
from engine.bookings.enums import HOLDING_STATUSES
from engine.bookings.models import Booking
from engine.payments.service import STRANDED
from engine.payments.settlement import Outcome, OutcomeKind


def _until(turn: Turn, booking: Booking) -> str:
    assert booking.hold_expires_at is not None
    return format_time(booking.hold_expires_at.astimezone(turn.venue.tz))


def link_delayed(turn: Turn, booking: Booking) -> list[Reply]:
    """The provider is slow: the hold is kept and the link will follow."""
    return [turn.say("payment_link_delayed", reference=booking.reference)]


def link_failed(turn: Turn, booking: Booking) -> list[Reply]:
    """No link could be made; staff will get in touch."""
    return [turn.say("payment_link_failed", reference=booking.reference)]


def hold_expired(turn: Turn, booking: Booking) -> list[Reply]:
    """The hold ran out unpaid (its link no longer works)."""
    _leave_payment(turn, booking)
    return [turn.say("hold_expired", reference=booking.reference)]


def _leave_payment(turn: Turn, booking: Booking) -> None:
    """Stop waiting for this booking's payment in the conversation."""
    conversation = turn.conversation
    if (
        conversation.state == State.AWAITING_PAYMENT
        and conversation.booking_ref == booking.reference
    ):
        conversation.reset()


def _confirmed(turn: Turn, outcome: Outcome) -> list[Reply]:
    assert outcome.booking is not None and outcome.payment is not None
    _leave_payment(turn, outcome.booking)
    confirmed = turn.say(
        "payment_confirmed",
        amount=turn.money(outcome.payment.amount),
        booking=turn.describe(outcome.booking),
    )
    next_door = offer_next_door(turn, outcome.booking)  # in the same message, when made
    return above(confirmed.text, next_door) if next_door else [confirmed]


def _refunded(turn: Turn, outcome: Outcome) -> list[Reply]:
    """Money that could not be kept goes back; a guest who lost the place sees alternatives,
    a guest whose payment never matched is only told the money is on its way back."""
    booking, payment = outcome.booking, outcome.payment
    assert booking is not None and payment is not None and outcome.refund is not None
    amount = turn.money(payment.amount)
    if outcome.refund.cause == "duplicate-payment":
        return [turn.say("payment_duplicate", amount=amount, reference=booking.reference)]
    _leave_payment(turn, booking)
    if outcome.refund.cause == STRANDED:  # it never matched: nothing to offer in its place
        returned = turn.money(outcome.refund.amount)
        return [turn.say("payment_returned", amount=returned, reference=booking.reference)]
    news = turn.say("payment_refunded_late", amount=amount, reference=booking.reference)
    return [news, *_alternatives(turn, booking)]


def _alternatives(turn: Turn, booking: Booking) -> list[Reply]:
    """Search again for what the booking was, so the guest can pick something free."""
    conversation = turn.conversation
    conversation.reset()
    if booking.starts_at is not None:
        local = booking.starts_at.astimezone(turn.venue.tz)
        at = local.time().replace(second=0, microsecond=0)
        conversation.request = BookingRequest(day=local.date(), time=at, party=booking.party_size)
    else:
        assert booking.check_in is not None and booking.check_out is not None
        conversation.request = BookingRequest(
            check_in=booking.check_in, check_out=booking.check_out, party=booking.party_size
        )
    return search(turn)


def _flagged(turn: Turn, outcome: Outcome) -> list[Reply]:
    assert outcome.booking is not None
    return [turn.say("payment_review", reference=outcome.booking.reference)]


def _failed(turn: Turn, outcome: Outcome) -> list[Reply]:
    """The attempt failed: the hold stays, and the same link can be tried again."""
    booking, link = outcome.booking, outcome.link
    assert booking is not None and link is not None
    if booking.status not in HOLDING_STATUSES:
        return []
    return [
        turn.say(
            "payment_failed",
            reference=booking.reference,
            until=_until(turn, booking),
            url=link.short_url,
        )
    ]


def _refund_processed(turn: Turn, outcome: Outcome) -> list[Reply]:
    assert outcome.refund is not None and outcome.booking is not None
    amount = turn.money(outcome.refund.amount)
    return [turn.say("refund_processed", amount=amount, reference=outcome.booking.reference)]


def _refund_failed(turn: Turn, outcome: Outcome) -> list[Reply]:
    assert outcome.refund is not None and outcome.booking is not None
    amount = turn.money(outcome.refund.amount)
    return [turn.say("refund_failed", amount=amount, reference=outcome.booking.reference)]


NEWS: dict[OutcomeKind, Callable[[Turn, Outcome], list[Reply]]] = {
    OutcomeKind.CONFIRMED: _confirmed,
    OutcomeKind.REFUNDED: _refunded,
    OutcomeKind.FLAGGED: _flagged,
    OutcomeKind.PAYMENT_FAILED: _failed,
    OutcomeKind.REFUND_PROCESSED: _refund_processed,
    OutcomeKind.REFUND_FAILED: _refund_failed,
}


def payment_news(turn: Turn, outcome: Outcome) -> list[Reply]:
    """What to tell the guest about an applied payment event (nothing for most repeats)."""
    handler = NEWS.get(outcome.kind)
    return handler(turn, outcome) if handler is not None else []
