"""A reminder before the visit, and the guest's answer: confirm, change or cancel.

The reminder shows the booking with three options whose ids name it (``remind:confirm:BK-…``),
so a tap — a button, a template's quick reply, or a number on SMS — means that booking
whatever the conversation did since. A typed answer ("yes", "cancel it", "can we make it
9pm?") is read in the REMINDED state the reminder leaves the conversation in. Change and
cancel go on as the guest's own "change" and "cancel" do (``manage``), from this booking:
a cancellation is quoted first and waits for a yes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from bot.conversation import State
from bot.flows import general, manage
from bot.format import format_time
from bot.messages import Option, Reply
from bot.nlu.slots import Slots
from bot.turn import Turn
from engine.bookings.enums import BookingStatus
from engine.bookings.models import Booking
from engine.messaging.enums import MessageChannel
from engine.reminders.service import confirm_attendance

#: The first part of a reminder option's id: ``remind:{action}:{reference}``.
ANSWER = "remind"
MAP_URL = "https://www.google.com/maps/search/?api=1&query={latitude},{longitude}"


def remind(turn: Turn, booking: Booking) -> list[Reply]:
    """The reminder of ``booking``; the conversation then waits for the answer to it.

    A conversation a person has taken over stays theirs: the reminder still goes, and what
    the guest answers is for that person to read.
    """
    conversation = turn.conversation
    if conversation.state != State.HANDOFF:
        conversation.reset()
        conversation.move_to(State.REMINDED)
        conversation.booking_ref = booking.reference
    return [_reminder(turn, booking)]


def _reminder(turn: Turn, booking: Booking) -> Reply:
    """What the booking is, and for a stay when check-in opens, where, and a map."""
    venue = turn.venue
    values = {"venue": venue.name, "summary": turn.summary(booking), "reference": booking.reference}
    if booking.starts_at is not None:
        return turn.say("reminder_table", _options(turn, booking), **values)
    reply = turn.say(
        "reminder_stay", _options(turn, booking), time=format_time(venue.check_in_time), **values
    )
    lines = [reply.text]
    if venue.address:
        lines.append(turn.text("reminder_address", address=venue.address))
    if venue.latitude is not None and venue.longitude is not None:
        url = MAP_URL.format(latitude=venue.latitude, longitude=venue.longitude)
        lines.append(turn.text("reminder_map", url=url))
    return replace(reply, text="\n".join(lines))


def _options(turn: Turn, booking: Booking) -> list[Option]:
    """Confirm / Change / Cancel. On SMS "Cancel booking": a bare "cancel" texted back is
    the carrier's opt-out keyword, and the guest may type what the option says."""
    cancel = "button_cancel_booking" if turn.channel == MessageChannel.SMS else "button_cancel"
    titles = (("confirm", "button_confirm"), ("change", "button_change"), ("cancel", cancel))
    return [
        Option(f"{ANSWER}:{action}:{booking.reference}", turn.text(key)) for action, key in titles
    ]


def is_answer(choice: str | None) -> bool:
    """True when the option picked is one of a reminder's."""
    return choice is not None and choice.startswith(f"{ANSWER}:")


def answer(turn: Turn) -> list[Reply]:
    """A reminder's option picked: its action, on the booking it names.

    The pick says nothing more: "2" on SMS is the second option, not a time of 2 pm.
    """
    choice = turn.understood.choice
    assert choice is not None
    turn.understood = replace(turn.understood, slots=Slots())
    _, action, reference = choice.split(":", 2)
    booking = manage.own_booking(turn, reference)
    turn.conversation.reset()
    if booking is None:
        return [turn.say("no_bookings")]
    return ACTIONS[action](turn, booking)


def _confirm(turn: Turn, booking: Booking) -> list[Reply]:
    """The guest is coming: staff see it on the booking."""
    turn.conversation.reset()
    if booking.status != BookingStatus.CONFIRMED:
        status = turn.text(f"status_{booking.status.value}")
        return [turn.say("reminder_not_active", reference=booking.reference, status=status)]
    confirm_attendance(turn.session, booking=booking, actor=turn.actor, now=turn.now)
    summary = turn.summary(booking)
    return [turn.say("reminder_confirmed", summary=summary, reference=booking.reference)]


def _change(turn: Turn, booking: Booking) -> list[Reply]:
    """The change flow, on this booking (with the new details, if the message had them)."""
    turn.conversation.action = "change"
    return manage.selected(turn, booking)


def _cancel(turn: Turn, booking: Booking) -> list[Reply]:
    """The cancel flow, on this booking: the refund quoted, then the guest's yes."""
    turn.conversation.action = "cancel"
    return manage.selected(turn, booking)


ACTIONS: dict[str, Callable[[Turn, Booking], list[Reply]]] = {
    "confirm": _confirm,
    "change": _change,
    "cancel": _cancel,
}


def _reminded(turn: Turn, then: Callable[[Turn, Booking], list[Reply]]) -> list[Reply]:
    """Go on with the booking reminded of, or say it is gone."""
    booking = manage.own_booking(turn, turn.conversation.booking_ref)
    if booking is None:
        turn.conversation.reset()
        return [turn.say("no_bookings")]
    return then(turn, booking)


def confirm(turn: Turn) -> list[Reply]:
    """A typed yes to the reminder."""
    return _reminded(turn, _confirm)


def change(turn: Turn) -> list[Reply]:
    """A typed "change" (perhaps with the new time) after the reminder."""
    return _reminded(turn, _change)


def confirm_as_said(turn: Turn) -> list[Reply]:
    """A typed yes that also names a date, time or party: the booking as it stands is a yes to
    the reminder; anything else is a change, shown before and after and waiting for a yes."""
    return _reminded(turn, _confirm_or_change)


def _confirm_or_change(turn: Turn, booking: Booking) -> list[Reply]:
    if manage.changes_nothing(turn, booking):
        return _confirm(turn, booking)
    return _change(turn, booking)


def cancel(turn: Turn) -> list[Reply]:
    """A typed "cancel" after the reminder."""
    return _reminded(turn, _cancel)


def repeat(turn: Turn) -> list[Reply]:
    """The reminder on screen again, its options with it (the state stays)."""
    return _reminded(turn, lambda turn, booking: [_reminder(turn, booking)])


def ask_again(turn: Turn) -> list[Reply]:
    """Neither confirm, change nor cancel: say so, and put the reminder again."""
    return general.not_understood(turn, None, repeat)
