"""Every kind of reminder goes out exactly once even when the worker sending it is killed
(SIGKILL) after the provider accepted the message and before the row said so: the
maintenance sweep finds the interrupted send, asks the provider, and sends nothing twice; a
sweep at the same clock writes nothing new."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import datetime, timedelta

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from application.reminders import send_due_reminders
from application.sweeps import sweep
from engine.db import utcnow
from engine.messaging.enums import FINAL_OUTBOX_STATUSES, OutboxStatus
from engine.messaging.models import OutboxMessage
from tests.reminders.chat import book, due, reminder_message
from tests.settings import sandbox_env
from tests.stack import Stack, wait_for


def _sweep_in_a_worker_that_hangs(live: Stack, due: datetime) -> subprocess.Popen[bytes]:
    """A worker process running the reminder sweep at ``due``, sending inline (no Redis)."""
    env = sandbox_env(DATABASE_URL=live.runtime.settings.database_url, PUBLIC_BASE_URL=live.url)
    env.pop("REDIS_URL", None)
    script = (
        "from datetime import datetime; from infra.runtime import current; "
        "from application.reminders import send_due_reminders; "
        f"send_due_reminders(current(), datetime.fromisoformat({due.isoformat()!r}))"
    )
    return subprocess.Popen([sys.executable, "-c", script], env=env)


@pytest.mark.parametrize(
    ("venue", "kind", "hours"),
    [("restaurant", "day_before", 24), ("restaurant", "same_day", 2), ("hotel", "day_before", 24)],
)
def test_every_reminder_kind_is_sent_exactly_once_across_a_worker_killed_mid_send(
    live: Stack, sessions: sessionmaker[Session], venue: str, kind: str, hours: int
) -> None:
    guest, booking = book(live, sessions, venue=venue)
    at = due(sessions, booking, hours)
    live.fake.update_knobs(hang_after_accept_seconds=30)
    worker = _sweep_in_a_worker_that_hangs(live, at)
    try:
        live.wait_sent(guest.phone, 1, timeout=30)
        assert reminder_message(sessions, booking.id, kind).status == OutboxStatus.SENDING
    finally:
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait()
    live.fake.update_knobs(hang_after_accept_seconds=0)
    message = reminder_message(sessions, booking.id, kind)
    with sessions.begin() as session:  # time passes: the send is stale, no longer in flight
        ten_minutes_ago = utcnow() - timedelta(minutes=10)
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message.id)
            .values(created_at=ten_minutes_ago, sending_started_at=ten_minutes_ago)
        )

    sweep(live.runtime)
    wait_for(lambda: reminder_message(sessions, booking.id, kind).status in FINAL_OUTBOX_STATUSES)

    assert send_due_reminders(live.runtime, at) == 0
    live.settle()
    (sent,) = live.sent_to(guest.phone)
    assert reminder_message(sessions, booking.id, kind).provider_message_id == sent.id
    assert booking.reference in str(sent.payload["Body"])
