"""Which reminders are due, writing each once, and the guest's answer that they are coming.

A reminder is an outbox action row keyed ``reminder:{booking}:{kind}:{start}``, the start in
UTC as ``YYYYMMDDTHHMM``. The key's uniqueness is what makes it once, whoever sweeps and
however often; the start is in it because a booking that moves is reminded again, for its new
time (a row for the old time still waiting is dropped when it is handled: ``why_not``).

The sweep reads the confirmed bookings starting within the window each venue's schedule
allows (``schedule.latest_start``) and decides, for each, which reminder is due: of the kinds
whose time has come, the latest only (a booking found late gets the reminder nearest its
start, not every one it missed), and only if that time was still ahead when the booking was
made or last moved. Nothing is written for a venue while its quiet hours last.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Row, func, select
from sqlalchemy.orm import Session

from engine.bookings.enums import BookingStatus
from engine.bookings.models import Booking, BookingEvent
from engine.bookings.policies import booking_start, start_of
from engine.bookings.service import MODIFIED, lock_booking
from engine.bookings.transitions import record_event
from engine.db import one_of
from engine.exceptions import ValidationError
from engine.guests.models import Guest
from engine.messaging.enums import MessageChannel
from engine.messaging.models import OutboxMessage
from engine.messaging.service import enqueue_outbox_rows
from engine.payments.service import chat_channel
from engine.reminders.schedule import ReminderKind, Rule, due_at, is_quiet, latest_start
from engine.tenants.enums import VenueKind
from engine.tenants.models import Venue

#: The outbox action of a reminder, and the first part of its key.
REMINDER = "reminder"
#: The audit reason when a guest answers a reminder that they are coming.
GUEST_CONFIRMED = "guest confirmed"
#: How many ids or keys one query names (PostgreSQL takes at most 65,535 parameters).
CHUNK = 5000


@dataclass(frozen=True)
class Due:
    """A reminder due now, and the booking as the sweep found it."""

    booking_id: int
    venue_id: int
    guest_id: int
    channel: MessageChannel
    phone: str
    kind: ReminderKind
    start: datetime
    due: datetime
    #: The booking's columns that give its start, to see it has not moved since.
    starts_at: datetime | None
    check_in: date | None

    @property
    def key(self) -> str:
        """The outbox key of this reminder."""
        return reminder_key(self.booking_id, self.kind, self.start)


def reminder_key(booking_id: int, kind: ReminderKind, start: datetime) -> str:
    """``reminder:{booking}:{kind}:{start as YYYYMMDDTHHMM, UTC}``."""
    return f"{REMINDER}:{booking_id}:{kind.value}:{start.astimezone(UTC):%Y%m%dT%H%M}"


def is_reminder(key: str) -> bool:
    """True for a reminder's outbox row, and for the messages it wrote (``{key}:…``)."""
    return key.startswith(f"{REMINDER}:")


def key_booking(key: str) -> int:
    """The booking a reminder key (or one of its messages' keys) is about."""
    return int(key.split(":")[1])


def key_kind(key: str) -> ReminderKind:
    """The kind of reminder a reminder key (or one of its messages' keys) names."""
    return ReminderKind(key.split(":")[2])


def due_reminders(session: Session, *, now: datetime) -> list[Due]:
    """The reminders due at ``now`` and not written yet, across every venue."""
    plans = {venue.id: plan for venue in _venues(session) if (plan := _plan(venue, now))}
    found = [
        due
        for row in _upcoming(session, list(plans.values()), now)
        if (due := _due(plans[row.venue_id], row, now)) is not None
    ]
    written = _written(session, [due.key for due in found])
    return [due for due in found if due.key not in written]


def _venues(session: Session) -> list[Venue]:
    return list(session.scalars(select(Venue).order_by(Venue.id)))


@dataclass(frozen=True)
class _Plan:
    """What one venue sends at ``now``, and where its bookings must start to have one due:
    (after, until) instants for seatings, (first, last) check-in dates for stays."""

    venue: Venue
    rules: list[Rule]
    window: tuple[Any, Any]


def _plan(venue: Venue, now: datetime) -> _Plan | None:
    """None when the venue sends nothing now (no reminder on, or its quiet hours)."""
    quiet, tz = venue.quiet_hours, venue.tz
    rules = [rule for rule in venue.reminders.values() if rule.enabled]
    if not rules or is_quiet(now, quiet, tz):
        return None
    until = max(latest_start(now, rule, quiet, tz) for rule in rules)
    if venue.kind == VenueKind.HOTEL:
        return _Plan(venue, rules, (now.astimezone(tz).date(), until.astimezone(tz).date()))
    return _Plan(venue, rules, (now, until))


def _upcoming(session: Session, plans: list[_Plan], now: datetime) -> list[Row[Any]]:
    """The confirmed bookings starting in their venue's window, with their guest: one query
    per window (the venues of one zone and schedule share theirs), not one per venue."""
    venues: dict[tuple[VenueKind, Any, Any], list[int]] = defaultdict(list)
    for plan in plans:
        venues[(plan.venue.kind, *plan.window)].append(plan.venue.id)
    rows: list[Row[Any]] = []
    for (kind, first, last), ids in venues.items():
        if kind == VenueKind.HOTEL:
            starts = (Booking.check_in >= first, Booking.check_in <= last)
        else:
            starts = (Booking.starts_at > first, Booking.starts_at <= last)
        where = (one_of(session, Booking.venue_id, ids), Booking.status == BookingStatus.CONFIRMED)
        rows.extend(session.execute(_UPCOMING.where(*where, *starts)))
    return rows


