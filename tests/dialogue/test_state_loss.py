"""Redis forgets a conversation mid-way (flush, failover): the next message gets a polite
restart that still shows what the engine holds, and nothing in the engine is lost or doubled.
"""

from __future__ import annotations

from collections.abc import Callable

from engine.bookings.enums import BookingStatus
from tests.dialogue.harness import ChatGuest
from tests.dialogue.helpers import forget_conversations

Make = Callable[..., ChatGuest]


def test_lost_after_a_hold_the_restart_lists_it_and_cancel_still_works(
    guest_factory: Make,
) -> None:
    guest = guest_factory("hotel", "whatsapp", name="Asha")
    guest.say("deluxe room 24-27 Dec for 2")
    (held,) = guest.tap("yes")
    assert held.has("held_payment")
    (booking,) = guest.bookings()
    assert forget_conversations(guest) > 0
    (restart,) = guest.say("hi")
    assert restart.has("restart_with_bookings")
    assert booking.reference in restart.text and "(awaiting payment)" in restart.text
    assert [o[0] for o in restart.options] == ["menu:book", "menu:check", "menu:agent"]
    (after,) = guest.bookings()
    assert (after.reference, after.status, after.amount) == (
        booking.reference,
        BookingStatus.PENDING_PAYMENT,
        booking.amount,
    )
    (quote,) = guest.say("cancel my booking")
    assert quote.has("confirm_cancel") and booking.reference in quote.text


def test_lost_after_a_confirmed_table_an_old_yes_books_nothing_twice(
    guest_factory: Make,
) -> None:
    guest = guest_factory("restaurant", "whatsapp", name="Kabir")
    guest.say("table for 2 tomorrow 8pm")
    (done,) = guest.tap("yes")
    assert done.has("confirmed")
    forget_conversations(guest)
    (restart,) = guest.tap("yes", "Yes, book it")
    assert restart.has("restart_with_bookings")
    (booking,) = guest.bookings()
    assert booking.reference in restart.text and booking.status == BookingStatus.CONFIRMED


def test_lost_while_collecting_details_restarts_instead_of_guessing(guest_factory: Make) -> None:
    guest = guest_factory("restaurant", "whatsapp", name="Om")
    (ask,) = guest.say("table for 4 tomorrow")
    assert ask.has("ask_time")
    forget_conversations(guest)
    (restart,) = guest.say("8pm")
    assert restart.has("restart") and not restart.has("ask_party")
    assert guest.bookings() == []
    (offer,) = guest.say("table for 4 tomorrow 8pm")
    assert offer.has("confirm_offer")
    guest.tap("yes")
    assert guest.bookings()[0].party_size == 4


def test_lost_while_asked_for_a_name_does_not_book(guest_factory: Make) -> None:
    guest = guest_factory("restaurant", "sms")
    (offer,) = guest.say("table for 4 tomorrow 8pm")
    assert offer.has("confirm_offer_name")
    forget_conversations(guest)
    (restart,) = guest.say("Ravi Kumar")
    assert restart.has("restart")
    assert "1) Make a booking" in restart.text
    assert guest.bookings() == []


def test_lost_while_choosing_a_room_a_number_picks_nothing(guest_factory: Make) -> None:
    guest = guest_factory("hotel", "sms")
    (offers,) = guest.say("room 24-27 Dec for 2")
    assert offers.has("choose_room")
    forget_conversations(guest)
    (restart,) = guest.say("2")
    assert restart.has("restart") and not restart.has("ask_dates_guests")
    assert guest.bookings() == []


def test_lost_while_confirming_a_cancellation_keeps_the_booking(guest_factory: Make) -> None:
    guest = guest_factory("restaurant", "sms")
    guest.say("table for 2 tomorrow 8pm")
    guest.say("Ravi")
    (quote,) = guest.say("cancel my booking")
    assert quote.has("confirm_cancel")
    forget_conversations(guest)
    (restart,) = guest.say("yes")
    assert restart.has("restart_with_bookings")
    assert guest.bookings()[0].status == BookingStatus.CONFIRMED


def test_lost_then_a_complete_request_is_simply_answered(guest_factory: Make) -> None:
    guest = guest_factory("restaurant", "whatsapp", name="Nia")
    guest.say("table for 4 tomorrow")
    forget_conversations(guest)
    (offer,) = guest.say("table for 2 tomorrow at 9pm")
    assert offer.has("confirm_offer") and "21:00" in offer.text
    (done,) = guest.tap("yes")
    assert done.has("confirmed")
    assert guest.bookings()[0].party_size == 2


def test_lost_in_spanish_restarts_in_spanish(guest_factory: Make) -> None:
    guest = guest_factory("restaurant", "whatsapp", name="Ana")
    guest.say("mesa para 4 mañana a las 9")
    guest.tap("yes")
    forget_conversations(guest)
    (restart,) = guest.say("sí")
    assert restart.has("restart_with_bookings", "es")
    assert guest.bookings()[0].reference in restart.text


def test_a_first_message_is_never_a_restart(guest_factory: Make) -> None:
    guest = guest_factory("hotel", "sms")
    (hello,) = guest.say("hello")
    assert hello.has("greet_hotel") and not hello.has("restart")
