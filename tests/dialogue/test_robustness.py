"""Messages real phones send: gibberish, emoji, a wall of text, pictures, typos, shouting,
and opting out (and back in) halfway through a booking.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.format import format_day
from bot.render import sms_segments
from engine.bookings.enums import BookingStatus
from tests.dialogue.harness import ChatGuest
from tests.dialogue.helpers import in_days, local_start, weekday_in

Make = Callable[..., ChatGuest]
CELEBRATION = "We are celebrating our parents' anniversary, a quiet corner would be lovely. "


def test_gibberish_gets_a_hint_for_the_venue(guest_factory: Make) -> None:
    guest = guest_factory("restaurant", "sms")
    (reply,) = guest.say("asdkjh qwe zzxc")
    assert reply.has("not_understood") and reply.has("prompt_idle_restaurant")
    assert guest.bookings() == []


def test_hotel_hint_shows_a_room_example_not_a_table(guest_factory: Make) -> None:
    guest = guest_factory("hotel", "whatsapp", name="Ana")
    (reply,) = guest.say("blorp fizz wuzzle")
    assert reply.has("prompt_idle_hotel") and "table" not in reply.text


def test_emoji_only_messages_are_answered_and_booking_still_works(guest_factory: Make) -> None:
    guest = guest_factory("restaurant", "whatsapp", name="Emi")
    (first,) = guest.say("😀😀")
    assert first.has("not_understood")
    (second,) = guest.say("🎉🎉🎉")
    assert second.has("not_understood")
    (offer,) = guest.say("table for 2 tomorrow 8pm")
    assert offer.has("confirm_offer")
    (done,) = guest.tap("yes")
    assert done.has("confirmed")
    assert guest.bookings()[0].status == BookingStatus.CONFIRMED


def test_thumbs_up_accepts_an_offer(guest_factory: Make) -> None:
    guest = guest_factory("restaurant", "whatsapp", name="Tanu")
    guest.say("table for 2 tomorrow 8pm")
    (done,) = guest.say("👍")
    assert done.has("confirmed")
    assert guest.bookings()[0].status == BookingStatus.CONFIRMED


def test_five_thousand_character_message_with_a_request_inside(guest_factory: Make) -> None:
    guest = guest_factory("restaurant", "sms")
    text = ("Hello! We'd like a table for 4 tomorrow at 8pm please. " + CELEBRATION * 80)[:5000]
    assert len(text) == 5000
    (offer,) = guest.say(text)
    assert offer.has("confirm_offer_name") and "20:00" in offer.text and "for 4" in offer.text
    (done,) = guest.say("Ravi")
    assert done.has("confirmed")
    (booking,) = guest.bookings()
    assert booking.party_size == 4 and local_start(booking).date() == in_days(1)
    assert guest.turns <= 2


def test_five_thousand_characters_of_nothing_get_a_short_answer(guest_factory: Make) -> None:
    guest = guest_factory("hotel", "sms")
    (reply,) = guest.say(("lorem ipsum dolor sit amet " * 200)[:5000])
    assert reply.has("not_understood")
    assert sms_segments(reply.text) <= 3
    assert guest.bookings() == []


def test_a_picture_gets_text_only_and_the_flow_waits(guest_factory: Make) -> None:
    guest = guest_factory("restaurant", "whatsapp", name="Pia")
    (offer,) = guest.say("table for 2 tomorrow 8pm")
    assert offer.has("confirm_offer")
    (media,) = guest.send_media()
    assert media.has("text_only")
    assert guest.bookings() == []
    (done,) = guest.tap("yes")
    assert done.has("confirmed")


def test_a_picture_as_the_first_message(guest_factory: Make) -> None:
    guest = guest_factory("hotel", "whatsapp", name="Pia")
    (media,) = guest.send_media()
    assert media.has("text_only")
    (hello,) = guest.say("hi")
    assert hello.has("greet_hotel_name")


def test_typos_in_an_all_at_once_request(guest_factory: Make) -> None:
    guest = guest_factory("restaurant", "sms")
    (offer,) = guest.say("tabel for 4 tommorow at 8 pm plz")
    assert offer.has("confirm_offer_name") and "20:00" in offer.text
    (done,) = guest.say("Ravi")
    assert done.has("confirmed")
    assert guest.bookings()[0].party_size == 4
    assert guest.turns == 2


def test_misspelt_weekday_is_still_that_day(guest_factory: Make) -> None:
    name, day = weekday_in(3)
    typo = name.lower()[:-2] + name.lower()[-1]  # "saturdy", "fridy", "wednesdy"
    guest = guest_factory("restaurant", "whatsapp", name="Tina")
    (offer,) = guest.say(f"resrvation for 2 on {typo} at 8pm")
    assert offer.has("confirm_offer") and format_day(day) in offer.text
    guest.tap("yes")
    assert local_start(guest.bookings()[0]).date() == day


def test_misspelt_room_type(guest_factory: Make) -> None:
    guest = guest_factory("hotel", "whatsapp", name="Raman")
    (confirm,) = guest.say("delux rom 24-27 dec for 2 ppl")
    assert confirm.has("confirm_offer") and "Deluxe room" in confirm.text
    (held,) = guest.tap("yes")
    assert held.has("held_payment")
    assert guest.bookings()[0].amount == 3 * 550_000


def test_shouting_and_punctuation(guest_factory: Make) -> None:
    guest = guest_factory("restaurant", "whatsapp", name="Loud")
    (offer,) = guest.say("TABLE FOR 2 TOMORROW 8PM!!!")
    assert offer.has("confirm_offer") and "20:00" in offer.text
    guest.tap("yes")
    assert guest.bookings()[0].status == BookingStatus.CONFIRMED


def test_three_misunderstandings_then_the_menu_leads_to_a_booking(guest_factory: Make) -> None:
    guest = guest_factory("restaurant", "whatsapp", name="Lost")
    guest.say("xx")
    guest.say("yy")
    (lost,) = guest.say("zz")
    assert lost.has("lost")
    assert [o[0] for o in lost.options] == ["menu:book", "menu:check", "menu:agent"]
    (ask,) = guest.tap("menu:book", "Make a booking")
    assert ask.has("ask_start_booking_restaurant")
    (offer,) = guest.say("tomorrow 8pm for 2")
    assert offer.has("confirm_offer")
    guest.tap("yes")
    assert guest.bookings()[0].status == BookingStatus.CONFIRMED


def test_misunderstandings_mid_flow_fall_back_to_the_menu(guest_factory: Make) -> None:
    guest = guest_factory("hotel", "sms")
    (ask,) = guest.say("I need a room")
    assert ask.has("ask_dates_guests")
    (again,) = guest.say("hmm")
    assert again.has("not_understood") and again.has("prompt_details_hotel")
    guest.say("??")
    (lost,) = guest.say("whatever")
    assert lost.has("lost") and "3) Talk to a person" in lost.text


def test_stop_mid_flow_then_silence_then_start_begins_afresh(guest_factory: Make) -> None:
    guest = guest_factory("restaurant", "sms")
    (offer,) = guest.say("table for 4 tomorrow 8pm")
    assert offer.has("confirm_offer_name")
    (bye,) = guest.say("STOP")
    assert bye.has("opted_out") and "Spice Garden" in bye.text
    assert guest.say("Ravi Kumar") == []
    assert guest.say("hello?") == []
    assert guest.bookings() == []
    (welcome,) = guest.say("START")
    assert welcome.has("opted_in")
    (hello,) = guest.say("hi")
    assert hello.has("greet_restaurant") and not hello.has("restart")
    assert guest.bookings() == []


def test_stop_on_whatsapp_mid_hotel_booking(guest_factory: Make) -> None:
    guest = guest_factory("hotel", "whatsapp", name="Quiet")
    (offers,) = guest.say("room 24-27 Dec for 2")
    assert offers.has("choose_room")
    (bye,) = guest.say("stop")
    assert bye.has("opted_out")
    assert guest.tap("offer:0", "Standard") == []
    assert guest.bookings() == []
    (welcome,) = guest.say("start")
    assert welcome.has("opted_in")
    (reply,) = guest.tap("offer:0", "Standard")  # the old list is gone with the flow
    assert not reply.has("confirm_offer")
    assert guest.bookings() == []


def test_stop_this_in_words_ends_the_flow_but_not_the_messages(guest_factory: Make) -> None:
    guest = guest_factory("hotel", "sms")
    (offers,) = guest.say("room for 2 tomorrow for 1 night")
    assert offers.has("choose_room")
    (stopped,) = guest.say("stop this")
    assert stopped.has("abandoned")
    (reply,) = guest.say("my bookings")
    assert reply.has("no_bookings")


def test_asking_to_stop_messages_in_a_sentence_explains_the_keyword(guest_factory: Make) -> None:
    guest = guest_factory("restaurant", "whatsapp", name="Vik")
    (how,) = guest.say("stop sending me messages")
    assert how.has("how_to_stop")
    (still,) = guest.say("hi")  # not opted out
    assert still.has("greet_restaurant_name")


def test_bare_cancel_on_whatsapp_stops_the_flow_not_the_messages(guest_factory: Make) -> None:
    guest = guest_factory("restaurant", "whatsapp", name="Cal")
    guest.say("table for 2 tomorrow 8pm")
    (stopped,) = guest.say("cancel")
    assert stopped.has("abandoned")
    assert guest.bookings() == []
    (hello,) = guest.say("hello")
    assert hello.has("greet_restaurant_name")


def test_bare_cancel_on_sms_is_the_carrier_opt_out(guest_factory: Make) -> None:
    guest = guest_factory("restaurant", "sms")
    guest.say("table for 2 tomorrow 8pm")
    (bye,) = guest.say("cancel")
    assert bye.has("opted_out")
    assert guest.say("hi") == []
    assert guest.bookings() == []
