"""The outbound job: deliver one outbox row exactly once.

The row is marked SENDING (and committed) before the provider is called. If the worker dies
after the provider accepted the message but before the row says SENT, the next attempt finds
SENDING and first asks the provider whether it already has the message (Twilio: list by
number and body; WhatsApp: the status callback carries the outbox key), so recovery never
sends a duplicate.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from bookline.runtime import Runtime, current
from bot.render import plain_text
from engine.db import utcnow
from engine.guests.models import Guest
from engine.messaging.enums import MessageChannel, OutboxStatus
from engine.messaging.models import OutboxMessage
from engine.messaging.service import (
    begin_send,
    is_final,
    is_opted_out,
    last_inbound_at,
    lock_outbox,
    mark_send_error,
    mark_sent,
    suppress,
)
from engine.tenants.models import Venue
from workers.payments import run_action
from workers.senders.base import PermanentSendError, Sender, SendTask, TransientSendError
from workers.senders.sms import TwilioSender
from workers.senders.whatsapp import WhatsAppSender

log = logging.getLogger(__name__)

IN_FLIGHT_GRACE = timedelta(seconds=60)
STATUS_CALLBACK_GRACE = timedelta(minutes=5)
WHATSAPP_WINDOW = timedelta(hours=24)
DEFAULT_TEMPLATE = "bookline_update"


@cache
def senders(runtime: Runtime) -> dict[str, Sender]:
    """One sender per transport, built once per runtime from its settings."""
    settings = runtime.settings
    callback = settings.public_base_url.rstrip("/") + "/webhooks/twilio/status"
    return {
        "sms": TwilioSender(settings.twilio(), status_callback=callback),
        "twilio-whatsapp": TwilioSender(
            settings.twilio(), status_callback=callback, prefix="whatsapp:"
        ),
        "whatsapp": WhatsAppSender(settings.whatsapp()),
    }


def transport(message: OutboxMessage) -> str:
    """Which sender delivers the row."""
    if message.channel == MessageChannel.SMS:
        return "sms"
    return "twilio-whatsapp" if message.payload.get("transport") == "twilio" else "whatsapp"


def send_outbound(outbox_id: int) -> None:
    """Send the row unless it was sent, suppressed or is being sent right now.

    Rows that ask for a provider call instead of a message (``payload["action"]``: payment
    links, refunds) are made by ``workers.payments``; every path that kicks the outbox (jobs,
    the sweep) goes through here.
    """
    runtime = current()
    if _is_action(runtime, outbox_id):
        run_action(outbox_id)
        return
    claimed = _claim(runtime, outbox_id)
    if claimed is None:
        return
    task, sender = claimed
    try:
        provider_id = sender.send(task)
    except TransientSendError as exc:
        _finish_error(runtime, outbox_id, str(exc), permanent=False)
        raise
    except PermanentSendError as exc:
        log.error("outbox %s failed for good: %s", task.key, exc)
        _finish_error(runtime, outbox_id, str(exc), permanent=True)
        return
    with runtime.sessions.begin() as session:
        message = lock_outbox(session, outbox_id=outbox_id)
        assert message is not None
        mark_sent(message, provider_message_id=provider_id)


def _is_action(runtime: Runtime, outbox_id: int) -> bool:
    with runtime.sessions() as session:
        payload = session.scalar(select(OutboxMessage.payload).where(OutboxMessage.id == outbox_id))
    return isinstance(payload, dict) and "action" in payload


def _claim(runtime: Runtime, outbox_id: int) -> tuple[SendTask, Sender] | None:
    """Under the row lock: decide whether to send, and mark SENDING if so."""
    now = utcnow()
    with runtime.sessions.begin() as session:
        message = lock_outbox(session, outbox_id=outbox_id)
        if message is None or is_final(message):
            return None
        venue = session.get(Venue, message.venue_id)
        assert venue is not None
        guest = session.get(Guest, message.guest_id) if message.guest_id else None
        if guest and not message.bypass_opt_out and is_opted_out(guest, channel=message.channel):
            suppress(message, reason="guest opted out")
            return None
        sender = senders(runtime)[transport(message)]
        task = _task(session, message, venue, guest, now)
        if message.status == OutboxStatus.SENDING and not _resend_due(message, sender, task, now):
            return None
        begin_send(message, now=now)
        return task, sender


def _resend_due(message: OutboxMessage, sender: Sender, task: SendTask, now: datetime) -> bool:
    """For an interrupted send: reconcile with the provider; True only if it never got it."""
    started = message.sending_started_at or now
    if now - started < IN_FLIGHT_GRACE:
        return False  # another worker is probably mid-call; the sweeper looks again later
    found = sender.find_sent(replace(task, started_at=started))
    if found is not None:
        mark_sent(message, provider_message_id=found, now=now)
        return False
    if message.provider_message_id is not None:
        return False  # a status callback already told us the provider has it
    if transport(message) == "whatsapp" and now - started < STATUS_CALLBACK_GRACE:
        return False  # the Cloud API cannot be asked; wait for its status callback first
    return True


def _task(
    session: Session, message: OutboxMessage, venue: Venue, guest: Guest | None, now: datetime
) -> SendTask:
    """The send snapshot, switching to a template outside WhatsApp's 24-hour window."""
    payload = dict(message.payload)
    if transport(message) == "whatsapp":
        sender_address = venue.whatsapp_phone_number_id or ""
        last = last_inbound_at(
            session, venue_id=venue.id, channel=message.channel, guest_phone=message.to_address
        )
        if last is None or now - last > WHATSAPP_WINDOW:
            payload = _template(venue, guest, plain_text(payload))
    else:
        sender_address = venue.sms_number or ""
    return SendTask(message.id, message.key, message.to_address, sender_address, payload, now)


def _template(venue: Venue, guest: Guest | None, text: str) -> dict[str, object]:
    """The venue's approved template carrying ``text`` as its one body parameter."""
    template = venue.settings.get("whatsapp_template", DEFAULT_TEMPLATE)
    language = guest.language if guest and guest.language else "en"
    return {
        "type": "template",
        "template": {
            "name": template,
            "language": {"code": language},
            "components": [{"type": "body", "parameters": [{"type": "text", "text": text[:1024]}]}],
        },
    }


def _finish_error(runtime: Runtime, outbox_id: int, error: str, *, permanent: bool) -> None:
    with runtime.sessions.begin() as session:
        message = lock_outbox(session, outbox_id=outbox_id)
        assert message is not None
        mark_send_error(message, error=error, permanent=permanent)
