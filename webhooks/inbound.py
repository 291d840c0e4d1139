"""What every channel webhook does after verification: store once, then enqueue.

The provider id goes in under a unique constraint before anything is enqueued, so a delivery
repeated by the provider (or raced by two API processes) is enqueued exactly once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from bookline.jobs import enqueue_inbound
from bookline.runtime import Runtime
from engine.exceptions import ValidationError
from engine.guests.service import normalize_phone
from engine.messaging.enums import MessageChannel
from engine.messaging.service import record_inbound
from engine.tenants.service import venue_by_channel_address

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ProviderMessage:
    """A guest message as a provider delivered it, before routing."""

    provider: str
    provider_id: str
    channel: MessageChannel
    to_address: str
    from_address: str
    kind: str
    text: str = ""
    choice_id: str | None = None
    profile_name: str | None = None
    raw: dict[str, Any] = field(default_factory=dict)


def ingest(runtime: Runtime, messages: list[ProviderMessage]) -> int:
    """Store and enqueue each new message; returns how many were new."""
    new = 0
    for message in messages:
        event_id = _store(runtime, message)
        if event_id is not None:
            new += 1
            enqueue_inbound(runtime, event_id)
    return new


def _store(runtime: Runtime, message: ProviderMessage) -> int | None:
    """The new event's id, or None for duplicates and messages to unknown numbers."""
    try:
        guest_phone = normalize_phone(message.from_address)
    except ValidationError:
        log.warning(
            "ignoring %s message %s from unusable sender %r",
            message.provider,
            message.provider_id,
            message.from_address,
        )
        return None
    with runtime.sessions.begin() as session:
        venue = (
            venue_by_channel_address(session, whatsapp_id=message.to_address)
            if message.provider == "whatsapp"
            else venue_by_channel_address(session, sms_number=message.to_address)
        )
        if venue is None:
            log.warning(
                "%s message %s for unknown number %s acknowledged and dropped",
                message.provider,
                message.provider_id,
                message.to_address,
            )
            return None
        event = record_inbound(
            session,
            provider=message.provider,
            provider_id=message.provider_id,
            venue_id=venue.id,
            channel=message.channel,
            guest_phone=guest_phone,
            kind=message.kind,
            text=message.text[:5000],
            choice_id=message.choice_id,
            profile_name=message.profile_name,
            payload=message.raw,
        )
        if event is None:
            log.info("duplicate %s delivery %s ignored", message.provider, message.provider_id)
            return None
        session.flush()
        return event.id
