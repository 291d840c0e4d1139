"""Gaps found in reviews (issue #5): times in words, emoji, "how do I pay?", and a handoff in
the middle of a booking that the guest can come back from.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from bot.choices import Thread
from bot.staff import take_over
from engine.bookings.enums import BookingStatus
from engine.messaging.enums import MessageChannel
from tests.dialogue.harness import ChatGuest, Reply
from tests.dialogue.helpers import conversation_state, pay, rewrite_conversation
from tests.stack import HOTEL_SMS

Make = Callable[..., ChatGuest]
_URL = re.compile(r"https?://\S+")


# --- times in words ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("request_", "clock", "language"),
    [
        ("table for 4 tomorrow at eight pm", "20:00", "en"),
        ("table for 4 tomorrow at 8 in the evening", "20:00", "en"),
        ("table for 2 tomorrow at half past seven", "19:30", "en"),
        ("table for 2 tomorrow at quarter to nine", "20:45", "en"),
        ("kal raat saat baje 4 log", "19:00", "hi-Latn"),
        ("mesa para 4 mañana a las ocho de la noche", "20:00", "es"),
    ],
)
def test_a_time_said_in_words_is_offered_at_that_time(
    guest_factory: Make, request_: str, clock: str, language: str
) -> None:
    guest = guest_factory("restaurant", "sms")
    (offer,) = guest.say(request_)
    assert offer.has("confirm_offer_name", language), offer.text
    assert clock in offer.text


def test_a_time_in_words_answers_the_time_question(guest_factory: Make) -> None:
    guest = guest_factory("restaurant", "whatsapp", name="Omar")
    (ask,) = guest.say("table for 2 tomorrow")
    assert ask.has("ask_time")
    (offer,) = guest.say("half past seven")
    assert offer.has("confirm_offer") and "19:30" in offer.text


# --- emoji ---------------------------------------------------------------------------------------


def test_a_wave_is_a_greeting_and_hands_together_are_thanks(guest_factory: Make) -> None:
    guest = guest_factory("restaurant", "whatsapp", name="Gita")
    (hello,) = guest.say("👋")
    assert hello.has("greet_restaurant_name")
    (hello,) = guest.say("hi 👋")
    assert hello.has("greet_restaurant_name")
    (welcome,) = guest.say("🙏")
    assert welcome.has("welcome")


def test_thumbs_up_accepts_the_offer(guest_factory: Make) -> None:
    guest = guest_factory("restaurant", "whatsapp", name="Nadia")
    (offer,) = guest.say("table for 2 tomorrow 8pm")
    assert offer.has("confirm_offer")
    (done,) = guest.say("👍")
    assert done.has("confirmed")
    assert guest.bookings()[0].status == BookingStatus.CONFIRMED


# --- "how do I pay?" -----------------------------------------------------------------------------


def test_asking_how_to_pay_sends_the_same_link_and_the_hold_end(guest_factory: Make) -> None:
    guest = guest_factory("hotel", "whatsapp", name="Vikram")
    guest.say("suite 24-27 Dec for 2")
    (held,) = guest.tap("yes")
    url = _URL.search(held.text)
    assert held.has("held_payment") and url is not None
    for question in ("when do I pay?", "how do I pay?", "payment link?"):
        (again,) = guest.say(question)
        assert again.has("held_payment"), (question, again.text)
        assert url.group(0) in again.text and "The hold lasts until" in again.text
    (listed,) = guest.say("my bookings")
    assert listed.has("your_bookings")
    (again,) = guest.say("payment link?")
    assert again.has("held_payment") and url.group(0) in again.text


def test_asking_how_to_pay_with_nothing_due_says_so(guest_factory: Make) -> None:
    guest = guest_factory("hotel", "sms")
    (none,) = guest.say("how do I pay?")
    assert none.has("no_payment_due")
    guest.say("deluxe room 24-27 Dec for 2")
    (held,) = guest.say("Kiran Rao")
    assert held.has("held_payment")
    pay(guest, guest.bookings()[0].reference)
    (none,) = guest.say("when do I pay?")
    assert none.has("no_payment_due")


def test_asking_how_to_pay_before_the_link_exists_says_it_is_coming(guest_factory: Make) -> None:
    guest = guest_factory("hotel", "sms")
    guest.say("deluxe room 24-27 Dec for 2")
    stack = guest.stack
    stack.fake.update_knobs(fail_next=5, fail_provider="razorpay")  # the link is retried
    assert stack.sms("Kiran Rao", guest=guest.phone, to=HOTEL_SMS).status_code == 200
    (delayed,) = stack.wait_sent(guest.phone, guest.seen + 1)[guest.seen :]
    assert Reply(delayed.body or "").has("payment_link_delayed")
    assert stack.sms("payment link?", guest=guest.phone, to=HOTEL_SMS).status_code == 200
    (coming,) = stack.wait_sent(guest.phone, guest.seen + 2)[guest.seen + 1 :]
    assert Reply(coming.body or "").has("payment_link_coming")
    assert guest.bookings()[0].reference in (coming.body or "")


def test_asking_how_to_pay_in_spanish(guest_factory: Make) -> None:
    guest = guest_factory("hotel", "sms")
    (none,) = guest.say("¿cómo pago?")
    assert none.has("no_payment_due", "es")


# --- a person in the middle of a booking --------------------------------------------------------


def test_after_bot_the_guest_carries_on_with_the_offer_they_had(guest_factory: Make) -> None:
    guest = guest_factory("restaurant", "sms")
    (offer,) = guest.say("table for 4 tomorrow 8pm")
    assert offer.has("confirm_offer_name")
    (handoff,) = guest.say("talk to a human")
    assert handoff.has("handoff")
    assert guest.say("is the terrace open?") == []
    back, offer = guest.say("bot")
    assert back.has("back_to_bot_resume")
    assert offer.has("confirm_offer_name") and "table for 4" in offer.text and "20:00" in offer.text
    (done,) = guest.say("Ravi Kumar")
    assert done.has("confirmed")
    assert guest.bookings()[0].party_size == 4


def test_after_a_handoff_times_out_the_bot_asks_what_was_missing(guest_factory: Make) -> None:
    guest = guest_factory("hotel", "sms")
    (ask,) = guest.say("room for 2 from 24 Dec")
    assert ask.has("ask_nights")
    (handoff,) = guest.say("agent")
    assert handoff.has("handoff")
    past = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    rewrite_conversation(guest, handoff_until=past)
    back, ask = guest.say("hello?")
    assert back.has("back_to_bot_resume") and ask.has("ask_nights")
    (offers,) = guest.say("3")
    assert offers.has("choose_room")


def test_a_handoff_with_no_booking_under_way_comes_back_to_the_menu(guest_factory: Make) -> None:
    guest = guest_factory("restaurant", "sms")
    guest.say("talk to a person")
    (back,) = guest.say("bot")
    assert back.has("back_to_bot") and "1) Make a booking" in back.text


def test_a_staff_takeover_keeps_the_booking_the_guest_was_building(guest_factory: Make) -> None:
    guest = guest_factory("hotel", "sms")
    (ask,) = guest.say("room for 2 from 24 Dec")
    assert ask.has("ask_nights")
    (handoff,) = guest.say("agent")
    assert handoff.has("handoff")
    key, _ = conversation_state(guest)
    _, _, venue_id, channel, phone, _ = key.split(":")
    thread = Thread(int(venue_id), MessageChannel(channel), phone)
    take_over(guest.stack.runtime.redis, thread, now=datetime.now(UTC))  # as a staff reply does
    back, ask = guest.say("bot")
    assert back.has("back_to_bot_resume") and ask.has("ask_nights")
