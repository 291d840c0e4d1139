"""Reminders a guest receives and answers, end to end on both channels and in English, Hindi
and Spanish: the sweep runs at a clock passed in, the guest's phone reads what the fake
provider got, and their answer (a tap, a template quick reply, a number or words) ends the
booking in the right state."""

from __future__ import annotations

from datetime import time

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.render import is_gsm7, sms_segments
from engine.bookings.enums import BookingStatus
from engine.bookings.models import Booking
from tests.dialogue.harness import literal_part
from tests.reminders.chat import (
    ANSWERS,
    KOLKATA,
    book,
    last_payload,
    pick,
    remind,
    reminder_text,
    stored,
    yes,
)
from tests.stack import Stack


@pytest.mark.parametrize("answer", ANSWERS)
@pytest.mark.parametrize("language", ["en", "hi", "es"])
@pytest.mark.parametrize("channel", ["sms", "whatsapp"])
def test_the_guests_answer_to_a_reminder_ends_in_the_right_state(
    live: Stack, sessions: sessionmaker[Session], channel: str, language: str, answer: str
) -> None:
    guest, booking = book(live, sessions, channel=channel, language=language)
    remind(live, guest, booking)
    text = reminder_text(guest)
    assert literal_part("reminder_table", language) in text and booking.reference in text

    replies = pick(guest, ANSWERS.index(answer), language)

    if answer == "confirm":
        assert replies[-1].has("reminder_confirmed", language)
        after = stored(guest, booking)
        assert after.status == BookingStatus.CONFIRMED and after.guest_confirmed_at is not None
    elif answer == "change":
        assert replies[-1].has("ask_change", language)
        assert guest.say("21:00")[-1].has("confirm_change", language)
        assert yes(guest)[-1].has("changed", language)
        after = stored(guest, booking)
        assert after.starts_at is not None
        assert after.starts_at.astimezone(KOLKATA).time() == time(21, 0)
        assert after.status == BookingStatus.CONFIRMED
    else:
        assert replies[-1].has("confirm_cancel", language)  # the policy's quote comes first
        assert stored(guest, booking).status == BookingStatus.CONFIRMED
        assert yes(guest)[-1].has("cancelled", language)
        assert stored(guest, booking).status == BookingStatus.CANCELLED


def test_a_whatsapp_reminder_outside_the_window_is_the_approved_template_with_quick_replies(
    live: Stack, sessions: sessionmaker[Session]
) -> None:
    guest, booking = book(live, sessions, channel="whatsapp", language="hi")
    remind(live, guest, booking)
    template = last_payload(guest)["template"]
    assert (template["name"], template["language"]) == ("bookline_reminder", {"code": "hi"})
    buttons = [c for c in template["components"] if c["type"] == "button"]
    assert [(b["sub_type"], b["index"]) for b in buttons] == [
        ("quick_reply", "0"),
        ("quick_reply", "1"),
        ("quick_reply", "2"),
    ]
    assert [b["parameters"][0]["payload"] for b in buttons] == [
        f"remind:{action}:{booking.reference}" for action in ANSWERS
    ]


def test_a_whatsapp_reminder_inside_the_window_has_interactive_buttons(
    live: Stack, sessions: sessionmaker[Session]
) -> None:
    guest, booking = book(live, sessions, channel="whatsapp", language="es")
    guest.say("hola")  # the guest wrote within the last 24 hours
    remind(live, guest, booking)
    payload = last_payload(guest)
    assert payload["type"] == "interactive"
    titles = [b["reply"]["title"] for b in payload["interactive"]["action"]["buttons"]]
    assert titles == ["Confirmar", "Cambiar", "Cancelar"]


def test_an_sms_reminder_fits_one_segment_with_its_numbered_answers(
    live: Stack, sessions: sessionmaker[Session]
) -> None:
    guest, booking = book(live, sessions)
    remind(live, guest, booking)
    body = reminder_text(guest)
    assert sms_segments(body) == 1
    assert body.endswith("1) Confirm\n2) Change\n3) Cancel booking\nReply 1, 2 or 3.")


def test_a_hinglish_sms_reminder_stays_gsm7_in_one_segment(
    live: Stack, sessions: sessionmaker[Session]
) -> None:
    guest, booking = book(live, sessions, language="hi-Latn")
    remind(live, guest, booking)
    body = reminder_text(guest)
    assert literal_part("reminder_table", "hi-Latn") in body
    assert is_gsm7(body) and sms_segments(body) == 1
    assert body.endswith(
        "1) Confirm karo\n2) Badlo\n3) Booking cancel karo\nJawab mein 1, 2 ya 3 likhiye."
    )


def test_a_hinglish_whatsapp_reminder_outside_the_window_is_the_english_template(
    live: Stack, sessions: sessionmaker[Session]
) -> None:
    guest, booking = book(live, sessions, channel="whatsapp", language="hi-Latn")
    remind(live, guest, booking)
    template = last_payload(guest)["template"]
    assert (template["name"], template["language"]) == ("bookline_reminder", {"code": "en"})
    assert literal_part("reminder_table", "hi-Latn") in reminder_text(guest)


def test_a_hotel_reminder_says_when_check_in_opens_where_and_how_to_get_there(
    live: Stack, sessions: sessionmaker[Session]
) -> None:
    guest, booking = book(live, sessions, venue="hotel", channel="whatsapp")
    remind(live, guest, booking)
    text = reminder_text(guest)
    assert "Check-in from 14:00" in text
    assert "Address: Lighthouse Road, Kovalam, Kerala" in text
    assert "Map: https://www.google.com/maps/search/?api=1&query=8.3833,76.9788" in text


@pytest.mark.parametrize(
    ("language", "words", "expected"),
    [
        ("en", "yes", "reminder_confirmed"),
        ("en", "yes, we will be there", "reminder_confirmed"),
        ("en", "we'll be there, see you then", "reminder_confirmed"),
        ("es", "sí, allí estaremos", "reminder_confirmed"),
        ("en", "yes, we will be there at 8pm", "reminder_confirmed"),  # as booked
        ("en", "yes, we will be there at 9pm", "confirm_change"),  # a change: shown first
        ("hi-Latn", "haan, hum aayenge", "reminder_confirmed"),
        ("es", "cancelar mi reserva", "confirm_cancel"),
        ("en", "can we make it 9pm instead?", "confirm_change"),
    ],
)
def test_a_typed_answer_is_read_as_an_answer_to_the_reminder(
    live: Stack, sessions: sessionmaker[Session], language: str, words: str, expected: str
) -> None:
    guest, booking = book(live, sessions, language=language)
    remind(live, guest, booking)
    assert guest.say(words)[-1].has(expected, language)


def test_a_tap_on_an_old_reminder_still_answers_for_its_booking(
    live: Stack, sessions: sessionmaker[Session]
) -> None:
    guest, booking = book(live, sessions, channel="whatsapp")
    remind(live, guest, booking)
    guest.say("a table for 2 on friday")  # the guest moved on to something else
    guest.tap(f"remind:confirm:{booking.reference}", "Confirm")
    assert stored(guest, booking).guest_confirmed_at is not None


def test_the_same_day_reminder_is_answered_like_the_day_before(
    live: Stack, sessions: sessionmaker[Session]
) -> None:
    guest, booking = book(live, sessions)
    remind(live, guest, booking, hours=2)
    assert pick(guest, 0, "en")[-1].has("reminder_confirmed")
    with sessions() as session:
        reasons = [event.reason for event in session.get_one(Booking, booking.id).events]
    assert reasons[-1] == "guest confirmed"
