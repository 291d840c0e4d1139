"""Which visits the guest is asked about, when, and what is kept of the answer."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy.orm import Session

from engine.bookings.enums import BookingStatus, CancelledBy
from engine.bookings.models import Booking
from engine.bookings.service import cancel, complete, confirm, mark_no_show
from engine.exceptions import ValidationError
from engine.feedback.service import (
    COMMENTED,
    RATED,
    add_comment,
    mark_asked,
    rate,
    summarize,
    visits_to_ask_about,
)
from engine.tenants.service import update_venue
from tests.conftest import NOW
from tests.engine.conftest import Demo
from tests.engine.factories import confirmed_room, hold_table, local

LUNCH_DAY = date(2026, 12, 3)


def _lunch(session: Session, demo: Demo) -> Booking:
    """A confirmed table for 2 at 13:00 Kolkata: it ends at 14:30, the question is due 16:30."""
    booking = hold_table(session, demo, LUNCH_DAY, time(13, 0), 2)
    return confirm(session, booking=booking, actor="test", now=NOW)


def _at(demo: Demo, hour: int, minute: int = 0, day: date = LUNCH_DAY) -> datetime:
    return local(demo.restaurant, day, time(hour, minute))


def _due(session: Session, at: datetime) -> list[str]:
    return [booking.reference for booking in visits_to_ask_about(session, now=at)]


def test_a_confirmed_table_is_due_its_question_two_hours_after_its_end(
    session: Session, demo: Demo
) -> None:
    booking = _lunch(session, demo)
    assert _due(session, _at(demo, 16, 29)) == []
    assert _due(session, _at(demo, 16, 30)) == [booking.reference]


def test_a_completed_table_is_due_too(session: Session, demo: Demo) -> None:
    booking = _lunch(session, demo)
    complete(session, booking=booking, actor="staff", now=_at(demo, 14))
    assert _due(session, _at(demo, 17)) == [booking.reference]


@pytest.mark.parametrize("outcome", ["cancelled", "no_show", "expired"])
def test_no_question_about_a_visit_that_did_not_happen(
    session: Session, demo: Demo, outcome: str
) -> None:
    booking = hold_table(session, demo, LUNCH_DAY, time(13, 0), 2)
    if outcome == "cancelled":
        confirm(session, booking=booking, actor="test", now=NOW)
        cancel(session, booking=booking, by=CancelledBy.GUEST, actor="guest", now=NOW)
    elif outcome == "no_show":
        confirm(session, booking=booking, actor="test", now=NOW)
        mark_no_show(session, booking=booking, actor="staff", now=_at(demo, 13, 30))
    else:
        booking.status = BookingStatus.EXPIRED
    assert _due(session, _at(demo, 17)) == []


def test_no_question_for_a_guest_who_opted_out_of_the_bookings_channel(
    session: Session, demo: Demo
) -> None:
    _lunch(session, demo)  # booked by SMS
    demo.guest.opted_out_sms = True
    assert _due(session, _at(demo, 17)) == []
    demo.guest.opted_out_sms, demo.guest.opted_out_whatsapp = False, True
    assert len(_due(session, _at(demo, 17))) == 1


def test_no_question_once_asked(session: Session, demo: Demo) -> None:
    booking = _lunch(session, demo)
    assert mark_asked(session, booking=booking, now=_at(demo, 17))
    assert not mark_asked(session, booking=booking, now=_at(demo, 17, 1))
    assert _due(session, _at(demo, 17, 15)) == []
    assert booking.feedback is not None and booking.feedback.asked_at == _at(demo, 17)


def test_the_question_waits_for_the_morning_and_is_dropped_after_a_day(
    session: Session, demo: Demo
) -> None:
    booking = hold_table(session, demo, LUNCH_DAY, time(20, 30), 2)  # ends 22:00, due at midnight
    confirm(session, booking=booking, actor="test", now=NOW)
    next_day = LUNCH_DAY + timedelta(days=1)
    assert _due(session, _at(demo, 0, 0, next_day)) == []  # quiet hours
    assert _due(session, _at(demo, 7, 59, next_day)) == []
    assert _due(session, _at(demo, 8, 0, next_day)) == [booking.reference]
    assert _due(session, _at(demo, 0, 1, next_day + timedelta(days=1))) == []


def test_venue_settings_turn_the_question_off_or_move_it(session: Session, demo: Demo) -> None:
    booking = _lunch(session, demo)
    update_venue(session, venue=demo.restaurant, fields={"feedback_delay_minutes": 30})
    assert _due(session, _at(demo, 15)) == [booking.reference]
    update_venue(session, venue=demo.restaurant, fields={"feedback_enabled": False})
    assert _due(session, _at(demo, 17)) == []


def test_a_stay_is_due_its_question_after_the_check_out(session: Session, demo: Demo) -> None:
    stay = confirmed_room(session, demo, "Deluxe", date(2026, 12, 5), date(2026, 12, 7))
    checked_out = local(demo.hotel, date(2026, 12, 7), time(11, 0))  # the hotel's check-out
    assert _due(session, checked_out + timedelta(minutes=119)) == []
    assert _due(session, checked_out + timedelta(hours=2)) == [stay.reference]


def test_a_score_then_a_comment_are_kept_once_with_audit_entries(
    session: Session, demo: Demo
) -> None:
    booking = _lunch(session, demo)
    with pytest.raises(ValidationError, match="not asked"):
        rate(session, booking=booking, score=4, actor="guest", now=_at(demo, 17))
    mark_asked(session, booking=booking, now=_at(demo, 16, 30))
    with pytest.raises(ValidationError, match="follows the score"):
        add_comment(session, booking=booking, comment="Lovely", actor="guest", now=_at(demo, 17))
    with pytest.raises(ValidationError, match="1 to 5"):
        rate(session, booking=booking, score=6, actor="guest", now=_at(demo, 17))
    rate(session, booking=booking, score=4, actor="guest", now=_at(demo, 17))
    add_comment(session, booking=booking, comment=" Lovely dal ", actor="guest", now=_at(demo, 17))
    with pytest.raises(ValidationError, match="already rated"):
        rate(session, booking=booking, score=5, actor="guest", now=_at(demo, 18))
    with pytest.raises(ValidationError, match="once"):
        add_comment(session, booking=booking, comment="More", actor="guest", now=_at(demo, 18))
    feedback = booking.feedback
    assert feedback is not None
    assert (feedback.score, feedback.comment, feedback.answered_at) == (
        4,
        "Lovely dal",
        _at(demo, 17),
    )
    trail = [(e.reason, e.details) for e in booking.events[-2:]]
    assert trail == [(RATED, {"score": 4}), (COMMENTED, {"comment": "Lovely dal"})]


def test_the_summary_averages_the_scores_given(session: Session, demo: Demo) -> None:
    starts = (time(12, 0), time(12, 30), time(13, 0))
    bookings = [hold_table(session, demo, LUNCH_DAY, at, 2) for at in starts]
    for booking, score in zip(bookings, (5, 2, None), strict=True):
        confirm(session, booking=booking, actor="test", now=NOW)
        mark_asked(session, booking=booking, now=_at(demo, 18))
        if score is not None:
            rate(session, booking=booking, score=score, actor="guest", now=_at(demo, 19))
    summary = summarize(session, booking_ids=[b.id for b in bookings])
    assert (summary.asked, summary.rated, summary.average_score) == (3, 2, 3.5)
    assert summary.by_score == {1: 0, 2: 1, 3: 0, 4: 0, 5: 1}
    assert summarize(session, booking_ids=[]).average_score is None
