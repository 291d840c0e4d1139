"""More ways guests book: one detail at a time or all at once, naming or numbering the room,
changing their mind, walking away, and finding something else when the first wish is taken.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from bot.format import format_day
from engine.bookings.enums import BookingStatus
from tests.dialogue.harness import ChatGuest
from tests.dialogue.helpers import guest_name, in_days, local_start, next_date, weekday_in

Make = Callable[..., ChatGuest]
DELUXE, SUITE, STANDARD = 550_000, 900_000, 350_000


def test_hotel_one_detail_at_a_time_on_sms_dates_nights_guests(guest_factory: Make) -> None:
    guest = guest_factory("hotel", "sms")
    (ask,) = guest.say("I want to book a room")
    assert ask.has("ask_dates_guests")
    (ask,) = guest.say("24 Dec")
    assert ask.has("ask_nights_guests")
    (which,) = guest.say("3")  # three nights or three guests: both fit, so it is asked
    assert which.has("which_reading") and "1) 3 nights" in which.text
    (ask,) = guest.say("1")
    assert ask.has("ask_guests")
    (offers,) = guest.say("2")
    assert offers.has("choose_room")
    assert "1) Standard" in offers.text and "2) Deluxe" in offers.text
    (confirm,) = guest.say("2")  # SMS: the numbered option, under the stay: no second yes
    assert confirm.has("ask_name_for") and "Deluxe room" in confirm.text
    (held,) = guest.say("Rohan Mehta")
    assert held.has("held_payment") and "Rs 16,500" in held.text
    (booking,) = guest.bookings()
    assert booking.status == BookingStatus.PENDING_PAYMENT
    assert booking.check_in == next_date(12, 24)
    assert booking.check_out == booking.check_in + timedelta(days=3)
    assert booking.party_size == 2 and booking.amount == 3 * DELUXE
    assert booking.reference in held.text


def test_hotel_from_a_weekday_for_two_nights_on_whatsapp(guest_factory: Make) -> None:
    name, friday_like = weekday_in(3)
    guest = guest_factory("hotel", "whatsapp", name="Farah")
    (offers,) = guest.say(f"room for 2 from {name} for 2 nights")
    assert offers.has("choose_room")
    assert [title for _, title in offers.options] == ["Standard", "Deluxe", "Suite"]
    assert format_day(friday_like) in offers.text
    (held,) = guest.tap("offer:0", "Standard")
    assert held.has("held_payment")
    assert format_day(friday_like) in held.text and "2 nights" in held.text
    (booking,) = guest.bookings()
    assert (booking.check_in, booking.check_out) == (friday_like, friday_like + timedelta(days=2))
    assert booking.amount == 2 * STANDARD and booking.party_size == 2


def test_room_type_named_up_front_goes_straight_to_confirmation(guest_factory: Make) -> None:
    guest = guest_factory("hotel", "sms")
    (confirm,) = guest.say("deluxe room 24-27 Dec for 2")
    assert confirm.has("confirm_offer_name")
    assert "Deluxe room" in confirm.text and "(3 nights)" in confirm.text
    (held,) = guest.say("Kiran Rao")
    assert held.has("held_payment")
    assert guest.turns <= 2
    (booking,) = guest.bookings()
    assert booking.status == BookingStatus.PENDING_PAYMENT
    assert booking.amount == 3 * DELUXE


def test_hotel_all_at_once_on_whatsapp_books_in_two_turns(guest_factory: Make) -> None:
    guest = guest_factory("hotel", "whatsapp", name="Vikram")
    (confirm,) = guest.say("suite 24-27 Dec for 2")
    assert confirm.has("confirm_offer") and "Suite room" in confirm.text
    (held,) = guest.tap("yes")
    assert held.has("held_payment") and "₹27,000" in held.text
    assert guest.turns == 2
    (booking,) = guest.bookings()
    assert booking.amount == 3 * SUITE and booking.status == BookingStatus.PENDING_PAYMENT


def test_choosing_a_room_by_naming_it(guest_factory: Make) -> None:
    guest = guest_factory("hotel", "sms")
    (offers,) = guest.say("room 24-27 Dec for 2")
    assert offers.has("choose_room")
    (confirm,) = guest.say("the suite")
    assert confirm.has("ask_name_for") and "Suite room" in confirm.text
    (held,) = guest.say("Anil Kapoor")
    assert held.has("held_payment")
    (booking,) = guest.bookings()
    assert booking.amount == 3 * SUITE


def test_wanted_room_type_taken_says_so_and_shows_the_rest(guest_factory: Make) -> None:
    first = guest_factory("hotel", "whatsapp", name="First")
    first.say("suite 24-27 Dec for 2")
    first.tap("yes")
    guest = guest_factory("hotel", "whatsapp", name="Second")
    (offers,) = guest.say("suite 24-27 Dec for 2")
    assert offers.has("room_type_taken") and "Suite" in offers.text
    assert [title for _, title in offers.options] == ["Standard", "Deluxe"]
    (held,) = guest.tap("offer:1", "Deluxe")
    assert held.has("held_payment") and "Deluxe room" in held.text
    (booking,) = guest.bookings()
    assert booking.amount == 3 * DELUXE


def test_hotel_full_offers_other_dates_and_one_is_held(guest_factory: Make) -> None:
    # Four guests fit only the one Suite; once it is held for 24-27 Dec the stay moves.
    first = guest_factory("hotel", "whatsapp", name="First")
    first.say("suite 24-27 Dec for 4")
    first.tap("yes")
    guest = guest_factory("hotel", "whatsapp", name="Later")
    (alternatives,) = guest.say("room for 4 from 24 to 27 Dec")
    assert alternatives.has("alternatives")
    assert alternatives.options[-1][0] == "waitlist:join"
    option_id, title = alternatives.options[0]
    assert "Suite" in title
    (confirm,) = guest.tap(option_id, title)
    assert confirm.has("confirm_offer") and "Suite room" in confirm.text
    (held,) = guest.tap("yes")
    assert held.has("held_payment")
    (booking,) = guest.bookings()
    assert booking.status == BookingStatus.PENDING_PAYMENT and booking.party_size == 4
    taken = first.bookings()[0]
    assert taken.check_in is not None and taken.check_out is not None
    assert booking.check_in is not None and booking.check_out is not None
    assert booking.check_in >= taken.check_out or booking.check_out <= taken.check_in
    assert (booking.check_out - booking.check_in).days == 3


def test_restaurant_change_of_day_mid_flow_make_it_weekday(guest_factory: Make) -> None:
    name, later = weekday_in(3)
    guest = guest_factory("restaurant", "sms")
    (offer,) = guest.say("table for 3 tomorrow 8pm")
    assert format_day(in_days(1)) in offer.text
    (offer,) = guest.say(f"make it {name}")
    assert offer.has("confirm_offer_name")
    assert format_day(later) in offer.text and "20:00" in offer.text and "for 3" in offer.text
    (done,) = guest.say("Sunil")
    assert done.has("confirmed")
    (booking,) = guest.bookings()
    assert local_start(booking).date() == later and local_start(booking).hour == 20
    assert booking.party_size == 3


def test_hotel_change_of_arrival_mid_flow_keeps_the_nights(guest_factory: Make) -> None:
    first_name, first_day = weekday_in(2)
    later_name, later_day = weekday_in(4)
    guest = guest_factory("hotel", "whatsapp", name="Nikhil")
    (confirm,) = guest.say(f"deluxe room from {first_name} for 2 nights for 2")
    assert confirm.has("confirm_offer") and format_day(first_day) in confirm.text
    (confirm,) = guest.say(f"make it {later_name}")
    assert confirm.has("confirm_offer")
    assert format_day(later_day) in confirm.text
    assert format_day(later_day + timedelta(days=2)) in confirm.text
    guest.tap("yes")
    (booking,) = guest.bookings()
    assert (booking.check_in, booking.check_out) == (later_day, later_day + timedelta(days=2))


def test_time_change_mid_flow_on_whatsapp(guest_factory: Make) -> None:
    guest = guest_factory("restaurant", "whatsapp", name="Tara")
    guest.say("table for 2 tomorrow 8pm")
    (offer,) = guest.say("9:30 instead")
    assert offer.has("confirm_offer") and "21:30" in offer.text
    guest.tap("yes")
    (booking,) = guest.bookings()
    assert (local_start(booking).hour, local_start(booking).minute) == (21, 30)


def test_stop_this_while_asked_for_a_name_abandons_and_books_nothing(
    guest_factory: Make,
) -> None:
    guest = guest_factory("restaurant", "sms")
    (offer,) = guest.say("table for 4 tomorrow 8pm")
    assert offer.has("confirm_offer_name")
    (stopped,) = guest.say("stop this")
    assert stopped.has("abandoned")
    assert guest.bookings() == []


def test_no_to_the_room_list_abandons(guest_factory: Make) -> None:
    guest = guest_factory("hotel", "whatsapp", name="Omar")
    (offers,) = guest.say("room 24-27 Dec for 2")
    assert offers.has("choose_room")
    (stopped,) = guest.say("no")
    assert stopped.has("abandoned")
    assert [o[0] for o in stopped.options] == ["menu:book", "menu:check", "menu:agent"]
    assert guest.bookings() == []


def test_no_to_the_offer_then_another_time_is_booked(guest_factory: Make) -> None:
    guest = guest_factory("restaurant", "whatsapp", name="Ira")
    guest.say("table for 2 tomorrow 8pm")
    (declined,) = guest.tap("no")
    assert declined.has("declined")
    assert guest.bookings() == []
    (offer,) = guest.say("how about 9pm")
    assert offer.has("confirm_offer") and "21:00" in offer.text
    (done,) = guest.tap("yes")
    assert done.has("confirmed")
    (booking,) = guest.bookings()
    assert local_start(booking).hour == 21 and booking.status == BookingStatus.CONFIRMED


def test_a_name_the_classifier_mistakes_for_no_is_still_a_name(guest_factory: Make) -> None:
    guest = guest_factory("restaurant", "sms")
    guest.say("table for 2 tomorrow 8pm")
    (done,) = guest.say("Nora")
    assert done.has("confirmed")
    (booking,) = guest.bookings()
    assert booking.status == BookingStatus.CONFIRMED
    assert guest_name(guest) == "Nora"


def test_yes_without_a_name_asks_for_it_and_thanks_is_not_a_name(guest_factory: Make) -> None:
    guest = guest_factory("restaurant", "sms")
    guest.say("table for 2 tomorrow 8pm")
    (ask,) = guest.say("yes")
    assert ask.has("ask_name")
    (ask,) = guest.say("thank you")
    assert ask.has("ask_name")
    assert guest.bookings() == []
    (done,) = guest.say("Noah Smith")
    assert done.has("confirmed")
    assert guest_name(guest) == "Noah Smith"


def test_restaurant_one_at_a_time_on_whatsapp(guest_factory: Make) -> None:
    guest = guest_factory("restaurant", "whatsapp", name="Leela")
    (ask,) = guest.say("can I book a table?")
    assert ask.has("ask_day_time_party")
    (ask,) = guest.say("4 people")
    assert ask.has("ask_day_time")
    (ask,) = guest.say("tomorrow")
    assert ask.has("ask_time")
    (offer,) = guest.say("at 7:45pm")
    assert offer.has("confirm_offer") and "19:45" in offer.text and "for 4" in offer.text
    (done,) = guest.tap("yes")
    assert done.has("confirmed")
    (booking,) = guest.bookings()
    assert booking.party_size == 4 and local_start(booking).date() == in_days(1)


def test_menu_book_button_then_all_at_once(guest_factory: Make) -> None:
    guest = guest_factory("hotel", "whatsapp", name="Rhea")
    (hello,) = guest.say("hi")
    assert hello.has("greet_hotel_name")
    (ask,) = guest.tap("menu:book", "Make a booking")
    assert ask.has("ask_start_booking_hotel")
    (confirm,) = guest.say("standard room 24-27 Dec for 1")
    assert confirm.has("confirm_offer") and "Standard room" in confirm.text
    (held,) = guest.tap("yes")
    assert held.has("held_payment")
    (booking,) = guest.bookings()
    assert booking.party_size == 1 and booking.amount == 3 * STANDARD


def test_more_guests_than_any_room_sleeps_says_so_and_recovers(guest_factory: Make) -> None:
    guest = guest_factory("hotel", "whatsapp", name="Big Family")
    (sorry,) = guest.say("room for 5 guests 24-27 Dec")
    assert sorry.has("too_many_guests") and "sleeps 4" in sorry.text
    assert not sorry.has("nothing_available")
    (offers,) = guest.say("4 guests")
    assert offers.has("choose_room") and [title for _, title in offers.options] == ["Suite"]
    (held,) = guest.tap("offer:0", "Suite")
    assert held.has("held_payment")
    (booking,) = guest.bookings()
    assert booking.party_size == 4 and booking.amount == 3 * SUITE