_UPCOMING = select(
    Booking.id,
    Booking.venue_id,
    Booking.guest_id,
    Booking.channel,
    Booking.starts_at,
    Booking.check_in,
    Booking.created_at,
    Guest.phone,
    Guest.opted_out_sms,
    Guest.opted_out_whatsapp,
).join(Guest, Guest.id == Booking.guest_id)


def _due(plan: _Plan, row: Row[Any], now: datetime) -> Due | None:
    """The booking's reminder due at ``now``, if one is: of the kinds whose time has come,
    the one nearest the start, and only if that time was still ahead when it was made."""
    venue, quiet, tz = plan.venue, plan.venue.quiet_hours, plan.venue.tz
    start = start_of(venue, starts_at=row.starts_at, check_in=row.check_in)
    passed = [(at, rule) for rule in plan.rules if (at := due_at(start, rule, quiet, tz)) <= now]
    if start <= now or not passed:
        return None
    at, rule = max(passed, key=lambda pair: pair[0])
    channel = chat_channel(row.channel)
    if at < row.created_at or _opted_out(row, channel):
        return None  # it was due before the booking was made; or the guest wants nothing
    return Due(
        booking_id=row.id,
        venue_id=venue.id,
        guest_id=row.guest_id,
        channel=channel,
        phone=row.phone,
        kind=rule.kind,
        start=start,
        due=at,
        starts_at=row.starts_at,
        check_in=row.check_in,
    )


def _opted_out(row: Row[Any], channel: MessageChannel) -> bool:
    """The guest sent STOP on the channel the reminder would go on."""
    if channel == MessageChannel.WHATSAPP:
        return bool(row.opted_out_whatsapp)
    return bool(row.opted_out_sms)


def _chunks(items: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for first in range(0, len(items), CHUNK):
        yield items[first : first + CHUNK]


def _written(session: Session, keys: list[str]) -> set[str]:
    """Which of ``keys`` are in the outbox already."""
    return {
        key
        for chunk in _chunks(keys)
        for key in session.scalars(
            select(OutboxMessage.key).where(one_of(session, OutboxMessage.key, chunk))
        )
    }


def write_reminders(session: Session, due: list[Due]) -> list[int]:
    """Write each reminder whose booking is still as the sweep found it: the new rows' ids.

    The bookings are locked for the transaction, skipping any another transaction holds (a
    guest moving it right now: the next sweep sees where it went), and looked at again:
    still confirmed, same start, and not moved after the reminder's time. A key another
    sweep wrote meanwhile is skipped by the insert.
    """
    ids = [d.booking_id for d in due]
    current = {row.id: row for chunk in _chunks(ids) for row in _locked(session, chunk)}
    rows = [
        _action(d) for d in due if d.booking_id in current and _unchanged(d, current[d.booking_id])
    ]
    return enqueue_outbox_rows(session, rows)


def _locked(session: Session, ids: Sequence[int]) -> list[Row[Any]]:
    """The bookings ``ids`` not locked by another transaction, now locked by this one, with
    when each was last moved."""
    moved = (
        select(func.max(BookingEvent.at))
        .where(BookingEvent.booking_id == Booking.id, BookingEvent.reason == MODIFIED)
        .scalar_subquery()
    )
    query = (
        select(
            Booking.id, Booking.status, Booking.starts_at, Booking.check_in, moved.label("moved")
        )
        .where(one_of(session, Booking.id, ids))
        .with_for_update(skip_locked=True, of=Booking)
    )
    return list(session.execute(query))


def _unchanged(due: Due, row: Row[Any]) -> bool:
    same = (row.starts_at, row.check_in) == (due.starts_at, due.check_in)
    moved_before = row.moved is None or row.moved <= due.due
    return row.status == BookingStatus.CONFIRMED and same and moved_before


def _action(due: Due) -> dict[str, Any]:
    """The outbox row of a reminder (its message is written when the row is handled)."""
    return {
        "key": due.key,
        "venue_id": due.venue_id,
        "guest_id": due.guest_id,
        "channel": due.channel,
        "to_address": due.phone,
        "payload": {"action": REMINDER, "booking_id": due.booking_id, "kind": due.kind.value},
        "bypass_opt_out": False,
    }


def why_not(booking: Booking, key: str, *, now: datetime) -> str | None:
    """Why the reminder ``key`` (or one of its messages) must not go out now, if it must not:
    the booking is no longer confirmed, has moved to another time, or has begun."""
    if booking.status != BookingStatus.CONFIRMED:
        return f"the booking is {booking.status.value.replace('_', ' ')}"
    start = booking_start(booking, booking.venue)
    if not key.startswith(reminder_key(booking.id, key_kind(key), start)):
        return "the booking moved to another time"
    if start <= now:
        return "the booking has begun"
    return None


def confirm_attendance(session: Session, *, booking: Booking, actor: str, now: datetime) -> None:
    """The guest says they are coming: noted on the booking and in its audit trail (the
    dashboards hear of it); once, however often they say it."""
    lock_booking(session, booking)
    if booking.status != BookingStatus.CONFIRMED:
        raise ValidationError(
            f"Booking {booking.reference} is {booking.status.value.replace('_', ' ')}."
        )
    if booking.guest_confirmed_at is None:
        booking.guest_confirmed_at = now
        record_event(booking, actor=actor, reason=GUEST_CONFIRMED, now=now)
