"""The send job: deliver one outbox row exactly once (``application.delivery``)."""

from __future__ import annotations

from application.delivery import deliver
from infra.runtime import current


def send_outbound(outbox_id: int) -> None:
    """Send the row, or make the provider call it asks for, unless that was done."""
    deliver(current(), outbox_id)
