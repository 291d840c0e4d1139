"""Managing existing bookings by chat: check, cancel (with the policy refund quoted first) and
change (the engine keeps the old booking until the new inventory is held).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from bot.conversation import BookingRequest, State
from bot.flows import general
from bot.flows.booking import merge_details, which_day
from bot.messages import Option, Reply
from bot.turn import Turn
from engine.bookings.enums import CancelledBy
from engine.bookings.models import Booking
from engine.bookings.policies import paid_toward_price
from engine.bookings.service import (
    Changes,
    cancel,
    get_booking,
    guest_bookings,
    quote_cancel,
)
from engine.exceptions import BooklineError, NotAvailableError, NotFoundError
from engine.payments.changes import PriceChangeError, PriceChangeReason, change_booking
from engine.payments.service import refund_cancellation
from engine.tenants.enums import VenueKind


def _own_bookings(turn: Turn) -> list[Booking]:
    return guest_bookings(turn.session, venue_id=turn.venue.id, guest_id=turn.guest.id)


def own_booking(turn: Turn, reference: str | None) -> Booking | None:
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
    booking = own_booking(turn, turn.understood.slots.reference)
    bookings = [booking] if booking else _own_bookings(turn)
    if not bookings:
        conversation.reset()
        return [turn.say("no_bookings")]
    if len(bookings) == 1:
        return selected(turn, bookings[0])
    conversation.move_to(State.CHOOSING_BOOKING)
    options = [
        Option(f"booking:{b.reference}", b.reference, turn.describe(b)[:72]) for b in bookings[:10]
    ]
    return [turn.say(f"which_booking_{action}", options)]


def choose_booking(turn: Turn) -> list[Reply]:
    """The guest picked one of their bookings."""
    choice = turn.understood.choice or ""
    reference = choice.removeprefix("booking:") if choice.startswith("booking:") else None
    booking = own_booking(turn, reference or turn.understood.slots.reference)
    if booking is None:
        return start(turn, turn.conversation.action or "cancel")
    return selected(turn, booking)


def selected(turn: Turn, booking: Booking) -> list[Reply]:
    """A booking is chosen: quote the cancellation, or ask what to change."""
    conversation = turn.conversation
    conversation.booking_ref = booking.reference
    if conversation.action == "change":
        conversation.move_to(State.CHANGING)
        conversation.request = BookingRequest()  # from here on, the change asked for
        if turn.understood.has_booking_details:
            return change_details(turn)
        return [turn.say("ask_change", booking=turn.describe(booking))]
    quote = quote_cancel(turn.session, booking=booking, by=CancelledBy.GUEST, now=turn.now)
    conversation.move_to(State.CONFIRMING_CANCEL)
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


def repeat_cancel(turn: Turn) -> list[Reply]:
    """The cancellation on the table (with its refund), put again."""
    return _with_booking(turn, selected)


def confirm_cancel(turn: Turn) -> list[Reply]:
    """Yes: cancel the booking under the venue policy; what it refunds goes back via the outbox."""
    booking = own_booking(turn, turn.conversation.booking_ref)
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


def _with_booking(turn: Turn, then: Callable[[Turn, Booking], list[Reply]]) -> list[Reply]:
    """Go on with the booking being managed, or say it is gone (cancelled elsewhere)."""
    booking = own_booking(turn, turn.conversation.booking_ref)
    if booking is None:
        turn.conversation.reset()
        return [turn.say("no_bookings")]
    return then(turn, booking)


def change_details(turn: Turn) -> list[Reply]:
    """Read the new date/time/party and put the change to the guest, before and after.

    Nothing moves until the guest says yes to the change as shown (``confirm_change``); a date
    that has passed is said so, and a weekday named on that day is asked about (today or a
    week later), never guessed.
    """
    return _with_booking(turn, _read_change)


def _read_change(turn: Turn, booking: Booking) -> list[Reply]:
    slots = turn.understood.slots
    turn.conversation.move_to(State.CHANGING)
    if slots.past_day is not None:
        return [turn.say("date_passed", day=turn.day(slots.past_day))]
    if not turn.understood.has_booking_details:
        return [_what_to_change(turn, booking)]
    merge_details(turn)
    if slots.today_or_next_week:
        return [which_day(turn)]
    return propose_change(turn, booking)


def take_day(turn: Turn, day: date) -> list[Reply]:
    """The guest said which day they meant (today or a week later): show the change."""
    request = turn.conversation.request
    if turn.venue.kind == VenueKind.HOTEL:
        request.check_in = day
    else:
        request.day = day
    return _with_booking(turn, propose_change)


def propose_change(turn: Turn, booking: Booking) -> list[Reply]:
    """ "Change BK-…? From: … To: …" with yes / no; the change waits for the yes."""
    turn.conversation.move_to(State.CONFIRMING_CHANGE)
    return [
        turn.say(
            "confirm_change",
            turn.yes_no("button_yes_change", "button_no_keep"),
            reference=booking.reference,
            before=turn.summary(booking),
            after=_after_summary(turn, booking),
        )
    ]


def repeat_change(turn: Turn) -> list[Reply]:
    """The change on the table, put again (after an answer that was neither yes nor no)."""
    return _with_booking(turn, propose_change)


def revise_change(turn: Turn) -> list[Reply]:
    """New details while a change is shown revise it; anything else asks for a yes or no."""
    if turn.understood.has_booking_details:
        return change_details(turn)
    return general.not_understood(turn, "prompt_yes_no", repeat_change)


def ask_change(turn: Turn) -> list[Reply]:
    """What to change, asked again."""
    return _with_booking(turn, lambda turn, booking: [_what_to_change(turn, booking)])


def _what_to_change(turn: Turn, booking: Booking) -> Reply:
    return turn.say("ask_change", booking=turn.describe(booking))


def confirm_change(turn: Turn) -> list[Reply]:
    """Yes to the change shown: make it (the old booking is kept if the new one is taken).

    A change that moves the price is settled by the engine: a smaller price refunds the
    difference per the venue's policy; one it cannot settle (a payment link out for the old
    price, or more to pay on a settled booking) leaves the booking as it was, and the guest
    may try another change, keep it, or ask for a person.
    """
    return _with_booking(turn, _make_change)


def _make_change(turn: Turn, booking: Booking) -> list[Reply]:
    values = _new_values(turn, booking)
    turn.conversation.move_to(State.CHANGING)
    turn.conversation.request = BookingRequest()
    try:
        change = change_booking(
            turn.session, booking=booking, actor=turn.actor, now=turn.now, **values
        )
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


def _new_values(turn: Turn, booking: Booking) -> Changes:
    """The booking as the change asked for would leave it (what is not said stays)."""
    request = turn.conversation.request
    if turn.venue.kind == VenueKind.HOTEL:
        assert booking.check_in is not None and booking.check_out is not None
        check_in = request.check_in or booking.check_in
        nights = request.nights or (booking.check_out - booking.check_in).days
        check_out = request.check_out or check_in + timedelta(days=nights)
        return Changes(check_in=check_in, check_out=check_out, party_size=request.party)
    assert booking.starts_at is not None
    local = booking.starts_at.astimezone(turn.venue.tz)
    day = request.day or local.date()
    at = request.time or local.time()
    starts_at = datetime.combine(day, at, tzinfo=turn.venue.tz).astimezone(UTC)
    return Changes(starts_at=starts_at, party_size=request.party)


def changes_nothing(turn: Turn, booking: Booking) -> bool:
    """True when the details in the message leave ``booking`` as it is ("we'll be there at
    8pm" said of a table at 20:00); the request being built is left empty either way."""
    turn.conversation.request = BookingRequest()
    merge_details(turn)
    unchanged = _after_summary(turn, booking) == turn.summary(booking)
    turn.conversation.request = BookingRequest()
    return unchanged


def _after_summary(turn: Turn, booking: Booking) -> str:
    """How the booking would read after the change."""
    values = _new_values(turn, booking)
    party = values.get("party_size") or booking.party_size
    starts_at, check_in, check_out = (
        values.get("starts_at"),
        values.get("check_in"),
        values.get("check_out"),
    )
    if starts_at is not None:
        return turn.table_summary(party, starts_at)
    assert check_in is not None and check_out is not None
    return turn.stay_summary(turn.room_name(booking), check_in, check_out, party)
