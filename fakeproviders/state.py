"""The fake's memory: what the product sent, what the fake called back, and the failure knobs.

Request handlers (event-loop thread), callback threads and tests (main thread) all touch it, so
every read and write holds one lock, and readers get copies. A condition variable lets tests
wait for background callbacks instead of sleeping.
"""

from __future__ import annotations

import copy
import dataclasses
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Literal


class Provider(StrEnum):
    """Which provider a record belongs to (also the scope of ``Knobs.fail_provider``)."""

    TWILIO = "twilio"
    WHATSAPP = "whatsapp"
    RAZORPAY = "razorpay"


def phone_key(number: str) -> str:
    """Digits only, so ``+91 98…``, ``9198…`` and ``whatsapp:+9198…`` name the same person."""
    return "".join(ch for ch in number if ch.isdigit())


def utcnow() -> datetime:
    """Aware UTC now (one place, so every record uses the same clock)."""
    return datetime.now(UTC)


@dataclass
class Knobs:
    """Runtime switches for outage and edge-case tests; ``POST /_fake/faults`` changes them."""

    fail_next: int = 0  # the next N provider API calls answer HTTP 500
    fail_provider: str | None = None  # limit fail_next to one Provider; None = any
    delay_seconds: float = 0.0  # every provider API answer waits this long first
    delay_provider: str | None = None  # limit delay_seconds to one Provider; None = any
    hang_after_accept_seconds: float = 0.0  # a send is recorded, then the answer waits this long
    simulate_delivery: bool = True  # progress queued → sent → delivered in the background
    status_callbacks: bool = True  # post signed status callbacks/webhooks while progressing
    status_step_seconds: float = 0.05  # pause before each status step
    undeliverable: set[str] = field(default_factory=set)  # numbers whose messages fail
    sms_opted_out: set[str] = field(default_factory=set)  # Twilio answers 21610 for these
    whatsapp_rate_limit_next: int = 0  # the next N WhatsApp sends answer 130429
    whatsapp_window_closed: set[str] = field(default_factory=set)  # 131047 unless template
    whatsapp_window_error: Literal["sync", "webhook"] = "sync"  # how 131047 surfaces
    razorpay_refund_outcome: Literal["processed", "failed"] = "processed"  # refund webhooks

    def normalised(self) -> Knobs:
        """A copy whose number sets hold ``phone_key`` forms, so lookups ignore formatting."""
        clone = copy.deepcopy(self)
        for name in ("undeliverable", "sms_opted_out", "whatsapp_window_closed"):
            setattr(clone, name, {phone_key(n) for n in getattr(clone, name)})
        return clone


