"""Cancelling one room of a booking of several rooms by chat ("cancel one room", "cancel the
deluxe room"): the room, the booking as it would then be and the policy refund of that room's
share are put to the guest, and only a yes cancels that room.

A message that names no room, or "one room" of rooms of different types, means the whole
booking: its cancellation is put to the guest as usual, and they can say no.
"""

from __future__ import annotations

from bot.conversation import State
from bot.messages import Reply
from bot.nlu.rooms import says_one_room
from bot.turn import Turn
from engine.bookings.enums import BookingStatus, CancelledBy
from engine.bookings.models import Booking, BookingRoom
from engine.bookings.rooms import live_rooms
from engine.exceptions import BooklineError
from engine.inventory.models import RoomType
from engine.payments.changes import cancel_room, quote_room

#: Bookings whose rooms can be cancelled one by one (a payment link out is for the whole).
ROOM_BY_ROOM = (BookingStatus.HELD, BookingStatus.CONFIRMED)


def room_meant(turn: Turn, booking: Booking) -> BookingRoom | None:
    """The room whose cancellation is on screen, else the one the guest's words single out;
    None for the whole booking."""
    if not booking.several_rooms:
        return None
    return chosen_room(turn, booking) or _room_named(turn, booking)


def _room_named(turn: Turn, booking: Booking) -> BookingRoom | None:
    """The room the guest's words single out, or None for the whole booking."""
    live = live_rooms(booking)
    if booking.status not in ROOM_BY_ROOM or len(live) < 2:
        return None
    named = turn.understood.slots.room_type
    if named is not None:
        matching = [room for room in live if _name(turn, room) == named]
    elif says_one_room(turn.understood.text) and len({r.room_type_id for r in live}) == 1:
        matching = live
    else:
        return None
    return matching[-1] if matching else None


def _name(turn: Turn, room: BookingRoom) -> str:
    room_type = turn.session.get(RoomType, room.room_type_id)
    return room_type.name if room_type is not None else ""


def propose(turn: Turn, booking: Booking, room: BookingRoom) -> list[Reply]:
    """Put the room's cancellation to the guest: the room, what stays booked, the refund."""
    quote = quote_room(booking, room=room, by=CancelledBy.GUEST, now=turn.now)
    turn.conversation.room_id = room.id
    turn.conversation.move_to(State.CONFIRMING_CANCEL)
    rest = [other for other in live_rooms(booking) if other.id != room.id]
    key = "confirm_cancel_room_refund" if quote.refund_amount else "confirm_cancel_room"
    return [
        turn.say(
            key,
            turn.yes_no("button_yes_cancel", "button_no_keep"),
            room=_line(turn, room),
            reference=booking.reference,
            after=turn.rooms_summary(booking, rest),
            refund=turn.money(quote.refund_amount),
            percent=quote.refund_percent,
        )
    ]


def chosen_room(turn: Turn, booking: Booking) -> BookingRoom | None:
    """The room whose cancellation is on screen, if it is still booked."""
    wanted = turn.conversation.room_id
    if wanted is None:
        return None
    return next((room for room in live_rooms(booking) if room.id == wanted), None)


def confirm(turn: Turn, booking: Booking, room: BookingRoom) -> list[Reply]:
    """Yes: cancel that room; its policy refund goes back through the outbox."""
    line = _line(turn, room)
    try:
        change = cancel_room(
            turn.session,
            booking=booking,
            room_id=room.id,
            by=CancelledBy.GUEST,
            actor=turn.actor,
            now=turn.now,
        )
    except BooklineError as exc:
        return [turn.say("request_problem", detail=exc.message)]
    if change.refund_amount:
        refund = turn.money(change.refund_amount)
        return [
            turn.say("room_cancelled_refund", room=line, reference=booking.reference, refund=refund)
        ]
    return [turn.say("room_cancelled", room=line, reference=booking.reference)]


def _line(turn: Turn, room: BookingRoom) -> str:
    return turn.text(
        "room_share",
        room=_name(turn, room),
        guests=turn.count("n_guests", room.guests),
        total=turn.money(room.amount),
    )
