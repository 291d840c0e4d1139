"""The inbound job: answer a stored guest message (``application.inbound_turn``)."""

from __future__ import annotations

from application import inbound_turn
from infra.jobs import QueuedEvent
from infra.runtime import current


def handle_inbound(event_id: int) -> None:
    """Handle the conversation of ``event_id`` up to its newest pending message."""
    inbound_turn.handle_inbound(current(), event_id)


def handle_inbound_batch(events: list[QueuedEvent | int]) -> None:
    """Handle the events a webhook batch stored, each as ``handle_inbound`` would."""
    inbound_turn.handle_inbound_batch(current(), events)
