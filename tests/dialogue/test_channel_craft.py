"""How replies read on each channel: room choices with their prices, alternatives with their
dates, romanised Hinglish answered in kind (GSM-7 on SMS), counted words in their plural."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from bot.format import format_stay
from bot.render import is_gsm7
from engine.bookings.enums import BookingStatus
from tests.dialogue.harness import ChatGuest, Reply
from tests.dialogue.helpers import next_date

Make = Callable[..., ChatGuest]
DEVANAGARI = re.compile(r"[\u0900-\u097F]")
ROOM_DETAILS = [
    "₹10,500 in total, up to 2 guests",
    "₹16,500 in total, up to 3 guests",
    "₹27,000 in total, up to 4 guests",
]


def test_whatsapp_room_choices_are_a_list_showing_each_price_and_size(guest_factory: Make) -> None:
    guest = guest_factory("hotel", "whatsapp", name="Meera")
    (offers,) = guest.say("room 24-27 Dec for 2")
    assert offers.has("choose_room")
    assert offers.form == "list"
    assert [title for _, title in offers.options] == ["Standard", "Deluxe", "Suite"]
    assert offers.details == ROOM_DETAILS
    (held,) = guest.tap("offer:1", "Deluxe", row=True)  # the stay was in the sentence: a yes
    assert held.has("held_payment") and "Deluxe room, 3 nights" in held.text


def test_sms_room_choices_number_each_price_and_size_in_two_segments(guest_factory: Make) -> None:
    guest = guest_factory("hotel", "sms")
    (offers,) = guest.say("room 24-27 Dec for 2")
    assert offers.has("choose_room")
    rooms = ("Standard", "Deluxe", "Suite")
    assert offers.text.splitlines()[1:4] == [
        f"{n}) {room} - {detail.replace('₹', 'Rs ')}"
        for n, (room, detail) in enumerate(zip(rooms, ROOM_DETAILS, strict=True), start=1)
    ]
    assert offers.segments == 2


def _hold_the_suite(guest_factory: Make, stay: str) -> None:
    """Another guest holds the demo hotel's one suite (the only room for 4) for ``stay``."""
    other = guest_factory("hotel", "sms")
    other.say(f"suite {stay} for 4")
    other.say("Kiran Rao")
    assert other.bookings()[0].status == BookingStatus.PENDING_PAYMENT


@pytest.mark.parametrize("channel", ["sms", "whatsapp"])
def test_an_alternative_stay_carries_its_dates_never_a_bare_room_name(
    guest_factory: Make, channel: str
) -> None:
    # The suite is held 10-19 Jan; of the shifted stays tried for 12-14 Jan only 19-21 is free.
    _hold_the_suite(guest_factory, "10-14 Jan")
    _hold_the_suite(guest_factory, "14-19 Jan")
    guest = guest_factory("hotel", channel, name="Meera")
    (alternatives,) = guest.say("room 12-14 Jan for 4")
    assert alternatives.has("alternatives")
    dates = format_stay(next_date(1, 19), next_date(1, 21), ascii_only=channel == "sms")
    detail = "₹18,000 in total, up to 4 guests"
    if channel == "whatsapp":
        assert alternatives.form == "list"
        assert alternatives.options[0] == ("offer:0", f"Suite, {dates}")
        assert alternatives.details[0] == detail
        (confirm,) = guest.tap("offer:0", f"Suite, {dates}", row=True)
    else:
        assert f"1) Suite, {dates} - {detail.replace('₹', 'Rs ')}" in alternatives.text
        # The sister hotel's Family room, free for 12-14 Jan, is named above the list.
        assert "Our sister hotel Palm Cove Inn has a Family room" in alternatives.text
        assert alternatives.segments == 3
        (confirm,) = guest.say("1")
    assert "Suite room for 4 guests" in confirm.text and "(2 nights)" in confirm.text


def _latin_only(replies: list[Reply]) -> None:
    for reply in replies:
        assert not DEVANAGARI.search(reply.text), reply.text


def test_romanised_hinglish_on_whatsapp_is_answered_in_romanised_hinglish(
    guest_factory: Make,
) -> None:
    guest = guest_factory("hotel", "whatsapp", name="Rahul")
    (offers,) = guest.say("24 dec se 27 dec tak 2 logon ke liye room chahiye")
    assert offers.has("choose_room", "hi-Latn")
    assert offers.details[1] == "Total ₹16,500, 3 guests tak"
    (held,) = guest.tap("offer:1", "Deluxe", row=True)  # the stay was in the sentence: a yes
    assert held.has("held_payment", "hi-Latn") and "3 raatein" in held.text
    _latin_only([offers, held])


def test_romanised_hinglish_on_sms_stays_gsm7_segment_by_segment(guest_factory: Make) -> None:
    guest = guest_factory("hotel", "sms")
    replies = [
        *guest.say("24 dec se 27 dec tak 2 logon ke liye room chahiye"),
        *guest.say("2"),
        *guest.say("Rahul Verma"),
        *guest.say("meri booking dikhao"),
    ]
    keys = ["choose_room", "ask_name_for", "held_payment", "your_bookings"]
    assert [reply.has(key, "hi-Latn") for reply, key in zip(replies, keys, strict=True)] == [
        True
    ] * 4
    assert all(is_gsm7(reply.text) for reply in replies), [r.text for r in replies]
    assert [reply.segments for reply in replies] == [2, 1, 2, 1]


def test_devanagari_on_sms_is_still_answered_in_devanagari(guest_factory: Make) -> None:
    guest = guest_factory("hotel", "sms")
    (offers,) = guest.say("मुझे 24 से 27 दिसंबर तक 2 लोगों के लिए कमरा चाहिए")
    assert offers.has("choose_room", "hi") and "कुल Rs 16,500, 3 मेहमान तक" in offers.text
    assert not is_gsm7(offers.text) and offers.segments == 3


def test_hinglish_asked_for_hindi_stays_in_latin_letters(guest_factory: Make) -> None:
    guest = guest_factory("restaurant", "whatsapp", name="Rahul")
    (switched,) = guest.say("hindi mein baat karo")
    assert switched.has("language_set", "hi-Latn")
    (offer,) = guest.say("kal raat 8 baje 4 log")
    assert offer.has("confirm_offer", "hi-Latn")
    _latin_only([switched, offer])


@pytest.mark.parametrize(
    ("language", "request_text", "one_night", "guests"),
    [
        ("en", "suite 24-25 Dec for 1", "(1 night)", "for 1 guest,"),
        (
            "es",
            "quiero una suite del 24 al 25 de diciembre para 1 persona",
            "(1 noche)",
            "1 huésped",
        ),
        ("hi-Latn", "24 dec se 25 dec tak 1 log ke liye suite chahiye", "(1 raat)", "1 guest,"),
    ],
)
def test_one_night_for_one_guest_reads_in_the_singular(
    guest_factory: Make, language: str, request_text: str, one_night: str, guests: str
) -> None:
    guest = guest_factory("hotel", "whatsapp", name="Asha")
    (confirm,) = guest.say(request_text)
    assert confirm.has("confirm_offer", language), confirm.text
    assert one_night in confirm.text and guests in confirm.text
    assert "(s)" not in confirm.text and "(es)" not in confirm.text


def test_a_long_stay_is_priced_with_indian_digit_grouping(guest_factory: Make) -> None:
    guest = guest_factory("hotel", "whatsapp", name="Asha")
    (confirm,) = guest.say("suite 10-24 Jan for 4")
    assert confirm.has("confirm_offer")
    assert "(14 nights)" in confirm.text and "₹1,26,000 in total" in confirm.text
