"""Hindi (Devanagari and Hinglish) and Spanish guests: every flow answers in their language
(and Hinglish in Latin letters, as the guest writes it)."""

from __future__ import annotations

import re
from collections.abc import Callable

from engine.bookings.enums import BookingStatus
from tests.dialogue.harness import ChatGuest
from tests.dialogue.helpers import guest_name, in_days, local_start, next_date, pay

Make = Callable[..., ChatGuest]
DEVANAGARI = re.compile(r"[\u0900-\u097F]")


def test_devanagari_table_booked_checked_and_cancelled(guest_factory: Make) -> None:
    guest = guest_factory("restaurant", "whatsapp", name="Priya")
    (offer,) = guest.say("मुझे कल रात 8 बजे 4 लोगों के लिए टेबल चाहिए")
    assert offer.has("confirm_offer", "hi") and "20:00" in offer.text
    assert [title for _, title in offer.options] == ["हाँ, बुक करें", "नहीं"]
    (done,) = guest.tap("yes")
    assert done.has("confirmed", "hi")
    reference = guest.bookings()[0].reference
    (mine,) = guest.say("मेरी बुकिंग दिखाओ")
    assert mine.has("your_bookings", "hi") and reference in mine.text
    (quote,) = guest.say("बुकिंग रद्द करो")
    assert quote.has("confirm_cancel", "hi")
    (cancelled,) = guest.tap("yes")
    assert cancelled.has("cancelled", "hi") and reference in cancelled.text
    assert guest.bookings()[0].status == BookingStatus.CANCELLED


def test_devanagari_one_detail_at_a_time(guest_factory: Make) -> None:
    guest = guest_factory("restaurant", "whatsapp", name="Sunita")
    (ask,) = guest.say("मुझे टेबल बुक करनी है")
    assert ask.has("ask_day_time_party", "hi")
    (ask,) = guest.say("कल")
    assert ask.has("ask_time_party", "hi")
    (ask,) = guest.say("रात 8 बजे")
    assert ask.has("ask_party", "hi")
    (offer,) = guest.say("4 लोग")
    assert offer.has("confirm_offer", "hi")
    guest.tap("yes")
    (booking,) = guest.bookings()
    assert booking.party_size == 4 and local_start(booking).date() == in_days(1)


def test_devanagari_hotel_on_sms_with_a_devanagari_name(guest_factory: Make) -> None:
    guest = guest_factory("hotel", "sms")
    (offers,) = guest.say("मुझे 24 से 27 दिसंबर तक 2 लोगों के लिए कमरा चाहिए")
    assert offers.has("choose_room", "hi")
    assert offers.has("reply_numbers", "hi") and "Reply" not in offers.text
    (confirm,) = guest.say("2")
    assert confirm.has("ask_name_for", "hi") and "Deluxe" in confirm.text
    (held,) = guest.say("प्रिया शर्मा")
    assert held.has("held_payment", "hi")
    (booking,) = guest.bookings()
    assert booking.status == BookingStatus.PENDING_PAYMENT and booking.amount == 3 * 550_000
    assert booking.check_in == next_date(12, 24)
    assert guest_name(guest) == "प्रिया शर्मा"


def test_devanagari_room_named_in_hindi(guest_factory: Make) -> None:
    guest = guest_factory("hotel", "sms")
    (offers,) = guest.say("मुझे 24 दिसंबर से 3 रात के लिए 2 लोगों का कमरा चाहिए")
    assert offers.has("choose_room", "hi")
    (confirm,) = guest.say("सुइट")
    assert confirm.has("confirm_offer_name", "hi") and "Suite" in confirm.text
    guest.say("राहुल वर्मा")
    assert guest.bookings()[0].amount == 3 * 900_000


def test_hinglish_hotel_booking_and_check(guest_factory: Make) -> None:
    guest = guest_factory("hotel", "whatsapp", name="Rahul")
    (confirm,) = guest.say("24 dec se 27 dec tak 2 logon ke liye deluxe room chahiye")
    assert confirm.has("confirm_offer", "hi-Latn") and "Deluxe" in confirm.text
    (held,) = guest.tap("yes")
    assert held.has("held_payment", "hi-Latn")
    assert guest.turns == 2
    (mine,) = guest.say("meri booking dikhao")
    assert mine.has("your_bookings", "hi-Latn")
    assert guest.bookings()[0].reference in mine.text
    assert not any(DEVANAGARI.search(reply.text) for reply in [confirm, held, mine])


def test_hinglish_cancel_on_sms_with_numbered_yes(guest_factory: Make) -> None:
    guest = guest_factory("restaurant", "sms")
    (offer,) = guest.say("kal raat 8 baje 4 log ke liye table chahiye")
    assert offer.has("confirm_offer_name", "hi-Latn")
    (done,) = guest.say("Rahul")
    assert done.has("confirmed", "hi-Latn")
    (quote,) = guest.say("mujhe booking cancel karni hai")
    assert quote.has("confirm_cancel", "hi-Latn") and "1) Haan, cancel karo" in quote.text
    (cancelled,) = guest.say("1")
    assert cancelled.has("cancelled", "hi-Latn")
    assert guest.bookings()[0].status == BookingStatus.CANCELLED


def test_hindi_help_and_handoff(guest_factory: Make) -> None:
    guest = guest_factory("restaurant", "whatsapp", name="Priya")
    (help_,) = guest.say("मदद")
    assert help_.has("help_restaurant", "hi")
    assert [title for _, title in help_.options][2] == "स्टाफ़ से बात करें"
    (handoff,) = guest.say("किसी इंसान से बात करनी है")
    assert handoff.has("handoff", "hi")
    assert guest.say("हेलो?") == []
    (back,) = guest.say("bot")
    assert back.has("back_to_bot", "hi")


