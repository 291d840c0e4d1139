"""After the visit the guest is asked how it went, once, in their language and channel format;
the score and comment are stored, shown to the owner and averaged; a low score goes to a
person; cancelled bookings and opted-out guests get nothing; a guest who ignores the question
is served as usual. Time is the sweep's ``now``: nothing here waits for a clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from application.feedback import ask_for_feedback
from bot.catalog import t
from engine.bookings.enums import CancelledBy
from engine.bookings.service import cancel, get_booking
from engine.feedback.models import Feedback
from engine.feedback.service import COMMENTED, RATED
from tests.dialogue.harness import VENUE_NUMBERS, ChatGuest
from tests.dialogue.helpers import conversation_state
from tests.feedback.visits import Owner, visit
from tests.stack import Stack, live_feed

Make = Callable[..., ChatGuest]


def _feedback(guest: ChatGuest, reference: str) -> Feedback:
    """What is stored of the guest's answer about the booking (they were asked)."""
    with guest.sessions() as session:
        feedback = get_booking(session, reference=reference).feedback
        assert feedback is not None
        return feedback


def test_the_guest_is_asked_once_and_the_answer_is_stored_shown_and_averaged(
    guest_factory: Make, stack: Stack
) -> None:
    guest = guest_factory("restaurant", "sms")
    meal = visit(guest)
    assert ask_for_feedback(stack.runtime, meal.due - timedelta(minutes=1)) == 0
    assert ask_for_feedback(stack.runtime, meal.due) == 1
    (question,) = guest.receive(at_least=1)
    assert question.has("feedback_ask_restaurant")
    assert "1) Poor\n2) Fair\n3) Good\n4) Very good\n5) Excellent" in question.text
    assert ask_for_feedback(stack.runtime, meal.due + timedelta(minutes=15)) == 0
    stack.settle(0.3)
    assert guest.receive() == []

    (more,) = guest.say("4")
    assert more.has("feedback_ask_comment")
    (thanks,) = guest.say("Lovely dal, slow service")
    assert thanks.has("feedback_thanks")

    owner = Owner(stack.url)
    shown = owner.get(f"/bookings/{meal.reference}")["feedback"]
    assert (shown["score"], shown["comment"]) == (4, "Lovely dal, slow service")
    assert shown["answered_at"] is not None
    trail = [event["reason"] for event in owner.get(f"/bookings/{meal.reference}")["events"]]
    assert trail[-2:] == [RATED, COMMENTED]
    day = meal.day.isoformat()
    report = owner.get(f"/venues/{meal.venue_id}/analytics", start=day, end=day)["feedback"]
    assert (report["asked"], report["rated"], report["average_score"]) == (1, 1, 4.0)


@pytest.mark.parametrize(
    ("language", "words", "score"),
    [("en", "Excellent!", 5), ("hi-Latn", "bahut accha tha", 4), ("es", "muy bien", 4)],
)
def test_the_score_is_understood_in_words_in_the_guests_language(
    guest_factory: Make, stack: Stack, language: str, words: str, score: int
) -> None:
    guest = guest_factory("hotel", "sms")
    stay = visit(guest, language=language)
    ask_for_feedback(stack.runtime, stay.due)
    (question,) = guest.receive(at_least=1)
    assert question.has("feedback_ask_hotel", language)
    (more,) = guest.say(words)
    assert more.has("feedback_ask_comment", language)
    (thanks,) = guest.say("no")
    assert thanks.has("feedback_thanks", language)
    feedback = _feedback(guest, stay.reference)
    assert (feedback.score, feedback.comment) == (score, "")


def test_on_whatsapp_the_scores_are_a_list_the_guest_picks_from(
    guest_factory: Make, stack: Stack
) -> None:
    guest = guest_factory("restaurant", "whatsapp")
    guest.say("नमस्ते")  # inside the 24-hour window, and in Hindi from now on
    meal = visit(guest)
    ask_for_feedback(stack.runtime, meal.due)
    (question,) = guest.receive(at_least=1)
    assert question.has("feedback_ask_restaurant", "hi")
    assert question.options == [(f"rate:{n}", t(f"rating_{n}", "hi")) for n in range(1, 6)]
    to = VENUE_NUMBERS[(guest.venue, guest.channel)]
    stack.whatsapp(guest=guest.address, to=to, list_reply=("rate:5", t("rating_5", "hi")))
    (more,) = guest.receive(at_least=1)
    assert more.has("feedback_ask_comment", "hi")
    assert more.options == [("no", t("button_no_thanks", "hi"))]
    (thanks,) = guest.tap("no")
    assert thanks.has("feedback_thanks", "hi")
    assert _feedback(guest, meal.reference).score == 5


