"""The sender of a provider listed in DISABLED_PROVIDERS.

A venue that uses only SMS still has rows for other channels now and then (a staff reply to an
old WhatsApp conversation, a reminder): they fail for good with a reason a person can read,
instead of crashing the job or being retried forever.
"""

from __future__ import annotations

from infra.senders.base import PermanentSendError, SendTask


class DisabledSender:
    """Refuses every send, naming the disabled provider."""

    def __init__(self, provider: str) -> None:
        self.provider = provider

    def send(self, task: SendTask) -> str:
        """Never sends: the provider is turned off for this deployment."""
        raise PermanentSendError(f"{self.provider} is disabled by DISABLED_PROVIDERS: not sent.")

    def find_sent(self, task: SendTask) -> str | None:
        """Nothing was ever sent through a disabled provider."""
        return None
