"""The reminder sweep, its clock passed in: each reminder written once when it comes due, none
for a cancelled booking, a moved booking reminded at its new time only, never at night."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from application.reminders import send_due_reminders, send_reminder
from engine.bookings.enums import CancelledBy
from engine.bookings.models import Booking
from engine.bookings.service import cancel, modify
from engine.messaging.enums import MessageChannel, OutboxStatus
from engine.messaging.service import set_opt_out
from engine.reminders.service import confirm_attendance
from engine.tenants.service import update_venue
from infra.runtime import Runtime
from tests.reminders.conftest import Demo, local, reminder_rows

KOLKATA = ZoneInfo("Asia/Kolkata")  # both demo venues
LONDON = ZoneInfo("Europe/London")
#: A Wednesday ahead of the suite's clock: dinner at the demo restaurant, check-in at the hotel.
DAY = date(2027, 1, 6)
EVE, EARLIER = DAY - timedelta(days=1), DAY - timedelta(days=5)


def ist(day: date, hour: int, minute: int = 0) -> datetime:
    """A wall-clock time where both demo venues are."""
    return datetime.combine(day, time(hour, minute), tzinfo=KOLKATA)


def written(session: Session) -> list[tuple[str, int]]:
    """(kind, booking id) of every reminder written so far, in order."""
    return [(row.payload["kind"], row.payload["booking_id"]) for row in reminder_rows(session)]


def test_each_reminder_kind_is_written_once_when_it_comes_due(
    queued_runtime: Runtime, session: Session, demo: Demo
) -> None:
    dinner = demo.seating(session, DAY, time(20, 0), now=ist(EARLIER, 12))
    stay = demo.stay(session, DAY, now=ist(EARLIER, 12))
    session.commit()
    sweeps = [
        (ist(EVE, 13, 59), []),
        (ist(EVE, 14, 0), [("day_before", stay.id)]),  # check-in 14:00, a day before
        (ist(EVE, 19, 59), []),
        (ist(EVE, 20, 0), [("day_before", dinner.id)]),
        (ist(EVE, 20, 15), []),
        (ist(DAY, 18, 0), [("same_day", dinner.id)]),  # two hours before the seating
        (ist(DAY, 18, 15), []),
        (ist(DAY, 19, 59), []),
    ]
    for now, expected in sweeps:
        before = len(written(session))
        assert send_due_reminders(queued_runtime, now) == len(expected), now
        assert written(session)[before:] == expected, now
    keys = [row.key for row in reminder_rows(session)]
    assert keys[1] == f"reminder:{dinner.id}:day_before:20270106T1430"  # 20:00 IST in UTC


def test_a_cancelled_booking_gets_no_reminder(
    queued_runtime: Runtime, session: Session, demo: Demo
) -> None:
    dinner = demo.seating(session, DAY, time(20, 0), now=ist(EARLIER, 12))
    cancel(session, booking=dinner, by=CancelledBy.GUEST, actor="test", now=ist(EARLIER, 13))
    session.commit()
    for now in (ist(EVE, 20, 0), ist(DAY, 18, 0)):
        assert send_due_reminders(queued_runtime, now) == 0
    assert written(session) == []


def test_a_booking_made_inside_the_window_gets_only_the_reminders_still_ahead_of_it(
    queued_runtime: Runtime, session: Session, demo: Demo
) -> None:
    dinner = demo.seating(session, DAY, time(20, 0), now=ist(DAY, 10))
    session.commit()
    assert send_due_reminders(queued_runtime, ist(DAY, 10, 1)) == 0  # a day before has passed
    assert send_due_reminders(queued_runtime, ist(DAY, 18, 0)) == 1
    assert written(session) == [("same_day", dinner.id)]


def test_a_booking_found_late_gets_the_reminder_nearest_its_start_not_every_one_missed(
    queued_runtime: Runtime, session: Session, demo: Demo
) -> None:
    dinner = demo.seating(session, DAY, time(20, 0), now=ist(EARLIER, 12))
    session.commit()
    assert send_due_reminders(queued_runtime, ist(DAY, 18, 30)) == 1  # the sweep was down
    assert send_due_reminders(queued_runtime, ist(DAY, 19, 0)) == 0
    assert written(session) == [("same_day", dinner.id)]


def test_a_reminder_turned_off_is_not_written(
    queued_runtime: Runtime, session: Session, demo: Demo
) -> None:
    off = {"same_day": {"enabled": False, "hours_before": 2}}
    update_venue(session, venue=demo.restaurant, fields={"reminders": off})
    dinner = demo.seating(session, DAY, time(20, 0), now=ist(EARLIER, 12))
    session.commit()
    for now in (ist(EVE, 20, 0), ist(DAY, 18, 0), ist(DAY, 19, 0)):
        send_due_reminders(queued_runtime, now)
    assert written(session) == [("day_before", dinner.id)]


def test_a_moved_booking_is_reminded_at_its_new_time_and_the_old_reminder_is_dropped(
    queued_runtime: Runtime, session: Session, demo: Demo
) -> None:
    dinner = demo.seating(session, DAY, time(20, 0), now=ist(EARLIER, 12))
    session.commit()
    assert send_due_reminders(queued_runtime, ist(EVE, 20, 0)) == 1
    (old,) = reminder_rows(session)
    later = local(demo.restaurant, DAY + timedelta(days=1), time(20, 0))
    modify(session, booking=dinner, actor="test", now=ist(EVE, 20, 5), starts_at=later)
    session.commit()

    send_reminder(queued_runtime, old.id)  # the old one, still queued, is handled now
    session.refresh(old)
    assert (old.status, old.last_error) == (
        OutboxStatus.SUPPRESSED,
        "the booking moved to another time",
    )

    assert send_due_reminders(queued_runtime, ist(DAY, 18, 0)) == 0  # the old time's: none
    assert send_due_reminders(queued_runtime, ist(DAY, 20, 0)) == 1
    assert send_due_reminders(queued_runtime, ist(DAY + timedelta(days=1), 18, 0)) == 1
    new_keys = [row.key for row in reminder_rows(session)][1:]
    assert new_keys == [
        f"reminder:{dinner.id}:day_before:20270107T1430",
        f"reminder:{dinner.id}:same_day:20270107T1430",
    ]


def test_a_booking_moved_after_a_reminder_was_due_gets_only_those_still_ahead(
    queued_runtime: Runtime, session: Session, demo: Demo
) -> None:
    dinner = demo.seating(session, DAY, time(20, 0), now=ist(EARLIER, 12))
    session.commit()
    later = local(demo.restaurant, DAY, time(21, 0))
    modify(session, booking=dinner, actor="test", now=ist(DAY, 12), starts_at=later)
    session.commit()
    assert send_due_reminders(queued_runtime, ist(DAY, 12, 1)) == 0  # 21:00 a day before: past
    assert send_due_reminders(queued_runtime, ist(DAY, 19, 0)) == 1
    assert written(session) == [("same_day", dinner.id)]


def test_a_guest_who_opted_out_gets_nothing(
    queued_runtime: Runtime, session: Session, demo: Demo
) -> None:
    dinner = demo.seating(session, DAY, time(20, 0), now=ist(EARLIER, 12))
    session.commit()
    assert send_due_reminders(queued_runtime, ist(EVE, 20, 0)) == 1
    (queued,) = reminder_rows(session)
    set_opt_out(dinner.guest, channel=MessageChannel.SMS, opted_out=True)
    session.commit()

    send_reminder(queued_runtime, queued.id)
    session.refresh(queued)
    assert (queued.status, queued.last_error) == (OutboxStatus.SUPPRESSED, "guest opted out")
    assert send_due_reminders(queued_runtime, ist(DAY, 18, 0)) == 0
    assert len(reminder_rows(session)) == 1


def _london_lunch(session: Session, demo: Demo, day: date) -> Booking:
    """A lunch at 12:00 on ``day`` at the demo restaurant moved to London, whose same-day
    reminder (12 hours before) falls in the night before, across that night's clock change."""
    twelve = {"same_day": {"enabled": True, "hours_before": 12}}
    update_venue(
        session, venue=demo.restaurant, fields={"timezone": "Europe/London", "reminders": twelve}
    )
    booked = datetime.combine(day - timedelta(days=7), time(12, 0), tzinfo=LONDON)
    lunch = demo.seating(session, day, time(12, 0), now=booked)
    session.commit()
    return lunch


