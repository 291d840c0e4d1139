"""Reminders before a visit: the sweep that writes the due ones, and the job that sends each.

``send_due_reminders(runtime, now)`` runs in the maintenance sweep. It finds the reminders due
at ``now`` (``engine.reminders``) and writes them as outbox rows in one transaction, under
their keys ``reminder:{booking}:{kind}:{start}``, with their bookings locked; then hands them
to send jobs, a batch to a job. Two workers sweeping at once write each reminder once: a key
written by one is skipped by the other's insert, and a booking one has locked is skipped by
the other. A crash before the hand-over leaves rows the stale-outbox sweep hands over later.

``send_reminder(runtime, outbox_id)`` is what the send job does with such a row, under the
guest's conversation lock and in one transaction: drop it (suppressed, with the reason) when
the booking was cancelled, moved or has begun, or the guest opted out; else tell the guest,
in their language and channel, leave the conversation waiting for their answer, and mark the
row done. The message is an outbox row of its own, sent right after the commit and recovered
after a crash like every other (``application.sending``), so it goes out exactly once.
"""

from __future__ import annotations

import logging
from datetime import datetime

from application.conversations import conversation_locked, outbox_conversation
from application.notices import guest_turn, tell
from application.sessions import autocommit
from application.unit_of_work import Delivery, unit_of_work
from bot.choices import OPTIONS_TTL_SECONDS
from bot.conversation import IDLE_TTL_SECONDS
from bot.flows.reminders import remind
from engine.bookings.models import Booking
from engine.bookings.policies import booking_start
from engine.db import utcnow
from engine.messaging.service import (
    is_final,
    is_opted_out,
    lock_outbox,
    mark_handled,
    suppress,
)
from engine.reminders.service import due_reminders, why_not, write_reminders
from infra.jobs import enqueue_sends
from infra.runtime import Runtime

log = logging.getLogger(__name__)


def send_due_reminders(runtime: Runtime, now: datetime) -> int:
    """Write the reminders due at ``now`` and queue them; how many this call wrote."""
    with autocommit(runtime) as session:
        due = due_reminders(session, now=now)
    if not due:
        return 0
    with unit_of_work(runtime) as uow:
        written = write_reminders(uow.session, due)
    enqueue_sends(runtime, written)
    return len(written)


def send_reminder(runtime: Runtime, outbox_id: int) -> None:
    """Tell the guest the reminder of one outbox row, unless it was told or is no longer due."""
    with (
        conversation_locked(runtime.redis, outbox_conversation(runtime, outbox_id)),
        unit_of_work(runtime, delivery=Delivery.NOW) as uow,
    ):
        row = lock_outbox(uow.session, outbox_id=outbox_id)
        if row is None or is_final(row):
            return
        now = utcnow()
        booking = uow.session.get(Booking, row.payload["booking_id"])
        assert booking is not None
        reason = why_not(booking, row.key, now=now)
        if reason is None and is_opted_out(booking.guest, channel=row.channel):
            reason = "guest opted out"
        if reason is not None:
            log.info("reminder %s dropped: %s", row.key, reason)
            suppress(row, reason=reason)
            return
        uow.keep(booking.venue, booking.guest)
        waiting = _answer_awaited(booking, now)
        with guest_turn(uow.session, runtime.redis, booking, now, ttl_seconds=waiting) as turn:
            tell(turn, row.key, remind(turn, booking))
        mark_handled(row, now=now)


def _answer_awaited(booking: Booking, now: datetime) -> int:
    """How long the conversation waits for the answer: until the visit begins, at least a
    chat's idle time, at most as long as a number on SMS picks the reminder's options."""
    until = int((booking_start(booking, booking.venue) - now).total_seconds())
    return min(max(until, IDLE_TTL_SECONDS), OPTIONS_TTL_SECONDS)
