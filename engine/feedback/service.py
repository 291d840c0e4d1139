"""Asking guests how their visit went, once, and keeping what they answered.

Which visits are asked about: bookings that were completed, or confirmed and whose end has
passed (staff often never mark a table completed; a guest who did not come is marked a
no-show within the grace, long before the question is due), at venues that ask, of guests
who did not opt out of the channel the booking is reached on. The question is due
``feedback_delay_minutes`` after the table's end or the check-out, and only for a day after
that: a sweep that was down, a guest busy with another conversation or quiet hours delay it,
but turning the question on never reaches guests of visits long past.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session

from engine.bookings.enums import BookingStatus
from engine.bookings.models import Booking
from engine.bookings.transitions import record_event
from engine.db import insert_or_skip
from engine.exceptions import ValidationError
from engine.feedback.models import Feedback
from engine.messaging.enums import MessageChannel
from engine.messaging.service import is_opted_out
from engine.payments.service import guest_channel
from engine.reminders.schedule import is_quiet
from engine.tenants.models import Venue

#: How long after it is due a question may still go out.
ASK_WITHIN = timedelta(hours=24)
#: Visits that happened (or are taken to have, once their end has passed).
VISITED = (BookingStatus.CONFIRMED, BookingStatus.COMPLETED)
SCORES = range(1, 6)
#: Scores a person follows up.
LOW_SCORES = range(1, 3)
MAX_COMMENT = 2000
#: The outbox key of the question about booking N: ``feedback:N``.
ASK_KEY = "feedback:{booking_id}"
RATED = "guest rated the visit"
COMMENTED = "guest commented on the visit"


def visit_end(booking: Booking, venue: Venue) -> datetime:
    """When the visit ended: the table's end, or the check-out time on the departure date."""
    if booking.ends_at is not None:
        return booking.ends_at.astimezone(UTC)
    if booking.check_out is None:
        raise ValidationError("The booking has no end.")
    return datetime.combine(booking.check_out, venue.check_out_time, tzinfo=venue.tz).astimezone(
        UTC
    )


def ask_key(booking_id: int) -> str:
    """The outbox key of the question about a booking: asked once, whatever retries."""
    return ASK_KEY.format(booking_id=booking_id)


def is_ask(key: str) -> bool:
    """True for the outbox row of a question after a visit."""
    return key.startswith(ASK_KEY.partition("{")[0])


def visits_to_ask_about(session: Session, *, now: datetime, limit: int = 200) -> list[Booking]:
    """Bookings whose guest is due the question now (see the module docstring), oldest first."""
    due: list[Booking] = []
    for venue in session.scalars(select(Venue).order_by(Venue.id)):
        if venue.feedback_enabled and not is_quiet(now, venue.quiet_hours, venue.tz):
            due += _due_at(session, venue, now, limit - len(due))
        if len(due) >= limit:
            break
    return due


def _due_at(session: Session, venue: Venue, now: datetime, limit: int) -> list[Booking]:
    """The venue's visits whose question is due, not asked yet, to guests who can be asked."""
    latest = now - timedelta(minutes=venue.feedback_delay_minutes)
    earliest = latest - ASK_WITHIN
    query = (
        select(Booking)
        .where(
            Booking.venue_id == venue.id,
            Booking.status.in_(VISITED),
            or_(
                and_(Booking.ends_at > earliest, Booking.ends_at <= latest),
                and_(
                    Booking.check_out >= _local_date(venue, earliest),
                    Booking.check_out <= _local_date(venue, latest),
                ),
            ),
            ~exists().where(Feedback.booking_id == Booking.id),
        )
        .order_by(Booking.id)
        .limit(limit)
    )
    return [
        booking
        for booking in session.scalars(query)
        if earliest < visit_end(booking, venue) <= latest and _reachable(booking, venue)
    ]


def _local_date(venue: Venue, instant: datetime) -> date:
    return instant.astimezone(venue.tz).date()


def _reachable(booking: Booking, venue: Venue) -> bool:
    """The guest can be messaged: not opted out, and the venue has a number on the channel
    (WhatsApp through Twilio goes from the SMS number)."""
    channel = guest_channel(booking)
    if is_opted_out(booking.guest, channel=channel):
        return False
    if channel == MessageChannel.SMS:
        return bool(venue.sms_number)
    return bool(venue.whatsapp_phone_number_id or venue.sms_number)


def mark_asked(session: Session, *, booking: Booking, now: datetime) -> bool:
    """Note that the guest is being asked; False when they already were (another sweep)."""
    statement = insert_or_skip(session, Feedback, "booking_id").values(
        booking_id=booking.id, venue_id=booking.venue_id, asked_at=now, comment=""
    )
    inserted = session.scalar(statement.returning(Feedback.booking_id))
    session.expire(booking, ["feedback"])
    return inserted is not None


def _asked(booking: Booking) -> Feedback:
    if booking.feedback is None:
        raise ValidationError("The guest was not asked about this visit.")
    return booking.feedback


def rate(session: Session, *, booking: Booking, score: int, actor: str, now: datetime) -> Feedback:
    """Keep the guest's score of the visit (once), with an audit entry."""
    if score not in SCORES:
        raise ValidationError("A score is a whole number from 1 to 5.")
    feedback = _asked(booking)
    if feedback.score is not None:
        raise ValidationError("This visit was already rated.")
    feedback.score, feedback.answered_at = score, now
    record_event(booking, actor=actor, reason=RATED, now=now, details={"score": score})
    return feedback


def add_comment(
    session: Session, *, booking: Booking, comment: str, actor: str, now: datetime
) -> Feedback:
    """Keep the guest's words about the visit (once, after the score), with an audit entry."""
    feedback = _asked(booking)
    text = comment.strip()[:MAX_COMMENT]
    if feedback.score is None or feedback.comment or not text:
        raise ValidationError("A comment follows the score, once.")
    feedback.comment = text
    record_event(booking, actor=actor, reason=COMMENTED, now=now, details={"comment": text})
    return feedback


@dataclass(frozen=True)
class FeedbackSummary:
    """What guests said of the visits in a period: how many were asked, how many rated, the
    average score and how the scores spread."""

    asked: int
    rated: int
    average_score: float | None
    by_score: dict[int, int]


def summarize(session: Session, *, booking_ids: list[int]) -> FeedbackSummary:
    """The feedback of these bookings (the analytics page's period)."""
    rows = session.execute(
        select(Feedback.score, func.count())
        .where(Feedback.booking_id.in_(booking_ids))
        .group_by(Feedback.score)
    ).all()
    by_score = {score: count for score, count in rows if score is not None}
    rated = sum(by_score.values())
    total = sum(score * count for score, count in by_score.items())
    return FeedbackSummary(
        asked=sum(count for _, count in rows),
        rated=rated,
        average_score=round(total / rated, 2) if rated else None,
        by_score={score: by_score.get(score, 0) for score in SCORES},
    )
