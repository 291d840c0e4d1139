"""Issue 20, "corrections understood wherever the guest is": a message that carries booking
details corrects the request in progress, even when it starts with "no" or "sorry".
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.dialogue.harness import ChatGuest
from tests.dialogue.helpers import local_start, lunch_day

Make = Callable[..., ChatGuest]


@pytest.mark.parametrize("channel", ["sms", "whatsapp"])
def test_sorry_make_that_3_nights_while_rooms_are_listed_lists_them_for_3(
    guest_factory: Make, channel: str
) -> None:
    guest = guest_factory("hotel", channel, name="Anil")
    (rooms,) = guest.say("room 24-26 Dec for 2")
    assert rooms.has("choose_room")
    (again,) = guest.say("sorry, make that 3 nights")
    assert not again.has("not_understood"), again.text
    assert again.has("choose_room") and "24 Dec to Sun 27 Dec" in again.text
    (picked,) = guest.tap("offer:1") if channel == "whatsapp" else guest.say("2")
    if channel == "sms":  # no profile name on SMS: the name is asked, with the stay again
        assert picked.has("ask_name_for") and "(3 nights)" in picked.text
        (picked,) = guest.say("Anil")
    assert picked.has("held_payment") and "3 nights" in picked.text
    (booking,) = guest.bookings()
    assert (booking.check_out - booking.check_in).days == 3


def test_nahi_nahi_hum_3_log_honge_offers_a_table_for_3(guest_factory: Make) -> None:
    guest = guest_factory("restaurant", "sms", name="")
    guest.say("table for 2 tomorrow 8pm")
    (offer,) = guest.say("nahi nahi, hum 3 log honge")
    assert offer.has("confirm_offer_name", "hi-Latn")
    assert "3" in offer.text and "20:00" in offer.text
    assert guest.bookings() == []


@pytest.mark.parametrize("channel", ["sms", "whatsapp"])
def test_no_tomorrow_at_1pm_offers_that_instead(guest_factory: Make, channel: str) -> None:
    guest = guest_factory("restaurant", channel, name="Zoya")
    when, _ = lunch_day()
    guest.say(f"table for 2 {when} 8pm, my name is Zoya")
    (offer,) = guest.say(f"no, {when} at 1pm please")
    assert offer.has("confirm_offer") and "13:00" in offer.text, offer.text
    (done,) = guest.tap("yes") if channel == "whatsapp" else guest.say("yes")
    assert done.has("confirmed") and local_start(guest.bookings()[0]).hour == 13


# --- details correct the request whatever the classifier reads in the message -------------------


@pytest.mark.parametrize("channel", ["sms", "whatsapp"])
def test_what_about_9pm_while_asked_for_the_time_offers_9pm_not_help(
    guest_factory: Make, channel: str
) -> None:
    guest = guest_factory("restaurant", channel, name="Zoya")
    (ask,) = guest.say("table for 2 tomorrow")
    assert ask.has("ask_time")
    (offer,) = guest.say("what about 9pm")  # the intent model reads "help"
    assert not offer.has("help_restaurant"), offer.text
    assert "21:00" in offer.text and "for 2" in offer.text


@pytest.mark.parametrize("channel", ["sms", "whatsapp"])
def test_can_you_check_9pm_while_changing_a_booking_proposes_the_change(
    guest_factory: Make, channel: str
) -> None:
    guest = guest_factory("restaurant", channel, name="Sara")
    guest.say("table for 2 tomorrow 8pm")
    guest.tap("yes") if channel == "whatsapp" else guest.say("Sara")
    (booking,) = guest.bookings()
    (ask,) = guest.say("change my booking")
    assert ask.has("ask_change")
    (proposal,) = guest.say("can you check 9pm")  # the intent model reads "check"
    assert proposal.has("confirm_change") and "21:00" in proposal.text, proposal.text
    assert local_start(guest.bookings()[0]).hour == 20
    assert guest.bookings()[0].reference == booking.reference
