"""What a sender is given and the errors it may raise."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol


class SendError(Exception):
    """A provider refused or failed a send."""


class TransientSendError(SendError):
    """Worth retrying later (timeouts, 5xx, rate limits)."""


class PermanentSendError(SendError):
    """Retrying cannot help (bad number, rejected content, outside the messaging window)."""


@dataclass(frozen=True)
class SendTask:
    """A snapshot of one outbox row, taken under its lock, for a send outside the transaction."""

    outbox_id: int
    key: str
    to: str
    sender_address: str
    payload: dict[str, Any]
    started_at: datetime


class Sender(Protocol):
    """Delivers messages for one provider."""

    def send(self, task: SendTask) -> str:
        """Send and return the provider's message id."""
        ...

    def find_sent(self, task: SendTask) -> str | None:
        """After a crash mid-send: the provider id if the provider already has the message."""
        ...
