"""Help, the main menu, small talk, and handing the conversation to a person and back."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from engine.bookings.enums import BookingStatus
from tests.dialogue.harness import ChatGuest
from tests.dialogue.helpers import conversation_state, rewrite_conversation

Make = Callable[..., ChatGuest]
MENU = ["menu:book", "menu:check", "menu:agent"]


def test_help_on_whatsapp_shows_what_the_bot_does_with_menu_buttons(guest_factory: Make) -> None:
    guest = guest_factory("hotel", "whatsapp", name="Hema")
    (help_,) = guest.say("what can you do?")
    assert help_.has("help_hotel") and "Seaside Hotel" in help_.text
    assert [o[0] for o in help_.options] == MENU


def test_help_on_sms_numbers_the_menu_and_2_shows_bookings(guest_factory: Make) -> None:
    guest = guest_factory("restaurant", "sms")
    (help_,) = guest.say("help")
    assert help_.has("help_restaurant")
    assert "1) Make a booking" in help_.text and "3) Talk to a person" in help_.text
    (reply,) = guest.say("2")
    assert reply.has("no_bookings")


def test_talk_to_a_person_mid_flow_silences_the_bot_until_bot(guest_factory: Make) -> None:
    guest = guest_factory("restaurant", "sms")
    (offer,) = guest.say("table for 4 tomorrow 8pm")
    assert offer.has("confirm_offer_name")
    (handoff,) = guest.say("I want to talk to a person")
    assert handoff.has("handoff")
    assert guest.say("hello? is anyone there") == []
    assert guest.say("Ravi Kumar") == []
    assert guest.say("table for 2 tomorrow 9pm") == []
    assert guest.bookings() == []
    back, offer = guest.say("bot")
    assert back.has("back_to_bot_resume") and "table for 4" in offer.text  # where it left off
    (offer,) = guest.say("table for 2 tomorrow 9pm")
    assert offer.has("confirm_offer_name")  # the name said to staff never reached the bot
    (done,) = guest.say("Ravi Kumar")
    assert done.has("confirmed")
    (booking,) = guest.bookings()
    assert booking.party_size == 2 and booking.status == BookingStatus.CONFIRMED


def test_talk_to_a_person_button_then_taps_are_ignored(guest_factory: Make) -> None:
    guest = guest_factory("restaurant", "whatsapp", name="Imran")
    (help_,) = guest.say("help")
    (handoff,) = guest.tap("menu:agent", "Talk to a person")
    assert handoff.has("handoff")
    assert guest.tap("menu:book", "Make a booking") == []
    assert guest.say("yes") == []
    (back,) = guest.say("back to bot")
    assert back.has("back_to_bot") and [o[0] for o in back.options] == MENU
    assert help_.has("help_restaurant")


def test_handoff_times_out_and_the_bot_answers_again(guest_factory: Make) -> None:
    guest = guest_factory("hotel", "sms")
    (handoff,) = guest.say("can I speak to a human")
    assert handoff.has("handoff")
    _, state = conversation_state(guest)
    assert state["state"] == "handoff"
    past = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    rewrite_conversation(guest, handoff_until=past)
    (back,) = guest.say("hello?")
    assert back.has("back_to_bot")


def test_a_person_is_offered_after_three_misunderstandings(guest_factory: Make) -> None:
    guest = guest_factory("hotel", "sms")
    (first,) = guest.say("qwerty uiop")
    assert first.has("not_understood") and first.has("prompt_idle_hotel")
    (second,) = guest.say("zxcv bnm")
    assert second.has("not_understood")
    (lost,) = guest.say("asdf ghjk")
    assert lost.has("lost")
    assert "3) Talk to a person" in lost.text
    (handoff,) = guest.say("3")
    assert handoff.has("handoff")
    assert guest.say("hello") == []


def test_greeting_uses_the_whatsapp_profile_name(guest_factory: Make) -> None:
    guest = guest_factory("restaurant", "whatsapp", name="Gita")
    (hello,) = guest.say("hello")
    assert hello.has("greet_restaurant_name") and "Gita" in hello.text
    assert "Spice Garden" in hello.text and [o[0] for o in hello.options] == MENU


def test_thanks_ok_and_no_thanks_close_politely(guest_factory: Make) -> None:
    guest = guest_factory("restaurant", "sms")
    guest.say("table for 2 tomorrow 8pm")
    guest.say("Asha Rao")
    (welcome,) = guest.say("thanks!")
    assert welcome.has("welcome")
    (menu,) = guest.say("ok")
    assert menu.has("what_next") and "1) Make a booking" in menu.text
    (bye,) = guest.say("no thanks")
    assert bye.has("goodbye") and "Spice Garden" in bye.text
    assert guest.bookings()[0].status == BookingStatus.CONFIRMED


def test_bot_said_outside_a_handoff_just_greets(guest_factory: Make) -> None:
    guest = guest_factory("hotel", "whatsapp", name="Zoya")
    (hello,) = guest.say("bot")
    assert hello.has("greet_hotel_name")
