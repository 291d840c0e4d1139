"""Issue 20, "a bare number after a two-slot question": "When would you like to come, and how
many of you?" — "4" is read against the venue. Four o'clock (04:00 or 16:00) is closed at the
demo restaurant, so it is four people; "8" fits both (20:00, and the largest party is 8), so
the guest is asked, and a tap, "people", "8pm" or the option's number answers. A message that
carries details corrects the request whatever else it seems to say.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.dialogue.harness import ChatGuest, Reply
from tests.dialogue.helpers import local_start, lunch_day

Make = Callable[..., ChatGuest]


def _day(days: int) -> str:
    """A date as a guest types it ("8 December"), ``days`` (2 or more) ahead or the day after
    when that is a Monday (``lunch_day``)."""
    return lunch_day(days)[0].removeprefix("on ")


def _offered(reply: Reply) -> bool:
    """One table put to the guest (with a yes on WhatsApp, for the name on SMS)."""
    return reply.has("confirm_offer") or reply.has("confirm_offer_name")


@pytest.mark.parametrize("channel", ["sms", "whatsapp"])
def test_a_bare_4_when_4_oclock_is_closed_is_four_people(guest_factory: Make, channel: str) -> None:
    guest = guest_factory("restaurant", channel, name="Meera")
    (ask,) = guest.say("book a table")
    assert ask.has("ask_day_time_party")
    (ask,) = guest.say("4")
    assert ask.has("ask_day_time"), ask.text
    (offer,) = guest.say(f"{_day(2)}, 1pm")
    assert _offered(offer) and "for 4" in offer.text and "13:00" in offer.text
    assert guest.bookings() == []


@pytest.mark.parametrize("channel", ["sms", "whatsapp"])
def test_a_bare_8_that_fits_both_is_asked_and_the_tap_or_number_answers(
    guest_factory: Make, channel: str
) -> None:
    guest = guest_factory("restaurant", channel, name="Meera")
    guest.say("book a table")
    (which,) = guest.say("8")
    assert which.has("which_reading") and "8 people" in which.text and "20:00" in which.text
    if channel == "whatsapp":
        assert which.options == [("reading:party:8", "8 people"), ("reading:time:20:00", "20:00")]
        (ask,) = guest.tap("reading:party:8", "8 people")
    else:
        assert "1) 8 people" in which.text and "2) 20:00" in which.text
        (ask,) = guest.say("1")
    assert ask.has("ask_day_time")
    (offer,) = guest.say(f"{_day(2)} 1pm")
    assert _offered(offer) and "for 8" in offer.text and "13:00" in offer.text


@pytest.mark.parametrize(("answer", "then"), [("people", "ask_day_time"), ("oclock", "ask_party")])
def test_a_word_answers_which_reading(guest_factory: Make, answer: str, then: str) -> None:
    guest = guest_factory("restaurant", "sms")
    guest.say("book a table")
    (which,) = guest.say("8")
    assert which.has("which_reading")
    (ask,) = guest.say("o'clock" if answer == "oclock" else answer)
    assert ask.has(then), ask.text


def test_8pm_answers_which_reading_with_the_time(guest_factory: Make) -> None:
    guest = guest_factory("restaurant", "whatsapp", name="Kabir")
    guest.say(f"book a table for {_day(2)}")
    (which,) = guest.say("8")
    assert which.has("which_reading")
    (ask,) = guest.say("8pm")
    assert ask.has("ask_party")
    (offer,) = guest.say("2")
    assert offer.has("confirm_offer") and "for 2" in offer.text and "20:00" in offer.text
    (done,) = guest.tap("yes")
    assert done.has("confirmed") and local_start(guest.bookings()[0]).hour == 20


def test_a_number_only_a_time_can_be_is_the_time(guest_factory: Make) -> None:
    guest = guest_factory("restaurant", "sms")
    guest.say(f"book a table for {_day(2)}")
    (ask,) = guest.say("9")  # nine people is more than any table takes; 21:00 is open
    assert ask.has("ask_party"), ask.text
    (offer,) = guest.say("2")
    assert "21:00" in offer.text and "for 2" in offer.text


@pytest.mark.parametrize("channel", ["sms", "whatsapp"])
def test_nights_or_guests_is_asked_and_guests_answers(guest_factory: Make, channel: str) -> None:
    guest = guest_factory("hotel", channel, name="Tara")
    guest.say("I want to book a room")
    (ask,) = guest.say("24 Dec")
    assert ask.has("ask_nights_guests")
    (which,) = guest.say("3")
    assert which.has("which_reading") and "3 nights" in which.text and "3 guests" in which.text
    (ask,) = guest.say("guests")
    assert ask.has("ask_nights")
    (rooms,) = guest.say("2")
    assert rooms.has("choose_room") and "for 3 guests" in rooms.text
    shown = " ".join([rooms.text, *(title for _, title in rooms.options)])
    assert "Deluxe" in shown and "Suite" in shown and "Standard" not in shown  # sleeps 2


def test_more_nights_than_any_room_sleeps_guests_is_the_nights(guest_factory: Make) -> None:
    guest = guest_factory("hotel", "sms")
    guest.say("I want to book a room")
    guest.say("24 Dec")
    (ask,) = guest.say("9")  # no room sleeps nine
    assert ask.has("ask_guests"), ask.text


@pytest.mark.parametrize("channel", ["sms", "whatsapp"])
def test_details_said_as_a_change_with_nothing_to_change_book(
    guest_factory: Make, channel: str
) -> None:
    guest = guest_factory("restaurant", channel, name="Dev")
    (offer,) = guest.say(f"4 people, {_day(2)}, 1pm")
    assert not offer.has("no_bookings"), offer.text
    assert _offered(offer) and "for 4" in offer.text and "13:00" in offer.text


def test_details_said_as_a_change_while_collecting_correct_the_request(
    guest_factory: Make,
) -> None:
    guest = guest_factory("restaurant", "sms")
    guest.say("book a table")
    guest.say("4")
    (offer,) = guest.say(f"what about 4 people, {_day(2)}, 1pm")
    assert offer.has("confirm_offer_name") and "13:00" in offer.text, offer.text


def test_the_question_and_its_answer_in_spanish(guest_factory: Make) -> None:
    guest = guest_factory("restaurant", "whatsapp", name="Lucía")
    (ask,) = guest.say("quiero reservar una mesa")
    assert ask.has("ask_day_time_party", "es")
    (which,) = guest.say("8")
    assert which.has("which_reading", "es") and "8 personas" in which.text
    assert [title for _, title in which.options] == ["8 personas", "20:00"]
    (ask,) = guest.say("personas")
    assert ask.has("ask_day_time", "es")