def _sweep_every_quarter(
    runtime: Runtime, session: Session, start: datetime, end: datetime
) -> list[tuple[str, datetime]]:
    """Sweep every 15 minutes from ``start`` to ``end``: (kind, sweep time) of each write."""
    found: list[tuple[str, datetime]] = []
    now = start.astimezone(UTC)
    while now <= end:
        if send_due_reminders(runtime, now):
            found += [(kind, now) for kind, _ in written(session)[len(found) :]]
        now += timedelta(minutes=15)
    return found


def test_quiet_hours_hold_across_the_night_london_springs_forward(
    queued_runtime: Runtime, session: Session, demo: Demo
) -> None:
    sunday = date(2027, 3, 28)  # clocks go from 01:00 GMT to 02:00 BST
    _london_lunch(session, demo, sunday)
    saturday = datetime.combine(sunday - timedelta(days=1), time(8, 0), tzinfo=LONDON)
    writes = _sweep_every_quarter(queued_runtime, session, saturday, saturday + timedelta(hours=27))
    assert [(kind, at.astimezone(LONDON).strftime("%a %H:%M")) for kind, at in writes] == [
        ("day_before", "Sat 11:00"),  # 24 real hours before 12:00 BST is 11:00 GMT
        ("same_day", "Sat 21:30"),  # 12 hours before is 23:00 GMT: moved before the night
    ]


