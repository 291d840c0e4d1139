"""The venue's rule after no-shows: a guest who missed N tables pays a deposit for the next one,
and the bot says why, politely and in the guest's language, before the guest says yes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import time, timedelta

import pytest

from engine.bookings.enums import BookingStatus
from engine.bookings.service import mark_no_show
from engine.guests.service import get_or_create_guest
from engine.tenants.service import update_venue, venue_by_slug
from tests.admin_api.conftest import book_table
from tests.dialogue.harness import ChatGuest
from tests.dialogue.helpers import in_days

Make = Callable[..., ChatGuest]
#: The demo restaurant's deposit per person (₹200), in paise.
DEPOSIT_PER_PERSON = 20_000
AFTER = 2


def missed(guest: ChatGuest, tables: int) -> None:
    """The restaurant asks for a deposit after AFTER no-shows; ``guest`` missed ``tables``
    tables in the past weeks (marked no-show by staff half an hour after each start)."""
    with guest.sessions.begin() as session:
        restaurant = venue_by_slug(session, slug="spice-garden")
        update_venue(session, venue=restaurant, fields={"no_show_deposit_after": AFTER})
        get_or_create_guest(
            session, business_id=restaurant.business_id, phone=guest.phone, name=guest.name
        )
        for weeks in range(1, tables + 1):
            day = in_days(-7 * weeks)
            booking = book_table(session, restaurant, day, time(20), 2, guest.phone)
            assert booking.starts_at is not None
            later = booking.starts_at + timedelta(minutes=30)
            mark_no_show(session, booking=booking, actor="staff", now=later)


def test_one_no_show_short_of_the_rule_a_table_is_confirmed_at_once(guest_factory: Make) -> None:
    guest = guest_factory("restaurant", "sms", name="Ravi")
    missed(guest, AFTER - 1)
    (offer,) = guest.say("table for 2 tomorrow 8pm, name Ravi")
    assert offer.has("confirm_offer") and not offer.has("no_show_deposit")
    (done,) = guest.say("yes")
    assert done.has("confirmed")
    booking = guest.bookings()[-1]
    assert (booking.status, booking.amount) == (BookingStatus.CONFIRMED, 0)


@pytest.mark.parametrize("channel", ["whatsapp", "sms"])
def test_from_the_nth_no_show_the_bot_asks_for_a_deposit_and_says_why(
    guest_factory: Make, channel: str
) -> None:
    guest = guest_factory("restaurant", channel, name="Meera")
    missed(guest, AFTER)
    (offer,) = guest.say("table for 2 tomorrow 8pm, name Meera")
    assert offer.has("no_show_deposit") and offer.has("confirm_offer")
    assert "400" in offer.text  # two people at ₹200 each
    held = guest.tap("yes") if channel == "whatsapp" else guest.say("yes")
    assert held[-1].has("held_payment")
    booking = guest.bookings()[-1]
    assert booking.status == BookingStatus.PENDING_PAYMENT
    assert booking.amount == 2 * DEPOSIT_PER_PERSON


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("hi-Latn", "kal raat 8 baje 2 log ke liye table chahiye"),
        ("es", "quiero reservar una mesa mañana a las 8 de la noche para 2 personas"),
    ],
)
def test_the_reason_for_the_deposit_is_given_in_the_guests_language(
    guest_factory: Make, language: str, message: str
) -> None:
    guest = guest_factory("restaurant", "whatsapp", name="Ana")
    missed(guest, AFTER)
    (offer,) = guest.say(message)
    assert offer.has("no_show_deposit", language) and offer.has("confirm_offer", language)
