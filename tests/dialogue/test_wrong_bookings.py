"""Issue 20, "wrong bookings made without asking": the bot never books, moves or changes what
the guest did not confirm with its final date, time and party in front of them.

Each test replays a transcript from the issue (seen on a Saturday, 5 Dec): a bare "1" read as
1 o'clock, "can I change to Saturday?" said on a Saturday, past dates rolled to next year, and
a name with "Cancel" in it read as a cancellation. Dates are taken from the day the suite runs.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from bot.format import format_day
from engine.bookings.enums import BookingStatus
from tests.dialogue.harness import ChatGuest, Reply
from tests.dialogue.helpers import in_days, local_start, today, weekday_in

Make = Callable[..., ChatGuest]
CHANNELS = ("sms", "whatsapp")


def _nameless(guest_factory: Make, venue: str, channel: str) -> ChatGuest:
    """A guest the bot has no name for (WhatsApp sends none when the profile has none)."""
    return guest_factory(venue, channel, name="")


def _book_table(guest: ChatGuest, request: str) -> str:
    """A confirmed table booked by a guest with a name; its reference."""
    (offer,) = guest.say(request)
    if offer.has("confirm_offer_name"):
        (done,) = guest.say(guest.name)
    else:
        (done,) = guest.tap("yes") if guest.channel == "whatsapp" else guest.say("yes")
    assert done.has("confirmed"), done.text
    return guest.bookings()[-1].reference


def _pick(guest: ChatGuest, reply: Reply, number: int) -> list[Reply]:
    """Pick option ``number`` (from 1) the way the channel does it."""
    if guest.channel == "whatsapp":
        return guest.tap(reply.options[number - 1][0])
    return guest.say(str(number))


# --- a bare number is an option on screen, or asked about; never a new time ----------------


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize(
    ("request_", "language"),
    [("table for 2 tomorrow 8pm", "en"), ("kal raat 8 baje 2 log", "hi-Latn")],
)
def test_a_bare_number_after_an_offer_asking_for_a_name_is_asked_about_not_a_new_time(
    guest_factory: Make, channel: str, request_: str, language: str
) -> None:
    guest = _nameless(guest_factory, "restaurant", channel)
    (offer,) = guest.say(request_)
    assert offer.has("confirm_offer_name", language) and "20:00" in offer.text
    (asked,) = guest.say("1")
    assert asked.has("number_unclear", language), asked.text
    assert "13:00" not in asked.text and "20:00" in asked.text
    (done,) = guest.say("Ravi Kumar")
    assert done.has("confirmed", language) and "20:00" in done.text
    (booking,) = guest.bookings()
    assert local_start(booking).hour == 20 and local_start(booking).date() == in_days(1)


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_bare_number_matching_an_option_on_screen_is_that_option(
    guest_factory: Make, channel: str
) -> None:
    guest = guest_factory("restaurant", channel, name="Meera")
    (offer,) = guest.say("table for 2 tomorrow 8pm, my name is Meera")
    assert offer.has("confirm_offer") and not offer.has("confirm_offer_name")
    (done,) = guest.say("1")
    assert done.has("confirmed") and "20:00" in done.text
    assert local_start(guest.bookings()[0]).hour == 20


def test_a_bare_number_past_the_options_on_screen_picks_nothing(guest_factory: Make) -> None:
    guest = guest_factory("hotel", "sms")
    (rooms,) = guest.say("room 24-27 Dec for 2")
    assert rooms.has("choose_room")
    (asked,) = guest.say("7")
    assert asked.has("number_unclear") and not asked.has("confirm_offer")
    assert guest.bookings() == []


# --- changes state before -> after and wait for a yes; today's weekday is asked about ----------


@pytest.mark.parametrize("channel", CHANNELS)
def test_moving_to_the_weekday_that_is_today_asks_which_and_then_for_a_yes(
    guest_factory: Make, channel: str
) -> None:
    booked_name, booked_day = weekday_in(4)
    guest = guest_factory("restaurant", channel, name="Kavya")
    reference = _book_table(guest, f"table for 2 on {booked_name} at 8pm")
    today_name = f"{today():%A}"
    (which,) = guest.say(f"can I change to {today_name}?")
    assert which.has("which_day"), which.text
    assert format_day(today()) in which.text and format_day(in_days(7)) in which.text
    assert local_start(guest.bookings()[0]).date() == booked_day
    (proposal,) = _pick(guest, which, 2)
    assert proposal.has("confirm_change"), proposal.text
    assert format_day(booked_day) in proposal.text and format_day(in_days(7)) in proposal.text
    assert local_start(guest.bookings()[0]).date() == booked_day
    (done,) = guest.tap("yes") if channel == "whatsapp" else guest.say("yes")
    assert done.has("changed") and format_day(in_days(7)) in done.text
    (booking,) = guest.bookings()
    assert booking.reference == reference
    assert local_start(booking).date() == in_days(7) and local_start(booking).hour == 20


@pytest.mark.parametrize("channel", CHANNELS)
def test_move_it_to_a_day_shows_before_and_after_and_a_no_keeps_the_booking(
    guest_factory: Make, channel: str
) -> None:
    booked_name, booked_day = weekday_in(4)
    new_name, new_day = weekday_in(2)
    guest = guest_factory("restaurant", channel, name="Dev")
    _book_table(guest, f"table for 2 on {booked_name} at 8pm")
    (proposal,) = guest.say(f"move it to {new_name}")
    assert proposal.has("confirm_change"), proposal.text
    assert format_day(booked_day) in proposal.text and format_day(new_day) in proposal.text
    assert not proposal.has("changed")
    (kept,) = guest.tap("no") if channel == "whatsapp" else guest.say("no")
    assert kept.has("kept")
    (booking,) = guest.bookings()
    assert local_start(booking).date() == booked_day and booking.status == BookingStatus.CONFIRMED


def test_a_new_booking_on_the_weekday_that_is_today_asks_which(guest_factory: Make) -> None:
    guest = guest_factory("restaurant", "sms", name="Neil")
    (which,) = guest.say(f"table for 2 on {today():%A} at 8pm")
    assert which.has("which_day"), which.text
    (offer,) = guest.say("2")
    assert offer.has("confirm_offer_name") and format_day(in_days(7)) in offer.text
    assert "20:00" in offer.text and guest.bookings() == []


# --- past dates are said to have passed; a year that is not this one is shown ----------------


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_date_that_has_passed_is_said_and_asked_not_moved_to_next_year(
    guest_factory: Make, channel: str
) -> None:
    past = today() - timedelta(days=4)
    guest = _nameless(guest_factory, "restaurant", channel)
    (passed,) = guest.say(f"table for 2 on {past.day} {past:%b} at 8pm")
    assert passed.has("date_passed"), passed.text
    assert not passed.has("confirm_offer_name") and guest.bookings() == []
    (offer,) = guest.say("tomorrow")
    assert offer.has("confirm_offer_name") and format_day(in_days(1)) in offer.text
    assert "20:00" in offer.text and "for 2" in offer.text


def test_yesterday_is_said_to_have_passed(guest_factory: Make) -> None:
    guest = _nameless(guest_factory, "restaurant", "sms")
    (passed,) = guest.say("table for 2 yesterday 8pm")
    assert passed.has("date_passed"), passed.text
    assert format_day(today()) not in passed.text


def test_a_date_in_another_year_shows_the_year(guest_factory: Make) -> None:
    later = today() + timedelta(days=200)
    guest = _nameless(guest_factory, "restaurant", "sms")
    (offer,) = guest.say(f"table for 2 on {later.day} {later:%b} {later.year} at 8pm")
    assert offer.has("confirm_offer_name")
    shown = format_day(later) + (f" {later.year}" if later.year != today().year else "")
    assert shown in offer.text


def test_a_hotel_stay_shown_in_another_year_has_its_year(guest_factory: Make) -> None:
    start = today() + timedelta(days=300)
    guest = guest_factory("hotel", "whatsapp", name="Ira")
    (rooms,) = guest.say(f"suite {start.day} {start:%b} {start.year} for 2 nights for 2")
    assert rooms.has("confirm_offer"), rooms.text
    if start.year != today().year:
        assert str(start.year) in rooms.text


# --- an answer to "what's your name?" is a name ------------------------------------------------


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_name_containing_cancel_is_taken_as_the_name(guest_factory: Make, channel: str) -> None:
    guest = _nameless(guest_factory, "restaurant", channel)
    (offer,) = guest.say("table for 2 tomorrow 8pm")
    assert offer.has("confirm_offer_name")
    (done,) = guest.say("Late Canceller")
    assert done.has("confirmed"), done.text
    (booking,) = guest.bookings()
    assert booking.status == BookingStatus.CONFIRMED


@pytest.mark.parametrize(("channel", "words"), [("sms", "cancel it"), ("whatsapp", "cancel")])
def test_cancel_said_instead_of_a_name_still_stops(
    guest_factory: Make, channel: str, words: str
) -> None:
    guest = _nameless(guest_factory, "restaurant", channel)
    guest.say("table for 2 tomorrow 8pm")
    (stopped,) = guest.say(words)
    assert stopped.has("abandoned")
    assert guest.bookings() == []


# --- found by the property test (test_confirmed_only) ------------------------------------------


def test_a_passed_day_said_instead_of_a_name_is_no_name(guest_factory: Make) -> None:
    guest = _nameless(guest_factory, "restaurant", "whatsapp")
    guest.say("table for 2 tomorrow 8pm")
    (passed,) = guest.say("yesterday")
    assert passed.has("date_passed") and guest.bookings() == []


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_new_time_while_the_name_is_asked_revises_the_offer(
    guest_factory: Make, channel: str
) -> None:
    guest = _nameless(guest_factory, "restaurant", channel)
    guest.say("table for 2 tomorrow 8pm")
    (ask,) = guest.say("yes")
    assert ask.has("ask_name")
    (offer,) = guest.say("8:30 instead")
    assert offer.has("confirm_offer_name") and "20:30" in offer.text
    (done,) = guest.say("Nora")
    assert done.has("confirmed") and "20:30" in done.text
    assert local_start(guest.bookings()[0]).minute == 30


def test_something_else_while_the_name_is_asked_shows_the_offer_again(
    guest_factory: Make,
) -> None:
    guest = _nameless(guest_factory, "restaurant", "sms")
    guest.say("table for 2 tomorrow 8pm")
    guest.say("yes")
    (again,) = guest.say("3")
    assert again.has("ask_name") and "20:00" in again.text and "for 2" in again.text
    assert guest.bookings() == []


def test_a_name_with_cancel_in_it_does_not_confirm_a_cancellation(guest_factory: Make) -> None:
    guest = guest_factory("restaurant", "whatsapp", name="Kiran")
    _book_table(guest, "table for 2 tomorrow 8pm")
    (quote,) = guest.say("cancel my booking")
    assert quote.has("confirm_cancel")
    (again,) = guest.say("Late Canceller")
    assert again.has("prompt_yes_no") and again.has("confirm_cancel")
    assert guest.bookings()[0].status == BookingStatus.CONFIRMED
    (done,) = guest.say("cancel it")
    assert done.has("cancelled")
    assert guest.bookings()[0].status == BookingStatus.CANCELLED


# --- a yes that carries other details revises the offer, it does not confirm it -------------


@pytest.mark.parametrize("channel", CHANNELS)
def test_yes_with_another_time_shows_that_time_instead_of_booking_the_one_offered(
    guest_factory: Make, channel: str
) -> None:
    guest = guest_factory("restaurant", channel, name="Tara")
    (offer,) = guest.say("table for 2 tomorrow 8pm, my name is Tara")
    assert "20:00" in offer.text and not offer.has("confirm_offer_name")
    (revised,) = guest.say("yes at 9pm")
    assert not revised.has("confirmed") and "21:00" in revised.text, revised.text
    assert guest.bookings() == []
    (done,) = guest.tap("yes") if channel == "whatsapp" else guest.say("yes")
    assert done.has("confirmed") and "21:00" in done.text
    assert local_start(guest.bookings()[0]).hour == 21


@pytest.mark.parametrize("channel", CHANNELS)
def test_yes_with_another_time_to_a_proposed_change_shows_the_new_change(
    guest_factory: Make, channel: str
) -> None:
    guest = guest_factory("restaurant", channel, name="Omar")
    _book_table(guest, "table for 2 in 3 days at 8pm")
    (proposal,) = guest.say("move it to 9pm")
    assert proposal.has("confirm_change") and "21:00" in proposal.text, proposal.text
    (again,) = guest.say("yes but 10pm")
    assert not again.has("changed") and "22:00" in again.text, again.text
    (booking,) = guest.bookings()
    assert local_start(booking).hour == 20
