"""The inbound job: answer a stored guest message (``application.inbound_turn``)."""

from __future__ import annotations

from application.inbound_turn import handle_inbound as handle
from infra.runtime import current


def handle_inbound(event_id: int) -> None:
    """Handle the conversation of ``event_id`` up to its newest pending message."""
    handle(current(), event_id)
