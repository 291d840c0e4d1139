"""Questions about the venue, answered at any point, then back to where the guest was.

Each transcript of issue #20 ("what time do you open?" got the capabilities blurb; "do you
have parking?" and "check in time?" got "I can't find any upcoming bookings") is replayed on
the channels where it matters: the answer comes from the venue (its real opening hours,
check-in times, the owner's facts and questions), in the guest's language, and the step the
guest was at comes back on screen with its buttons or numbers.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select

from bot.choices import Thread
from bot.open_questions import open_questions
from engine.bookings.enums import BookingStatus
from engine.messaging.enums import MessageChannel
from engine.tenants.models import Venue
from tests.dialogue.harness import ChatGuest, Reply

Make = Callable[..., ChatGuest]
SPICE_GARDEN_HOURS = "Mon: 19:00-23:00\nTue-Sun: 12:00-15:00, 19:00-23:00"


def _no_booking_talk(reply: Reply) -> None:
    """What the bot said before the fix: the menu blurb, or that there are no bookings."""
    assert not reply.has("help_restaurant") and not reply.has("help_hotel")
    assert not reply.has("no_bookings")


@pytest.mark.parametrize("channel", ["sms", "whatsapp"])
def test_what_time_do_you_open_gets_the_real_opening_hours(
    guest_factory: Make, channel: str
) -> None:
    guest = guest_factory("restaurant", channel)
    (reply,) = guest.say("what time do you open?")
    _no_booking_talk(reply)
    assert reply.has("fact_hours") and SPICE_GARDEN_HOURS in reply.text


@pytest.mark.parametrize("channel", ["sms", "whatsapp"])
def test_do_you_have_parking_gets_the_owners_answer(guest_factory: Make, channel: str) -> None:
    guest = guest_factory("hotel", channel)
    (reply,) = guest.say("do you have parking?")
    _no_booking_talk(reply)
    assert "free parking for guests in front of the hotel" in reply.text


@pytest.mark.parametrize("channel", ["sms", "whatsapp"])
def test_check_in_time_gets_the_hotels_times(guest_factory: Make, channel: str) -> None:
    guest = guest_factory("hotel", channel)
    (reply,) = guest.say("check in time?")
    _no_booking_talk(reply)
    assert reply.text == "Check-in is from 14:00; check-out is by 11:00."


def test_a_question_while_confirming_on_whatsapp_keeps_the_offer_and_its_buttons(
    guest_factory: Make,
) -> None:
    guest = guest_factory("restaurant", "whatsapp", name="Meera")
    (offer,) = guest.say("table for 2 tomorrow 8pm")
    assert offer.has("confirm_offer") and [o[0] for o in offer.options] == ["yes", "no"]
    answer, again = guest.say("do you have parking?")
    assert answer.text.startswith("There is no parking of our own") and not answer.options
    assert again.has("confirm_offer") and "table for 2" in again.text
    assert [o[0] for o in again.options] == ["yes", "no"]
    assert guest.bookings() == []  # a question never books
    (done,) = guest.tap("yes", "Yes, book it")
    assert done.has("confirmed")
    (booking,) = guest.bookings()
    assert booking.status == BookingStatus.CONFIRMED and booking.party_size == 2


def test_a_question_while_the_name_is_awaited_on_sms_puts_the_offer_again(
    guest_factory: Make,
) -> None:
    guest = guest_factory("restaurant", "sms")
    (offer,) = guest.say("table for 4 tomorrow 8pm")
    assert offer.has("confirm_offer_name")
    answer, again = guest.say("can I bring my dog?")
    assert answer.text == "Dogs are welcome at the garden tables."
    assert again.has("confirm_offer_name") and "table for 4" in again.text
    (done,) = guest.say("Ravi Kumar")
    assert done.has("confirmed")


def test_a_question_while_giving_details_on_sms_asks_for_what_is_missing(
    guest_factory: Make,
) -> None:
    guest = guest_factory("hotel", "sms")
    (ask,) = guest.say("I'd like a double room")
    assert ask.has("ask_dates_guests")
    answer, again = guest.say("is breakfast included?")
    assert answer.text.startswith("Breakfast is included in every room rate")
    assert again.has("ask_dates_guests")


def test_a_question_while_choosing_a_room_on_sms_numbers_the_rooms_again(
    guest_factory: Make,
) -> None:
    guest = guest_factory("hotel", "sms")
    (rooms,) = guest.say("a room 24-27 Dec for 2")
    assert rooms.has("choose_room") and "1) " in rooms.text
    answer, again = guest.say("आपका पता क्या है?")
    assert answer.text == "Seaside Hotel का पता: Lighthouse Road, Kovalam, Kerala।"
    assert again.has("pick_again", "hi") and again.text.count(") ") >= 2
    (offer,) = guest.say("1")  # the first room of the list just put again
    assert offer.has("confirm_offer_name", "hi") and guest.bookings() == []


def test_the_owners_questions_are_answered_by_retrieval(guest_factory: Make) -> None:
    guest = guest_factory("hotel", "whatsapp")
    (reply,) = guest.say("what's the wifi password?")
    assert reply.text == (
        "Yes, free Wi-Fi in every room and around the pool. The password is on your key card."
    )
    (reply,) = guest.say("can I leave my bags after checking out?")
    assert reply.text == "Yes, we store bags for free before check-in and after check-out."


def test_answers_come_in_the_guests_language_or_as_the_owner_wrote_them(
    guest_factory: Make,
) -> None:
    guest = guest_factory("hotel", "sms")
    (reply,) = guest.say("¿Tienen piscina en el hotel?")
    assert reply.text == "Sí, una piscina exterior, abierta de 7:00 a 20:00, con toallas."
    (reply,) = guest.say("¿a qué hora es el check-in?")
    assert reply.text == "La entrada es desde las 14:00; la salida, hasta las 11:00."
    hindi = guest_factory("hotel", "sms")
    (reply,) = hindi.say("kya hotel mein laundry service hai?")
    # The owner translated this answer into Spanish only: Hindi gets it as written.
    assert (
        reply.text
        == "Yes, same-day laundry if you hand it in before 10:00; prices are in your room."
    )


@pytest.mark.parametrize("channel", ["sms", "whatsapp"])
def test_a_question_nothing_answers_goes_to_a_person_and_the_booking_goes_on(
    guest_factory: Make, channel: str
) -> None:
    guest = guest_factory("restaurant", channel, name="Kiran")
    (offer,) = guest.say(
        "table for 2 tomorrow 8pm"
        if channel == "whatsapp"
        else "table for 2 tomorrow 8pm, I'm Kiran"
    )
    answer, again = guest.say("is there a casino nearby?")
    assert answer.text == (
        "I don't have the answer to that, so I'll ask a person: a member of our team will "
        "reply here."
    )
    with guest.sessions() as session:
        venue_id = session.scalar(select(Venue.id).where(Venue.slug == "spice-garden"))
    assert venue_id is not None
    thread = Thread(venue_id, MessageChannel(channel), guest.phone)
    assert open_questions(guest.stack.runtime.redis, [thread]) == [["is there a casino nearby?"]]
    # The bot is not silenced: the offer is still there to say yes to.
    assert again.has("confirm_offer") or again.has("confirm_offer_name")


def test_how_to_pay_with_nothing_held_says_so_and_how_the_venue_is_paid(
    guest_factory: Make,
) -> None:
    guest = guest_factory("restaurant", "sms")
    (reply,) = guest.say("how do I pay?")
    assert reply.has("no_payment_due")
    assert "Pay at the table by UPI, card or cash." in reply.text
    (reply,) = guest.say("do you take cards?")
    assert reply.text.startswith("Pay at the table by UPI, card or cash.")


def test_how_to_pay_with_a_hold_waiting_gets_its_link(guest_factory: Make) -> None:
    guest = guest_factory("hotel", "sms")
    guest.say("deluxe room 24-27 Dec for 2")
    (held,) = guest.say("Kiran Rao")
    assert held.has("held_payment")
    (again,) = guest.say("do you take cards?")
    assert again.has("held_payment") and again.text == held.text