def test_hindi_stop_mid_flow_and_start(guest_factory: Make) -> None:
    guest = guest_factory("restaurant", "sms")
    (offer,) = guest.say("मुझे कल रात 8 बजे 4 लोगों के लिए टेबल चाहिए")
    assert offer.has("confirm_offer_name", "hi")
    (bye,) = guest.say("बंद करो")
    assert bye.has("opted_out", "hi")
    assert guest.say("हाँ") == []
    (welcome,) = guest.say("शुरू")
    assert welcome.has("opted_in", "hi")
    assert guest.bookings() == []


def test_hindi_guest_switches_to_english(guest_factory: Make) -> None:
    guest = guest_factory("restaurant", "whatsapp", name="Priya")
    (offer,) = guest.say("kal raat 8 baje 4 log ke liye table chahiye")
    assert offer.has("confirm_offer", "hi-Latn")
    (switched,) = guest.say("in English please")
    assert switched.has("language_set", "en")
    (done,) = guest.tap("yes")
    assert done.has("confirmed", "en")


def test_spanish_hotel_booking_checked_and_cancelled(guest_factory: Make) -> None:
    guest = guest_factory("hotel", "whatsapp", name="Lucia")
    (offers,) = guest.say("quiero una habitación del 24 al 27 de diciembre para 2 personas")
    assert offers.has("choose_room", "es")
    assert "24 dic al " in offers.text and "27 dic para 2 huéspedes" in offers.text
    (held,) = guest.tap("offer:0", "Standard")
    assert held.has("held_payment", "es")
    (mine,) = guest.say("mis reservas")
    assert mine.has("your_bookings", "es") and "(pago pendiente)" in mine.text
    (quote,) = guest.say("quiero cancelar mi reserva")
    assert quote.has("confirm_cancel", "es")
    (done,) = guest.tap("yes")
    assert done.has("cancelled", "es")
    (booking,) = guest.bookings()
    assert booking.status == BookingStatus.CANCELLED and booking.amount == 3 * 350_000


def test_spanish_paid_stay_quotes_the_refund_in_spanish(guest_factory: Make) -> None:
    guest = guest_factory("hotel", "sms")
    text = "quiero una habitación deluxe del 24 al 27 de diciembre para 2 personas"
    (confirm,) = guest.say(text)
    assert confirm.has("confirm_offer_name", "es")
    guest.say("Lucía Fernández")
    reference = guest.bookings()[0].reference
    pay(guest, reference)
    (quote,) = guest.say("quiero cancelar mi reserva")
    assert quote.has("confirm_cancel_refund", "es") and "Rs 16,500 (100%)" in quote.text
    assert "Responde 1 o 2." in quote.text
    (done,) = guest.say("1")
    assert done.has("cancelled_refund", "es")
    (booking,) = guest.bookings()
    assert booking.status == BookingStatus.CANCELLED and booking.amount_paid == 3 * 550_000


def test_spanish_restaurant_one_detail_at_a_time_on_sms(guest_factory: Make) -> None:
    guest = guest_factory("restaurant", "sms")
    (hello,) = guest.say("hola")
    assert hello.has("greet_restaurant", "es") and "1) Reservar" in hello.text
    (ask,) = guest.say("quiero reservar una mesa")
    assert ask.has("ask_day_time_party", "es")
    (ask,) = guest.say("mañana")
    assert ask.has("ask_time_party", "es")
    (ask,) = guest.say("a las 9")
    assert ask.has("ask_party", "es")
    (offer,) = guest.say("4")
    assert offer.has("confirm_offer_name", "es") and "21:00" in offer.text
    (done,) = guest.say("Lucia")
    assert done.has("confirmed", "es")
    (booking,) = guest.bookings()
    assert booking.party_size == 4 and local_start(booking).hour == 21


def test_spanish_change_of_party(guest_factory: Make) -> None:
    guest = guest_factory("restaurant", "whatsapp", name="Carlos")
    guest.say("mesa para 2 mañana a las 8pm")
    guest.tap("yes")
    (ask,) = guest.say("quiero cambiar mi reserva")
    assert ask.has("ask_change", "es")
    (proposal,) = guest.say("para 3 personas")
    assert proposal.has("confirm_change", "es") and "mesa para 3" in proposal.text
    assert guest.bookings()[0].party_size == 2
    (done,) = guest.tap("yes")
    assert done.has("changed", "es") and "mesa para 3" in done.text
    assert guest.bookings()[0].party_size == 3


def test_spanish_help_handoff_and_back(guest_factory: Make) -> None:
    guest = guest_factory("restaurant", "whatsapp", name="Lucia")
    (help_,) = guest.say("ayuda")
    assert help_.has("help_restaurant", "es")
    (handoff,) = guest.say("quiero hablar con una persona")
    assert handoff.has("handoff", "es")
    assert guest.say("¿hola?") == []
    (back,) = guest.say("bot")
    assert back.has("back_to_bot", "es")


def test_spanish_gibberish_and_decline(guest_factory: Make) -> None:
    guest = guest_factory("restaurant", "whatsapp", name="Ana")
    (offer,) = guest.say("mesa para 4 mañana a las 9")
    assert offer.has("confirm_offer", "es")
    (declined,) = guest.say("no gracias")
    assert declined.has("declined", "es")
    (confused,) = guest.say("xyzzy plugh")
    assert confused.has("not_understood", "es")
    assert guest.bookings() == []
