"""Managing existing bookings by chat: check, cancel (with the policy refund quoted first) and
change (the engine keeps the old booking until the new inventory is held).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.conversation import State
from bot.messages import Option, Reply
from bot.turn import Turn
from engine.bookings.enums import CancelledBy
from engine.bookings.models import Booking
from engine.bookings.policies import paid_toward_price
from engine.bookings.service import cancel, get_booking, guest_bookings, quote_cancel
from engine.exceptions import BooklineError, NotAvailableError, NotFoundError
from engine.payments.changes import Change, PriceChangeError, PriceChangeReason, change_booking
from engine.payments.service import refund_cancellation
from engine.tenants.enums import VenueKind


def _own_bookings(turn: Turn) -> list[Booking]:
    return guest_bookings(turn.session, venue_id=turn.venue.id, guest_id=turn.guest.id)


def _find(turn: Turn, reference: str | None) -> Booking | None:
    """The guest's own booking with that reference at this venue (never someone else's)."""
    if reference is None:
        return None
    try:
        booking = get_booking(turn.session, reference=reference)
    except NotFoundError:
        return None
    mine = booking.guest_id == turn.guest.id and booking.venue_id == turn.venue.id
    return booking if mine else None


def check(turn: Turn) -> list[Reply]:
    """List the guest's live bookings at this venue."""
    bookings = _own_bookings(turn)
    turn.conversation.reset()
    if not bookings:
        return [turn.say("no_bookings")]
    lines = "\n".join(turn.describe(b) for b in bookings)
    return [turn.say("your_bookings", bookings=lines)]


def start(turn: Turn, action: str) -> list[Reply]:
    """Begin a cancel or change: pick the booking (asking only if there are several)."""
    conversation = turn.conversation
    conversation.action = action
    booking = _find(turn, turn.understood.slots.reference)
    bookings = [booking] if booking else _own_bookings(turn)
    if not bookings:
        conversation.reset()
        return [turn.say("no_bookings")]
    if len(bookings) == 1:
        return selected(turn, bookings[0])
    conversation.state = State.CHOOSING_BOOKING
    options = [
        Option(f"booking:{b.reference}", b.reference, turn.describe(b)[:72]) for b in bookings[:10]
    ]
    return [turn.say(f"which_booking_{action}", options)]


def choose_booking(turn: Turn) -> list[Reply]:
    """The guest picked one of their bookings."""
    choice = turn.understood.choice or ""
    reference = choice.removeprefix("booking:") if choice.startswith("booking:") else None
    booking = _find(turn, reference or turn.understood.slots.reference)
    if booking is None:
        return start(turn, turn.conversation.action or "cancel")
    return selected(turn, booking)


def selected(turn: Turn, booking: Booking) -> list[Reply]:
    """A booking is chosen: quote the cancellation, or ask what to change."""
    conversation = turn.conversation
    conversation.booking_ref = booking.reference
    if conversation.action == "change":
        conversation.state = State.CHANGING
        if turn.understood.has_booking_details:
            return change_details(turn)
        return [turn.say("ask_change", booking=turn.describe(booking))]
    quote = quote_cancel(turn.session, booking=booking, by=CancelledBy.GUEST, now=turn.now)
    conversation.state = State.CONFIRMING_CANCEL
    key = "confirm_cancel_refund" if paid_toward_price(booking) else "confirm_cancel"
    return [
        turn.say(
            key,
            turn.yes_no("button_yes_cancel", "button_no_keep"),
            booking=turn.describe(booking),
            refund=turn.money(quote.refund_amount),
            percent=quote.refund_percent,
        )
    ]


def confirm_cancel(turn: Turn) -> list[Reply]:
    """Yes: cancel the booking under the venue policy; what it refunds goes back via the outbox."""
    booking = _find(turn, turn.conversation.booking_ref)
    turn.conversation.reset()
    if booking is None:
        return [turn.say("no_bookings")]
    try:
        result = cancel(
            turn.session,
            booking=booking,
            by=CancelledBy.GUEST,
            actor=turn.actor,
            reason="cancelled by the guest in chat",
            now=turn.now,
        )
    except BooklineError as exc:
        return [turn.say("request_problem", detail=exc.message)]
    if result.quote.refund_amount:
        refund_cancellation(turn.session, cancellation=result, now=turn.now)
        return [
            turn.say(
                "cancelled_refund",
                reference=booking.reference,
                refund=turn.money(result.quote.refund_amount),
            )
        ]
    return [turn.say("cancelled", reference=booking.reference)]


def keep(turn: Turn) -> list[Reply]:
    """No: leave the booking as it is."""
    turn.conversation.reset()
    return [turn.say("kept")]


def change_details(turn: Turn) -> list[Reply]:
    """Apply the new date/time/party to the booking (old one kept if the new one is taken).

    A change that moves the price is settled by the engine: a smaller price refunds the
    difference per the venue's policy; one it cannot settle (a payment link out for the old
    price, or more to pay on a settled booking) leaves the booking as it was, and the guest
    may try another change, keep it, or ask for a person.
    """
    booking = _find(turn, turn.conversation.booking_ref)
    if booking is None:
        turn.conversation.reset()
        return [turn.say("no_bookings")]
    if not turn.understood.has_booking_details:
        return [turn.say("ask_change", booking=turn.describe(booking))]
    try:
        change = _change(turn, booking)
    except NotAvailableError:
        return [turn.say("change_unavailable", booking=turn.describe(booking))]
    except PriceChangeError as exc:
        return [_price_refused(turn, booking, exc)]
    except BooklineError as exc:
        return [turn.say("request_problem", detail=exc.message)]
    turn.conversation.reset()
    if change.refund_amount:
        refund = turn.money(change.refund_amount)
        return [turn.say("changed_refund", booking=turn.describe(booking), refund=refund)]
    return [turn.say("changed", booking=turn.describe(booking))]


def _price_refused(turn: Turn, booking: Booking, exc: PriceChangeError) -> Reply:
    """Why the change was not made, and what the guest can do instead."""
    described = turn.describe(booking)
    if exc.reason == PriceChangeReason.LINK_OUT:
        return turn.say(
            "change_link_out", booking=described, old=turn.money(exc.old), new=turn.money(exc.new)
        )
    person = [Option("menu:agent", turn.text("menu_agent"))]
    if exc.reason == PriceChangeReason.MORE_DUE:
        more = turn.money(exc.new - exc.paid)
        return turn.say("change_costs_more", person, booking=described, more=more)
    return turn.say("change_needs_person", person, booking=described)


def _change(turn: Turn, booking: Booking) -> Change:
    slots = turn.understood.slots
    if turn.venue.kind == VenueKind.HOTEL:
        assert booking.check_in is not None and booking.check_out is not None
        check_in = slots.check_in or slots.day or booking.check_in
        nights = slots.nights or (booking.check_out - booking.check_in).days
        check_out = slots.check_out or check_in + timedelta(days=nights)
        return change_booking(
            turn.session,
            booking=booking,
            actor=turn.actor,
            now=turn.now,
            check_in=check_in,
            check_out=check_out,
            party_size=slots.party_size,
        )
    assert booking.starts_at is not None
    local = booking.starts_at.astimezone(turn.venue.tz)
    day: date = slots.day or local.date()
    at = slots.time or local.time()
    starts_at = datetime.combine(day, at, tzinfo=turn.venue.tz).astimezone(UTC)
    return change_booking(
        turn.session,
        booking=booking,
        actor=turn.actor,
        now=turn.now,
        starts_at=starts_at,
        party_size=slots.party_size,
    )
