"""Issue 20, "one confirmation is enough": a pick from a list that showed the whole offer
(each table's date and time under the party; each room under the stay and guests) is the
guest's yes. It goes straight to the name (shown with the offer again) or the booking, never
to "Shall I book it?" a second time. A list the guest did not see whole, or a pick that no
longer answers it, is confirmed once more.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from engine.bookings.enums import BookingStatus
from tests.dialogue.harness import ChatGuest
from tests.dialogue.helpers import local_start, lunch_day

Make = Callable[..., ChatGuest]


def _fill_8pm(guest_factory: Make, when: str = "tomorrow") -> None:
    """Three parties of six take every seating for six at 20:00 ``when`` (tomorrow)."""
    for letter in "ABC":
        guest = guest_factory("restaurant", "sms")
        guest.say(f"table for 6 {when} 8pm")
        guest.say(f"Guest {letter}")


@pytest.mark.parametrize("channel", ["sms", "whatsapp"])
def test_picking_a_nearby_time_books_it_without_asking_again(
    guest_factory: Make, channel: str
) -> None:
    _fill_8pm(guest_factory)
    guest = guest_factory("restaurant", channel, name="Zara")
    (alternatives,) = guest.say("table for 6 tomorrow 8pm")
    assert alternatives.has("alternatives") and "for 6 guests" in alternatives.text
    if channel == "whatsapp":
        option_id, title = alternatives.options[0]
        (held,) = guest.tap(option_id, title)
    else:
        title = alternatives.text.split("\n1) ")[1].split("\n")[0]
        (named,) = guest.say("1")
        assert named.has("ask_name_for") and title.split()[-1] in named.text
        assert not named.has("confirm_offer_name")
        (held,) = guest.say("Zara Khan")
    assert held.has("held_payment") and not held.has("confirm_offer")
    (booking,) = guest.bookings()
    assert booking.status == BookingStatus.PENDING_PAYMENT and booking.party_size == 6
    assert f"{local_start(booking):%H:%M}" == title.split()[-1]


def test_times_of_one_day_name_it_in_the_sentence_and_rows_keep_to_the_time(
    guest_factory: Make,
) -> None:
    # At most three alternatives, best first: here all of that day's (lunch too), so the
    # list's sentence names the day and the party, and each row is a time.
    when, _ = lunch_day()
    _fill_8pm(guest_factory, when)
    guest = guest_factory("restaurant", "whatsapp", name="Zara")
    (alternatives,) = guest.say(f"table for 6 {when} 8pm")
    assert alternatives.has("alternatives_on_day") and "for 6 guests on " in alternatives.text
    titles = [title for option_id, title in alternatives.options if option_id.startswith("offer")]
    assert 0 < len(titles) <= 3 and all(len(title.split()) == 1 for title in titles), titles


def test_a_spanish_sms_list_that_fits_three_segments_is_seen_whole_and_its_pick_is_the_yes(
    guest_factory: Make,
) -> None:
    _fill_8pm(guest_factory)
    guest = guest_factory("restaurant", "sms")
    (alternatives,) = guest.say("una mesa para 6 mañana a las 8 de la noche")
    assert alternatives.has("alternatives_on_day", "es") and alternatives.segments <= 3
    (named,) = guest.say("1")
    assert named.has("ask_name_for", "es") and not named.has("confirm_offer_name", "es")


def test_a_pick_after_another_message_is_confirmed_again(guest_factory: Make) -> None:
    _fill_8pm(guest_factory)
    guest = guest_factory("restaurant", "whatsapp", name="Zara")
    (alternatives,) = guest.say("table for 6 tomorrow 8pm")
    option_id, title = alternatives.options[0]
    (sorry,) = guest.say("hmm")
    assert sorry.has("not_understood")
    (offer,) = guest.tap(option_id, title)  # the list is no longer the last thing said
    assert offer.has("confirm_offer") and guest.bookings() == []