def test_a_score_with_a_comment_needs_no_second_question(guest_factory: Make, stack: Stack) -> None:
    guest = guest_factory("restaurant", "sms")
    meal = visit(guest)
    ask_for_feedback(stack.runtime, meal.due)
    guest.receive(at_least=1)
    (thanks,) = guest.say("5 - best biryani in town")
    assert thanks.has("feedback_thanks")
    feedback = _feedback(guest, meal.reference)
    assert (feedback.score, feedback.comment) == (5, "best biryani in town")


def test_a_low_score_waits_in_the_inbox_for_a_person(guest_factory: Make, stack: Stack) -> None:
    guest = guest_factory("restaurant", "sms")
    meal = visit(guest)
    owner = Owner(stack.url)
    ask_for_feedback(stack.runtime, meal.due)
    guest.receive(at_least=1)
    (sorry,) = guest.say("2")
    assert sorry.has("feedback_sorry")
    (first, *_) = owner.get("/conversations")
    assert (first["guest_phone"], first["handed_off"]) == (guest.phone, True)
    assert guest.say("The soup was cold and nobody came") == []  # a person answers now
    feedback = _feedback(guest, meal.reference)
    assert (feedback.score, feedback.comment) == (2, "The soup was cold and nobody came")
    assert guest.say("Hello?") == []  # only the first words are the comment
    assert _feedback(guest, meal.reference).comment == feedback.comment


def test_the_dashboards_hear_of_a_score_as_it_comes_in(guest_factory: Make, stack: Stack) -> None:
    guest = guest_factory("restaurant", "sms")
    meal = visit(guest)
    ask_for_feedback(stack.runtime, meal.due)
    guest.receive(at_least=1)
    with live_feed(stack.url, Owner(stack.url).token, within=10) as feed:
        guest.say("1")
        events = [feed.next_event() for _ in range(3)]
    kinds = {kind: data for kind, data in events}
    assert kinds["booking.feedback"]["reference"] == meal.reference
    assert kinds["booking.feedback"]["summary"] == f"Asha rated {meal.reference} 1/5"
    assert "rated" in kinds["conversation.handoff"]["summary"]


def test_no_question_for_a_cancelled_booking_or_an_opted_out_guest(
    guest_factory: Make, stack: Stack
) -> None:
    cancelled, opted_out = guest_factory("restaurant", "sms"), guest_factory("hotel", "sms")
    meal = visit(cancelled)
    with cancelled.sessions.begin() as session:
        booking = get_booking(session, reference=meal.reference)
        cancel(session, booking=booking, by=CancelledBy.GUEST, actor="guest")
    opted_out.say("STOP")
    stay = visit(opted_out)
    assert ask_for_feedback(stack.runtime, meal.due) == 0
    assert ask_for_feedback(stack.runtime, stay.due) == 0
    stack.settle(0.3)
    assert cancelled.receive() == [] and opted_out.receive() == []


def test_a_guest_who_ignores_the_question_and_books_is_served_as_usual(
    guest_factory: Make, stack: Stack
) -> None:
    guest = guest_factory("restaurant", "sms")
    meal = visit(guest)
    ask_for_feedback(stack.runtime, meal.due)
    guest.receive(at_least=1)
    (offer,) = guest.say("table for 2 tomorrow at 8pm")
    assert offer.has("confirm_offer")
    assert conversation_state(guest)[1]["state"] == "confirming"
    assert _feedback(guest, meal.reference).score is None


def test_a_guest_busy_with_a_booking_is_asked_once_it_is_done(
    guest_factory: Make, stack: Stack
) -> None:
    guest = guest_factory("restaurant", "sms")
    meal = visit(guest)
    guest.say("I'd like to book a table")
    assert ask_for_feedback(stack.runtime, meal.due) == 0
    guest.say("stop this")
    assert ask_for_feedback(stack.runtime, meal.due + timedelta(minutes=15)) == 1
    (question,) = guest.receive(at_least=1)
    assert question.has("feedback_ask_restaurant")


def test_a_message_that_says_nothing_gets_the_question_once_more_then_is_served(
    guest_factory: Make, stack: Stack
) -> None:
    guest = guest_factory("restaurant", "whatsapp")
    guest.say("hello")  # inside the 24-hour window
    meal = visit(guest)
    ask_for_feedback(stack.runtime, meal.due)
    guest.receive(at_least=1)
    (again,) = guest.say("hmm")
    assert again.has("not_understood") and again.has("feedback_ask_restaurant")
    assert [option for option, _ in again.options] == [f"rate:{n}" for n in range(1, 6)]
    (served,) = guest.say("hmm")
    assert not served.has("feedback_ask_restaurant")
    assert conversation_state(guest)[1]["state"] == "idle"
    assert _feedback(guest, meal.reference).score is None
