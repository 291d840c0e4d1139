"""The payment event job: apply one stored Razorpay webhook (``application.payments``)."""

from __future__ import annotations

from application.payments import handle_payment_event as handle
from infra.runtime import current


def handle_payment_event(event_id: int) -> None:
    """Apply the event and tell the guest; repeats change nothing more."""
    handle(current(), event_id)