@dataclass
class SentMessage:
    """One outbound message the product handed to a provider."""

    provider: Provider
    id: str  # Twilio SID or wamid
    to: str
    from_: str  # Twilio From (or MessagingServiceSid), WhatsApp phone_number_id
    body: str | None  # readable text: SMS body, WhatsApp text/interactive body/template name
    payload: dict[str, Any]  # the full form (Twilio) or JSON (WhatsApp) as received
    created_at: datetime = field(default_factory=utcnow)
    status: str = "queued"
    error_code: int | None = None
    sent_at: datetime | None = None
    updated_at: datetime = field(default_factory=utcnow)
    status_callback: str | None = None

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict for ``GET /_fake/messages`` (datetimes as ISO 8601)."""
        data = dataclasses.asdict(self)
        for key, value in data.items():
            if isinstance(value, datetime):
                data[key] = value.isoformat()
        data["provider"] = str(self.provider)
        return data


@dataclass
class CallbackRecord:
    """One callback the fake posted (or tried to) to the product."""

    provider: Provider
    url: str
    payload: dict[str, Any]
    status_code: int | None  # None when the POST itself failed
    error: str | None = None
    at: datetime = field(default_factory=utcnow)


@dataclass
class InboundRecord:
    """One simulated guest message the fake delivered to the product."""

    provider: Provider
    id: str
    from_: str
    to: str
    body: str | None
    status_code: int | None
    at: datetime = field(default_factory=utcnow)


class FakeState:
    """Thread-safe recorder and knob store shared by every route of one fake app."""

    def __init__(self, knobs: Knobs | None = None) -> None:
        self._initial = (knobs or Knobs()).normalised()
        self._cond = threading.Condition(threading.RLock())
        self._messages: list[SentMessage] = []
        self._callbacks: list[CallbackRecord] = []
        self._inbound: list[InboundRecord] = []
        self._knobs = copy.deepcopy(self._initial)
        self._deliveries = 0
        # The Razorpay fake's resources, keyed by id (read and written through ``resource``).
        self.payment_links: dict[str, dict[str, Any]] = {}
        self.payments: dict[str, dict[str, Any]] = {}
        self.refunds: dict[str, dict[str, Any]] = {}

    def reset(self) -> None:
        """Forget everything recorded and restore the knobs the app started with."""
        with self._cond:
            self._messages.clear()
            self._callbacks.clear()
            self._inbound.clear()
            self.payment_links.clear()
            self.payments.clear()
            self.refunds.clear()
            self._knobs = copy.deepcopy(self._initial)
            self._cond.notify_all()

    def wait_until(self, predicate: Callable[[FakeState], bool], timeout: float = 5.0) -> bool:
        """Block until ``predicate(self)`` holds (re-checked on every change) or time runs out."""
        with self._cond:
            return self._cond.wait_for(lambda: predicate(self), timeout=timeout)

    # -- messages -------------------------------------------------------------------------

    def record_message(self, message: SentMessage) -> None:
        """Remember an accepted outbound message."""
        with self._cond:
            self._messages.append(message)
            self._cond.notify_all()

    def messages(
        self, *, provider: Provider | None = None, to: str | None = None
    ) -> list[SentMessage]:
        """Copies of recorded messages, oldest first, optionally filtered."""
        with self._cond:
            found = [
                dataclasses.replace(m)
                for m in self._messages
                if (provider is None or m.provider == provider)
                and (to is None or phone_key(m.to) == phone_key(to))
            ]
        return found

    def messages_from(self, start: int) -> list[SentMessage]:
        """Copies of the messages recorded from the ``start``-th on (0-based), oldest first.

        A poller that remembers how many it has read copies only the new ones (a bench polls
        every 50 ms while thousands of messages pile up); ``reset`` starts the count afresh.
        """
        with self._cond:
            return [dataclasses.replace(m) for m in self._messages[start:]]

    def get_message(self, message_id: str) -> SentMessage | None:
        """A copy of one message by provider id, or None."""
        with self._cond:
            for message in self._messages:
                if message.id == message_id:
                    return dataclasses.replace(message)
        return None

    def update_status(
        self, message_id: str, status: str, error_code: int | None = None
    ) -> SentMessage | None:
        """Move a message to ``status`` (stamping ``sent_at`` once) and return a copy."""
        with self._cond:
            for message in self._messages:
                if message.id == message_id:
                    now = utcnow()
                    message.status, message.error_code, message.updated_at = status, error_code, now
                    if status == "sent" and message.sent_at is None:
                        message.sent_at = now
                    self._cond.notify_all()
                    return dataclasses.replace(message)
        return None

    # -- callbacks and inbound ------------------------------------------------------------

    def delivery_started(self) -> None:
        """Count a background delivery in flight (see ``deliveries_in_flight``)."""
        with self._cond:
            self._deliveries += 1

    def delivery_finished(self) -> None:
        """Uncount a background delivery and wake waiters."""
        with self._cond:
            self._deliveries -= 1
            self._cond.notify_all()

    def deliveries_in_flight(self) -> int:
        """Deliveries still running: tests wait for zero so no callback lands in the next test."""
        with self._cond:
            return self._deliveries

    def record_callback(self, record: CallbackRecord) -> None:
        """Remember a callback attempt."""
        with self._cond:
            self._callbacks.append(record)
            self._cond.notify_all()

    def callbacks(self, *, provider: Provider | None = None) -> list[CallbackRecord]:
        """Copies of callback attempts, oldest first."""
        with self._cond:
            return [
                dataclasses.replace(c)
                for c in self._callbacks
                if provider is None or c.provider == provider
            ]

    def record_inbound(self, record: InboundRecord) -> None:
        """Remember a simulated guest message."""
        with self._cond:
            self._inbound.append(record)
            self._cond.notify_all()

    def inbound(self) -> list[InboundRecord]:
        """Copies of simulated guest messages, oldest first."""
        with self._cond:
            return [dataclasses.replace(r) for r in self._inbound]

    # -- razorpay resources ---------------------------------------------------------------

    def save_resource(self, collection: str, resource: dict[str, Any]) -> dict[str, Any]:
        """Store (or replace) a Razorpay entity by its ``id``; returns a copy."""
        with self._cond:
            getattr(self, collection)[resource["id"]] = copy.deepcopy(resource)
            self._cond.notify_all()
            return copy.deepcopy(resource)

    def resource(self, collection: str, resource_id: str) -> dict[str, Any] | None:
        """A copy of one Razorpay entity, or None."""
        with self._cond:
            found = getattr(self, collection).get(resource_id)
            return copy.deepcopy(found) if found is not None else None

    def resources(self, collection: str) -> list[dict[str, Any]]:
        """Copies of every entity of a collection, oldest first."""
        with self._cond:
            return [copy.deepcopy(r) for r in getattr(self, collection).values()]

    # -- knobs ----------------------------------------------------------------------------

    def knobs(self) -> Knobs:
        """A copy of the current knobs."""
        with self._cond:
            return copy.deepcopy(self._knobs)

    def update_knobs(self, **changes: Any) -> Knobs:
        """Change some knobs (unknown names raise TypeError) and return the new set."""
        with self._cond:
            self._knobs = dataclasses.replace(self._knobs, **changes).normalised()
            self._cond.notify_all()
            return copy.deepcopy(self._knobs)

    def take_failure(self, provider: Provider) -> bool:
        """Consume one injected HTTP 500 for ``provider``, if one is armed."""
        with self._cond:
            knobs = self._knobs
            if knobs.fail_next <= 0 or knobs.fail_provider not in (None, provider):
                return False
            knobs.fail_next -= 1
            return True

    def take_rate_limit(self) -> bool:
        """Consume one injected WhatsApp 130429, if one is armed."""
        with self._cond:
            if self._knobs.whatsapp_rate_limit_next <= 0:
                return False
            self._knobs.whatsapp_rate_limit_next -= 1
            return True

    def set_number_flag(self, knob: str, number: str, on: bool) -> None:
        """Add or remove a number in one of the number-set knobs (opt-out, window, …)."""
        with self._cond:
            numbers: set[str] = getattr(self._knobs, knob)
            (numbers.add if on else numbers.discard)(phone_key(number))
            self._cond.notify_all()

    def number_flag(self, knob: str, number: str) -> bool:
        """True when ``number`` is in the number-set knob ``knob``."""
        with self._cond:
            return phone_key(number) in getattr(self._knobs, knob)
