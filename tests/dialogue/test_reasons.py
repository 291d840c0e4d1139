"""Issue 20, "reasons, not 'nothing is free'": a closed service says when the restaurant is
open that day and offers the free times (never a waitlist for a service that does not exist);
a party larger than any table says the largest and offers a person; a check-out before the
check-in shows both dates and asks for them again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest

from bot.catalog import t
from bot.format import format_day
from engine.bookings.enums import BookingStatus
from tests.dialogue.harness import ChatGuest, Reply
from tests.dialogue.helpers import in_days, today

Make = Callable[..., ChatGuest]


def _next_monday() -> date:
    """A Monday at least two days ahead (no lunch service at the demo restaurant)."""
    day = in_days(2)
    return day + timedelta(days=(7 - day.weekday()) % 7)


def _typed(day: date) -> str:
    return f"{day.day} {day:%b}"


def _shown(reply: Reply) -> str:
    """Everything the guest sees of a reply: its text and its buttons or rows."""
    return " ".join([reply.text, *(title for _, title in reply.options)])


@pytest.mark.parametrize("channel", ["sms", "whatsapp"])
def test_a_closed_monday_lunch_says_the_hours_and_offers_no_waitlist(
    guest_factory: Make, channel: str
) -> None:
    monday = _next_monday()
    guest = guest_factory("restaurant", channel, name="Lata")
    (closed,) = guest.say(f"table for 2 on {_typed(monday)} at 1pm")
    assert closed.has("closed_at") and not closed.has("alternatives"), closed.text
    assert "13:00" in closed.text and format_day(monday, today=today()) in closed.text
    assert "19:00-23:00" in closed.text
    assert closed.has("closed_alternatives") and "for 2 guests" in closed.text
    assert t("option_waitlist") not in _shown(closed)
    assert all(not option_id.startswith("waitlist") for option_id, _ in closed.options)
    assert "19:00" in _shown(closed)  # the dinner seatings that day are offered


def test_a_time_between_services_lists_both_services(guest_factory: Make) -> None:
    day = in_days(3) if in_days(3).weekday() else in_days(4)
    guest = guest_factory("restaurant", "whatsapp", name="Lata")
    (closed,) = guest.say(f"table for 2 on {_typed(day)} at 4:30pm")
    assert closed.has("closed_at") and "12:00-15:00, 19:00-23:00" in closed.text


@pytest.mark.parametrize("channel", ["sms", "whatsapp"])
def test_a_party_of_12_hears_the_largest_party_and_can_reach_a_person(
    guest_factory: Make, channel: str
) -> None:
    guest = guest_factory("restaurant", channel, name="Vikram")
    (sorry,) = guest.say("table for 12 tomorrow at 8pm")
    assert sorry.has("party_too_large") and "8" in sorry.text and "12" in sorry.text
    assert not sorry.has("request_problem") and "We can seat" not in sorry.text
    assert t("menu_agent") in _shown(sorry)
    (handoff,) = guest.tap("menu:agent") if channel == "whatsapp" else guest.say("1")
    assert handoff.has("handoff")
    assert guest.bookings() == []


def test_after_the_largest_party_a_smaller_number_is_the_party(guest_factory: Make) -> None:
    guest = guest_factory("restaurant", "sms")
    guest.say("table for 25 tomorrow at 8pm")  # above any booking's limit: still the venue's
    (sorry,) = guest.say("table for 12 tomorrow at 8pm")
    assert sorry.has("party_too_large")
    (offer,) = guest.say("6")
    assert offer.has("confirm_offer_name") and "for 6" in offer.text and "20:00" in offer.text


def test_a_party_over_every_limit_hears_the_venues_largest(guest_factory: Make) -> None:
    guest = guest_factory("restaurant", "whatsapp", name="Vikram")
    (sorry,) = guest.say("table for 25 tomorrow at 8pm")
    assert sorry.has("party_too_large") and "is 8," in sorry.text


@pytest.mark.parametrize("channel", ["sms", "whatsapp"])
def test_check_out_before_check_in_shows_both_and_asks_again(
    guest_factory: Make, channel: str
) -> None:
    start = in_days(20)
    end = start - timedelta(days=2)
    guest = guest_factory("hotel", channel, name="Ira")
    (sorry,) = guest.say(f"room {_typed(start)} to {_typed(end)} for 2")
    assert sorry.has("check_out_first"), sorry.text
    assert format_day(start, today=today()) in sorry.text
    assert format_day(end, today=today()) in sorry.text
    (rooms,) = guest.say(f"{_typed(end)} to {_typed(start)}")
    assert rooms.has("choose_room") and "for 2 guests" in rooms.text
    assert guest.bookings() == []


def test_a_pick_from_a_closed_services_times_books_it(guest_factory: Make) -> None:
    monday = _next_monday()
    guest = guest_factory("restaurant", "whatsapp", name="Lata")
    (closed,) = guest.say(f"table for 2 on {_typed(monday)} at 1pm")
    option_id, title = closed.options[0]
    (done,) = guest.tap(option_id, title)
    assert done.has("confirmed") and title.split()[-1] in done.text  # no second question
    (booking,) = guest.bookings()
    assert booking.status == BookingStatus.CONFIRMED
