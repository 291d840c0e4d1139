"""Booking by chat, end to end: replies as the guest sees them, and the engine state after."""

from __future__ import annotations

from collections.abc import Callable

from engine.bookings.enums import BookingStatus
from tests.dialogue.harness import ChatGuest

Make = Callable[..., ChatGuest]


def test_restaurant_all_at_once_on_sms_books_in_two_turns(guest_factory: Make) -> None:
    guest = guest_factory("restaurant", "sms")
    (offer,) = guest.say("table for 4 tomorrow 8pm")
    assert offer.has("confirm_offer_name")
    assert "20:00" in offer.text
    (done,) = guest.say("Ravi Kumar")
    assert done.has("confirmed")
    (booking,) = guest.bookings()
    assert booking.status == BookingStatus.CONFIRMED and booking.party_size == 4
    assert booking.reference in done.text
    assert guest.turns <= 2


def test_restaurant_all_at_once_on_whatsapp_uses_profile_name_and_buttons(
    guest_factory: Make,
) -> None:
    guest = guest_factory("restaurant", "whatsapp", name="Meera")
    (offer,) = guest.say("table for 2 tomorrow at 7:30pm")
    assert offer.has("confirm_offer")
    assert [o[0] for o in offer.options] == ["yes", "no"]
    (done,) = guest.tap("yes", "Yes, book it")
    assert done.has("confirmed")
    assert guest.bookings()[0].status == BookingStatus.CONFIRMED
    assert guest.turns == 2


def test_hotel_all_at_once_then_choice_holds_and_waits_for_payment(guest_factory: Make) -> None:
    guest = guest_factory("hotel", "whatsapp", name="Asha")
    (offers,) = guest.say("double room 24-27 Dec for 2")
    assert offers.has("choose_room")
    assert [title for _, title in offers.options] == ["Standard", "Deluxe", "Suite"]
    assert "24 Dec to Sun 27 Dec for 2 guests" in offers.text
    (held,) = guest.tap(
        "offer:1", "Deluxe"
    )  # the stay and guests were on screen: the pick is the yes
    assert held.has("held_payment") and "Deluxe" in held.text
    (booking,) = guest.bookings()
    assert booking.status == BookingStatus.PENDING_PAYMENT
    assert booking.amount == 3 * 550_000


def test_one_thing_at_a_time_is_led_to_a_booking(guest_factory: Make) -> None:
    guest = guest_factory("restaurant", "sms")
    (ask,) = guest.say("I'd like to book a table")
    assert ask.has("ask_day_time_party")
    (ask,) = guest.say("tomorrow")
    assert ask.has("ask_time_party")
    (ask,) = guest.say("8pm")
    assert ask.has("ask_party")
    (offer,) = guest.say("4")
    assert offer.has("confirm_offer_name")
    (done,) = guest.say("Anita")
    assert done.has("confirmed")
    assert guest.bookings()[0].party_size == 4


def test_change_of_mind_mid_flow_updates_the_party_without_starting_over(
    guest_factory: Make,
) -> None:
    guest = guest_factory("restaurant", "whatsapp", name="Kabir")
    (offer,) = guest.say("table for 4 tomorrow 8pm")
    assert "for 4" in offer.text
    (offer,) = guest.say("actually 6 people")
    assert offer.has("confirm_offer") and "for 6" in offer.text
    guest.tap("yes")
    assert guest.bookings()[0].party_size == 6


def test_large_party_pays_a_deposit_before_confirmation(guest_factory: Make) -> None:
    guest = guest_factory("restaurant", "sms", name="Dev")
    guest.say("table for 6 tomorrow 8pm")
    (held,) = guest.say("Dev Anand")
    assert held.has("held_payment")
    (booking,) = guest.bookings()
    assert booking.status == BookingStatus.PENDING_PAYMENT
    assert booking.amount == 6 * 20_000


def test_unavailable_time_offers_alternatives_and_one_is_booked(guest_factory: Make) -> None:
    # Three seatings fit six people at 20:00: T9, T10 and the combinable T7+T8.
    first = [guest_factory("restaurant", "sms") for _ in range(3)]
    for n, guest in enumerate(first):
        guest.say("table for 6 tomorrow 8pm")
        guest.say(f"Guest {'ABC'[n]}")
    assert all(g.bookings()[0].status == BookingStatus.PENDING_PAYMENT for g in first)
    late = guest_factory("restaurant", "whatsapp", name="Zara")
    (alternatives,) = late.say("table for 6 tomorrow 8pm")
    assert alternatives.has("alternatives")
    assert "for 6 guests" in alternatives.text
    option_id, title = alternatives.options[0]
    (held,) = late.tap(option_id, title)  # date and time in the option, the party above it
    assert held.has("held_payment") and title.split()[-1] in held.text
    assert late.bookings()[0].starts_at != first[0].bookings()[0].starts_at


def test_hinglish_booking_replies_in_hinglish(guest_factory: Make) -> None:
    guest = guest_factory("restaurant", "whatsapp", name="Priya")
    (offer,) = guest.say("kal raat 8 baje 4 log ke liye table chahiye")
    assert offer.has("confirm_offer", "hi-Latn")
    (done,) = guest.tap("yes")
    assert done.has("confirmed", "hi-Latn")


def test_spanish_booking_replies_in_spanish(guest_factory: Make) -> None:
    guest = guest_factory("restaurant", "sms")
    (offer,) = guest.say("quiero reservar una mesa mañana a las 9 para 4 personas")
    assert offer.has("confirm_offer_name", "es")
    (done,) = guest.say("Lucia")
    assert done.has("confirmed", "es")


def test_explicit_language_switch_is_remembered(guest_factory: Make) -> None:
    guest = guest_factory("hotel", "sms")
    (ack,) = guest.say("en español por favor")
    assert ack.has("language_set", "es")
    (greeting,) = guest.say("hola")
    assert greeting.has("greet_hotel", "es")