def test_quiet_hours_hold_across_the_night_london_falls_back(
    queued_runtime: Runtime, session: Session, demo: Demo
) -> None:
    sunday = date(2027, 10, 31)  # clocks go from 02:00 BST back to 01:00 GMT
    _london_lunch(session, demo, sunday)
    saturday = datetime.combine(sunday - timedelta(days=1), time(8, 0), tzinfo=LONDON)
    writes = _sweep_every_quarter(queued_runtime, session, saturday, saturday + timedelta(hours=29))
    assert [(kind, at.astimezone(LONDON).strftime("%a %H:%M")) for kind, at in writes] == [
        ("day_before", "Sat 13:00"),  # 24 real hours before 12:00 GMT is 13:00 BST
        ("same_day", "Sat 21:30"),  # 12 hours before is 01:00 BST: moved before the night
    ]


def test_two_sweeps_at_once_write_each_reminder_once(
    queued_runtime: Runtime, session: Session, demo: Demo
) -> None:
    dinners = [
        demo.seating(
            session,
            DAY,
            time(19 + n // 8, 15 * (n % 4)),
            now=ist(EARLIER, 12),
            phone=f"+91980000{n:04d}",
        )
        for n in range(10)
    ]
    session.commit()
    start = threading.Barrier(2)
    counts: list[int] = []

    def sweep() -> None:
        start.wait()
        counts.append(send_due_reminders(queued_runtime, ist(EVE, 22, 0) - timedelta(minutes=1)))

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    keys = [row.key for row in reminder_rows(session)]
    assert sum(counts) == len(keys) == len(set(keys)) == len(dinners)


def test_a_guest_who_confirms_twice_is_noted_once(session: Session, demo: Demo) -> None:
    dinner = demo.seating(session, DAY, time(20, 0), now=ist(EARLIER, 12))
    for minute in (1, 2):
        confirm_attendance(session, booking=dinner, actor="guest", now=ist(EVE, 20, minute))
    assert dinner.guest_confirmed_at == ist(EVE, 20, 1)
    assert [event.reason for event in dinner.events].count("guest confirmed") == 1
    later = local(demo.restaurant, DAY, time(21, 0))
    modify(session, booking=dinner, actor="guest", now=ist(EVE, 21), starts_at=later)
    assert dinner.guest_confirmed_at is None  # they said they come at 20:00, not 21:00
