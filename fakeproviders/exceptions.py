"""The one exception of the fake: an answer already shaped like the provider's own error body."""

from __future__ import annotations

from typing import Any


class FakeProviderError(Exception):
    """Raised by routes and dependencies; the app turns it into ``payload`` with ``status_code``.

    Each provider has its own error JSON (Twilio's ``code/message/more_info``, Graph's
    ``{"error": {...}}``), so the raiser builds the body and the handler only serialises it.
    """

    def __init__(self, status_code: int, payload: dict[str, Any]) -> None:
        super().__init__(f"HTTP {status_code}: {payload}")
        self.status_code = status_code
        self.payload = payload
