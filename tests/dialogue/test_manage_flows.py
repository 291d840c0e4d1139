"""Managing bookings by chat: check, cancel (with the refund quoted first) and change."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from bot.format import format_day
from engine.bookings.enums import BookingStatus
from tests.dialogue.harness import ChatGuest, Reply
from tests.dialogue.helpers import last_event, local_start, pay, weekday_in

Make = Callable[..., ChatGuest]


def _accept(guest: ChatGuest, offer: Reply) -> Reply:
    """Say yes to an offer: a tap, "yes", or the name when that is what was asked."""
    if guest.channel == "whatsapp":
        (reply,) = guest.tap("yes")
    else:
        (reply,) = guest.say("Ravi Kumar" if offer.has("confirm_offer_name") else "yes")
    return reply


def _table(guest: ChatGuest, request: str = "table for 2 tomorrow 8pm") -> str:
    """Book a free table by chat; the reference."""
    (offer,) = guest.say(request)
    assert _accept(guest, offer).has("confirmed")
    return guest.bookings()[-1].reference


def _paid_stay(guest: ChatGuest, request: str) -> str:
    """Hold a room by chat and pay for it; the reference."""
    (offer,) = guest.say(request)
    assert _accept(guest, offer).has("held_payment")
    reference = guest.bookings()[-1].reference
    pay(guest, reference)
    return reference


def test_check_with_no_bookings_offers_to_make_one(guest_factory: Make) -> None:
    guest = guest_factory("restaurant", "sms")
    (reply,) = guest.say("do I have a booking?")
    assert reply.has("no_bookings")
    assert guest.bookings() == []


def test_check_lists_every_live_booking(guest_factory: Make) -> None:
    guest = guest_factory("restaurant", "whatsapp", name="Maya")
    first = _table(guest)
    second = _table(guest, "table for 3 tomorrow 9pm")
    (reply,) = guest.say("show my bookings")
    assert reply.has("your_bookings")
    assert first in reply.text and second in reply.text
    assert "20:00" in reply.text and "21:00" in reply.text
    assert [b.status for b in guest.bookings()] == [BookingStatus.CONFIRMED] * 2


def test_check_shows_a_hold_awaiting_payment(guest_factory: Make) -> None:
    guest = guest_factory("hotel", "sms")
    guest.say("deluxe room 24-27 Dec for 2")
    guest.say("Ravi")
    (reply,) = guest.say("is my room booked?")
    assert reply.has("your_bookings")
    (booking,) = guest.bookings()
    assert booking.reference in reply.text and "(awaiting payment)" in reply.text


def test_my_bookings_button(guest_factory: Make) -> None:
    guest = guest_factory("restaurant", "whatsapp", name="Kavya")
    reference = _table(guest)
    (reply,) = guest.tap("menu:check", "My bookings")
    assert reply.has("your_bookings") and reference in reply.text


def test_cancel_a_free_table_on_sms_with_numbered_yes(guest_factory: Make) -> None:
    guest = guest_factory("restaurant", "sms")
    reference = _table(guest)
    (quote,) = guest.say("cancel my booking")
    assert quote.has("confirm_cancel") and reference in quote.text
    assert "1) Yes, cancel it" in quote.text
    (done,) = guest.say("1")
    assert done.has("cancelled") and reference in done.text
    (booking,) = guest.bookings()
    assert booking.status == BookingStatus.CANCELLED
    (after,) = guest.say("my bookings")
    assert after.has("no_bookings")


def test_cancel_then_keep_it_leaves_the_booking(guest_factory: Make) -> None:
    guest = guest_factory("restaurant", "whatsapp", name="Dia")
    _table(guest)
    (quote,) = guest.say("cancel my booking")
    assert [o[0] for o in quote.options] == ["yes", "no"]
    (kept,) = guest.tap("no", "No, keep it")
    assert kept.has("kept")
    assert guest.bookings()[0].status == BookingStatus.CONFIRMED


def test_cancel_one_of_several_picked_from_the_list(guest_factory: Make) -> None:
    guest = guest_factory("restaurant", "whatsapp", name="Neel")
    first = _table(guest)
    second = _table(guest, "table for 3 tomorrow 9pm")
    (which,) = guest.say("I want to cancel a booking")
    assert which.has("which_booking_cancel")
    assert [o[0] for o in which.options] == [f"booking:{first}", f"booking:{second}"]
    (quote,) = guest.tap(f"booking:{second}", second)
    assert quote.has("confirm_cancel") and second in quote.text
    (done,) = guest.tap("yes")
    assert done.has("cancelled")
    statuses = {b.reference: b.status for b in guest.bookings()}
    assert statuses == {first: BookingStatus.CONFIRMED, second: BookingStatus.CANCELLED}


def test_a_tapped_booking_is_picked_even_when_its_title_reads_as_no(guest_factory: Make) -> None:
    # A row's title is its booking's random reference: one the classifier read as "no" kept
    # the booking instead of quoting its cancellation.
    guest = guest_factory("restaurant", "whatsapp", name="Neel")
    _table(guest)
    second = _table(guest, "table for 3 tomorrow 9pm")
    guest.say("I want to cancel a booking")
    (quote,) = guest.tap(f"booking:{second}", "No")
    assert quote.has("confirm_cancel") and second in quote.text


def test_cancel_by_reference_skips_the_question_which(guest_factory: Make) -> None:
    guest = guest_factory("restaurant", "sms")
    first = _table(guest)
    second = _table(guest, "table for 3 tomorrow 9pm")
    (quote,) = guest.say(f"please cancel {first}")
    assert quote.has("confirm_cancel") and first in quote.text and second not in quote.text
    guest.say("yes")
    statuses = {b.reference: b.status for b in guest.bookings()}
    assert statuses == {first: BookingStatus.CANCELLED, second: BookingStatus.CONFIRMED}


def test_cancel_reference_given_when_asked_which(guest_factory: Make) -> None:
    guest = guest_factory("restaurant", "whatsapp", name="Ojas")
    first = _table(guest)
    second = _table(guest, "table for 3 tomorrow 9pm")
    (which,) = guest.say("cancel my booking")
    assert which.has("which_booking_cancel")
    (quote,) = guest.say(f"cancel {second}")
    assert quote.has("confirm_cancel") and second in quote.text
    guest.tap("yes")
    statuses = {b.reference: b.status for b in guest.bookings()}
    assert statuses == {first: BookingStatus.CONFIRMED, second: BookingStatus.CANCELLED}


def test_paid_stay_cancelled_early_quotes_and_refunds_everything(guest_factory: Make) -> None:
    guest = guest_factory("hotel", "whatsapp", name="Irfan")
    reference = _paid_stay(guest, "deluxe room 24-27 Dec for 2")
    (quote,) = guest.say("cancel my booking")
    assert quote.has("confirm_cancel_refund")
    assert "₹16,500 back (100%)" in quote.text and reference in quote.text
    (done,) = guest.tap("yes", "Yes, cancel it")
    assert done.has("cancelled_refund") and "₹16,500" in done.text
    (booking,) = guest.bookings()
    assert booking.status == BookingStatus.CANCELLED and booking.amount_paid == 3 * 550_000
    details = last_event(guest, reference).details
    assert details["refund_amount"] == 3 * 550_000 and details["refund_percent"] == 100


def test_paid_stay_cancelled_within_48_hours_refunds_half(guest_factory: Make) -> None:
    guest = guest_factory("hotel", "sms")
    reference = _paid_stay(guest, "deluxe room tomorrow for 2 nights for 2")
    (quote,) = guest.say("cancel my booking")
    assert quote.has("confirm_cancel_refund") and "Rs 5,500 back (50%)" in quote.text
    (done,) = guest.say("1")
    assert done.has("cancelled_refund") and "Rs 5,500" in done.text
    (booking,) = guest.bookings()
    assert booking.status == BookingStatus.CANCELLED and booking.amount_paid == 2 * 550_000
    details = last_event(guest, reference).details
    assert details["refund_amount"] == 550_000 and details["refund_percent"] == 50


def test_unpaid_hold_cancelled_while_awaiting_payment(guest_factory: Make) -> None:
    guest = guest_factory("restaurant", "whatsapp", name="Rohit")
    guest.say("table for 6 tomorrow 8pm")
    (held,) = guest.tap("yes")
    assert held.has("held_payment")
    (reminder,) = guest.say("ok")
    assert reminder.has("payment_pending")
    (quote,) = guest.say("cancel it")
    assert quote.has("confirm_cancel")
    guest.tap("yes")
    assert guest.bookings()[0].status == BookingStatus.CANCELLED


def test_change_time_in_two_steps(guest_factory: Make) -> None:
    guest = guest_factory("restaurant", "whatsapp", name="Sara")
    reference = _table(guest)
    (ask,) = guest.say("change my booking")
    assert ask.has("ask_change") and reference in ask.text
    (proposal,) = guest.say("9pm")
    assert proposal.has("confirm_change") and "20:00" in proposal.text and "21:00" in proposal.text
    assert local_start(guest.bookings()[0]).hour == 20
    (done,) = guest.tap("yes")
    assert done.has("changed") and "21:00" in done.text
    (booking,) = guest.bookings()
    assert booking.reference == reference and local_start(booking).hour == 21
    assert booking.status == BookingStatus.CONFIRMED


def test_a_greeting_while_a_change_is_shown_puts_the_change_again(guest_factory: Make) -> None:
    guest = guest_factory("restaurant", "sms")
    _table(guest)
    guest.say("change my booking")
    (proposal,) = guest.say("9pm")
    assert proposal.has("confirm_change")
    (again,) = guest.say("hello")  # no row of the confirming-a-change state routes a greeting
    assert again.has("not_understood") and again.has("prompt_yes_no")
    assert again.has("confirm_change") and "21:00" in again.text
    assert local_start(guest.bookings()[0]).hour == 20
    (done,) = guest.say("yes")
    assert done.has("changed") and local_start(guest.bookings()[0]).hour == 21


def test_change_day_in_one_message(guest_factory: Make) -> None:
    name, later = weekday_in(3)
    guest = guest_factory("restaurant", "sms")
    _table(guest)
    (proposal,) = guest.say(f"can I move my booking to {name}?")
    assert proposal.has("confirm_change") and format_day(later) in proposal.text
    assert local_start(guest.bookings()[0]).date() != later
    (done,) = guest.say("yes")
    assert done.has("changed") and format_day(later) in done.text
    (booking,) = guest.bookings()
    assert local_start(booking).date() == later and local_start(booking).hour == 20


def test_change_party_size(guest_factory: Make) -> None:
    guest = guest_factory("restaurant", "whatsapp", name="Uma")
    _table(guest)
    (proposal,) = guest.say("change my booking to 3 people")
    assert proposal.has("confirm_change") and "table for 3" in proposal.text
    assert guest.bookings()[0].party_size == 2
    (done,) = guest.tap("yes")
    assert done.has("changed") and "table for 3" in done.text
    assert guest.bookings()[0].party_size == 3


def test_change_hotel_dates_while_awaiting_payment(guest_factory: Make) -> None:
    guest = guest_factory("hotel", "whatsapp", name="Ayaan")
    guest.say("deluxe room 24-27 Dec for 2")
    guest.tap("yes")
    (ask,) = guest.say("change my booking")
    assert ask.has("ask_change")
    (proposal,) = guest.say("make it 25-28 Dec")
    assert (
        proposal.has("confirm_change")
        and "25 Dec to " in proposal.text
        and "28 Dec" in proposal.text
    )
    (done,) = guest.tap("yes")
    assert done.has("changed")
    (booking,) = guest.bookings()
    assert booking.check_in is not None
    assert (booking.check_in.month, booking.check_in.day) == (12, 25)
    assert booking.check_out == booking.check_in + timedelta(days=3)
    assert booking.status == BookingStatus.PENDING_PAYMENT and booking.amount == 3 * 550_000


def test_change_to_taken_dates_keeps_the_booking(guest_factory: Make) -> None:
    other = guest_factory("hotel", "whatsapp", name="Other")
    other.say("suite 24-27 Dec for 2")
    other.tap("yes")
    guest = guest_factory("hotel", "whatsapp", name="Guest")
    guest.say("suite 28-30 Dec for 2")
    guest.tap("yes")
    guest.say("change my booking")
    (proposal,) = guest.say("make it 25-28 Dec")
    assert proposal.has("confirm_change")
    (sorry,) = guest.tap("yes")
    assert sorry.has("change_unavailable")
    (booking,) = guest.bookings()
    assert booking.check_in is not None
    assert (booking.check_in.month, booking.check_in.day) == (12, 28)
    (kept,) = guest.say("no")
    assert kept.has("kept")
    assert guest.bookings()[0].status == BookingStatus.PENDING_PAYMENT


def test_change_then_no_says_the_booking_stays(guest_factory: Make) -> None:
    guest = guest_factory("restaurant", "sms")
    _table(guest)
    (ask,) = guest.say("change my booking")
    assert ask.has("ask_change")
    (kept,) = guest.say("no")
    assert kept.has("kept") and not kept.has("abandoned")
    (booking,) = guest.bookings()
    assert booking.status == BookingStatus.CONFIRMED and local_start(booking).hour == 20


def test_cancel_with_nothing_booked(guest_factory: Make) -> None:
    guest = guest_factory("hotel", "sms")
    (reply,) = guest.say("cancel my booking")
    assert reply.has("no_bookings")
    assert guest.bookings() == []


def test_someone_elses_reference_is_never_shown_or_cancelled(guest_factory: Make) -> None:
    owner = guest_factory("restaurant", "whatsapp", name="Owner")
    reference = _table(owner)
    stranger = guest_factory("restaurant", "whatsapp", name="Stranger")
    (reply,) = stranger.say(f"cancel {reference}")
    assert reply.has("no_bookings") and reference not in reply.text
    (after,) = stranger.tap("yes")  # nothing was put to them: a yes cancels nothing
    assert after.has("what_next")
    assert owner.bookings()[0].status == BookingStatus.CONFIRMED
