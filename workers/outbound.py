"""The send job: deliver one outbox row exactly once (``application.delivery``)."""

from __future__ import annotations

from application.delivery import deliver, deliver_each
from infra.runtime import current


def send_outbound(outbox_id: int) -> None:
    """Send the row, or make the provider call it asks for, unless that was done."""
    deliver(current(), outbox_id)


def send_outbound_batch(outbox_ids: list[int]) -> None:
    """Deliver each row in turn (a sweep's reminders); one that fails gets a job of its own."""
    deliver_each(current(), outbox_ids)
